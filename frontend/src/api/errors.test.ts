import { describe, expect, it } from 'vitest';
import { jsonResponse, problemResponse, stubFetch } from '../test/renderApp';
import { api, unwrap } from './client';
import { ApiError, problemToApiError } from './errors';

describe('problemToApiError', () => {
  it('keeps every field of a problem+json body', () => {
    const response = new Response(null, { status: 422 });
    const error = problemToApiError(response, {
      type: 'about:blank',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'The rule expression does not compile.',
      code: 'invalid_rule',
      request_id: 'req-123',
      errors: [{ field: 'expression', code: 'syntax', message: 'unexpected token )' }],
    });

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.title).toBe('Unprocessable Entity');
    expect(error.detail).toBe('The rule expression does not compile.');
    expect(error.code).toBe('invalid_rule');
    expect(error.requestId).toBe('req-123');
    expect(error.errors).toEqual([{ field: 'expression', code: 'syntax', message: 'unexpected token )' }]);
    expect(error.isNetworkError).toBe(false);
    expect(error.message).toBe('Unprocessable Entity: The rule expression does not compile.');
  });

  it('keeps the members a problem carries beyond the standard ones (current_version, existing_case_id)', () => {
    const error = problemToApiError(new Response(null, { status: 409 }), {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      code: 'version_conflict',
      detail: 'case 4 changed since you loaded it',
      request_id: 'r-1',
      current_version: 7,
    });
    expect(error.extra).toEqual({ current_version: 7 });
    expect(error.numberExtra('current_version')).toBe(7);
    expect(error.numberExtra('existing_case_id')).toBeUndefined();
  });

  it('describes a non-problem body (an HTML gateway page) without losing the status', () => {
    const response = new Response(null, { status: 502, headers: { 'X-Request-Id': 'edge-9' } });
    const error = problemToApiError(response, '<html><body>Bad gateway</body></html>');

    expect(error.status).toBe(502);
    expect(error.title).toBe('Bad Gateway');
    expect(error.code).toBe('unexpected_response');
    expect(error.requestId).toBe('edge-9');
    expect(error.errors).toEqual([]);
  });

  it('ignores malformed field errors instead of crashing', () => {
    const error = problemToApiError(new Response(null, { status: 400 }), {
      code: 'invalid_input',
      title: 'Bad Request',
      errors: [null, 'oops', { field: 'limit', code: 'max', message: 'at most 200' }],
    });
    expect(error.errors).toEqual([{ field: 'limit', code: 'max', message: 'at most 200' }]);
  });
});

describe('unwrap with the typed client', () => {
  it('returns the data of a 2xx answer', async () => {
    stubFetch({ '/api/v1/markets': () => jsonResponse({ items: [], next_cursor: null }) });
    await expect(unwrap(api.GET('/api/v1/markets'))).resolves.toEqual({ items: [], next_cursor: null });
  });

  it('throws the server problem as an ApiError', async () => {
    stubFetch({
      '/api/v1/markets': () =>
        problemResponse(400, { title: 'Bad Request', code: 'invalid_cursor', detail: 'cursor is malformed', request_id: 'r-1' }),
    });

    const error = await unwrap(api.GET('/api/v1/markets', { params: { query: { cursor: 'zz' } } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_cursor', detail: 'cursor is malformed', requestId: 'r-1' });
  });

  it('reports a request that never got an answer as network_error', async () => {
    stubFetch({
      '/api/v1/markets': () => {
        throw new TypeError('Failed to fetch');
      },
    });

    const error = await unwrap(api.GET('/api/v1/markets')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'network_error', isNetworkError: true });
  });

  it('reports an HTML page where JSON was expected as invalid_response', async () => {
    stubFetch({
      '/api/v1/markets': () => new Response('<!doctype html><title>Docket</title>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    });

    const error = await unwrap(api.GET('/api/v1/markets')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('sends same-origin credentials and asks for JSON', async () => {
    let seen: Request | undefined;
    stubFetch({
      '/api/v1/system/status': (request) => {
        seen = request;
        return jsonResponse({});
      },
    });
    await unwrap(api.GET('/api/v1/system/status'));
    expect(seen?.credentials).toBe('same-origin');
    expect(seen?.headers.get('Accept')).toContain('application/json');
    expect(new URL(seen?.url ?? '').origin).toBe(window.location.origin);
  });
});
