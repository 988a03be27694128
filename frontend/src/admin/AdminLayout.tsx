import { Tabs } from '@mantine/core';
import { IconKey, IconUsers } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useMe } from '../api/auth';
import { hasAnyPermission } from '../auth/access';
import { PageHeader } from '../components/PageHeader';
import { workspaces } from '../layout/workspaces';

type AdminTab = 'users' | 'tokens';

/** /admin: the header and the Users / API tokens tabs the caller may open; the tab's page below. */
export function AdminLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const pathname = useLocation({ select: (location) => location.pathname });
  const current: AdminTab | null = pathname.startsWith('/admin/users')
    ? 'users'
    : pathname.startsWith('/admin/tokens')
      ? 'tokens'
      : null;
  const canUsers = hasAnyPermission(me.permissions, ['user.manage']);
  const canTokens = hasAnyPermission(me.permissions, ['token.manage']);

  return (
    <>
      <PageHeader title={workspaces.admin.label} description={workspaces.admin.description} />
      <Tabs
        value={current}
        onChange={(value) => {
          if (value === 'users') void navigate({ to: '/admin/users' });
          if (value === 'tokens') void navigate({ to: '/admin/tokens' });
        }}
        mb="lg"
      >
        <Tabs.List>
          {canUsers && (
            <Tabs.Tab value="users" leftSection={<IconUsers size={16} aria-hidden />}>
              Users
            </Tabs.Tab>
          )}
          {canTokens && (
            <Tabs.Tab value="tokens" leftSection={<IconKey size={16} aria-hidden />}>
              API tokens
            </Tabs.Tab>
          )}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
