import type { CaseDetail, CaseSummary, Decision, Policy } from '../api/cases';

export const counterfeit: Policy = {
  code: 'counterfeit',
  name: 'Counterfeit goods',
  description: 'Listings or sellers offering fake branded goods.',
  default_severity: 'high',
  sla_hours: { critical: 4, high: 24, medium: 72, low: 168 },
  allowed_actions: ['warn', 'remove_content', 'restrict_listing', 'suspend_account', 'ban_seller'],
  high_impact_actions: ['suspend_account', 'ban_seller'],
};

export const misleading: Policy = {
  code: 'misleading_claim',
  name: 'Misleading claim',
  description: 'False or unproven product claims.',
  default_severity: 'medium',
  sla_hours: { critical: 4, high: 24, medium: 72, low: 168 },
  allowed_actions: ['warn', 'remove_content', 'restrict_listing'],
  high_impact_actions: ['restrict_listing'],
};

export function caseSummary(overrides: Partial<CaseSummary> = {}): CaseSummary {
  return {
    id: 101,
    market: 'VN',
    policy: 'counterfeit',
    policy_name: 'Counterfeit goods',
    severity: 'high',
    priority: 3141.5,
    status: 'in_review',
    queue: null,
    assignee: { id: 7, name: 'Pat Example', email: 'pat@demo.docket.test' },
    claim_expires_at: '2025-11-24T10:15:00Z',
    sla_due_at: '2025-11-25T10:00:00Z',
    sla_breached: false,
    escalation_reason: null,
    emergency: false,
    outcome: null,
    summary: 'Buyers report fake handbags.',
    created_at: '2025-11-24T10:00:00Z',
    updated_at: '2025-11-24T10:05:00Z',
    resolved_at: null,
    version: 3,
    subject: {
      id: 55,
      kind: 'seller',
      external_id: 'vn-shop-88231',
      market: 'VN',
      display_name: 'Hàng Hiệu Giá Tốt',
      attributes: { followers: 128000 },
      followers: 128000,
      gmv_usd: 420000,
      strike_count: 2,
    },
    tags: ['brand-x'],
    ...overrides,
  };
}

export function caseDetail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    ...caseSummary(),
    policy_detail: counterfeit,
    decisions: [],
    comments: [],
    evidence: [],
    links: [],
    hits: [],
    allowed_actions: ['assign', 'release', 'escalate', 'hold', 'resolve'],
    ...overrides,
  };
}

export function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    id: 9,
    outcome: 'violation',
    policy: 'counterfeit',
    actions: ['remove_content', 'ban_seller'],
    rationale: 'Batch codes do not exist.',
    high_impact: true,
    decided_by: 'other.lead@demo.docket.test',
    decided_at: '2025-11-24T10:10:00Z',
    review: null,
    ...overrides,
  };
}
