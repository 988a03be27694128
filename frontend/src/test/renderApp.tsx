import { QueryClient } from '@tanstack/react-query';
import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../App';
import { setCsrfToken } from '../api/session';
import { createAppRouter } from '../router';
import { meFor } from './fixtures';

/** Renders the whole app (providers, shell, router) at `path`, with no retries so failures show at once. */
export function renderApp(path: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createAppRouter({ queryClient, history: createMemoryHistory({ initialEntries: [path] }) });
  const view = render(<App router={router} queryClient={queryClient} mantineEnv="test" />);
  return { ...view, router, queryClient };
}

type Responder = (request: Request) => Response | Promise<Response>;

export interface FetchCall {
  method: string;
  path: string;
  search: string;
  headers: Headers;
}

/**
 * Replaces fetch (until the test ends) with canned answers by path (or by
 * "METHOD /path"); anything unrouted gets a 404 problem. Unless the test
 * routes it, `GET /api/v1/me` answers a user who may use every workspace.
 * Returns the list of requested paths.
 */
export function stubFetch(routes: Record<string, Responder>, options: { log?: FetchCall[] } = {}) {
  setCsrfToken(null);
  const calls: string[] = [];
  const withMe: Record<string, Responder> = { '/api/v1/me': () => jsonResponse(meFor([{ role: 'admin', market: '*' }, { role: 'lead', market: '*' }])), ...routes };
  const fetchStub = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    calls.push(url.pathname);
    options.log?.push({ method: request.method, path: url.pathname, search: url.search, headers: request.headers });
    const responder = withMe[`${request.method} ${url.pathname}`] ?? withMe[url.pathname];
    if (responder) return responder(request);
    return problemResponse(404, { title: 'Not Found', code: 'not_found', request_id: 'req-unrouted' });
  };
  vi.stubGlobal('fetch', fetchStub);
  return calls;
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problemResponse(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', status, ...body }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

export function emptyResponse(status = 204): Response {
  return new Response(null, { status });
}
