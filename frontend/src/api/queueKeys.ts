// Query keys of the queue workspace, apart from the hooks so that api/cases.ts
// (whose mutations invalidate them) and the live-updates layer can import them
// without a cycle.

/** Queues with their live counts (`GET /queues`); claims and every case change move them. */
export const queueKeys = {
  all: ['queues'] as const,
  list: ['queues', 'list'] as const,
};

/** Who may take a market's cases, with availability and load (`GET /reviewers`). */
export const reviewerKeys = {
  all: ['reviewers'] as const,
  market: (market: string) => ['reviewers', market] as const,
};
