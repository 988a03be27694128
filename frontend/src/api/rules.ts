import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { auditKeys } from './auditKeys';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';
import type { paths } from './schema';

export type Rule = Schemas['Rule'];
export type RuleInput = Schemas['RuleInput'];
export type RuleUpdate = RuleInput & { version: number };
export type RuleStatus = Schemas['RuleStatus'];
export type RuleVersion = Schemas['RuleVersion'];
export type RuleQuality = Schemas['RuleQuality'];
export type RuleVersionQuality = Schemas['RuleVersionQuality'];
export type RuleAlert = Schemas['RuleAlert'];
export type RuleHit = Schemas['RuleHit'];
export type HitMode = RuleHit['mode'];
export type RuleTestRequest = Schemas['RuleTestRequest'];
export type RuleTestResult = Schemas['RuleTestResult'];
export type Backtest = Schemas['Backtest'];
export type BacktestStatus = Backtest['status'];
export type BacktestRequest = Schemas['BacktestRequest'];
export type BacktestResult = Schemas['BacktestResult'];
export type BacktestSample = BacktestResult['samples'][number];
export type Route = Schemas['Route'];
export type RouteInput = paths['/api/v1/routes']['put']['requestBody']['content']['application/json'];
export type CaseHit = Schemas['CaseHit'];
export type RuleValidation = paths['/api/v1/rules/validate']['post']['responses'][200]['content']['application/json'];
/** A problem in an expression, 1-based line and column (in characters). */
export type ExpressionError = RuleValidation['errors'][number];

/** The list's filters, named as `GET /api/v1/rules` names its query parameters. */
export interface RuleFilters {
  status?: RuleStatus;
  market?: string;
  q?: string;
}

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const RULE_PAGE_SIZE = 50;
const HIT_PAGE_SIZE = 50;

export const ruleKeys = {
  all: ['rules'] as const,
  lists: ['rules', 'list'] as const,
  list: (filters: RuleFilters) => ['rules', 'list', filters] as const,
  detail: (id: number) => ['rules', 'detail', id] as const,
  versions: (id: number) => ['rules', 'versions', id] as const,
  hitsOf: (id: number) => ['rules', 'hits', id] as const,
  hits: (id: number, mode: HitMode | undefined) => ['rules', 'hits', id, mode ?? 'all'] as const,
  backtestsOf: (id: number) => ['rules', 'backtests', id] as const,
  backtest: (id: number) => ['backtests', id] as const,
  validate: (expression: string) => ['rules', 'validate', expression] as const,
  routes: ['routes'] as const,
};

/** Rules of the caller's markets, newest change first; pages follow `next_cursor`. */
export function useRules(filters: RuleFilters) {
  return useInfiniteQuery<Page<Rule>, ApiError, { pages: Page<Rule>[] }, ReturnType<typeof ruleKeys.list>, string | undefined>({
    queryKey: ruleKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/v1/rules', { params: { query: { ...filters, cursor: pageParam, limit: RULE_PAGE_SIZE } }, signal })),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useRule(id: number) {
  return useQuery<Rule, ApiError>({
    queryKey: ruleKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/rules/{id}', { params: { path: { id } }, signal })),
    enabled: id > 0,
  });
}

/**
 * Every version of a rule, newest first. The endpoint takes no cursor (its
 * answer has `next_cursor`, always null for now): one request has them all.
 */
export function useRuleVersions(id: number) {
  return useQuery<RuleVersion[], ApiError>({
    queryKey: ruleKeys.versions(id),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/rules/{id}/versions', { params: { path: { id } }, signal }))).items,
    enabled: id > 0,
  });
}

export function useRuleHits(id: number, mode: HitMode | undefined) {
  return useInfiniteQuery<Page<RuleHit>, ApiError, { pages: Page<RuleHit>[] }, ReturnType<typeof ruleKeys.hits>, string | undefined>({
    queryKey: ruleKeys.hits(id, mode),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/rules/{id}/hits', {
          params: { path: { id }, query: { mode, cursor: pageParam, limit: HIT_PAGE_SIZE } },
          signal,
        }),
      ),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: id > 0,
  });
}

/** True while the server is still working on it. */
export function backtestActive(backtest: Pick<Backtest, 'status'> | undefined): boolean {
  return backtest?.status === 'queued' || backtest?.status === 'running';
}

/** How often a running backtest is asked about. */
export const BACKTEST_POLL_MS = 1000;

/** A rule's recent backtests (at most 20), newest first; refreshed every few seconds while one is unfinished. */
export function useRuleBacktests(ruleId: number, enabled = true) {
  return useQuery<Backtest[], ApiError>({
    queryKey: ruleKeys.backtestsOf(ruleId),
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/rules/{id}/backtests', { params: { path: { id: ruleId } }, signal }))).items,
    enabled: enabled && ruleId > 0,
    refetchInterval: (query) => (query.state.data?.some(backtestActive) ? 5000 : false),
  });
}

