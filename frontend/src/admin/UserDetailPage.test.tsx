import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { User } from '../api/users';
import { seaMarkets, user as userFixture } from '../test/fixtures';
import { emptyResponse, jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const roles = {
  items: ['admin', 'lead', 'reviewer', 'analyst', 'auditor', 'qa'].map((role) => ({ role, description: `What a ${role} does`, permissions: [] })),
};

function selectInput(container: HTMLElement, label: string): HTMLElement {
  const input = within(container)
    .getAllByLabelText(label)
    .find((element) => element.tagName === 'INPUT');
  if (!input) throw new Error(`no input labelled ${label}`);
  return input;
}

function server(initial: User) {
  let current = initial;
  const log: FetchCall[] = [];
  const bodies: unknown[] = [];
  stubFetch(
    {
      '/api/v1/users/42': () => jsonResponse(current),
      '/api/v1/roles': () => jsonResponse(roles),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      '/api/v1/sessions': () =>
        jsonResponse({
          items: [
            {
              id: 91,
              user_id: 42,
              user_email: current.email,
              created_at: '2025-11-24T01:00:00Z',
              last_seen_at: '2025-11-24T02:00:00Z',
              expires_at: '2025-12-01T01:00:00Z',
              idle_expires_at: '2025-11-24T14:00:00Z',
              client_ip: '203.0.113.7',
              user_agent: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
              current: false,
            },
          ],
          next_cursor: null,
        }),
      'DELETE /api/v1/sessions/91': () => emptyResponse(),
      'POST /api/v1/users/42/grants': async (request) => {
        const grant = (await request.json()) as User['grants'][number];
        bodies.push(grant);
        current = { ...current, grants: [...current.grants, grant] };
        return jsonResponse(current);
      },
      'DELETE /api/v1/users/42/grants/qa/*': () => {
        current = { ...current, grants: current.grants.filter((g) => !(g.role === 'qa' && g.market === '*')) };
        return jsonResponse(current);
      },
      'POST /api/v1/users/42/deactivate': () => {
        current = { ...current, active: false, deactivated_at: '2025-11-24T03:00:00Z' };
        return jsonResponse(current);
      },
    },
    { log },
  );
  return { log, bodies };
}

describe('UserDetailPage', { timeout: 20_000 }, () => {
  it('shows the profile, roles and live sessions', async () => {
    server(userFixture({ grants: [{ role: 'reviewer', market: 'VN' }, { role: 'qa', market: '*' }] }));
    renderApp('/admin/users/42');

    expect(await screen.findByTestId('user-name')).toHaveTextContent('Linh Tran');
    const grants = screen.getByTestId('grants-table');
    expect(within(grants).getAllByRole('row').slice(1).map((row) => row.getAttribute('data-grant'))).toEqual(['reviewer/VN', 'qa/*']);
    expect(within(grants).getByText('All markets')).toBeInTheDocument();
    const sessions = await screen.findByTestId('sessions-table');
    expect(sessions).toHaveTextContent('Chrome on Windows');
    expect(sessions).toHaveTextContent('203.0.113.7');
  });

  it('grants a role in all markets, then revokes it after confirming', async () => {
    const user = userEvent.setup();
    const { log, bodies } = server(userFixture());
    renderApp('/admin/users/42');
    await screen.findByTestId('user-name');

    const form = screen.getByRole('form', { name: 'Grant role' });
    await user.click(selectInput(form, 'Role'));
    await user.click(await screen.findByRole('option', { name: 'qa' }));
    await user.click(selectInput(form, 'Market'));
    await user.click(await screen.findByRole('option', { name: 'All markets (*)' }));
    await user.click(within(form).getByRole('button', { name: 'Grant role' }));

    await waitFor(() => expect(screen.getByTestId('grants-table').querySelector('[data-grant="qa/*"]')).not.toBeNull());
    expect(bodies).toEqual([{ role: 'qa', market: '*' }]);

    await user.click(screen.getByRole('button', { name: 'Revoke qa in All markets' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke this role?' });
    expect(log.some((call) => call.method === 'DELETE')).toBe(false); // nothing before confirming
    await user.click(within(dialog).getByRole('button', { name: 'Revoke role' }));

    await waitFor(() => expect(screen.getByTestId('grants-table').querySelector('[data-grant="qa/*"]')).toBeNull());
    expect(log.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual(['/api/v1/users/42/grants/qa/*']);
  });

  it('deactivating explains the consequences first, then marks the user deactivated', async () => {
    const user = userEvent.setup();
    const { log } = server(userFixture());
    renderApp('/admin/users/42');
    await screen.findByTestId('user-name');

    await user.click(screen.getByRole('button', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate Linh Tran?' });
    expect(dialog).toHaveTextContent('signs them out everywhere');
    expect(dialog).toHaveTextContent('revokes every API token they created');
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate user' }));

    expect(await screen.findByRole('button', { name: 'Reactivate' })).toBeInTheDocument();
    expect(log.some((call) => call.method === 'POST' && call.path === '/api/v1/users/42/deactivate')).toBe(true);
    expect(log.some((call) => call.path === '/api/v1/users/42/activate')).toBe(false);
  });

  it('says so when the user does not exist (or is in a market the admin cannot see)', async () => {
    stubFetch({});
    renderApp('/admin/users/999');
    expect(await screen.findByTestId('user-not-found')).toHaveTextContent('No user with id 999');
  });
});
