import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueryKey } from '@tanstack/react-query';
import { InvalidationBatcher, RecentKeys } from './invalidationBatcher';

describe('InvalidationBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns a burst of requests for the same key into one invalidation after its delay', () => {
    const done: QueryKey[] = [];
    const batcher = new InvalidationBatcher((key) => done.push(key));
    for (let i = 0; i < 200; i++) {
      batcher.add([
        { queryKey: ['cases', 'list'], delayMs: 200 },
        { queryKey: ['queues', 'list'], delayMs: 500 },
        { queryKey: ['cases', 'detail', i % 3], delayMs: 200 },
      ]);
    }
    expect(batcher.size).toBe(5);
    vi.advanceTimersByTime(199);
    expect(done).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(done).toEqual([['cases', 'list'], ['cases', 'detail', 0], ['cases', 'detail', 1], ['cases', 'detail', 2]]);
    vi.advanceTimersByTime(300);
    expect(done.at(-1)).toEqual(['queues', 'list']);
    expect(done).toHaveLength(5);

    // After a flush the next request schedules again: a steady trickle refreshes once per delay.
    batcher.add([{ queryKey: ['queues', 'list'], delayMs: 500 }]);
    vi.advanceTimersByTime(500);
    expect(done).toHaveLength(6);
  });

  it('cancel drops what is waiting', () => {
    const done: QueryKey[] = [];
    const batcher = new InvalidationBatcher((key) => done.push(key));
    batcher.add([{ queryKey: ['queues', 'list'], delayMs: 500 }]);
    batcher.cancel();
    vi.advanceTimersByTime(1000);
    expect(done).toEqual([]);
    expect(batcher.size).toBe(0);
  });
});

describe('RecentKeys', () => {
  it('lets a key through once per window', () => {
    let now = 0;
    const recent = new RecentKeys(60_000, () => now);
    expect(recent.fresh('emergency:1')).toBe(true);
    expect(recent.fresh('emergency:1')).toBe(false);
    expect(recent.fresh('emergency:2')).toBe(true);
    now = 59_999;
    expect(recent.fresh('emergency:1')).toBe(false);
    now = 60_000;
    expect(recent.fresh('emergency:1')).toBe(true);
  });
});
