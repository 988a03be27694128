import { describe, expect, it } from 'vitest';
import type { BulkRequest, BulkResponse } from '../api/cases';
import { ApiError } from '../api/errors';
import { BULK_CHUNK_SIZE, chunk, runBulk, type BulkProgress } from './bulk';

const ids = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

describe('chunk', () => {
  it('splits ids into pieces of at most 200, in order, none empty', () => {
    const pieces = chunk(ids(1, 450));
    expect(pieces.map((piece) => piece.length)).toEqual([200, 200, 50]);
    expect(pieces.flat()).toEqual(ids(1, 450));
    expect(chunk(ids(1, 200))).toHaveLength(1);
    expect(chunk([])).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

describe('runBulk', () => {
  it('sends at most 200 ids per request and adds up every case’s result', async () => {
    const sent: BulkRequest[] = [];
    const send = (request: BulkRequest): Promise<BulkResponse> => {
      sent.push(request);
      // Every case whose id is divisible by 7 fails as a stale claim.
      const results = request.case_ids.map((id) =>
        id % 7 === 0 ? { case_id: id, ok: false, code: 'invalid_transition', detail: 'a case that is resolved cannot be released' } : { case_id: id, ok: true, version: 2 },
      );
      return Promise.resolve({ results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length });
    };
    const progress: BulkProgress[] = [];
    const outcome = await runBulk({ action: 'release' }, ids(1, 450), send, (p) => progress.push(p));

    expect(sent.map((request) => request.case_ids.length)).toEqual([200, 200, 50]);
    expect(sent.every((request) => request.case_ids.length <= BULK_CHUNK_SIZE && request.action === 'release')).toBe(true);
    expect(outcome.results.map((result) => result.case_id)).toEqual(ids(1, 450));
    expect(outcome.failed).toBe(64); // 7, 14, … 448
    expect(outcome.succeeded).toBe(450 - 64);
    expect(outcome.results.find((result) => result.case_id === 14)).toEqual({
      case_id: 14,
      ok: false,
      code: 'invalid_transition',
      detail: 'a case that is resolved cannot be released',
    });
    expect(progress.map((p) => p.done)).toEqual([0, 200, 400, 450]);
    expect(progress.at(-1)).toEqual({ done: 450, total: 450, chunk: 3, chunks: 3 });
  });

  it('sends each case once even when it was selected twice', async () => {
    const sent: number[][] = [];
    await runBulk({ action: 'add_tag', tag: 'wave-3' }, [3, 1, 3, 2, 1], (request) => {
      sent.push(request.case_ids);
      return Promise.resolve({ results: request.case_ids.map((id) => ({ case_id: id, ok: true })), succeeded: request.case_ids.length, failed: 0 });
    });
    expect(sent).toEqual([[3, 1, 2]]);
  });

  it('marks the cases of a failed chunk with its error, keeps going after a server error, and reports missing results', async () => {
    let call = 0;
    const outcome = await runBulk({ action: 'release' }, ids(1, 401), (request) => {
      call++;
      if (call === 1) return Promise.reject(new ApiError({ status: 503, title: 'Service Unavailable', code: 'unavailable', detail: 'try again' }));
      // The server leaves one case out of its answer.
      const results = request.case_ids.filter((id) => id !== 250).map((id) => ({ case_id: id, ok: true }));
      return Promise.resolve({ results, succeeded: results.length, failed: 0 });
    });
    expect(call).toBe(3);
    expect(outcome.results).toHaveLength(401);
    expect(outcome.results[0]).toEqual({ case_id: 1, ok: false, code: 'unavailable', detail: 'try again' });
    expect(outcome.results.find((r) => r.case_id === 250)).toMatchObject({ ok: false, code: 'no_result' });
    expect(outcome.failed).toBe(201);
    expect(outcome.succeeded).toBe(200);
    expect(outcome.stoppedBy).toBeUndefined();
  });

  it('stops at a refusal that would repeat (403) and marks the rest not sent', async () => {
    let call = 0;
    const outcome = await runBulk({ action: 'escalate', reason: 'x' }, ids(1, 500), () => {
      call++;
      return Promise.reject(new ApiError({ status: 403, title: 'Forbidden', code: 'forbidden', detail: 'you may not bulk-change cases' }));
    });
    expect(call).toBe(1);
    expect(outcome.failed).toBe(500);
    expect(outcome.results.slice(0, 200).every((r) => r.code === 'forbidden')).toBe(true);
    expect(outcome.results.slice(200).every((r) => r.code === 'not_sent')).toBe(true);
    expect(outcome.stoppedBy?.code).toBe('forbidden');
  });
});
