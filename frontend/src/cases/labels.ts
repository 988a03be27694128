import type { CaseAction, CaseStatus, Decision, LinkKind, Severity } from '../api/cases';

export const statusLabels: Record<CaseStatus, string> = {
  new: 'New',
  triaged: 'Triaged',
  in_review: 'In review',
  on_hold: 'On hold',
  escalated: 'Escalated',
  awaiting_approval: 'Awaiting approval',
  resolved: 'Resolved',
};

/** Calm colours: only escalations, approvals and breaches stand out. */
export const statusColors: Record<CaseStatus, string> = {
  new: 'blue',
  triaged: 'cyan',
  in_review: 'indigo',
  on_hold: 'gray',
  escalated: 'orange',
  awaiting_approval: 'violet',
  resolved: 'teal',
};

export const severityLabels: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const severityColors: Record<Severity, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'gray',
};

export type Outcome = Decision['outcome'];

export const outcomeLabels: Record<Outcome, string> = {
  violation: 'Violation',
  no_violation: 'No violation',
  insufficient_evidence: 'Insufficient evidence',
};

export const outcomeColors: Record<Outcome, string> = {
  violation: 'red',
  no_violation: 'teal',
  insufficient_evidence: 'gray',
};

export const outcomeDescriptions: Record<Outcome, string> = {
  violation: 'The policy was broken; choose the enforcement actions.',
  no_violation: 'The subject did nothing wrong; the case closes without action.',
  insufficient_evidence: 'Not enough to decide either way; the case closes without action.',
};

export const actionLabels: Record<CaseAction, string> = {
  triage: 'Triage',
  claim: 'Claim',
  assign: 'Assign',
  release: 'Release',
  renew: 'Renew claim',
  escalate: 'Escalate',
  deescalate: 'De-escalate',
  hold: 'Put on hold',
  resume: 'Resume',
  resolve: 'Resolve',
  approve: 'Approve',
  reject: 'Reject',
  reopen: 'Reopen',
  declare_emergency: 'Declare emergency',
  clear_emergency: 'Clear emergency',
};

const enforcementLabels: Record<string, string> = {
  warn: 'Warn',
  remove_content: 'Remove content',
  restrict_listing: 'Restrict listing',
  suspend_livestream: 'Suspend livestream',
  suspend_account: 'Suspend account',
  ban_seller: 'Ban seller',
};

/** An enforcement action code as words: `remove_content` is "Remove content"; unknown codes are spelled out the same way. */
export function enforcementLabel(code: string): string {
  return enforcementLabels[code] ?? humanize(code);
}

/** `snake_case` as a sentence-case phrase. */
export function humanize(code: string): string {
  const words = code.replace(/[_.]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : code;
}

export const subjectKinds = ['seller', 'creator', 'listing', 'livestream', 'content'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

export const subjectKindLabels: Record<SubjectKind, string> = {
  seller: 'Seller',
  creator: 'Creator',
  listing: 'Listing',
  livestream: 'Livestream',
  content: 'Content',
};

export function subjectKindLabel(kind: string): string {
  return subjectKindLabels[kind as SubjectKind] ?? humanize(kind);
}

/** How a link reads from the side of the case that shows it. */
export function linkLabel(kind: LinkKind, outgoing: boolean): string {
  switch (kind) {
    case 'duplicate_of':
      return outgoing ? 'Duplicate of' : 'Duplicated by';
    case 'appeal_of':
      return outgoing ? 'Appeal of' : 'Appealed by';
    default:
      return 'Related to';
  }
}

export const linkKindOptions: { value: LinkKind; label: string }[] = [
  { value: 'related', label: 'Related to' },
  { value: 'duplicate_of', label: 'Duplicate of' },
  { value: 'appeal_of', label: 'Appeal of' },
];

/** Compact numbers for reach: 12 000 is "12K", 3 400 000 is "3.4M". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const compact = (n: number, unit: string) => `${(Math.round(n * 10) / 10).toString()}${unit}`;
  if (abs >= 1_000_000_000) return compact(value / 1_000_000_000, 'B');
  if (abs >= 1_000_000) return compact(value / 1_000_000, 'M');
  if (abs >= 10_000) return compact(value / 1_000, 'K');
  return new Intl.NumberFormat('en').format(value);
}

/** File sizes: "820 B", "14 KB", "2.4 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
