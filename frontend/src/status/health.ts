import type { SystemStatus } from '../api/system';

export type ApiHealth = 'checking' | 'healthy' | 'degraded' | 'unreachable';

/**
 * The one-word verdict on the API. Healthy needs the server to say `ok` and
 * its database to answer with every migration applied; anything less is
 * degraded. A failed status request, whatever the reason, is unreachable: the
 * latest check did not get a usable answer.
 */
export function apiHealth(status: SystemStatus | undefined, requestFailed: boolean): ApiHealth {
  if (requestFailed) return 'unreachable';
  if (!status) return 'checking';
  const { database } = status;
  return status.status === 'ok' && database.reachable && database.migrations_current ? 'healthy' : 'degraded';
}

export const healthLabels: Record<ApiHealth, string> = {
  checking: 'Checking API…',
  healthy: 'API healthy',
  degraded: 'API degraded',
  unreachable: 'API unreachable',
};
