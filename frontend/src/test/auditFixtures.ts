import type { AuditEntry } from '../api/audit';

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq: 101,
    occurred_at: '2025-11-24T10:05:03Z',
    actor: 'user:1',
    actor_label: 'Ada Admin',
    action: 'user.grant',
    object_type: 'user',
    object_id: '42',
    market: 'VN',
    before: { id: 42, email: 'linh@demo.docket.test', grants: [{ role: 'reviewer', market: 'VN' }], active: true },
    after: {
      id: 42,
      email: 'linh@demo.docket.test',
      grants: [
        { role: 'reviewer', market: 'VN' },
        { role: 'lead', market: 'VN' },
      ],
      active: true,
    },
    request_id: 'req-8f2a91',
    client_ip: '10.0.0.8',
    prev_hash: 'aa'.repeat(32),
    hash: 'bb'.repeat(32),
    ...overrides,
  };
}
