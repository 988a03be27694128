import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';

export type SystemStatus = Schemas['SystemStatus'];
export type Market = Schemas['Market'];

/** How often the status page asks again. */
export const STATUS_REFRESH_MS = 15_000;

export const systemKeys = {
  status: ['system', 'status'] as const,
  markets: ['markets'] as const,
};

export function useSystemStatus() {
  return useQuery<SystemStatus, ApiError>({
    queryKey: systemKeys.status,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/system/status', { signal })),
    refetchInterval: STATUS_REFRESH_MS,
  });
}

/** All markets, following `next_cursor` until the last page. */
export async function fetchAllMarkets(signal?: AbortSignal): Promise<Market[]> {
  const markets: Market[] = [];
  let cursor: string | undefined;
  // A handful of markets fit in one page; the loop keeps this correct if that changes.
  for (let page = 0; page < 50; page++) {
    const list = await unwrap(api.GET('/api/v1/markets', { params: { query: { limit: 200, cursor } }, signal }));
    markets.push(...list.items);
    if (!list.next_cursor) break;
    cursor = list.next_cursor;
  }
  return markets;
}

/** Markets for the status page, refreshed with it. */
export function useMarkets() {
  return useQuery<Market[], ApiError>({
    queryKey: systemKeys.markets,
    queryFn: ({ signal }) => fetchAllMarkets(signal),
    refetchInterval: STATUS_REFRESH_MS,
  });
}

/** Markets for pickers (grants, tokens, filters): the same list, without polling. */
export function useMarketList() {
  return useQuery<Market[], ApiError>({
    queryKey: systemKeys.markets,
    queryFn: ({ signal }) => fetchAllMarkets(signal),
    staleTime: 5 * 60_000,
  });
}

export interface MarketOption {
  value: string;
  label: string;
}

/** Select options: every market by code and name, optionally led by "All markets (*)". */
export function marketOptions(markets: readonly Market[] | undefined, withAll: boolean): MarketOption[] {
  const options = (markets ?? []).map((market) => ({ value: market.code, label: `${market.code} · ${market.name}` }));
  return withAll ? [{ value: '*', label: 'All markets (*)' }, ...options] : options;
}
