import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authKeys, type Me } from './auth';
import { caseKeys, invalidateAfterCaseChange, type CaseAction, type CaseActionRequest, type CaseDetail, type CaseList, type CaseStatus } from './cases';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';
import type { paths } from './schema';
import { queueKeys, reviewerKeys } from './queueKeys';

export { queueKeys, reviewerKeys } from './queueKeys';

export type Queue = Schemas['Queue'];
export type QueueCounts = Schemas['QueueCounts'];
export type Reviewer = paths['/api/v1/reviewers']['get']['responses'][200]['content']['application/json']['items'][number];

/** While the live stream is down, lists that should stay current poll at this pace instead. */
export const FALLBACK_POLL_MS = 30_000;

/**
 * The queues the caller can see with their live counts. `live`: the event
 * stream is connected and refreshes them; otherwise they poll.
 */
export function useQueues({ live }: { live: boolean }) {
  return useQuery<Queue[], ApiError>({
    queryKey: queueKeys.list,
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/queues', { signal }))).items,
    refetchInterval: live ? false : FALLBACK_POLL_MS,
  });
}

export type ClaimedCase = Schemas['ClaimedCase'];

/**
 * Claims the most urgent claimable case of a queue (404 `queue_empty` when
 * there is none). It asks for the minimal answer (`Prefer: return=minimal`):
 * the claim's transaction stays short, and the case page the reviewer lands
 * on loads itself.
 */
export function useClaimNext() {
  const queryClient = useQueryClient();
  return useMutation<ClaimedCase, ApiError, number>({
    mutationFn: async (queueId) => {
      const answer = await unwrap(
        api.POST('/api/v1/queues/{id}/claim', { params: { path: { id: queueId }, header: { Prefer: 'return=minimal' } } }),
      );
      // The server honours the preference; a full page would carry a subject.
      return 'subject' in answer ? claimedFrom(answer) : answer;
    },
    onSuccess: (claimed) => {
      invalidateAfterCaseChange(queryClient, claimed.id);
    },
    onError: (error) => {
      // Someone else may have emptied it: the counts on screen are stale.
      if (error.code === 'queue_empty') void queryClient.invalidateQueries({ queryKey: queueKeys.all });
    },
  });
}

function claimedFrom(d: CaseDetail): ClaimedCase {
  return {
    id: d.id,
    version: d.version,
    status: d.status,
    market: d.market,
    policy: d.policy,
    severity: d.severity,
    queue: d.queue ?? null,
    assignee_id: d.assignee?.id ?? null,
    claim_expires_at: d.claim_expires_at ?? null,
  };
}

/** The statuses in which a case stays with its reviewer. */
export const heldStatuses: readonly CaseStatus[] = ['in_review', 'on_hold'];

/** Cases the caller holds now (in review or on hold), soonest SLA first. */
export function useMyCases({ enabled, live }: { enabled: boolean; live: boolean }) {
  return useQuery<CaseList, ApiError>({
    queryKey: caseKeys.mine,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/cases', {
          params: { query: { assignee: 'me', status: heldStatuses.join(','), sort: 'due', limit: 100 } },
          signal,
        }),
      ),
    enabled,
    refetchInterval: live ? false : FALLBACK_POLL_MS,
  });
}

export type CaseListQuery = NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>;

/** Enough rows to fill a panel after dropping the cases of markets the lead does not lead. */
const CONSOLE_OVERFETCH = 100;

interface ConsoleCasesOptions {
  live: boolean;
  /** One market, or undefined for all of `markets`. */
  market: string | undefined;
  /** The markets the lead works in (console permissions); null: all of them. */
  markets: readonly string[] | null;
}

/**
 * One panel of the lead console: a case search under its own key, so live events refresh every panel together.
 * `GET /cases` takes one market at most, and a lead may read cases of markets they do not lead (a QA or reviewer
 * role there): for "all my markets" the panel asks for more and keeps only the lead's markets.
 */
export function useConsoleCases(panel: string, query: CaseListQuery, { live, market, markets }: ConsoleCasesOptions) {
  const limit = query.limit ?? 50;
  const filter = market === undefined && markets !== null ? new Set(markets) : null;
  return useQuery<CaseList, ApiError>({
    queryKey: caseKeys.consolePanel(panel, market ?? (markets ? markets.join(',') : undefined)),
    queryFn: async ({ signal }) => {
      const list = await unwrap(
        api.GET('/api/v1/cases', {
          params: { query: { ...query, market, limit: filter ? Math.max(limit, CONSOLE_OVERFETCH) : limit } },
          signal,
        }),
      );
      return filter ? { ...list, items: list.items.filter((c) => filter.has(c.market)).slice(0, limit) } : list;
    },
    refetchInterval: live ? false : FALLBACK_POLL_MS,
  });
}

/** Reviewers of a market for a lead assigning work: available first, then the least loaded, then by name. */
export function useReviewers(market: string | null) {
  return useQuery<Reviewer[], ApiError>({
    queryKey: reviewerKeys.market(market ?? ''),
    queryFn: async ({ signal }) =>
      sortReviewers((await unwrap(api.GET('/api/v1/reviewers', { params: { query: { market: market ?? '' } }, signal }))).items),
    enabled: market !== null && market !== '',
  });
}

export function sortReviewers(reviewers: readonly Reviewer[]): Reviewer[] {
  return [...reviewers].sort(
    (a, b) => Number(b.available) - Number(a.available) || a.open_cases - b.open_cases || a.name.localeCompare(b.name),
  );
}

export interface CaseActionByIdVariables {
  caseId: number;
  action: CaseAction;
  body: CaseActionRequest;
}

/** A lifecycle action on any case (lists act on many cases, unlike the case page's `useCaseAction`). */
export function useActOnCase() {
  const queryClient = useQueryClient();
  return useMutation<CaseDetail, ApiError, CaseActionByIdVariables>({
    mutationFn: ({ caseId, action, body }) =>
      unwrap(api.POST('/api/v1/cases/{id}/{action}', { params: { path: { id: caseId, action } }, body })),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(detail.id), detail);
      invalidateAfterCaseChange(queryClient, detail.id, detail.subject.id);
    },
  });
}

/** Says whether the caller is taking work; the answer updates the cached `/me`. */
export function useSetAvailability() {
  const queryClient = useQueryClient();
  return useMutation<{ available: boolean }, ApiError, boolean>({
    mutationFn: (available) => unwrap(api.PUT('/api/v1/me/availability', { body: { available } })),
    onSuccess: ({ available }) => {
      queryClient.setQueryData<Me>(authKeys.me, (me) => (me?.user ? { ...me, user: { ...me.user, available } } : me));
      void queryClient.invalidateQueries({ queryKey: reviewerKeys.all });
    },
  });
}
