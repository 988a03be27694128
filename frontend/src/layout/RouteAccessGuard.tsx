import { Outlet, useMatches } from '@tanstack/react-router';
import { useMe } from '../api/auth';
import { hasAnyPermission } from '../auth/access';
import { AccessDenied } from '../components/AccessDenied';

/**
 * The shell's outlet: the matched page, or AccessDenied when any route on the
 * way to it declares permissions (staticData.requires) the caller lacks.
 */
export function RouteAccessGuard() {
  const me = useMe();
  const denied = useMatches({
    select: (matches) =>
      matches.some((match) => {
        const requires = match.staticData.requires;
        return requires !== undefined && !hasAnyPermission(me.permissions, requires);
      }),
  });
  return denied ? <AccessDenied /> : <Outlet />;
}
