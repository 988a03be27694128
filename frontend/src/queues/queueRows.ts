import type { Permissions } from '../auth/access';
import { hasPermissionIn } from '../auth/access';
import type { Queue } from '../api/queues';
import { formatSpan } from '../format/relative';

/** A queue as the reviewer home lists it. */
export interface QueueRow {
  queue: Queue;
  /** A review queue with at least one market where the caller holds case.claim: "Claim next" works here. */
  claimable: boolean;
}

/** True when the caller may claim from `queue`: cases are claimed from review queues only, in markets where they hold case.claim. */
export function canClaimFrom(queue: Queue, permissions: Permissions): boolean {
  return queue.kind === 'review' && queue.markets.some((market) => hasPermissionIn(permissions, 'case.claim', market));
}

/**
 * The queues in the order a reviewer works them: the ones they can claim from first, then the other review queues,
 * then escalation queues (leads assign those); the server's order (by name) within each group.
 */
export function queueRows(queues: readonly Queue[], permissions: Permissions): QueueRow[] {
  const rank = (row: QueueRow) => (row.claimable ? 0 : row.queue.kind === 'review' ? 1 : 2);
  return queues
    .map((queue) => ({ queue, claimable: canClaimFrom(queue, permissions) }))
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index)
    .map(({ row }) => row);
}

/**
 * The queue `n` claims from: the selected one when the caller can claim from it, otherwise the first they can
 * claim from; null when there is none.
 */
export function claimTarget(rows: readonly QueueRow[], selectedId: number | null): QueueRow | null {
  const selected = rows.find((row) => row.queue.id === selectedId);
  if (selected?.claimable) return selected;
  return rows.find((row) => row.claimable) ?? null;
}

/** The selection after j (+1) or k (-1), staying within the list; starting from the top when nothing is selected. */
export function moveSelection(rows: readonly QueueRow[], selectedId: number | null, step: 1 | -1): number | null {
  if (rows.length === 0) return null;
  const index = rows.findIndex((row) => row.queue.id === selectedId);
  if (index === -1) return rows[step === 1 ? 0 : rows.length - 1]!.queue.id;
  return rows[Math.min(rows.length - 1, Math.max(0, index + step))]!.queue.id;
}

/** How long the oldest case has waited ("3 h 12 min"), from its creation time, or null when the queue is empty. */
export function oldestWaiting(queue: Queue, now: Date): string | null {
  const oldest = queue.counts.oldest_created_at;
  if (oldest) {
    const at = new Date(oldest).getTime();
    if (!Number.isNaN(at)) return formatSpan(Math.max(0, now.getTime() - at));
  }
  if (queue.oldest_age_seconds != null && queue.counts.total > 0) return formatSpan(queue.oldest_age_seconds * 1000);
  return null;
}
