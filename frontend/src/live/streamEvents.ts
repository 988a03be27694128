import type { QueryKey } from '@tanstack/react-query';
import { caseKeys } from '../api/cases';
import { notificationKeys } from '../api/notifications';
import { queueKeys, reviewerKeys } from '../api/queueKeys';

/**
 * The events of `GET /api/v1/stream` (server-sent events of the caller's
 * markets), what each one makes stale in the query cache, and which ones a
 * person should be told about. Pure: the connection lives in liveStream.ts,
 * the React side in LiveUpdates.tsx.
 */

/** Every event type the SPA listens for (EventSource only delivers named events to listeners of that name). */
export const streamEventTypes = [
  'case.updated',
  'case.assigned',
  'emergency.declared',
  'emergency.cleared',
  'queue.counts_changed',
  'notification',
] as const;

export type StreamEventType = (typeof streamEventTypes)[number];

/** What the server says about a changed case (`case.updated`, `case.assigned`, `emergency.*`). */
export interface CaseEventData {
  case_id: number;
  market: string;
  status?: string | undefined;
  version?: number | undefined;
  /** The actor's label: a person's email, a token's name, `sla-sweeper`… */
  by?: string | undefined;
  /** The case event behind it: `claim`, `escalate`, `commented`… */
  event?: string | undefined;
  severity?: string | undefined;
  emergency?: boolean | undefined;
}

/** A notification addressed to the caller (leads: emergencies and SLA breaches in their markets). */
export interface NotificationData {
  id: number;
  kind: string;
  case_id?: number | undefined;
  market?: string | undefined;
  title: string;
  body?: string | undefined;
}

export type StreamEvent =
  | { type: 'case.updated' | 'case.assigned' | 'emergency.declared' | 'emergency.cleared'; data: CaseEventData }
  | { type: 'queue.counts_changed'; data: { markets: string[] } }
  | { type: 'notification'; data: NotificationData };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown) => (typeof value === 'string' ? value : undefined);

function isPositiveId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * One event as the server sent it (its `event:` name and `data:` text), or
 * null when it is not something the SPA understands: unknown types and
 * malformed data are ignored rather than breaking the stream.
 */
export function parseStreamEvent(type: string, raw: string): StreamEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(data)) return null;
  switch (type) {
    case 'case.updated':
    case 'case.assigned':
    case 'emergency.declared':
    case 'emergency.cleared': {
      if (!isPositiveId(data.case_id)) return null;
      return {
        type,
        data: {
          case_id: data.case_id,
          market: optionalString(data.market) ?? '',
          status: optionalString(data.status),
          version: typeof data.version === 'number' ? data.version : undefined,
          by: optionalString(data.by),
          event: optionalString(data.event),
          severity: optionalString(data.severity),
          emergency: typeof data.emergency === 'boolean' ? data.emergency : undefined,
        },
      };
    }
    case 'queue.counts_changed': {
      const markets = Array.isArray(data.markets) ? data.markets.filter((m): m is string => typeof m === 'string') : [];
      return { type, data: { markets } };
    }
    case 'notification': {
      const title = optionalString(data.title);
      if (!title) return null;
      return {
        type,
        data: {
          id: typeof data.id === 'number' ? data.id : 0,
          kind: optionalString(data.kind) ?? '',
          case_id: isPositiveId(data.case_id) ? data.case_id : undefined,
          market: optionalString(data.market),
          title,
          body: optionalString(data.body),
        },
      };
    }
    default:
      return null;
  }
}

/** A query to mark stale, and how long to wait first so a burst of events costs one refetch. */
export interface Invalidation {
  queryKey: QueryKey;
  delayMs: number;
}

/** Queue counts refetch at most this often while events pour in (a bulk action changes hundreds of cases). */
export const QUEUE_COUNTS_DELAY_MS = 500;
/** Case pages and lists wait this long, so the case.updated events of one bulk action become one refetch. */
export const CASE_REFRESH_DELAY_MS = 200;

/**
 * What an event makes stale:
 * - any change to a case: that case's page and timeline, the case lists, "My cases",
 *   the lead console's panels, reviewers' load, the subject pages and the queue counts;
 * - `queue.counts_changed` (sent once after each batch of changes): the queue counts;
 * - a notification: the header's bell and the lead console (it is about an emergency or a breach there).
 * Queue counts wait longest: they are the most expensive to compute and the least urgent to the second.
 */
