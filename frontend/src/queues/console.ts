import type { CaseStatus } from '../api/cases';
import type { CaseListQuery } from '../api/queues';
import { ALL_MARKETS, type Permissions } from '../auth/access';
import { optionalString } from '../routing/search';

/** The permissions of the lead console (any one, in any market): leads assign and de-escalate. */
export const CONSOLE_PERMISSIONS = ['case.assign', 'case.deescalate'] as const;

export interface ConsoleSearch {
  /** One market code, or absent for all the lead's markets. */
  market?: string;
}

/** `/queues/console?market=VN`: plain strings, an unknown value is dropped. */
export function parseConsoleSearch(search: Record<string, unknown>): ConsoleSearch {
  const market = optionalString(search.market)?.toUpperCase();
  return market && /^[A-Z]{2,8}$/.test(market) ? { market } : {};
}

/**
 * The markets the lead console offers as filters: where the caller holds a console permission; null when they hold
 * one everywhere (`*`: every market the server knows).
 */
export function consoleMarkets(permissions: Permissions): string[] | null {
  const markets = new Set<string>();
  for (const permission of CONSOLE_PERMISSIONS) for (const market of permissions[permission] ?? []) markets.add(market);
  if (markets.has(ALL_MARKETS)) return null;
  return [...markets].sort();
}

/** Open and still on the clock: on-hold cases have their SLA paused, resolved ones are done. */
export const slaBoardStatuses: readonly CaseStatus[] = ['new', 'triaged', 'in_review', 'escalated', 'awaiting_approval'];

/** Every status but resolved. */
export const openCaseStatuses: readonly CaseStatus[] = ['new', 'triaged', 'in_review', 'on_hold', 'escalated', 'awaiting_approval'];

/** Rows per console panel; each links to the full list in the case workspace. */
export const CONSOLE_PANEL_LIMIT = 25;

/** The SLA board shows the most urgent few; the rest are a click away in the case list. */
export const SLA_BOARD_LIMIT = 15;

/** The case searches behind the console's panels (`GET /cases` query parameters, without the market). */
export const consoleQueries = {
  emergencies: { status: openCaseStatuses.join(','), emergency: true, sort: 'priority', limit: CONSOLE_PANEL_LIMIT },
  escalations: { status: 'escalated', sort: 'due', limit: CONSOLE_PANEL_LIMIT },
  sla: { status: slaBoardStatuses.join(','), sort: 'due', limit: SLA_BOARD_LIMIT },
  unassigned: { status: 'triaged', assignee: 'none', sort: 'priority', limit: CONSOLE_PANEL_LIMIT },
} as const satisfies Record<string, CaseListQuery>;

/** The same searches as `/cases` URLs (the full list, with its bulk bar). */
export const consoleListSearch = {
  emergencies: { status: openCaseStatuses.join(','), emergency: 'true' },
  escalations: { status: 'escalated', sort: 'due' },
  sla: { status: slaBoardStatuses.join(','), sort: 'due' },
  unassigned: { status: 'triaged', assignee: 'none' },
} as const;

/** Escalation reasons the system writes, in words; anything else is a person's own reason, shown as written. */
export function escalationReasonLabel(reason: string | null | undefined): { label: string; system: boolean } {
  if (!reason) return { label: 'No reason given', system: false };
  if (reason === 'sla_breach') return { label: 'SLA breached', system: true };
  return { label: reason, system: false };
}
