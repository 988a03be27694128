import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { MarketSla, MarketSlaInput } from '../api/markets';
import { meFor, seaMarkets } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

function server(put?: (body: MarketSlaInput, current: MarketSla) => Response) {
  let markets: MarketSla[] = seaMarkets.map((market) =>
    market.code === 'TH' ? { ...market, sla_clock: 'business', business_days: [1, 2, 3, 4, 5, 6], business_start: '08:00', business_end: '20:00', version: 4 } : market,
  );
  const log: FetchCall[] = [];
  const bodies: MarketSlaInput[] = [];
  stubFetch(
    {
      '/api/v1/markets': () => jsonResponse({ items: markets, next_cursor: null }),
      'PUT /api/v1/markets/VN': async (request) => {
        const body = (await request.json()) as MarketSlaInput;
        bodies.push(body);
        const current = markets.find((market) => market.code === 'VN')!;
        if (put) return put(body, current);
        const next: MarketSla = { ...current, ...body, version: current.version + 1 };
        markets = markets.map((market) => (market.code === 'VN' ? next : market));
        return jsonResponse(next);
      },
    },
    { log },
  );
  return { log, bodies };
}

const findTable = () => screen.findByTestId('market-settings-table', {}, { timeout: 5000 });
const row = (code: string) => screen.getByTestId('market-settings-table').querySelector(`tr[data-market="${code}"]`) as HTMLElement;

describe('MarketsPage', { timeout: 20_000 }, () => {
  it('lists each market with its time zone and SLA clock', async () => {
    server();
    renderApp('/admin/markets');
    await findTable();
    expect(within(row('VN')).getByTestId('sla-clock')).toHaveTextContent('Calendar hours24/7');
    expect(within(row('TH')).getByTestId('sla-clock')).toHaveTextContent('Business hoursMon–Sat 08:00–20:00');
    expect(row('TH')).toHaveTextContent('Asia/Bangkok');
    expect(screen.getByRole('tab', { name: 'Markets' })).toHaveAttribute('aria-selected', 'true');
  });

  it('switches a market to business hours, with the help text, and sends days, hours and version', async () => {
    const user = userEvent.setup();
    const { bodies } = server();
    renderApp('/admin/markets');
    await findTable();

    await user.click(screen.getByRole('button', { name: 'Edit SLA clock of VN' }));
    const dialog = await screen.findByRole('dialog', { name: /SLA clock · VN Vietnam/ });
    expect(dialog).toHaveTextContent(
      "Business hours: SLA clocks only run during these hours in the market's time zone; new and reopened cases use the new setting.",
    );
    await user.click(within(dialog).getByRole('radio', { name: /Business hours/ }));
    expect(dialog).toHaveTextContent('Times in Asia/Ho_Chi_Minh (UTC+7)');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Saturday' }));
    const start = within(dialog).getByRole('textbox', { name: /Day starts/ });
    await user.clear(start);
    await user.type(start, '08:30');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(bodies).toEqual([{ sla_clock: 'business', business_days: [1, 2, 3, 4, 5, 6], business_start: '08:30', business_end: '18:00', version: 1 }]);
    await waitFor(() => expect(within(row('VN')).getByTestId('sla-clock')).toHaveTextContent('Mon–Sat 08:30–18:00'));
  });

  it('checks the hours first and shows the server’s field errors on their fields', async () => {
    const user = userEvent.setup();
    const { bodies } = server(() =>
      problemResponse(400, {
        title: 'Bad Request',
        code: 'invalid_market_settings',
        detail: 'the SLA clock settings are not valid',
        request_id: 'r',
        errors: [{ field: 'business_end', code: 'invalid_time', message: 'HH:MM after the start, up to 24:00' }],
      }),
    );
    renderApp('/admin/markets');
    await findTable();
    await user.click(screen.getByRole('button', { name: 'Edit SLA clock of VN' }));
    const dialog = await screen.findByRole('dialog', { name: /SLA clock · VN/ });
    await user.click(within(dialog).getByRole('radio', { name: /Business hours/ }));
    const end = within(dialog).getByRole('textbox', { name: /Day ends/ });
    await user.clear(end);
    await user.type(end, '08:00');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(end).toHaveAccessibleDescription(/After the start of the day/);
    expect(bodies).toEqual([]);

    await user.clear(end);
    await user.type(end, '24:00');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(end).toHaveAccessibleDescription(/HH:MM after the start, up to 24:00\./));
    expect(bodies).toHaveLength(1);
  });

  it('sends only the clock when going back to calendar hours, and handles a 409 version_conflict with a reload', async () => {
    const user = userEvent.setup();
    const { bodies, log } = server(() =>
      problemResponse(409, { title: 'Conflict', code: 'version_conflict', detail: 'market VN changed since you loaded it', current_version: 2, request_id: 'r' }),
    );
    renderApp('/admin/markets');
    await findTable();
    await user.click(screen.getByRole('button', { name: 'Edit SLA clock of VN' }));
    const dialog = await screen.findByRole('dialog', { name: /SLA clock · VN/ });
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByTestId('market-conflict')).toHaveTextContent('This market changed since you opened it');
    expect(bodies).toEqual([{ sla_clock: 'calendar', version: 1 }]);

    const loads = log.filter((call) => call.path === '/api/v1/markets').length;
    await user.click(within(dialog).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(log.filter((call) => call.path === '/api/v1/markets').length).toBeGreaterThan(loads));
  });

  it('is only for holders of market.manage', async () => {
    stubFetch({ '/api/v1/me': () => jsonResponse(meFor([{ role: 'lead', market: 'VN' }])) });
    renderApp('/admin/markets');
    expect(await screen.findByTestId('access-denied', {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
