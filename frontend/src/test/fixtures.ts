import type { Grant, Me } from '../api/auth';
import type { Market, SystemStatus } from '../api/system';
import type { User } from '../api/users';

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

/** A market's SLA clock as a new market has it (migration 00008's defaults): calendar hours, Mon–Fri 09:00–18:00 kept. */
const calendarClock: Omit<Market, 'code' | 'name' | 'timezone'> = {
  sla_clock: 'calendar',
  business_days: [1, 2, 3, 4, 5],
  business_start: '09:00',
  business_end: '18:00',
  version: 1,
};

export const seaMarkets: Market[] = [
  { code: 'ID', name: 'Indonesia', timezone: 'Asia/Jakarta', ...calendarClock },
  { code: 'MY', name: 'Malaysia', timezone: 'Asia/Kuala_Lumpur', ...calendarClock },
  { code: 'PH', name: 'Philippines', timezone: 'Asia/Manila', ...calendarClock },
  { code: 'SG', name: 'Singapore', timezone: 'Asia/Singapore', ...calendarClock },
  { code: 'TH', name: 'Thailand', timezone: 'Asia/Bangkok', ...calendarClock },
  { code: 'VN', name: 'Vietnam', timezone: 'Asia/Ho_Chi_Minh', ...calendarClock },
];

/**
 * The role -> permission matrix of migrations/{sqlite,postgres}/00002_accounts_audit.sql (and 00008, which gives
 * admins market.manage), for building /me answers.
 */
export const rolePermissions: Record<Grant['role'], string[]> = {
  admin: ['user.manage', 'token.manage', 'policy.manage', 'queue.manage', 'webhook.manage', 'market.manage', 'rule.read', 'rule.publish', 'audit.read', 'audit.verify'],
  lead: [
    'case.read', 'case.comment', 'case.evidence', 'case.claim', 'case.hold', 'case.escalate', 'case.resolve', 'subject.read',
    'decision.read', 'queue.read', 'case.create', 'case.triage', 'case.assign', 'case.release_any', 'case.deescalate',
    'case.reopen', 'case.emergency', 'case.approve', 'case.bulk', 'queue.manage', 'signal.read', 'rule.read', 'rule.publish',
    'dashboard.read',
  ],
  reviewer: ['case.read', 'case.comment', 'case.evidence', 'case.claim', 'case.hold', 'case.escalate', 'case.resolve', 'subject.read', 'decision.read', 'queue.read'],
  analyst: ['case.read', 'case.create', 'subject.read', 'decision.read', 'queue.read', 'signal.read', 'rule.read', 'rule.write', 'rule.backtest', 'dashboard.read'],
  auditor: ['case.read', 'subject.read', 'decision.read', 'queue.read', 'signal.read', 'rule.read', 'dashboard.read', 'audit.read', 'audit.export', 'audit.verify'],
  qa: ['case.read', 'subject.read', 'decision.read', 'queue.read', 'qa.review'],
};

/** A `GET /me` answer for a user holding `grants`, with permissions derived the way the server does. */
export function meFor(grants: Grant[], user: Partial<User> = {}): Me {
  const permissions: Record<string, string[]> = {};
  for (const grant of grants) {
    for (const permission of rolePermissions[grant.role]) {
      const markets = (permissions[permission] ??= []);
      if (!markets.includes(grant.market)) markets.push(grant.market);
    }
  }
  return {
    actor_type: 'user',
    user: {
      id: 7,
      email: 'pat@demo.docket.test',
      name: 'Pat Example',
      active: true,
      created_at: '2025-11-01T02:00:00Z',
      last_login_at: '2025-11-24T02:00:00Z',
      grants,
      ...user,
    },
    grants,
    permissions,
    csrf_token: 'csrf-test-token',
  };
}

export function user(overrides: Partial<User> = {}): User {
  return {
    id: 42,
    email: 'linh@demo.docket.test',
    name: 'Linh Tran',
    active: true,
    created_at: '2025-11-01T02:00:00Z',
    last_login_at: null,
    grants: [{ role: 'reviewer', market: 'VN' }],
    ...overrides,
  };
}
