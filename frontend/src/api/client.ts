import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { ApiError, networkError, problemToApiError } from './errors';
import { getCsrfToken, reportSessionExpired } from './session';

export type Schemas = components['schemas'];

/**
 * The one typed client for Docket's API, generated from handlers/openapi.yaml.
 * Same origin: the Go server serves both the SPA and the API, and the session
 * cookie goes along with every request.
 */
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { Accept: 'application/json, application/problem+json' },
  // Looked up at call time rather than captured once, so tests can stub fetch.
  fetch: (request: Request) => globalThis.fetch(request),
});

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Endpoints whose 401 means "wrong credentials" or "already gone", not "your session ended". */
const sessionlessPaths = new Set(['/api/v1/auth/login', '/api/v1/auth/logout']);

/**
 * The session rules, in one place for every request:
 * - unsafe methods carry `X-CSRF-Token` (the server answers 403 `csrf_failed` without it);
 * - a 401 from any other endpoint means the session is missing or expired,
 *   which the app answers by sending the person to /login?next=….
 */
export const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (!unsafeMethods.has(request.method.toUpperCase())) return undefined;
    const token = getCsrfToken();
    if (token) request.headers.set('X-CSRF-Token', token);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !sessionlessPaths.has(new URL(request.url).pathname)) {
      reportSessionExpired();
    }
    return undefined;
  },
};

api.use(sessionMiddleware);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError
 * built from the problem response (or from the network failure).
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    if (cause instanceof SyntaxError) {
      // A 2xx whose body is not JSON: usually an HTML page served where the API was expected.
      throw new ApiError({
        status: 200,
        title: 'Unexpected answer from the server',
        code: 'invalid_response',
        detail: 'The response was not JSON.',
        cause,
      });
    }
    throw networkError(cause);
  }
  if (!result.response.ok) {
    throw problemToApiError(result.response, result.error);
  }
  return result.data as T;
}