export function invalidationsFor(event: StreamEvent): Invalidation[] {
  const soon = (queryKey: QueryKey): Invalidation => ({ queryKey, delayMs: CASE_REFRESH_DELAY_MS });
  const counts: Invalidation = { queryKey: queueKeys.list, delayMs: QUEUE_COUNTS_DELAY_MS };
  switch (event.type) {
    case 'case.updated':
    case 'case.assigned':
    case 'emergency.declared':
    case 'emergency.cleared': {
      const id = event.data.case_id;
      return [
        soon(caseKeys.detail(id)),
        soon(caseKeys.events(id)),
        soon(caseKeys.lists),
        soon(caseKeys.mine),
        soon(caseKeys.console),
        soon(reviewerKeys.all),
        soon(caseKeys.subjects),
        counts,
      ];
    }
    case 'queue.counts_changed':
      return [counts];
    case 'notification':
      return [soon(notificationKeys.all), soon(caseKeys.console)];
  }
}

/** What everything live depends on, refetched after the stream was down (events may have been missed). */
export const resyncKeys: readonly QueryKey[] = [queueKeys.all, caseKeys.all, reviewerKeys.all, caseKeys.subjects, notificationKeys.all];

/** A toast for something the person should know about now. */
export interface LiveNotice {
  /** Equal keys within a short time show once (a lead gets both the broadcast and their own notification of an emergency). */
  dedupeKey: string;
  color: 'red' | 'orange' | 'blue' | 'gray';
  title: string;
  message: string;
  caseId?: number | undefined;
  /** Notices of one group arriving close together become one summary (a bulk assignment is one toast, not 200). */
  group?: 'assigned' | undefined;
  /** Milliseconds, or false to stay until closed. */
  autoClose: number | false;
}

/** How long after a group's first toast further ones are folded into it. */
export const NOTICE_GROUP_WINDOW_MS = 10_000;

/** The toast that stands for `count` notices of a group that arrived together. */
export function groupSummary(group: NonNullable<LiveNotice['group']>, count: number): Pick<LiveNotice, 'title' | 'message'> {
  switch (group) {
    case 'assigned':
      return {
        title: `${count} cases are assigned to you`,
        message: 'They are under My cases on the Queues page, with their claim leases running.',
      };
  }
}

export interface NoticeViewer {
  /** The viewer's email: the server labels a person's actions with it (`by`). */
  email?: string | undefined;
}

const severityWords: Record<string, string> = { critical: 'critical', high: 'high-severity', medium: 'medium-severity', low: 'low-severity' };

/**
 * The toast an event deserves, if any: a case assigned to the viewer, an
 * emergency declared in their markets (not by themselves), a notification
 * addressed to them. Everything else only refreshes what is on screen.
 */
export function noticeFor(event: StreamEvent, viewer: NoticeViewer): LiveNotice | null {
  switch (event.type) {
    case 'case.assigned': {
      const { case_id: id, by, severity, market } = event.data;
      const what = severity && severityWords[severity] ? `a ${severityWords[severity]} case` : 'a case';
      return {
        dedupeKey: `assigned:${id}:${event.data.version ?? ''}`,
        color: 'blue',
        title: `Case #${id} is assigned to you`,
        message: `${by ?? 'A lead'} gave you ${what}${market ? ` in ${market}` : ''}. Your claim lease is running.`,
        caseId: id,
        group: 'assigned',
        autoClose: 15_000,
      };
    }
    case 'emergency.declared': {
      const { case_id: id, by, market } = event.data;
      if (by && viewer.email && by === viewer.email) return null;
      return {
        dedupeKey: `emergency:${id}`,
        color: 'red',
        title: `Emergency on case #${id}${market ? ` (${market})` : ''}`,
        message: `Declared by ${by ?? 'a lead'}. It is pinned above every other case in ${market || 'its market'}.`,
        caseId: id,
        autoClose: 30_000,
      };
    }
    case 'notification': {
      const { kind, case_id: id, title, body } = event.data;
      const isEmergency = kind === 'emergency.declared';
      const isBreach = kind === 'sla.breached';
      return {
        dedupeKey: isEmergency && id ? `emergency:${id}` : isBreach && id ? `breach:${id}` : `notification:${event.data.id}`,
        color: isEmergency ? 'red' : isBreach ? 'orange' : 'blue',
        title,
        message: body ?? '',
        caseId: id,
        autoClose: isEmergency ? 30_000 : 20_000,
      };
    }
    default:
      return null;
  }
}
