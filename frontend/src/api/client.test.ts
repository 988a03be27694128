import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyResponse, jsonResponse, problemResponse, stubFetch, type FetchCall } from '../test/renderApp';
import { api, sessionMiddleware, unwrap } from './client';
import { getCsrfToken, onSessionExpired, setCsrfToken } from './session';
import { fetchMe } from './auth';
import { meFor } from '../test/fixtures';

afterEach(() => setCsrfToken(null));

describe('CSRF header', () => {
  it('is added to POST, PUT, PATCH and DELETE but not to GET', async () => {
    const log: FetchCall[] = [];
    stubFetch(
      {
        '/api/v1/users': () => jsonResponse({ items: [], next_cursor: null }),
        '/api/v1/tokens/9': () => emptyResponse(),
        '/api/v1/auth/logout': () => emptyResponse(),
      },
      { log },
    );
    setCsrfToken('tok-123');

    await unwrap(api.GET('/api/v1/users'));
    await unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: 9 } } }));
    await unwrap(api.POST('/api/v1/auth/logout'));

    expect(log.map((call) => [call.method, call.path, call.headers.get('X-CSRF-Token')])).toEqual([
      ['GET', '/api/v1/users', null],
      ['DELETE', '/api/v1/tokens/9', 'tok-123'],
      ['POST', '/api/v1/auth/logout', 'tok-123'],
    ]);
  });

  it.each([
    ['GET', false],
    ['HEAD', false],
    ['OPTIONS', false],
    ['POST', true],
    ['PUT', true],
    ['PATCH', true],
    ['DELETE', true],
  ])('middleware: %s carries the header: %s', async (method, expected) => {
    setCsrfToken('tok-456');
    const request = new Request('http://localhost/api/v1/anything', { method });
    const onRequest = sessionMiddleware.onRequest!;
    const result = await onRequest({ request, schemaPath: '/api/v1/anything', params: {}, options: {} as never, id: 'x' });
    const sent = result instanceof Request ? result : request;
    expect(sent.headers.get('X-CSRF-Token')).toBe(expected ? 'tok-456' : null);
  });

  it('takes the token from the latest /me answer', async () => {
    const log: FetchCall[] = [];
    stubFetch(
      {
        '/api/v1/me': () => jsonResponse({ ...meFor([{ role: 'admin', market: '*' }]), csrf_token: 'from-me' }),
        '/api/v1/users': () => jsonResponse({}, 201),
      },
      { log },
    );
    await fetchMe();
    expect(getCsrfToken()).toBe('from-me');

    await unwrap(api.POST('/api/v1/users', { body: { email: 'a@b.test', name: 'A', password: 'x'.repeat(12) } }));
    expect(log.at(-1)?.headers.get('X-CSRF-Token')).toBe('from-me');
  });

  it('is not sent when there is no session yet', async () => {
    const log: FetchCall[] = [];
    stubFetch({ '/api/v1/auth/login': () => jsonResponse(meFor([])) }, { log });
    await unwrap(api.POST('/api/v1/auth/login', { body: { email: 'a@b.test', password: 'pw' } }));
    expect(log[0]?.headers.has('X-CSRF-Token')).toBe(false);
  });
});

describe('session expiry', () => {
  it('a 401 from an API call is reported as an ended session', async () => {
    stubFetch({ '/api/v1/users': () => problemResponse(401, { title: 'Unauthorized', code: 'unauthenticated', request_id: 'r' }) });
    const listener = vi.fn();
    const stop = onSessionExpired(listener);
    await expect(unwrap(api.GET('/api/v1/users'))).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    stop();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a 401 from the login form (wrong password) is not', async () => {
    stubFetch({
      '/api/v1/auth/login': () => problemResponse(401, { title: 'Unauthorized', code: 'invalid_credentials', request_id: 'r' }),
    });
    const listener = vi.fn();
    const stop = onSessionExpired(listener);
    await expect(unwrap(api.POST('/api/v1/auth/login', { body: { email: 'a@b.test', password: 'no' } }))).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    stop();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('Retry-After', () => {
  it('is kept on the error as seconds', async () => {
    stubFetch({
      '/api/v1/auth/login': () =>
        problemResponse(429, { title: 'Too Many Requests', code: 'too_many_attempts', request_id: 'r' }, { 'Retry-After': '37' }),
    });
    await expect(unwrap(api.POST('/api/v1/auth/login', { body: { email: 'a@b.test', password: 'no' } }))).rejects.toMatchObject({
      status: 429,
      code: 'too_many_attempts',
      retryAfterSeconds: 37,
    });
  });
});
