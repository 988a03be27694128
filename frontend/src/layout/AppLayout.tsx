import { AppShell, Burger, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from '@tanstack/react-router';
import { RouterAnchor } from '../routing/links';
import { BrandMark } from './BrandMark';
import { NavBar } from './NavBar';

/** The frame around every page: header with the brand, navbar, and the page. */
export function AppLayout({ children }: { children?: React.ReactNode }) {
  const [navOpened, { toggle, close }] = useDisclosure(false);

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
          <RouterAnchor to="/queues" underline="never" c="inherit" onClick={close}>
            <BrandMark />
          </RouterAnchor>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar>
        <NavBar onNavigate={close} />
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">{children ?? <Outlet />}</AppShell.Main>
    </AppShell>
  );
}
