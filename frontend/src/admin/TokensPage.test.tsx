import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Token } from '../api/tokens';
import { seaMarkets } from '../test/fixtures';
import { emptyResponse, jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const existing: Token = {
  id: 3,
  name: 'Appeals portal',
  prefix: 'dkt_ab12',
  scopes: ['appeals:write', 'cases:read'],
  markets: ['*'],
  created_at: '2025-11-20T01:00:00Z',
  created_by: 'user:1',
  expires_at: null,
  last_used_at: '2025-11-24T01:00:00Z',
  revoked_at: null,
  active: true,
};

// Whole-app renders with typing: slow on a busy machine, like the case pages' tests.
describe('TokensPage', { timeout: 20_000 }, () => {
  it('creates a token, shows its secret once, and revokes a token after confirming', async () => {
    const user = userEvent.setup();
    const log: FetchCall[] = [];
    let created: unknown;
    let tokens: Token[] = [existing];
    stubFetch(
      {
        '/api/v1/tokens': async (request) => {
          if (request.method === 'POST') {
            created = await request.json();
            const token: Token = { ...existing, id: 4, name: 'Refund-spike detector', prefix: 'dkt_9f8e', scopes: ['signals:write'], markets: ['VN', 'TH'] };
            tokens = [token, ...tokens];
            return jsonResponse({ token, secret: 'dkt_9f8e_THE_SECRET_VALUE' }, 201);
          }
          return jsonResponse({ items: tokens, next_cursor: null });
        },
        'DELETE /api/v1/tokens/3': () => {
          tokens = tokens.map((t) => (t.id === 3 ? { ...t, active: false, revoked_at: '2025-11-24T05:00:00Z' } : t));
          return emptyResponse();
        },
        '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      },
      { log },
    );
    renderApp('/admin/tokens');
    const table = await screen.findByTestId('tokens-table');
    expect(within(table).getByText('Appeals portal').closest('tr')).toHaveTextContent('All markets');

    await user.click(screen.getByRole('button', { name: 'New token' }));
    const dialog = await screen.findByRole('dialog', { name: 'New API token' });
    await user.type(within(dialog).getByLabelText(/^Name/), 'Refund-spike detector');
    await user.click(within(dialog).getAllByLabelText(/^Scopes/).find((el) => el.tagName === 'INPUT')!);
    await user.click(await screen.findByRole('option', { name: /signals:write/ }));
    await user.click(within(dialog).getAllByLabelText(/^Markets/).find((el) => el.tagName === 'INPUT')!);
    await user.click(await screen.findByRole('option', { name: 'VN · Vietnam' }));
    await user.click(await screen.findByRole('option', { name: 'TH · Thailand' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));

    const secret = await screen.findByRole('dialog', { name: 'Copy your new API token' });
    expect(within(secret).getByTestId('token-secret')).toHaveTextContent('dkt_9f8e_THE_SECRET_VALUE');
    expect(created).toEqual({ name: 'Refund-spike detector', scopes: ['signals:write'], markets: ['VN', 'TH'], expires_at: null });
    await user.click(within(secret).getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByText('dkt_9f8e_THE_SECRET_VALUE')).not.toBeInTheDocument());
    expect(await within(screen.getByTestId('tokens-table')).findByText('Refund-spike detector')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Revoke Appeals portal' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Revoke this token?' })).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() =>
      expect(within(screen.getByTestId('tokens-table')).getByText('Appeals portal').closest('tr')).toHaveAttribute('data-status', 'revoked'),
    );
    expect(log.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual(['/api/v1/tokens/3']);
  });

  it('asks for a name, a scope and markets before creating', async () => {
    const user = userEvent.setup();
    const log: FetchCall[] = [];
    stubFetch({ '/api/v1/tokens': () => jsonResponse({ items: [], next_cursor: null }) }, { log });
    renderApp('/admin/tokens');
    await screen.findByText('No API tokens yet');
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const dialog = await screen.findByRole('dialog', { name: 'New API token' });
    await user.click(within(dialog).getByRole('button', { name: 'Create token' }));
    expect(dialog).toHaveTextContent('Pick at least one scope');
    expect(dialog).toHaveTextContent('Pick the markets, or all markets');
    expect(log.some((call) => call.method === 'POST')).toBe(false);
  });
});
