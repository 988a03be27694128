import type { Queue, Reviewer } from '../api/queues';

export function queue(overrides: Partial<Queue> = {}): Queue {
  return {
    id: 11,
    name: 'Vietnam review',
    description: 'Triaged cases in Vietnam, most urgent first.',
    kind: 'review',
    markets: ['VN'],
    policies: [],
    severities: [],
    emergency_only: false,
    version: 1,
    counts: { total: 14, unassigned: 9, breached: 2, at_risk: 3, oldest_created_at: '2025-11-24T07:00:00Z' },
    counts_as_of: '2025-11-24T10:11:58Z',
    oldest_age_seconds: 3 * 3600,
    ...overrides,
  };
}

export const vnEscalations = (overrides: Partial<Queue> = {}) =>
  queue({ id: 12, name: 'Vietnam escalations', kind: 'escalation', description: 'Escalated cases in Vietnam, for leads.', ...overrides });

export const thReview = (overrides: Partial<Queue> = {}) =>
  queue({ id: 9, name: 'Thailand review', markets: ['TH'], description: 'Triaged cases in Thailand, most urgent first.', ...overrides });

export function reviewer(overrides: Partial<Reviewer> = {}): Reviewer {
  return { id: 3, name: 'Tran Thi Lan', email: 'reviewer@demo.docket.test', available: true, open_cases: 2, ...overrides };
}
