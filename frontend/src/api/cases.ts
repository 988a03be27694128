import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { caseFiltersToQuery, type CaseFilters } from '../cases/filters';
import { auditKeys } from './auditKeys';
import { queueKeys, reviewerKeys } from './queueKeys';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';
import type { paths } from './schema';
import { uploadEvidenceFile } from './upload';

export type CaseSummary = Schemas['CaseSummary'];
export type CaseDetail = Schemas['CaseDetail'];
export type CaseList = Schemas['CaseList'];
export type CaseEvent = Schemas['CaseEvent'];
export type CaseStatus = Schemas['CaseStatus'];
export type Severity = Schemas['Severity'];
export type Policy = Schemas['Policy'];
export type Subject = Schemas['Subject'];
export type SubjectDetail = Schemas['SubjectDetail'];
export type Decision = Schemas['Decision'];
export type DecisionInput = Schemas['DecisionInput'];
export type Evidence = Schemas['Evidence'];
export type AddEvidenceRequest = Schemas['AddEvidenceRequest'];
export type CaseLink = Schemas['CaseLink'];
export type Comment = Schemas['Comment'];
export type CreateCaseRequest = Schemas['CreateCaseRequest'];
export type CaseActionRequest = Schemas['CaseActionRequest'];
export type BulkRequest = Schemas['BulkRequest'];
export type BulkResponse = Schemas['BulkResponse'];
export type BulkResult = BulkResponse['results'][number];
export type CaseAction = paths['/api/v1/cases/{id}/{action}']['post']['parameters']['path']['action'];
export type LinkKind = CaseLink['kind'];

/** Rows per page of the case list. */
export const CASE_PAGE_SIZE = 50;

export const caseKeys = {
  all: ['cases'] as const,
  lists: ['cases', 'list'] as const,
  list: (filters: CaseFilters) => ['cases', 'list', filters] as const,
  detail: (id: number) => ['cases', 'detail', id] as const,
  events: (id: number) => ['cases', 'events', id] as const,
  policies: ['policies'] as const,
  subjects: ['subjects'] as const,
  subject: (id: number) => ['subjects', id] as const,
  assignees: ['cases', 'assignees'] as const,
  /** The caller's own open cases (the reviewer home's "My cases"). */
  mine: ['cases', 'mine'] as const,
  /** The lead console's panels (emergencies, escalations, SLA board, assignment). */
  console: ['cases', 'console'] as const,
  consolePanel: (panel: string, market: string | undefined) => ['cases', 'console', panel, market ?? '*'] as const,
};


export function useCases(filters: CaseFilters) {
  return useInfiniteQuery<CaseList, ApiError, { pages: CaseList[] }, ReturnType<typeof caseKeys.list>, string | undefined>({
    queryKey: caseKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/cases', {
          params: { query: { ...caseFiltersToQuery(filters), cursor: pageParam, limit: CASE_PAGE_SIZE } },
          signal,
        }),
      ),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Changing a filter keeps the old rows on screen (dimmed) until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

export function useCase(id: number) {
  return useQuery<CaseDetail, ApiError>({
    queryKey: caseKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal })),
    enabled: id > 0,
  });
}

/** The whole timeline, oldest first (following `next_cursor`). */
export function useCaseEvents(id: number) {
  return useQuery<CaseEvent[], ApiError>({
    queryKey: caseKeys.events(id),
    queryFn: async ({ signal }) => {
      const events: CaseEvent[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const list = await unwrap(
          api.GET('/api/v1/cases/{id}/events', { params: { path: { id }, query: { cursor, limit: 200 } }, signal }),
        );
        events.push(...list.items);
        if (!list.next_cursor) break;
        cursor = list.next_cursor;
      }
      return events;
    },
    enabled: id > 0,
  });
}

export function usePolicies() {
  return useQuery<Policy[], ApiError>({
    queryKey: caseKeys.policies,
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/policies', { signal }))).items,
    staleTime: 5 * 60_000,
  });
}

