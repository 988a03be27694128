import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import { meFor } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const unauthenticated = () =>
  problemResponse(401, { title: 'Unauthorized', code: 'unauthenticated', detail: 'Log in first.', request_id: 'r-401' });

/** /me says "not logged in" until a login succeeds, like the server. */
function server(grants: Grant[], login: (request: Request) => Response | Promise<Response> = () => jsonResponse(meFor(grants))) {
  let loggedIn = false;
  const log: FetchCall[] = [];
  stubFetch(
    {
      '/api/v1/me': () => (loggedIn ? jsonResponse(meFor(grants)) : unauthenticated()),
      '/api/v1/auth/login': async (request) => {
        const response = await login(request);
        if (response.ok) loggedIn = true;
        return response;
      },
      '/api/v1/users': () => jsonResponse({ items: [], next_cursor: null }),
    },
    { log },
  );
  return log;
}

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(/Email/), email);
  await user.type(screen.getByLabelText(/Password/), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('without a session', () => {
  it.each(['/cases', '/admin/users?q=lead', '/status', '/', '/no-such-page'])(
    'a visit to %s goes to /login?next=<that path>',
    async (path) => {
      server([]);
      const { router } = renderApp(path);
      await screen.findByRole('heading', { level: 1, name: 'Sign in' });
      expect(router.state.location.pathname).toBe('/login');
      expect(router.state.location.search).toEqual({ next: path });
      expect(screen.queryByRole('navigation', { name: 'Workspaces' })).not.toBeInTheDocument();
    },
  );

  it('a session that ends mid-use (an API call answers 401) sends you to /login?next=<current page>', async () => {
    let sessionAlive = true;
    stubFetch({
      '/api/v1/me': () => (sessionAlive ? jsonResponse(meFor([{ role: 'admin', market: '*' }])) : unauthenticated()),
      '/api/v1/users': () => (sessionAlive ? jsonResponse({ items: [], next_cursor: null }) : unauthenticated()),
      '/api/v1/tokens': () => unauthenticated(),
    });
    const { router } = renderApp('/admin/users');
    await screen.findByText('No users yet.');

    sessionAlive = false;
    await userEvent.setup().click(screen.getByRole('tab', { name: 'API tokens' }));

    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toEqual({ next: '/admin/tokens' });
  });
});

describe('LoginPage', () => {
  it('logs in and goes to `next`', async () => {
    const log = server([{ role: 'admin', market: '*' }]);
    const { router } = renderApp('/login?next=%2Fadmin%2Fusers%3Fq%3Dlead');

    await fillAndSubmit('admin@demo.docket.test', 'docket-demo-password');

    await screen.findByRole('tab', { name: 'Users' });
    expect(router.state.location.pathname).toBe('/admin/users');
    expect(router.state.location.search).toEqual({ q: 'lead' });
    const login = log.find((call) => call.path === '/api/v1/auth/login');
    expect(login?.method).toBe('POST');
  });

  it('without `next`, goes to the first workspace the person may use', async () => {
    server([{ role: 'auditor', market: '*' }]);
    const { router } = renderApp('/login');
    await fillAndSubmit('auditor@demo.docket.test', 'docket-demo-password');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });
    expect(router.state.location.pathname).toBe('/queues');
  });

  it('ignores a `next` that leaves the site', async () => {
    server([{ role: 'reviewer', market: 'VN' }]);
    const { router } = renderApp('/login?next=%2F%2Fevil.example%2Fphish');
    await fillAndSubmit('reviewer@demo.docket.test', 'docket-demo-password');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });
    expect(router.state.location.pathname).toBe('/queues');
  });

  it('shows the server’s reason for wrong credentials and stays on /login', async () => {
    server([], () =>
      problemResponse(401, {
        title: 'Unauthorized',
        code: 'invalid_credentials',
        detail: 'Wrong email or password.',
        request_id: 'r-1',
      }),
    );
    const { router } = renderApp('/login');
    await fillAndSubmit('admin@demo.docket.test', 'nope');

    expect(await screen.findByTestId('login-error')).toHaveTextContent('Wrong email or password.');
    expect(router.state.location.pathname).toBe('/login');
    expect(screen.getByLabelText(/Password/)).toHaveValue('');
  });

  it('when throttled, says how long to wait (Retry-After) and disables the button', async () => {
    server([], () =>
      problemResponse(
        429,
        { title: 'Too Many Requests', code: 'too_many_attempts', detail: 'Slow down.', request_id: 'r-2' },
        { 'Retry-After': '30' },
      ),
    );
    renderApp('/login');
    await fillAndSubmit('admin@demo.docket.test', 'guess');

    expect(await screen.findByTestId('login-error')).toHaveTextContent('Too many attempts, try again in 30 s');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  });

  it('asks for both fields before calling the server', async () => {
    const log = server([]);
    renderApp('/login');
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Enter your email address')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
    await waitFor(() => expect(log.some((call) => call.path === '/api/v1/auth/login')).toBe(false));
  });
});
