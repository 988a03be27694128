import type { CaseStatus, Severity } from '../api/cases';
import { optionalString } from '../routing/search';

/** Every status, in lifecycle order. */
export const caseStatuses: readonly CaseStatus[] = ['new', 'triaged', 'in_review', 'on_hold', 'escalated', 'awaiting_approval', 'resolved'];

/** The statuses that count as open (everything but resolved). */
export const openStatuses: readonly CaseStatus[] = caseStatuses.filter((status) => status !== 'resolved');

/** Most severe first. */
export const severities: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export const caseSorts = ['priority', 'due', 'created', 'updated'] as const;
export type CaseSort = (typeof caseSorts)[number];
export const DEFAULT_SORT: CaseSort = 'priority';

/**
 * The case list's filters, named exactly as `GET /api/v1/cases` names its
 * query parameters and kept in the page URL
 * (`/cases?status=new,triaged&severity=critical&assignee=me&sort=due`), so a
 * view can be bookmarked, shared or reloaded, and the list request carries the
 * same query.
 */
export interface CaseFilters {
  status?: CaseStatus[];
  severity?: Severity[];
  policy?: string;
  market?: string;
  /** `me`, `none`, or a user id. */
  assignee?: string;
  tag?: string;
  emergency?: boolean;
  sla_breached?: boolean;
  /** Free text over subject name, external id and comments. */
  q?: string;
  /** Absent means the default, priority. */
  sort?: CaseSort;
}

/** URL order of the parameters (what the address bar shows). */
export const caseFilterKeys = ['q', 'status', 'severity', 'policy', 'market', 'assignee', 'tag', 'emergency', 'sla_breached', 'sort'] as const;
export type CaseFilterKey = (typeof caseFilterKeys)[number];

/** A comma list restricted to `allowed`, deduplicated and in `allowed`'s order (so equal filters give equal URLs). */
function parseList<T extends string>(value: unknown, allowed: readonly T[]): T[] | undefined {
  const text = optionalString(value);
  if (text === undefined) return undefined;
  const wanted = new Set(text.split(',').map((part) => part.trim().toLowerCase()));
  const list = allowed.filter((item) => wanted.has(item));
  return list.length > 0 ? list : undefined;
}

function parseFlag(value: unknown): boolean | undefined {
  const text = optionalString(value)?.toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return undefined;
}

/** The route's validateSearch: unknown keys and values are dropped, lists are put in canonical order. */
export function parseCaseSearch(search: Record<string, unknown>): CaseFilters {
  const filters: CaseFilters = {};
  const status = parseList(search.status, caseStatuses);
  if (status) filters.status = status;
  const severity = parseList(search.severity, severities);
  if (severity) filters.severity = severity;
  for (const key of ['policy', 'market', 'tag', 'q'] as const) {
    const value = optionalString(search[key]);
    if (value !== undefined) filters[key] = key === 'market' ? value.toUpperCase() : value;
  }
  const assignee = optionalString(search.assignee)?.toLowerCase();
  if (assignee === 'me' || assignee === 'none' || (assignee !== undefined && /^[1-9]\d{0,15}$/.test(assignee))) {
    filters.assignee = assignee;
  }
  const emergency = parseFlag(search.emergency);
  if (emergency !== undefined) filters.emergency = emergency;
  const breached = parseFlag(search.sla_breached);
  if (breached !== undefined) filters.sla_breached = breached;
  const sort = optionalString(search.sort)?.toLowerCase();
  if (sort && sort !== DEFAULT_SORT && (caseSorts as readonly string[]).includes(sort)) filters.sort = sort as CaseSort;
  return filters;
}

/** The filters as plain URL search values, in URL order; the inverse of parseCaseSearch. */
export function caseFiltersToSearch(filters: CaseFilters): Partial<Record<CaseFilterKey, string>> {
  const search: Partial<Record<CaseFilterKey, string>> = {};
  for (const key of caseFilterKeys) {
    const value = filters[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search[key] = value.join(',');
    } else if (typeof value === 'boolean') {
      search[key] = String(value);
    } else if (value !== '' && !(key === 'sort' && value === DEFAULT_SORT)) {
      search[key] = value;
    }
  }
  return search;
}

/** The query for `GET /api/v1/cases`: the same names and values as the URL (plus the explicit sort). */
export function caseFiltersToQuery(filters: CaseFilters) {
  const search = caseFiltersToSearch(filters);
  return {
    q: search.q,
    status: search.status,
    severity: search.severity,
    policy: search.policy,
    market: search.market,
    assignee: search.assignee,
    tag: search.tag,
    emergency: filters.emergency,
    sla_breached: filters.sla_breached,
    sort: filters.sort ?? DEFAULT_SORT,
  };
}

/** How many filters narrow the list (the sort order is not a filter). */
export function activeFilterCount(filters: CaseFilters): number {
  return caseFilterKeys.filter((key) => key !== 'sort' && filters[key] !== undefined).length;
}

/** The filters with one key set (or removed, for undefined, empty lists and empty strings). */
export function withFilter<K extends keyof CaseFilters>(filters: CaseFilters, key: K, value: CaseFilters[K] | undefined): CaseFilters {
  const next: CaseFilters = { ...filters };
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  if (empty) delete next[key];
  else next[key] = value;
  return parseCaseSearch(caseFiltersToSearch(next));
}
