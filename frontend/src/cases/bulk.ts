import type { BulkRequest, BulkResponse, BulkResult } from '../api/cases';
import { ApiError } from '../api/errors';

/** The most case ids one bulk request carries from this app (the server takes up to 1,000). */
export const BULK_CHUNK_SIZE = 200;

export type BulkAction = BulkRequest['action'];

/** What the bulk bar can do, in its order. */
export const bulkActionLabels: Record<BulkAction, string> = {
  assign: 'Assign to…',
  release: 'Release',
  escalate: 'Escalate…',
  resolve_no_violation: 'Resolve: no violation',
  resolve_duplicate: 'Resolve: duplicate of…',
  add_tag: 'Add tag…',
  remove_tag: 'Remove tag…',
};

/** `ids` in order, in pieces of at most `size`. */
export function chunk<T>(ids: readonly T[], size = BULK_CHUNK_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  const chunks: T[][] = [];
  for (let start = 0; start < ids.length; start += size) chunks.push(ids.slice(start, start + size));
  return chunks;
}

/** Every case's result across all chunks, in the order the cases were sent. */
export interface BulkOutcome {
  succeeded: number;
  failed: number;
  results: BulkResult[];
  /** Set when the run stopped early: the request itself was refused (the cases after it were not sent). */
  stoppedBy?: ApiError | undefined;
}

export interface BulkProgress {
  /** Cases answered so far (succeeded or failed). */
  done: number;
  total: number;
  chunk: number;
  chunks: number;
}

type Send = (request: BulkRequest, signal?: AbortSignal) => Promise<BulkResponse>;

/** Refusals that would repeat for every chunk (bad input, no permission, no session): no point sending the rest. */
function refusesEveryChunk(error: ApiError): boolean {
  return error.status === 400 || error.status === 401 || error.status === 403 || error.status === 413 || error.status === 422;
}

/**
 * Sends one bulk action over `ids` in chunks of at most BULK_CHUNK_SIZE,
 * one after the other, and adds up the per-case results. A chunk that fails
 * as a whole marks each of its cases with the error; when the error would
 * repeat for every chunk (400/401/403), the remaining cases are marked
 * `not_sent` and the run stops.
 */
export async function runBulk(
  request: Omit<BulkRequest, 'case_ids'>,
  ids: readonly number[],
  send: Send,
  onProgress?: (progress: BulkProgress) => void,
  signal?: AbortSignal,
): Promise<BulkOutcome> {
  const unique = [...new Set(ids)];
  const chunks = chunk(unique);
  const outcome: BulkOutcome = { succeeded: 0, failed: 0, results: [] };
  let done = 0;
  onProgress?.({ done, total: unique.length, chunk: 0, chunks: chunks.length });

  for (const [index, caseIds] of chunks.entries()) {
    let results: BulkResult[];
    try {
      const response = await send({ ...request, case_ids: caseIds }, signal);
      const byId = new Map(response.results.map((result) => [result.case_id, result]));
      // A case the server did not mention is reported, not silently dropped.
      results = caseIds.map(
        (id) => byId.get(id) ?? { case_id: id, ok: false, code: 'no_result', detail: 'The server returned no result for this case.' },
      );
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError({ status: 0, title: 'Bulk request failed', code: 'network_error', detail: String(error) });
      results = caseIds.map((id) => ({ case_id: id, ok: false, code: apiError.code, detail: apiError.detail ?? apiError.title }));
      if (refusesEveryChunk(apiError) || signal?.aborted) {
        const rest = chunks.slice(index + 1).flat();
        results.push(...rest.map((id) => ({ case_id: id, ok: false, code: 'not_sent', detail: 'Not sent: the request was refused.' })));
        outcome.stoppedBy = apiError;
      }
    }
    for (const result of results) {
      outcome.results.push(result);
      if (result.ok) outcome.succeeded++;
      else outcome.failed++;
    }
    done = Math.min(unique.length, done + results.length);
    onProgress?.({ done, total: unique.length, chunk: index + 1, chunks: chunks.length });
    if (outcome.stoppedBy) break;
  }
  return outcome;
}
