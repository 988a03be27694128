import type { Backtest, BacktestResult, Route, Rule, RuleHit, RuleVersion } from '../api/rules';

export const sampleExpression = 'signal.type == "report.filed"\nand count("report.filed", "1h") >= 10\nand subject.followers > 10000';

export function ruleVersion(overrides: Partial<RuleVersion> = {}): RuleVersion {
  return {
    rule_id: 31,
    version: 3,
    status: 'shadow',
    name: 'Report burst on popular listings',
    description: 'Ten reports in an hour on a listing with reach.',
    markets: ['VN'],
    signal_types: ['report.filed'],
    expression: sampleExpression,
    policy: 'counterfeit',
    severity: 'high',
    priority_boost: 50,
    queue_id: null,
    auto_triage: false,
    note: 'Raised the threshold',
    created_by: 'user:5',
    created_by_label: 'analyst@demo.docket.test',
    created_at: '2025-11-20T03:00:00Z',
    ...overrides,
  };
}

export function rule(overrides: Partial<Rule> = {}): Rule {
  return {
    ...ruleVersion(),
    id: 31,
    updated_at: '2025-11-20T03:00:00Z',
    errors: { count: 0, last_error: '', last_error_at: null },
    quality: {
      hits_7d: 40,
      shadow_hits_7d: 12,
      hits_per_day: 7.43,
      cases_opened: 18,
      cases_decided: 12,
      violations: 9,
      precision: 0.75,
      median_hours_to_decision: 5.5,
      alerts: [],
    },
    by_version: [
      { version: 3, status: 'shadow', hits: 0, shadow_hits: 12, hits_per_day: 4, cases_opened: 0, cases_decided: 0, violations: 0, precision: null, median_hours_to_decision: null },
      { version: 2, status: 'live', hits: 40, shadow_hits: 0, hits_per_day: 5.7, cases_opened: 18, cases_decided: 12, violations: 9, precision: 0.75, median_hours_to_decision: 5.5 },
    ],
    may_write: true,
    may_publish: false,
    ...overrides,
  };
}

export function ruleHit(overrides: Partial<RuleHit> = {}): RuleHit {
  return {
    id: 901,
    rule_id: 31,
    rule_name: 'Report burst on popular listings',
    version: 3,
    mode: 'shadow',
    signal_id: 7001,
    signal_type: 'report.filed',
    subject: {
      id: 55,
      kind: 'listing',
      external_id: 'vn-listing-1',
      market: 'VN',
      display_name: 'Túi xách cao cấp',
      attributes: {},
      followers: 20000,
      gmv_usd: 1000,
      strike_count: 0,
    },
    case_id: null,
    severity: 'high',
    values: { 'count("report.filed", "1h")': 12 },
    created_at: '2025-11-21T04:00:00Z',
    ...overrides,
  };
}

export function backtestResult(overrides: Partial<BacktestResult> = {}): BacktestResult {
  return {
    signals_scanned: 5200,
    hits: 37,
    subjects: 11,
    cases_would_open: 8,
    cases_would_join: 3,
    histogram: [
      { day: '2025-11-01', hits: 3 },
      { day: '2025-11-03', hits: 30 },
      { day: '2025-11-04', hits: 4 },
    ],
    samples: [{ signal_id: 7001, occurred_at: '2025-11-03T05:00:00Z', subject: ruleHit().subject, values: { 'count("report.filed", "1h")': 14 } }],
    decided: 8,
    violations: 6,
    precision: 0.75,
    truncated: false,
    errors: 0,
    ...overrides,
  };
}

export function backtest(overrides: Partial<Backtest> = {}): Backtest {
  return {
    id: 61,
    rule_id: 31,
    version: 3,
    expression: sampleExpression,
    from: '2025-11-01T00:00:00Z',
    to: '2025-11-05T00:00:00Z',
    max_signals: 200000,
    status: 'done',
    scanned: 5200,
    total: 5200,
    result: backtestResult(),
    error: '',
    created_by: 'user:5',
    created_by_label: 'analyst@demo.docket.test',
    created_at: '2025-11-21T04:00:00Z',
    finished_at: '2025-11-21T04:00:09Z',
    ...overrides,
  };
}

export function route(overrides: Partial<Route> = {}): Route {
  return { market: 'VN', policy: null, queue_id: 11, queue_name: 'Vietnam review', ...overrides };
}
