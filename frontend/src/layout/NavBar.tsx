import { AppShell, ScrollArea } from '@mantine/core';
import { useMatchRoute } from '@tanstack/react-router';
import { useMe } from '../api/auth';
import { visibleWorkspaces } from '../auth/access';
import { RouterNavLink } from '../routing/links';
import { workspaces, type Workspace } from './workspaces';

interface NavBarProps {
  /** Called after a link is followed, so the mobile drawer can close. */
  onNavigate?: () => void;
}

function WorkspaceLink({ workspace, onNavigate }: { workspace: Workspace; onNavigate?: (() => void) | undefined }) {
  const matchRoute = useMatchRoute();
  // Fuzzy: /cases/123 keeps "Cases" highlighted.
  const active = Boolean(matchRoute({ to: workspace.to, fuzzy: true }));
  const Icon = workspace.icon;
  return (
    <RouterNavLink
      to={workspace.to}
      label={workspace.label}
      leftSection={<Icon size={18} stroke={1.6} aria-hidden />}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={onNavigate}
      variant="light"
      styles={{ root: { borderRadius: 'var(--mantine-radius-sm)' }, label: { fontSize: 'var(--mantine-font-size-sm)' } }}
    />
  );
}

/** The left navigation: the workspaces the caller's permissions open, system status at the bottom. */
export function NavBar({ onNavigate }: NavBarProps) {
  const me = useMe();
  return (
    <>
      <AppShell.Section grow component={ScrollArea} p="sm">
        <nav aria-label="Workspaces">
          {visibleWorkspaces(me.permissions).map((workspace) => (
            <WorkspaceLink key={workspace.to} workspace={workspace} onNavigate={onNavigate} />
          ))}
        </nav>
      </AppShell.Section>
      <AppShell.Section p="sm" style={{ borderTop: '1px solid var(--app-shell-border-color)' }}>
        <nav aria-label="System">
          <WorkspaceLink workspace={workspaces.status} onNavigate={onNavigate} />
        </nav>
      </AppShell.Section>
    </>
  );
}
