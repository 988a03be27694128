import type { Market, SystemStatus } from '../api/system';

export function systemStatus(overrides: Partial<SystemStatus> = {}, database: Partial<SystemStatus['database']> = {}): SystemStatus {
  return {
    status: 'ok',
    version: '0.1.0-test',
    started_at: '2025-11-24T08:00:00Z',
    uptime_seconds: 3 * 3600 + 12 * 60 + 5,
    ...overrides,
    database: {
      dialect: 'sqlite',
      reachable: true,
      latency_ms: 0.42,
      schema_version: 7,
      latest_version: 7,
      migrations_current: true,
      ...database,
    },
  };
}

export const seaMarkets: Market[] = [
  { code: 'ID', name: 'Indonesia', timezone: 'Asia/Jakarta' },
  { code: 'MY', name: 'Malaysia', timezone: 'Asia/Kuala_Lumpur' },
  { code: 'PH', name: 'Philippines', timezone: 'Asia/Manila' },
  { code: 'SG', name: 'Singapore', timezone: 'Asia/Singapore' },
  { code: 'TH', name: 'Thailand', timezone: 'Asia/Bangkok' },
  { code: 'VN', name: 'Vietnam', timezone: 'Asia/Ho_Chi_Minh' },
];
