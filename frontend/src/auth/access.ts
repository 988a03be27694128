import type { Grant, Me } from '../api/auth';
import { mainWorkspaces, type Workspace } from '../layout/workspaces';

/** Permission name -> markets it is held in (`*` for all), as `GET /me` reports it. */
export type Permissions = Me['permissions'];

/** True when the caller holds at least one of `required` in at least one market (or `required` is empty). */
export function hasAnyPermission(permissions: Permissions, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  return required.some((permission) => (permissions[permission]?.length ?? 0) > 0);
}

/** True when the caller holds `permission` in `market` (or in all markets, `*`). */
export function hasPermissionIn(permissions: Permissions, permission: string, market: string): boolean {
  const markets = permissions[permission] ?? [];
  return markets.includes('*') || markets.includes(market);
}

/** The markets the caller holds `permission` in; `*` when all. */
export function marketsWith(permissions: Permissions, permission: string): string[] {
  return permissions[permission] ?? [];
}

export function canUseWorkspace(permissions: Permissions, workspace: Workspace): boolean {
  return hasAnyPermission(permissions, workspace.requires);
}

/** The daily workspaces this caller may use, in navbar order. */
export function visibleWorkspaces(permissions: Permissions): Workspace[] {
  return mainWorkspaces.filter((workspace) => canUseWorkspace(permissions, workspace));
}

/** Where someone lands after login or at `/`: their first workspace, or the status page when they have none. */
export function homePath(permissions: Permissions): Workspace['to'] {
  return visibleWorkspaces(permissions)[0]?.to ?? '/status';
}

/**
 * A `next` target is followed only when it is a path on this site (never
 * `//evil.example` or `https://…`) and not the login page itself.
 */
export function safeNextPath(next: string | undefined | null): string | undefined {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return undefined;
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return undefined;
  return next;
}

export const roleOrder: readonly Grant['role'][] = ['admin', 'lead', 'reviewer', 'analyst', 'auditor', 'qa'];

export const ALL_MARKETS = '*';

/** Market codes for display: `*` is "All markets". */
export function marketLabel(market: string): string {
  return market === ALL_MARKETS ? 'All markets' : market;
}

export interface RoleMarkets {
  role: string;
  markets: string[];
}

/** Grants grouped by role, roles in the product's order, markets sorted with `*` first. */
export function rolesByMarket(grants: readonly Grant[]): RoleMarkets[] {
  const byRole = new Map<string, Set<string>>();
  for (const grant of grants) {
    const markets = byRole.get(grant.role) ?? new Set<string>();
    markets.add(grant.market);
    byRole.set(grant.role, markets);
  }
  const rank = (role: string) => {
    const index = roleOrder.indexOf(role as Grant['role']);
    return index === -1 ? roleOrder.length : index;
  };
  return [...byRole.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([role, markets]) => ({
      role,
      markets: [...markets].sort((a, b) => (a === ALL_MARKETS ? -1 : b === ALL_MARKETS ? 1 : a.localeCompare(b))),
    }));
}

/** "lead · VN, TH" style line for one role; `*` reads "All markets". */
export function formatRoleMarkets({ role, markets }: RoleMarkets): string {
  return `${role} · ${markets.map(marketLabel).join(', ')}`;
}
