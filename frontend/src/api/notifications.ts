import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';

export type Notification = Schemas['Notification'];

export interface NotificationPage {
  items: Notification[];
  next_cursor?: string | null;
  unread: number;
}

export type NotificationFilter = 'unread' | 'all';

/** The bell shows this many, newest first. */
export const NOTIFICATION_LIMIT = 20;

/**
 * How often the bell asks again while the event stream is not live. When it is, the
 * stream's `notification` events refresh `notificationKeys.all` (src/live/streamEvents.ts).
 */
export const NOTIFICATION_POLL_MS = 30_000;

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (filter: NotificationFilter) => ['notifications', filter] as const,
};

/**
 * The caller's newest notifications (only unread ones, or all) and how many are unread;
 * polled unless `live` (the event stream brings changes then).
 */
export function useNotifications(filter: NotificationFilter, options: { enabled?: boolean; live?: boolean } = {}) {
  return useQuery<NotificationPage, ApiError>({
    queryKey: notificationKeys.list(filter),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/notifications', {
          params: { query: filter === 'unread' ? { unread: true, limit: NOTIFICATION_LIMIT } : { limit: NOTIFICATION_LIMIT } },
          signal,
        }),
      ),
    enabled: options.enabled ?? true,
    refetchInterval: options.live ? false : NOTIFICATION_POLL_MS,
  });
}

/** `{ids: [...]}` marks those read; `{all: true}` marks every one. */
export type MarkRead = { ids: number[] } | { all: true };

/** A page as it looks once `mark` is applied: read times set, the unread count lowered. */
export function markPageRead(page: NotificationPage, mark: MarkRead, at: string, filter: NotificationFilter): NotificationPage {
  const hits = (n: Notification) => 'all' in mark || mark.ids.includes(n.id);
  const newlyRead = page.items.filter((n) => hits(n) && n.read_at === null).length;
  const items =
    filter === 'unread'
      ? page.items.filter((n) => !hits(n))
      : page.items.map((n) => (hits(n) && n.read_at === null ? { ...n, read_at: at } : n));
  return { ...page, items, unread: 'all' in mark ? 0 : Math.max(0, page.unread - newlyRead) };
}

/**
 * Marks notifications read. The bell changes at once (optimistically) and
 * takes the server's unread count when it answers; a failure puts it back.
 */
export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation<{ unread: number }, ApiError, MarkRead, { previous: [readonly unknown[], NotificationPage | undefined][] }>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/notifications/read', { body })),
    onMutate: async (mark) => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.all });
      const previous = queryClient.getQueriesData<NotificationPage>({ queryKey: notificationKeys.all });
      const at = new Date().toISOString();
      for (const filter of ['unread', 'all'] as const) {
        queryClient.setQueryData<NotificationPage>(notificationKeys.list(filter), (page) => page && markPageRead(page, mark, at, filter));
      }
      return { previous };
    },
    onError: (_error, _mark, context) => {
      for (const [key, page] of context?.previous ?? []) queryClient.setQueryData(key, page);
    },
    onSuccess: ({ unread }) => {
      for (const filter of ['unread', 'all'] as const) {
        queryClient.setQueryData<NotificationPage>(notificationKeys.list(filter), (page) => page && { ...page, unread });
      }
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
