import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../test/fakeEventSource';
import { backoffDelay, LiveStream, streamUrl, type LiveStatus } from './liveStream';
import type { StreamEvent } from './streamEvents';

describe('backoffDelay', () => {
  it('doubles from 1 s up to 30 s', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('takes off up to a fifth at random', () => {
    expect(backoffDelay(0, () => 1)).toBe(800);
    expect(backoffDelay(5, () => 0.5)).toBe(27000);
  });
});

describe('streamUrl', () => {
  it('resumes after the last event id when there is one', () => {
    expect(streamUrl(null)).toBe('/api/v1/stream');
    expect(streamUrl('118')).toBe('/api/v1/stream?last_event_id=118');
    expect(streamUrl('not-a-number')).toBe('/api/v1/stream');
  });
});

describe('LiveStream', () => {
  let statuses: LiveStatus[];
  let events: StreamEvent[];
  let resyncs: number;
  let checks: number;

  function start() {
    const stream = new LiveStream({
      createSource: (url) => new FakeEventSource(url),
      onEvent: (event) => events.push(event),
      onStatus: (status) => statuses.push(status),
      onResync: () => resyncs++,
      beforeReconnect: () => {
        checks++;
        return Promise.resolve();
      },
      random: () => 0,
    });
    stream.start();
    return stream;
  }

  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.reset();
    statuses = [];
    events = [];
    resyncs = 0;
    checks = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects, goes live and passes parsed events on', () => {
    start();
    expect(FakeEventSource.latest.url).toBe('/api/v1/stream');
    expect(statuses).toEqual(['connecting']);
    FakeEventSource.latest.open();
    expect(statuses).toEqual(['connecting', 'live']);

    FakeEventSource.latest.emit('case.updated', { case_id: 3, market: 'VN' }, 10);
    FakeEventSource.latest.emit('queue.counts_changed', { markets: ['VN'] });
    FakeEventSource.latest.emit('case.updated', 'garbage', 11);
    expect(events.map((e) => e.type)).toEqual(['case.updated', 'queue.counts_changed']);
    expect(resyncs).toBe(0);
  });

  it('after an error it backs off, checks the session, resumes after the last id and resyncs', async () => {
    const stream = start();
    const first = FakeEventSource.latest;
    first.open();
    first.emit('case.updated', { case_id: 3 }, 41);
    // A hint without an id does not move the resume point.
    first.emit('queue.counts_changed', { markets: ['VN'] });
    expect(stream.lastId).toBe('41');

    first.fail();
    expect(first.closed).toBe(true);
    expect(statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(checks).toBe(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.latest.url).toBe('/api/v1/stream?last_event_id=41');

    // Fails again before opening: the wait doubles.
    FakeEventSource.latest.fail();
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.instances).toHaveLength(3);

    FakeEventSource.latest.open();
    expect(statuses.at(-1)).toBe('live');
    expect(resyncs).toBe(1);

    // A success resets the backoff.
    FakeEventSource.latest.fail();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeEventSource.instances).toHaveLength(4);
  });

  it('ignores a source it has replaced', async () => {
    start();
    const first = FakeEventSource.latest;
    first.open();
    first.fail();
    await vi.advanceTimersByTimeAsync(1000);
    first.emit('case.updated', { case_id: 1 }, 5);
    first.fail();
    expect(events).toEqual([]);
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('stop closes the connection and cancels a pending reconnect', async () => {
    const stream = start();
    FakeEventSource.latest.open();
    FakeEventSource.latest.fail();
    stream.stop();
    expect(statuses.at(-1)).toBe('off');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);

    const again = start();
    FakeEventSource.latest.open();
    again.stop();
    expect(FakeEventSource.latest.closed).toBe(true);
  });
});
