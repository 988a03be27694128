import { Anchor, Badge, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { meQueryOptions, useMe } from '../api/auth';
import { hasAnyPermission } from '../auth/access';
import { InvalidationBatcher, RecentKeys } from './invalidationBatcher';
import { LiveStream, type EventSourceFactory, type LiveStatus } from './liveStream';
import { groupSummary, invalidationsFor, NOTICE_GROUP_WINDOW_MS, noticeFor, resyncKeys, type LiveNotice } from './streamEvents';

const LiveStatusContext = createContext<LiveStatus>('off');

/** Whether pages are kept current by the event stream ('live'), or should poll because it is down. */
export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}

/** The browser's EventSource, looked up when connecting (tests stub it; jsdom has none). */
const browserEventSource: EventSourceFactory | null =
  typeof window === 'undefined'
    ? null
    : (url) => {
        const Source = (globalThis as { EventSource?: typeof EventSource }).EventSource;
        if (!Source) throw new Error('EventSource is not available');
        return new Source(url);
      };

function hasEventSource(): boolean {
  return typeof (globalThis as { EventSource?: unknown }).EventSource === 'function';
}

/** Who may follow the stream: the server refuses anyone without case.read or queue.read in some market. */
export const STREAM_PERMISSIONS = ['case.read', 'queue.read'] as const;

/** Toasts of one kind stay shown once within this window (an emergency reaches a lead as broadcast and as notification). */
const NOTICE_DEDUPE_MS = 60_000;

interface LiveUpdatesProviderProps {
  children: React.ReactNode;
  /** Tests pass a fake; by default the browser's EventSource, when it has one. */
  createSource?: EventSourceFactory | null;
}

/**
 * One event stream per logged-in tab, mounted by the app shell: keeps the
 * queue counts, case pages, lists and the lead console current, and tells the
 * person about cases assigned to them, emergencies and notifications.
 */
export function LiveUpdatesProvider({ children, createSource = browserEventSource }: LiveUpdatesProviderProps) {
  const me = useMe();
  const queryClient = useQueryClient();
  const router = useRouter();
  const userId = me.user?.id ?? null;
  const enabled =
    createSource !== null &&
    (createSource !== browserEventSource || hasEventSource()) &&
    me.actor_type === 'user' &&
    hasAnyPermission(me.permissions, STREAM_PERMISSIONS);
  const [status, setStatus] = useState<LiveStatus>('off');
  const viewer = useRef({ email: me.user?.email });
  useEffect(() => {
    viewer.current = { email: me.user?.email };
  });

  useEffect(() => {
    if (!enabled || !createSource) return undefined;
    const batcher = new InvalidationBatcher((queryKey) => void queryClient.invalidateQueries({ queryKey }));
    const shown = new RecentKeys(NOTICE_DEDUPE_MS);
    const go: Navigate = (target) =>
      void (target === 'my-cases' ? router.navigate({ to: '/queues' }) : router.navigate({ to: '/cases/$id', params: { id: String(target) } }));
    const bursts = new Map<string, { id: string; count: number; until: number }>();
    const present = (notice: LiveNotice) => {
      const now = Date.now();
      const burst = notice.group ? bursts.get(notice.group) : undefined;
      if (notice.group && burst && now < burst.until) {
        burst.count++;
        showNotice({ ...notice, ...groupSummary(notice.group, burst.count), caseId: undefined }, go, { replaceId: burst.id, linkTo: 'my-cases' });
        return;
      }
      const group = notice.group;
      // Once its toast is closed, a group starts over with a toast of its own.
      const id = showNotice(notice, go, { onClose: group ? () => bursts.delete(group) : undefined });
      if (group) bursts.set(group, { id, count: 1, until: now + NOTICE_GROUP_WINDOW_MS });
    };
    const stream = new LiveStream({
      createSource,
      onStatus: setStatus,
      onEvent: (event) => {
        batcher.add(invalidationsFor(event));
        const notice = noticeFor(event, viewer.current);
        if (notice && shown.fresh(notice.dedupeKey)) present(notice);
      },
      onResync: () => {
        for (const queryKey of resyncKeys) void queryClient.invalidateQueries({ queryKey });
      },
      // A 401 here sends the person to /login (the API client reports it), which unmounts this provider.
      beforeReconnect: () => queryClient.fetchQuery({ ...meQueryOptions(), staleTime: 0 }),
    });
    stream.start();
    return () => {
      stream.stop();
      batcher.cancel();
    };
  }, [enabled, createSource, queryClient, router, userId]);

  return <LiveStatusContext.Provider value={enabled ? status : 'off'}>{children}</LiveStatusContext.Provider>;
}

type Navigate = (target: number | 'my-cases') => void;

/**
 * Shows a toast (or replaces the one with `replaceId`), with a link to its case or to My cases. Returns its id.
 * Plain anchors, not router links: toasts render outside the router.
 */
function showNotice(
  notice: LiveNotice,
  go: Navigate,
  { replaceId, linkTo, onClose }: { replaceId?: string; linkTo?: 'my-cases'; onClose?: (() => void) | undefined } = {},
): string {
  const id = replaceId ?? `live-${notice.dedupeKey}`;
  const target = notice.caseId ?? linkTo;
  const data = {
    id,
    color: notice.color,
    title: notice.title,
    autoClose: notice.autoClose,
    // An update merges into the toast: leave its onClose alone unless one is given.
    ...(onClose ? { onClose } : {}),
    'data-testid': 'live-notice',
    message: (
      <Stack gap={4}>
        {notice.message && <Text size="sm">{notice.message}</Text>}
        {target !== undefined && (
          <Anchor
            href={target === 'my-cases' ? '/queues' : `/cases/${target}`}
            size="sm"
            fw={600}
            onClick={(event: React.MouseEvent) => {
              event.preventDefault();
              notifications.hide(id);
              go(target);
            }}
          >
            {target === 'my-cases' ? 'Open My cases' : `Open case #${target}`}
          </Anchor>
        )}
      </Stack>
    ),
  };
  if (replaceId) notifications.update(data);
  else notifications.show(data);
  return id;
}

const indicator: Record<Exclude<LiveStatus, 'off'>, { label: string; color: string; hint: string }> = {
  live: { label: 'Live', color: 'teal', hint: 'Queues, cases and the lead console update as changes happen.' },
  connecting: { label: 'Connecting…', color: 'gray', hint: 'Connecting to live updates.' },
  reconnecting: {
    label: 'Reconnecting…',
    color: 'orange',
    hint: 'Live updates are interrupted; trying again. Pages refresh every 30 s meanwhile and catch up when the connection is back.',
  },
};

/** The header's small "Live" / "Reconnecting…" badge; nothing when the person does not follow the stream. */
export function LiveIndicator() {
  const status = useLiveStatus();
  if (status === 'off') return null;
  const view = indicator[status];
  return (
    <Tooltip label={view.hint} multiline w={260} openDelay={250} withArrow>
      <Badge
        variant="light"
        color={view.color}
        size="md"
        radius="sm"
        data-testid="live-indicator"
        data-state={status}
        role="status"
        aria-live="polite"
        leftSection={
          status === 'live' ? (
            <span
              aria-hidden
              style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: 'var(--mantine-color-teal-6)' }}
            />
          ) : (
            <Loader size={10} color={view.color} aria-hidden />
          )
        }
        style={{ textTransform: 'none' }}
      >
        {view.label}
      </Badge>
    </Tooltip>
  );
}
