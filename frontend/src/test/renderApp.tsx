import { QueryClient } from '@tanstack/react-query';
import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from '../App';
import { createAppRouter } from '../router';

/** Renders the whole app (providers, shell, router) at `path`, with no retries so failures show at once. */
export function renderApp(path: string) {
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(<App router={router} queryClient={queryClient} />);
  return { ...view, router, queryClient };
}

type Responder = (request: Request) => Response | Promise<Response>;

/**
 * Replaces fetch (until the test ends) with canned answers by path; anything
 * unrouted gets a 404 problem. Returns the list of requested paths.
 */
export function stubFetch(routes: Record<string, Responder>) {
  const calls: string[] = [];
  const fetchStub = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    calls.push(url.pathname);
    const responder = routes[url.pathname];
    if (responder) return responder(request);
    return problemResponse(404, { title: 'Not Found', code: 'not_found', request_id: 'req-unrouted' });
  };
  vi.stubGlobal('fetch', fetchStub);
  return calls;
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function problemResponse(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ type: 'about:blank', status, ...body }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}
