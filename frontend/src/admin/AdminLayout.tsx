import { Tabs } from '@mantine/core';
import { IconArrowsSplit, IconKey, IconUsers, IconWebhook, IconWorld } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useMe } from '../api/auth';
import { hasAnyPermission } from '../auth/access';
import { PageHeader } from '../components/PageHeader';
import { workspaces } from '../layout/workspaces';

type AdminTab = 'users' | 'tokens' | 'webhooks' | 'markets' | 'routing';

const tabPaths = { users: '/admin/users', tokens: '/admin/tokens', webhooks: '/admin/webhooks', markets: '/admin/markets', routing: '/admin/routing' } as const;

/** /admin: the header and the Users / API tokens / Webhooks / Markets / Routing tabs the caller may open; the tab's page below. */
export function AdminLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const pathname = useLocation({ select: (location) => location.pathname });
  const current = (Object.keys(tabPaths) as AdminTab[]).find((tab) => pathname.startsWith(tabPaths[tab])) ?? null;
  const canUsers = hasAnyPermission(me.permissions, ['user.manage']);
  const canTokens = hasAnyPermission(me.permissions, ['token.manage']);
  const canWebhooks = hasAnyPermission(me.permissions, ['webhook.manage']);
  const canMarkets = hasAnyPermission(me.permissions, ['market.manage']);
  const canRouting = hasAnyPermission(me.permissions, ['queue.manage']);

  return (
    <>
      <PageHeader title={workspaces.admin.label} description={workspaces.admin.description} />
      <Tabs
        value={current}
        onChange={(value) => {
          if (value && value in tabPaths) void navigate({ to: tabPaths[value as AdminTab] });
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
          {canWebhooks && (
            <Tabs.Tab value="webhooks" leftSection={<IconWebhook size={16} aria-hidden />}>
              Webhooks
            </Tabs.Tab>
          )}
          {canMarkets && (
            <Tabs.Tab value="markets" leftSection={<IconWorld size={16} aria-hidden />}>
              Markets
            </Tabs.Tab>
          )}
          {canRouting && (
            <Tabs.Tab value="routing" leftSection={<IconArrowsSplit size={16} aria-hidden />}>
              Routing
            </Tabs.Tab>
          )}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </>
  );
}