/** One backtest, asked about every second while it is queued or running. */
export function useBacktest(id: number | null) {
  return useQuery<Backtest, ApiError>({
    queryKey: ruleKeys.backtest(id ?? 0),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/backtests/{id}', { params: { path: { id: id ?? 0 } }, signal })),
    enabled: id !== null && id > 0,
    refetchInterval: (query) => (query.state.error || backtestActive(query.state.data) ? BACKTEST_POLL_MS : false),
    // Polling stops at the first failure; a 4xx is not retried (see queryClient).
  });
}

/**
 * Compiles and type-checks an expression on the server. `expression` should
 * already be debounced; an empty one is not sent (the editor says what to
 * write instead). Earlier answers stay on screen while the next is on its way.
 */
export function useExpressionValidation(expression: string) {
  return useQuery<RuleValidation, ApiError>({
    queryKey: ruleKeys.validate(expression),
    queryFn: ({ signal }) => unwrap(api.POST('/api/v1/rules/validate', { body: { expression }, signal })),
    enabled: expression.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

export function useTestRule() {
  return useMutation<RuleTestResult, ApiError, RuleTestRequest>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/rules/test', { body })),
  });
}

/** After a rule changed: the fresh copy in place (keeping the per-version quality the PUT does not fill), lists and history refreshed. */
function useRuleChanged() {
  const queryClient = useQueryClient();
  return (rule: Rule) => {
    queryClient.setQueryData<Rule>(ruleKeys.detail(rule.id), (previous) =>
      rule.by_version.length === 0 && previous ? { ...rule, by_version: previous.by_version } : rule,
    );
    void queryClient.invalidateQueries({ queryKey: ruleKeys.detail(rule.id) });
    void queryClient.invalidateQueries({ queryKey: ruleKeys.versions(rule.id) });
    void queryClient.invalidateQueries({ queryKey: ruleKeys.lists });
    void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  };
}

export function useCreateRule() {
  const changed = useRuleChanged();
  return useMutation<Rule, ApiError, RuleInput>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/rules', { body })),
    onSuccess: changed,
  });
}

export function useUpdateRule(id: number) {
  const changed = useRuleChanged();
  return useMutation<Rule, ApiError, RuleUpdate>({
    mutationFn: (body) => unwrap(api.PUT('/api/v1/rules/{id}', { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

export function useStartBacktest(ruleId: number) {
  const queryClient = useQueryClient();
  return useMutation<Backtest, ApiError, BacktestRequest>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/rules/{id}/backtest', { params: { path: { id: ruleId } }, body })),
    onSuccess: (backtest) => {
      queryClient.setQueryData(ruleKeys.backtest(backtest.id), backtest);
      void queryClient.invalidateQueries({ queryKey: ruleKeys.backtestsOf(ruleId) });
    },
  });
}

export function useCancelBacktest() {
  const queryClient = useQueryClient();
  return useMutation<Backtest, ApiError, Backtest>({
    mutationFn: (backtest) => unwrap(api.POST('/api/v1/backtests/{id}/cancel', { params: { path: { id: backtest.id } } })),
    onSuccess: (backtest) => queryClient.setQueryData(ruleKeys.backtest(backtest.id), backtest),
    onSettled: (_data, _error, backtest) => {
      void queryClient.invalidateQueries({ queryKey: ruleKeys.backtest(backtest.id) });
      void queryClient.invalidateQueries({ queryKey: ruleKeys.backtestsOf(backtest.rule_id) });
    },
  });
}

/** The routing table of the caller's markets. */
export function useRoutes(enabled = true) {
  return useQuery<Route[], ApiError>({
    queryKey: ruleKeys.routes,
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/routes', { signal }))).items,
    enabled,
  });
}

export function useSetRoute() {
  const queryClient = useQueryClient();
  return useMutation<Route, ApiError, RouteInput>({
    mutationFn: (body) => unwrap(api.PUT('/api/v1/routes', { body })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ruleKeys.routes });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

/**
 * The `expression_errors` of a 400 `invalid_expression` answer (kept by
 * ApiError among the problem's extra members); null for any other problem.
 */
export function expressionErrorsOf(error: ApiError | null | undefined): ExpressionError[] | null {
  if (!error) return null;
  const raw = error.extra.expression_errors;
  if (!Array.isArray(raw)) return error.code === 'invalid_expression' ? [] : null;
  return raw
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .map((item) => ({
      line: typeof item.line === 'number' && item.line >= 1 ? Math.floor(item.line) : 1,
      column: typeof item.column === 'number' && item.column >= 1 ? Math.floor(item.column) : 1,
      message: typeof item.message === 'string' ? item.message : '',
    }));
}
