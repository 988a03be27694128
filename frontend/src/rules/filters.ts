import type { RuleFilters, RuleStatus } from '../api/rules';
import { optionalString } from '../routing/search';
import { ruleStatuses } from './labels';

/**
 * The rules list's URL (`/rules?status=live&market=VN&q=refund`) uses the
 * API's own parameter names and values, so the page URL and the list request
 * carry the same query.
 */
export function parseRuleSearch(search: Record<string, unknown>): RuleFilters {
  const filters: RuleFilters = {};
  const status = optionalString(search.status)?.toLowerCase();
  if (status && (ruleStatuses as readonly string[]).includes(status)) filters.status = status as RuleStatus;
  const market = optionalString(search.market);
  if (market) filters.market = market.toUpperCase();
  const q = optionalString(search.q);
  if (q) filters.q = q;
  return filters;
}

/** The filters as plain URL values in a fixed order (equal filters give equal URLs); the inverse of parseRuleSearch. */
export function ruleFiltersToSearch(filters: RuleFilters): RuleFilters {
  return parseRuleSearch({ q: filters.q, status: filters.status, market: filters.market });
}

export function activeRuleFilterCount(filters: RuleFilters): number {
  return (['status', 'market', 'q'] as const).filter((key) => filters[key] !== undefined).length;
}

export const ruleTabs = ['definition', 'backtest', 'versions', 'hits'] as const;
export type RuleTab = (typeof ruleTabs)[number];

/** `/rules/$id?tab=versions`: the tab in the URL (the Definition tab is the default and is left out). */
export function parseRuleTabSearch(search: Record<string, unknown>): { tab?: Exclude<RuleTab, 'definition'> } {
  const tab = optionalString(search.tab)?.toLowerCase();
  return tab && tab !== 'definition' && (ruleTabs as readonly string[]).includes(tab) ? { tab: tab as Exclude<RuleTab, 'definition'> } : {};
}
