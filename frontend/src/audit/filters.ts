import { optionalString, stringifyPlainSearch } from '../routing/search';

/**
 * The audit log's filters, named exactly as the API's query parameters and
 * kept in the page URL (`/audit?actor=user:42&since=…`), so a filtered view
 * can be bookmarked or shared and the CSV export takes the same ones.
 */
export interface AuditFilters {
  /** Actor id, e.g. `user:42`, `token:7`, `system:sla`. */
  actor?: string;
  /** Exact action, e.g. `user.create`. */
  action?: string;
  object_type?: string;
  object_id?: string;
  market?: string;
  /** RFC 3339 instant, inclusive. */
  since?: string;
  /** RFC 3339 instant, exclusive. */
  until?: string;
}

export const auditFilterKeys = ['actor', 'action', 'object_type', 'object_id', 'market', 'since', 'until'] as const;
export type AuditFilterKey = (typeof auditFilterKeys)[number];

function isInstant(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** The route's validateSearch: unknown keys, empty values and unparseable times are dropped. */
export function parseAuditSearch(search: Record<string, unknown>): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of auditFilterKeys) {
    const value = optionalString(search[key]);
    if (value === undefined) continue;
    if ((key === 'since' || key === 'until') && !isInstant(value)) continue;
    filters[key] = value;
  }
  return filters;
}

export function activeFilterCount(filters: AuditFilters): number {
  return auditFilterKeys.filter((key) => filters[key] !== undefined).length;
}

/** `/api/v1/audit/export.csv?…` with the same filters (a plain link: the session cookie goes along). */
export function auditExportHref(filters: AuditFilters): string {
  const ordered: Record<string, string | undefined> = {};
  for (const key of auditFilterKeys) ordered[key] = filters[key];
  return `/api/v1/audit/export.csv${stringifyPlainSearch(ordered)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An RFC 3339 instant as a `datetime-local` input value in the viewer's zone: `2025-11-24T17:05`. */
export function toDateTimeLocal(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (viewer's zone) as an RFC 3339 UTC instant, `2025-11-24T10:05:00Z`; undefined when empty. */
export function fromDateTimeLocal(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
