import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuditFilters } from '../audit/filters';
import { auditKeys } from './auditKeys';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';

export type AuditEntry = Schemas['AuditEntry'];
export type AuditList = Schemas['AuditList'];
export type AuditVerification = Schemas['AuditVerification'];

const PAGE_SIZE = 50;

export function useAuditEntries(filters: AuditFilters) {
  return useInfiniteQuery<AuditList, ApiError, { pages: AuditList[] }, readonly unknown[], string | undefined>({
    queryKey: [...auditKeys.all, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/v1/audit', { params: { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE } }, signal })),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** Walks the whole chain on the server: asked for on demand, not on every focus. */
export function useAuditVerification(enabled = true) {
  return useQuery<AuditVerification, ApiError>({
    queryKey: auditKeys.verify,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/audit/verify', { signal })),
    enabled,
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}
