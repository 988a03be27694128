import { AppShell, Burger, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMe } from '../api/auth';
import { homePath } from '../auth/access';
import { LiveIndicator, LiveUpdatesProvider } from '../live/LiveUpdates';
import { RouterAnchor } from '../routing/links';
import { BrandMark } from './BrandMark';
import { NavBar } from './NavBar';
import { NotificationBell } from './NotificationBell';
import { RouteAccessGuard } from './RouteAccessGuard';
import { UserMenu } from './UserMenu';

/**
 * The frame around every page: header with the brand, the live-updates indicator and the user menu, navbar, and
 * the page. It also holds the tab's one connection to the event stream, which keeps every page current.
 */
export function AppLayout({ children }: { children?: React.ReactNode }) {
  return (
    <LiveUpdatesProvider>
      <Shell>{children}</Shell>
    </LiveUpdatesProvider>
  );
}

function Shell({ children }: { children?: React.ReactNode }) {
  const [navOpened, { toggle, close }] = useDisclosure(false);
  const me = useMe();

  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger
            opened={navOpened}
            onClick={toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label={navOpened ? 'Close navigation' : 'Open navigation'}
          />
          <RouterAnchor to={homePath(me.permissions)} underline="never" c="inherit" onClick={close}>
            <BrandMark />
          </RouterAnchor>
          <Group ml="auto" gap="sm" wrap="nowrap">
            <LiveIndicator />
            <NotificationBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar>
        <NavBar onNavigate={close} />
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">{children ?? <RouteAccessGuard />}</AppShell.Main>
    </AppShell>
  );
}
