import { hashKey, type QueryKey } from '@tanstack/react-query';
import type { Invalidation } from './streamEvents';

/**
 * Coalesces invalidations: the first request for a query key schedules one
 * invalidation after its delay, and requests for the same key before then
 * join it. A bulk action that changes 200 cases sends 200 events and costs
 * one refetch per query; a steady trickle refreshes at most once per delay.
 */
export class InvalidationBatcher {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly invalidate: (queryKey: QueryKey) => void) {}

  add(invalidations: readonly Invalidation[]): void {
    for (const { queryKey, delayMs } of invalidations) {
      const hash = hashKey(queryKey);
      if (this.pending.has(hash)) continue;
      this.pending.set(
        hash,
        setTimeout(() => {
          this.pending.delete(hash);
          this.invalidate(queryKey);
        }, delayMs),
      );
    }
  }

  /** How many invalidations are waiting (for tests). */
  get size(): number {
    return this.pending.size;
  }

  cancel(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}

/** Shows each key once per `windowMs`: the same emergency reaches a lead twice (broadcast and notification). */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `key` is offered within the window (and remembers it). */
  fresh(key: string): boolean {
    const at = this.now();
    for (const [seenKey, seenAt] of this.seen) if (at - seenAt >= this.windowMs) this.seen.delete(seenKey);
    if (this.seen.has(key)) return false;
    this.seen.set(key, at);
    return true;
  }
}
