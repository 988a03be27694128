import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { seaMarkets, user as userFixture } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const roles = {
  items: ['admin', 'lead', 'reviewer', 'analyst', 'auditor', 'qa'].map((role) => ({ role, description: `${role} things`, permissions: [] })),
};

function adminServer(extra: Record<string, (request: Request) => Response | Promise<Response>> = {}) {
  const log: FetchCall[] = [];
  stubFetch(
    {
      '/api/v1/users': () =>
        jsonResponse({
          items: [
            userFixture({ id: 2, email: 'lead@demo.docket.test', name: 'Lee Lead', grants: [{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }], last_login_at: '2025-11-24T08:00:00Z' }),
            userFixture({ id: 3, email: 'gone@demo.docket.test', name: 'Gone Person', active: false, deactivated_at: '2025-11-20T00:00:00Z' }),
          ],
          next_cursor: null,
        }),
      '/api/v1/roles': () => jsonResponse(roles),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      ...extra,
    },
    { log },
  );
  return log;
}

/** A Mantine Select's text input (its listbox carries the same label). */
function selectInput(container: HTMLElement, label: string): HTMLElement {
  const input = within(container)
    .getAllByLabelText(label)
    .find((element) => element.tagName === 'INPUT');
  if (!input) throw new Error(`no input labelled ${label}`);
  return input;
}

// Whole-app renders with typing: slow on a busy machine, like the case pages' tests.
describe('UsersPage', { timeout: 20_000 }, () => {
  it('lists users with roles per market, status and last login', async () => {
    adminServer();
    renderApp('/admin/users');
    const table = await screen.findByTestId('users-table', {}, { timeout: 5000 });
    const lead = within(table).getByText('lead@demo.docket.test').closest('tr')!;
    expect(lead).toHaveTextContent('Lee Lead');
    expect(lead).toHaveTextContent('lead · TH, VN');
    expect(lead).toHaveTextContent('Active');
    expect(within(lead).getByRole('link', { name: 'lead@demo.docket.test' })).toHaveAttribute('href', '/admin/users/2');
    const gone = within(table).getByText('gone@demo.docket.test').closest('tr')!;
    expect(gone).toHaveTextContent('Deactivated');
    expect(gone).toHaveTextContent('Never');
  });

  it('keeps the search and the status filter in the URL and sends them to the API', async () => {
    const user = userEvent.setup();
    const log = adminServer();
    const { router } = renderApp('/admin/users');
    await screen.findByTestId('users-table', {}, { timeout: 5000 });

    await user.type(screen.getByRole('textbox', { name: 'Search users' }), 'lead');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'lead' }));
    await user.click(screen.getByRole('radio', { name: 'Deactivated' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'lead', active: 'false' }));
    expect(router.state.location.searchStr).toBe('?q=lead&active=false');
    await waitFor(() =>
      expect(Object.fromEntries(new URLSearchParams(log.filter((c) => c.path === '/api/v1/users').at(-1)?.search))).toEqual({
        active: 'false',
        limit: '50',
        q: 'lead',
      }),
    );
  });

  it('New user: checks the password length before asking the server', async () => {
    const user = userEvent.setup();
    const log = adminServer();
    renderApp('/admin/users');
    await user.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = await screen.findByRole('dialog', { name: 'New user' });

    await user.type(within(dialog).getByLabelText(/Email/), 'new@demo.docket.test');
    await user.type(within(dialog).getByLabelText(/^Name/), 'New Person');
    await user.type(within(dialog).getByLabelText(/Initial password/), 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Create user' }));

    expect(within(dialog).getByText('At least 12 characters')).toBeInTheDocument();
    expect(log.some((call) => call.method === 'POST')).toBe(false);
  });

  it('New user: sends the grants and shows the server’s field errors next to the fields', async () => {
    const user = userEvent.setup();
    let body: unknown;
    adminServer({
      'POST /api/v1/users': async (request) => {
        body = await request.json();
        return problemResponse(422, {
          title: 'Unprocessable Entity',
          code: 'invalid_input',
          request_id: 'r-9',
          errors: [
            { field: 'email', code: 'taken', message: 'is already used by another user' },
            { field: 'password', code: 'common', message: 'is too common' },
          ],
        });
      },
    });
    renderApp('/admin/users');
    await user.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = await screen.findByRole('dialog', { name: 'New user' });

    await user.type(within(dialog).getByLabelText(/Email/), 'lead@demo.docket.test');
    await user.type(within(dialog).getByLabelText(/^Name/), 'Dup Lead');
    await user.type(within(dialog).getByLabelText(/Initial password/), 'password1234');
    await user.click(selectInput(dialog, 'Role 1'));
    await user.click(await screen.findByRole('option', { name: /^reviewer/ }));
    await user.click(selectInput(dialog, 'Market 1'));
    await user.click(await screen.findByRole('option', { name: 'VN · Vietnam' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create user' }));

    expect(await within(dialog).findByText('Is already used by another user.')).toBeInTheDocument();
    expect(within(dialog).getByText('Is too common.')).toBeInTheDocument();
    expect(body).toEqual({
      email: 'lead@demo.docket.test',
      name: 'Dup Lead',
      password: 'password1234',
      grants: [{ role: 'reviewer', market: 'VN' }],
    });
  });
});
