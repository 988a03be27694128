import { parseStreamEvent, streamEventTypes, type StreamEvent } from './streamEvents';

/**
 * One connection to `GET /api/v1/stream`, kept up for as long as someone is
 * logged in: when it breaks, it waits (1 s, 2 s, 4 s… up to 30 s, with
 * jitter) and connects again, resuming after the last event it saw
 * (`?last_event_id=`, which the server treats like the Last-Event-ID header
 * that EventSource would send on its own reconnects).
 *
 * The browser's own retry is not used: it retries every few seconds forever
 * with no backoff, and gives up silently on an HTTP error (a 401 after the
 * session ended, a 503 while the server restarts). Closing on every error and
 * reconnecting here handles both the same way.
 */

export type LiveStatus =
  /** Not following the stream (not logged in, no permission, or no EventSource in this browser). */
  | 'off'
  /** The first connection is being made. */
  | 'connecting'
  | 'live'
  /** The connection broke; waiting to connect again. */
  | 'reconnecting';

/** The part of EventSource this code uses, so tests can pass a fake. */
export interface EventSourceLike {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export const STREAM_PATH = '/api/v1/stream';

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/**
 * The wait before reconnect attempt `attempt` (0-based): doubling from 1 s,
 * capped at 30 s, minus up to a fifth at random so a server restart is not
 * met by every tab at the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
  return Math.round(exponential * (1 - 0.2 * random()));
}

/** The stream's URL, resuming after `lastEventId` when there is one. */
export function streamUrl(lastEventId: string | null): string {
  return lastEventId && /^\d+$/.test(lastEventId) ? `${STREAM_PATH}?last_event_id=${lastEventId}` : STREAM_PATH;
}

export interface LiveStreamOptions {
  createSource: EventSourceFactory;
  onEvent: (event: StreamEvent) => void;
  onStatus: (status: LiveStatus) => void;
  /** Called when a connection opens again after a break: whatever the server could not replay must be refetched. */
  onResync?: () => void;
  /**
   * Runs before each reconnect. The app checks its session here: EventSource
   * cannot tell a 401 from a network failure, but the API client can, and
   * sends the person to the login page.
   */
  beforeReconnect?: () => Promise<unknown>;
  random?: () => number;
}

export class LiveStream {
  private source: EventSourceLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private lastEventId: string | null = null;
  private everOpened = false;
  private stopped = true;
  private status: LiveStatus = 'off';

  constructor(private readonly options: LiveStreamOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.closeSource();
    this.setStatus('off');
  }

  /** The id of the last event received (what a reconnect resumes after). */
  get lastId(): string | null {
    return this.lastEventId;
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private closeSource(): void {
    if (!this.source) return;
    this.source.onopen = null;
    this.source.onerror = null;
    this.source.close();
    this.source = null;
  }

  private connect(): void {
    if (this.stopped) return;
    this.setStatus(this.everOpened || this.attempt > 0 ? 'reconnecting' : 'connecting');
    let source: EventSourceLike;
    try {
      source = this.options.createSource(streamUrl(this.lastEventId));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.source = source;
    source.onopen = () => {
      if (this.source !== source) return;
      const resumed = this.everOpened || this.attempt > 0;
      this.everOpened = true;
      this.attempt = 0;
      this.setStatus('live');
      if (resumed) this.options.onResync?.();
    };
    source.onerror = () => {
      if (this.source !== source) return;
      this.closeSource();
      this.scheduleReconnect();
    };
    for (const type of streamEventTypes) {
      source.addEventListener(type, (message) => {
        if (this.source !== source) return;
        // Hints (queue.counts_changed) carry no id; EventSource then keeps the previous one.
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        const event = parseStreamEvent(type, message.data);
        if (event) this.options.onEvent(event);
      });
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setStatus('reconnecting');
    const delay = backoffDelay(this.attempt, this.options.random);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      const check = this.options.beforeReconnect?.() ?? Promise.resolve();
      // A failed check (offline, server down) is no reason not to try: the next error backs off further.
      void check.catch(() => undefined).then(() => this.connect());
    }, delay);
  }
}