export function useSubject(id: number) {
  return useQuery<SubjectDetail, ApiError>({
    queryKey: caseKeys.subject(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/subjects/{id}', { params: { path: { id } }, signal })),
    enabled: id > 0,
  });
}

/**
 * After a case changed: the timeline, the lists (the case list, "My cases", the lead console), the queue counts,
 * reviewers' load, the subject's page and the audit log are stale.
 */
export function invalidateAfterCaseChange(queryClient: QueryClient, caseId: number, subjectId?: number): void {
  void queryClient.invalidateQueries({ queryKey: caseKeys.events(caseId) });
  void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
  void queryClient.invalidateQueries({ queryKey: caseKeys.mine });
  void queryClient.invalidateQueries({ queryKey: caseKeys.console });
  void queryClient.invalidateQueries({ queryKey: queueKeys.all });
  void queryClient.invalidateQueries({ queryKey: reviewerKeys.all });
  void queryClient.invalidateQueries({ queryKey: subjectId ? caseKeys.subject(subjectId) : caseKeys.subjects });
  void queryClient.invalidateQueries({ queryKey: auditKeys.all });
}

export interface CaseActionVariables {
  action: CaseAction;
  body: CaseActionRequest;
}

/** A lifecycle action (`POST /cases/{id}/{action}` with the version the caller saw); the answer replaces the cached case. */
export function useCaseAction(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation<CaseDetail, ApiError, CaseActionVariables>({
    mutationFn: ({ action, body }) =>
      unwrap(api.POST('/api/v1/cases/{id}/{action}', { params: { path: { id: caseId, action } }, body })),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(caseId), detail);
      invalidateAfterCaseChange(queryClient, caseId, detail.subject.id);
    },
  });
}

/** Notes on a case (comments, evidence, tags, links) do not change its version: refetch the case and its timeline. */
function useCaseNoteChanged(caseId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: caseKeys.detail(caseId) });
    invalidateAfterCaseChange(queryClient, caseId);
  };
}

export function useAddComment(caseId: number) {
  const changed = useCaseNoteChanged(caseId);
  return useMutation<Comment, ApiError, string>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/cases/{id}/comments', { params: { path: { id: caseId } }, body: { body } })),
    onSuccess: changed,
  });
}

export type EvidenceVariables =
  | { kind: 'text' | 'url' | 'json'; request: AddEvidenceRequest }
  | { kind: 'file'; file: File; title: string; onProgress?: (fraction: number) => void };

export function useAddEvidence(caseId: number) {
  const changed = useCaseNoteChanged(caseId);
  return useMutation<Evidence, ApiError, EvidenceVariables>({
    mutationFn: (variables) =>
      variables.kind === 'file'
        ? uploadEvidenceFile(caseId, variables.file, variables.title, variables.onProgress)
        : unwrap(api.POST('/api/v1/cases/{id}/evidence', { params: { path: { id: caseId } }, body: variables.request })),
    onSuccess: changed,
  });
}

export function useSetTag(caseId: number) {
  const changed = useCaseNoteChanged(caseId);
  return useMutation<string[], ApiError, { tag: string; add: boolean }>({
    mutationFn: async ({ tag, add }) =>
      (
        await unwrap(
          add
            ? api.POST('/api/v1/cases/{id}/tags', { params: { path: { id: caseId } }, body: { tag } })
            : api.DELETE('/api/v1/cases/{id}/tags/{tag}', { params: { path: { id: caseId, tag } } }),
        )
      ).tags,
    onSuccess: changed,
  });
}

export function useLinkCase(caseId: number) {
  const changed = useCaseNoteChanged(caseId);
  const queryClient = useQueryClient();
  return useMutation<CaseLink, ApiError, { otherCaseId: number; kind: LinkKind }>({
    mutationFn: ({ otherCaseId, kind }) =>
      unwrap(
        api.POST('/api/v1/cases/{id}/links', {
          params: { path: { id: caseId } },
          body: { other_case_id: otherCaseId, kind },
        }),
      ),
    onSuccess: (link) => {
      changed();
      // The other case lists the link too.
      void queryClient.invalidateQueries({ queryKey: caseKeys.detail(link.other_case_id) });
    },
  });
}

export function useCreateCase() {
  const queryClient = useQueryClient();
  return useMutation<CaseDetail, ApiError, CreateCaseRequest>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/cases', { body })),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(detail.id), detail);
      invalidateAfterCaseChange(queryClient, detail.id, detail.subject.id);
    },
  });
}

/** One bulk request (at most the server's limit of ids). Chunking lives in cases/bulk.ts. */
export function postBulk(request: BulkRequest, signal?: AbortSignal): Promise<BulkResponse> {
  return unwrap(api.POST('/api/v1/cases/bulk', { body: request, signal }));
}
