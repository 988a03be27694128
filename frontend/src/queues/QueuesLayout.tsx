import { Group, Tabs } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLayoutDashboard, IconListDetails } from '@tabler/icons-react';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useMe } from '../api/auth';
import { hasAnyPermission } from '../auth/access';
import { useShortcuts } from '../cases/shortcuts';
import { ShortcutsButton, ShortcutsHelp } from '../cases/ShortcutsHelp';
import { PageHeader } from '../components/PageHeader';
import { workspaces } from '../layout/workspaces';
import { AvailabilityToggle } from './AvailabilityToggle';
import { CONSOLE_PERMISSIONS } from './console';

/**
 * /queues: the header (availability for people who claim cases, the shortcuts), the "My queues" / "Lead console" tabs
 * for leads, and the tab's page below.
 */
export function QueuesLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const pathname = useLocation({ select: (location) => location.pathname });
  const [helpOpened, help] = useDisclosure(false);
  const canConsole = hasAnyPermission(me.permissions, CONSOLE_PERMISSIONS);
  const canClaim = me.actor_type === 'user' && hasAnyPermission(me.permissions, ['case.claim']);
  const current = pathname.startsWith('/queues/console') ? 'console' : 'home';

  useShortcuts({ '?': help.open }, !helpOpened);

  return (
    <>
      <PageHeader
        title={workspaces.queues.label}
        description={workspaces.queues.description}
        aside={
          <Group gap="md" wrap="nowrap">
            {canClaim && <AvailabilityToggle />}
            <ShortcutsButton onClick={help.open} />
          </Group>
        }
      />
      {canConsole && (
        <Tabs
          value={current}
          onChange={(value) => {
            if (value === 'home') void navigate({ to: '/queues' });
            if (value === 'console') void navigate({ to: '/queues/console' });
          }}
          mb="lg"
        >
          <Tabs.List>
            <Tabs.Tab value="home" leftSection={<IconListDetails size={16} aria-hidden />}>
              My queues
            </Tabs.Tab>
            <Tabs.Tab value="console" leftSection={<IconLayoutDashboard size={16} aria-hidden />}>
              Lead console
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>
      )}
      <Outlet />
      <ShortcutsHelp opened={helpOpened} onClose={help.close} />
    </>
  );
}
