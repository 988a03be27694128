import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { auditKeys } from './auditKeys';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';

export type Webhook = Schemas['Webhook'];
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type WebhookInput = Schemas['WebhookInput'];
export type WebhookEventType = Schemas['WebhookEventType'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type DeliveryStatus = WebhookDelivery['status'];

interface DeliveryList {
  items: WebhookDelivery[];
  next_cursor?: string | null;
}

/** The events an endpoint can subscribe to, in the order a case lives through them. */
export const webhookEventTypes: readonly { value: WebhookEventType; description: string }[] = [
  { value: 'case.created', description: 'A case was opened (by a rule, a person or an integration)' },
  { value: 'case.escalated', description: 'A case went to the leads' },
  { value: 'case.emergency', description: 'A lead declared an emergency' },
  { value: 'sla.breached', description: 'A case missed its SLA and was escalated' },
  { value: 'decision.approved', description: 'A second reviewer approved a high-impact decision' },
  { value: 'case.resolved', description: 'A case was closed with a decision' },
];

export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  dead: 'Dead letter',
};

export const deliveryStatusColors: Record<DeliveryStatus, string> = {
  pending: 'yellow',
  delivered: 'teal',
  dead: 'red',
};

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: ['webhooks', 'list'] as const,
  detail: (id: number) => ['webhooks', 'detail', id] as const,
  deliveriesOf: (id: number) => ['webhooks', 'deliveries', id] as const,
  deliveries: (id: number, status: DeliveryStatus | undefined) => ['webhooks', 'deliveries', id, status ?? 'all'] as const,
};

const DELIVERY_PAGE_SIZE = 50;

/** Every endpoint the caller may manage, with delivery counts (the server lists them all at once: there are few). */
export function useWebhooks() {
  return useQuery<Webhook[], ApiError>({
    queryKey: webhookKeys.list,
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/webhooks', { signal }))).items,
  });
}

export function useWebhook(id: number) {
  return useQuery<Webhook, ApiError>({
    queryKey: webhookKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/webhooks/{id}', { params: { path: { id } }, signal })),
    enabled: id > 0,
  });
}

/**
 * An endpoint's deliveries, newest first, optionally of one status; pages
 * follow `next_cursor`. Pending deliveries change on their own (the server
 * retries them), so the list refreshes every 10 s while any is on screen.
 */
export function useWebhookDeliveries(id: number, status: DeliveryStatus | undefined) {
  return useInfiniteQuery<DeliveryList, ApiError, { pages: DeliveryList[] }, ReturnType<typeof webhookKeys.deliveries>, string | undefined>({
    queryKey: webhookKeys.deliveries(id, status),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id }, query: { status, cursor: pageParam, limit: DELIVERY_PAGE_SIZE } },
          signal,
        }),
      ),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: id > 0,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((delivery) => delivery.status === 'pending')) ? 10_000 : false,
  });
}

/** After an endpoint changed: the fresh copy in place, the list and the audit log refreshed. */
function useWebhookChanged() {
  const queryClient = useQueryClient();
  return (webhook: Webhook) => {
    queryClient.setQueryData(webhookKeys.detail(webhook.id), stripSecret(webhook));
    void queryClient.invalidateQueries({ queryKey: webhookKeys.list });
    void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  };
}

/** The endpoint without its secret, so the secret never sits in the query cache. */
export function stripSecret(webhook: Webhook | WebhookWithSecret): Webhook {
  if (!('secret' in webhook)) return webhook;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { secret, ...rest } = webhook;
  return rest;
}

export function useCreateWebhook() {
  const changed = useWebhookChanged();
  return useMutation<WebhookWithSecret, ApiError, WebhookInput>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/webhooks', { body })),
    onSuccess: changed,
  });
}

export function useUpdateWebhook(id: number) {
  const changed = useWebhookChanged();
  return useMutation<Webhook, ApiError, WebhookInput>({
    mutationFn: (body) => unwrap(api.PUT('/api/v1/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

export function useRotateWebhookSecret(id: number) {
  const changed = useWebhookChanged();
  return useMutation<WebhookWithSecret, ApiError, { version: number }>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

export function useRedeliver(endpointId: number) {
  const queryClient = useQueryClient();
  return useMutation<WebhookDelivery, ApiError, WebhookDelivery>({
    mutationFn: (delivery) =>
      unwrap(api.POST('/api/v1/webhook-deliveries/{id}/redeliver', { params: { path: { id: delivery.id } } })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveriesOf(endpointId) });
      void queryClient.invalidateQueries({ queryKey: webhookKeys.detail(endpointId) });
      void queryClient.invalidateQueries({ queryKey: webhookKeys.list });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

/** The request body for an endpoint as the form holds it: markets empty means every market. */
export function webhookInput(form: {
  name: string;
  url: string;
  eventTypes: readonly WebhookEventType[];
  allMarkets: boolean;
  markets: readonly string[];
  active: boolean;
  version?: number | undefined;
}): WebhookInput {
  const input: WebhookInput = {
    name: form.name.trim(),
    url: form.url.trim(),
    event_types: sortEventTypes(form.eventTypes),
    markets: form.allMarkets ? [] : [...form.markets].sort(),
    active: form.active,
  };
  if (form.version !== undefined) input.version = form.version;
  return input;
}

/** Event types in the product's order (the order of `webhookEventTypes`), unknown ones last. */
export function sortEventTypes<T extends string>(types: readonly T[]): T[] {
  const rank = (type: string) => {
    const index = webhookEventTypes.findIndex((known) => known.value === type);
    return index === -1 ? webhookEventTypes.length : index;
  };
  return [...types].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Problems the form can see before asking the server; the server checks again (and owns the URL rules). */
export function checkWebhookForm(form: { name: string; url: string; eventTypes: readonly string[]; allMarkets: boolean; markets: readonly string[] }): Record<string, string> {
  const problems: Record<string, string> = {};
  if (form.name.trim() === '') problems.name = 'Name the endpoint after the system that receives it';
  else if (form.name.trim().length > 100) problems.name = 'At most 100 characters';
  const url = form.url.trim();
  if (url === '') problems.url = 'Where Docket should POST the events';
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) problems.url = 'An absolute https:// URL';
  if (form.eventTypes.length === 0) problems.event_types = 'Pick at least one event type';
  if (!form.allMarkets && form.markets.length === 0) problems.markets = 'Pick the markets, or all markets';
  return problems;
}
