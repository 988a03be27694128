import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { counterfeit } from '../test/caseFixtures';
import { meFor, seaMarkets } from '../test/fixtures';
import { jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';
import { rule } from '../test/ruleFixtures';

function server(options: { me?: ReturnType<typeof meFor> } = {}) {
  const log: FetchCall[] = [];
  stubFetch(
    {
      ...(options.me ? { '/api/v1/me': () => jsonResponse(options.me) } : {}),
      '/api/v1/rules': () =>
        jsonResponse({
          items: [
            rule(),
            rule({
              id: 32,
              name: 'Refund spike',
              description: '',
              status: 'live',
              markets: ['VN', 'TH'],
              version: 7,
              severity: 'critical',
              errors: { count: 3, last_error: 'sum: attribute "amount" is not a number', last_error_at: '2025-11-24T01:00:00Z' },
              quality: {
                hits_7d: 300,
                shadow_hits_7d: 0,
                hits_per_day: 42.86,
                cases_opened: 1234,
                cases_decided: 0,
                violations: 0,
                precision: null,
                median_hours_to_decision: null,
                alerts: [{ kind: 'hit_spike', message: 'hits tripled against the previous week', at: '2025-11-24T00:00:00Z' }],
              },
            }),
            rule({ id: 33, name: 'Old keyword list', status: 'disabled' }),
            rule({ id: 34, name: 'Livestream harassment', status: 'draft' }),
          ],
          next_cursor: null,
        }),
      '/api/v1/policies': () => jsonResponse({ items: [counterfeit], next_cursor: null }),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
    },
    { log },
  );
  return { log };
}

const findTable = () => screen.findByTestId('rules-table', {}, { timeout: 5000 });
const rowOf = (table: HTMLElement, id: number) => table.querySelector(`tr[data-rule-id="${id}"]`) as HTMLElement;

describe('RulesPage', { timeout: 20_000 }, () => {
  it('lists rules with status, markets, policy, version and quality', async () => {
    server();
    renderApp('/rules');
    const table = await findTable();

    const shadow = rowOf(table, 31);
    expect(within(shadow).getByRole('link', { name: 'Report burst on popular listings' })).toHaveAttribute('href', '/rules/31');
    expect(within(shadow).getByText('Shadow').closest('[data-status]')).toHaveAttribute('data-status', 'shadow');
    expect(shadow).toHaveTextContent('Counterfeit goods');
    expect(shadow).toHaveTextContent('v3');
    expect(shadow).toHaveTextContent('7.4'); // hits per day
    expect(within(shadow).getByTestId('rule-precision')).toHaveTextContent('75 %');
    expect(shadow).toHaveTextContent('5.5 h');
    expect(within(shadow).queryByTestId('rule-errors')).not.toBeInTheDocument();
    expect(within(shadow).queryByTestId('rule-alerts')).not.toBeInTheDocument();

    const live = rowOf(table, 32);
    expect(within(live).getByText('Live').closest('[data-status]')).toHaveAttribute('data-status', 'live');
    expect(live).toHaveTextContent('TH, VN');
    expect(live).toHaveTextContent('v7');
    expect(live).toHaveTextContent('1,234');
    expect(within(live).getByTestId('rule-precision')).toHaveTextContent('–');
    expect(within(live).getByTestId('rule-errors')).toHaveTextContent('3');
    expect(within(live).getByTestId('rule-alerts')).toHaveAccessibleName('Alerts: Hits tripled against the previous week.');
    expect(within(rowOf(table, 33)).getByText('Disabled').closest('[data-status]')).toHaveAttribute('data-status', 'disabled');
    expect(within(rowOf(table, 34)).getByText('Draft').closest('[data-status]')).toHaveAttribute('data-status', 'draft');
  });

  it('shows the last evaluation error on hover', async () => {
    const user = userEvent.setup();
    server();
    renderApp('/rules');
    const table = await findTable();
    await user.hover(within(rowOf(table, 32)).getByTestId('rule-errors'));
    expect(await screen.findByText('sum: attribute "amount" is not a number')).toBeInTheDocument();
  });

  it('filters by status, market and text through the URL, which the request follows', async () => {
    const user = userEvent.setup();
    const { log } = server();
    const { router } = renderApp('/rules?market=vn');
    await findTable();
    expect(router.state.location.search).toEqual({ market: 'VN' });
    expect(log.find((call) => call.path === '/api/v1/rules')?.search).toContain('market=VN');

    await user.click(screen.getByRole('radio', { name: 'Live' }));
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'live', market: 'VN' }));

    await user.type(screen.getByRole('textbox', { name: 'Search rules' }), 'refund');
    await waitFor(() => expect(router.state.location.search).toEqual({ q: 'refund', status: 'live', market: 'VN' }), { timeout: 2000 });
    const lastQuery = () => new URLSearchParams(log.filter((call) => call.path === '/api/v1/rules').at(-1)?.search);
    await waitFor(() => expect(lastQuery().get('q')).toBe('refund'));
    expect([lastQuery().get('status'), lastQuery().get('market')]).toEqual(['live', 'VN']);

    await user.click(screen.getByRole('button', { name: 'Clear 3 filters' }));
    await waitFor(() => expect(router.state.location.search).toEqual({}));
  });

  it('offers "New rule" to holders of rule.write only', async () => {
    server({ me: meFor([{ role: 'analyst', market: '*' }]) });
    const { unmount } = renderApp('/rules');
    await findTable();
    expect(screen.getByRole('link', { name: 'New rule' })).toHaveAttribute('href', '/rules/new');
    unmount();

    server({ me: meFor([{ role: 'lead', market: 'VN' }]) });
    renderApp('/rules');
    await findTable();
    expect(screen.queryByRole('link', { name: 'New rule' })).not.toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    stubFetch({
      '/api/v1/rules': () => jsonResponse({ items: [], next_cursor: null }),
      '/api/v1/policies': () => jsonResponse({ items: [], next_cursor: null }),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
    });
    renderApp('/rules?status=live');
    expect(await screen.findByText('No rules match these filters', {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
