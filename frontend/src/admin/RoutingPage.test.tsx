import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Route, RouteInput } from '../api/rules';
import { counterfeit, misleading } from '../test/caseFixtures';
import { meFor, seaMarkets } from '../test/fixtures';
import { queue, thReview } from '../test/queueFixtures';
import { jsonResponse, renderApp, stubFetch } from '../test/renderApp';
import { route } from '../test/ruleFixtures';
import { marketRoutes, routingMarkets } from './RoutingPage';

function server() {
  let routes: Route[] = [route(), route({ policy: 'counterfeit', queue_id: 12, queue_name: 'Vietnam counterfeit' })];
  const puts: RouteInput[] = [];
  stubFetch({
    '/api/v1/me': () => jsonResponse(meFor([{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }])),
    '/api/v1/routes': async (request) => {
      if (request.method === 'PUT') {
        const body = (await request.json()) as RouteInput;
        puts.push(body);
        routes = routes.filter((r) => !(r.market === body.market && r.policy === body.policy));
        if (body.queue_id !== null) routes.push({ ...body, policy: body.policy ?? null, queue_id: body.queue_id, queue_name: `Queue ${body.queue_id}` });
        return jsonResponse({ ...body, queue_name: '' });
      }
      return jsonResponse({ items: routes, next_cursor: null });
    },
    '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
    '/api/v1/policies': () => jsonResponse({ items: [counterfeit, misleading], next_cursor: null }),
    '/api/v1/queues': () =>
      jsonResponse({ items: [queue(), queue({ id: 12, name: 'Vietnam counterfeit' }), thReview(), queue({ id: 13, name: 'Vietnam escalations', kind: 'escalation' })], next_cursor: null }),
  });
  return { puts };
}

describe('routing helpers', () => {
  it('shows the markets the caller manages, and any the routes mention', () => {
    expect(routingMarkets(['VN', 'TH'], seaMarkets, [])).toEqual(['TH', 'VN']);
    expect(routingMarkets(['*'], seaMarkets, [])).toEqual(['ID', 'MY', 'PH', 'SG', 'TH', 'VN']);
    expect(routingMarkets(['VN'], seaMarkets, [route({ market: 'PH' })])).toEqual(['PH', 'VN']);
  });

  it('splits a market’s routes into the default and per-policy ones, ignoring removed routes', () => {
    const routes = [route(), route({ policy: 'b', queue_id: 2 }), route({ policy: 'a', queue_id: 3 }), route({ policy: 'c', queue_id: null }), route({ market: 'TH' })];
    const split = marketRoutes('VN', routes, (code) => code);
    expect(split.defaultRoute?.queue_id).toBe(11);
    expect(split.policyRoutes.map((r) => r.policy)).toEqual(['a', 'b']);
  });
});

describe('RoutingPage', { timeout: 20_000 }, () => {
  it('lists routes per market and changes, adds and removes them', async () => {
    const user = userEvent.setup();
    const { puts } = server();
    renderApp('/admin/routing');
    const vn = await screen.findByTestId('routes-VN', {}, { timeout: 5000 });
    expect(screen.getByRole('tab', { name: 'Routing' })).toHaveAttribute('aria-selected', 'true');
    expect(within(screen.getByTestId('routes-TH')).getByRole('combobox', { name: 'Default queue for TH' })).toHaveAttribute('placeholder', 'No default: pick a queue');

    const defaultQueue = within(vn).getByRole('combobox', { name: 'Default queue for VN' });
    expect(defaultQueue).toHaveValue('Vietnam review');
    const counterfeitRow = vn.querySelector('tr[data-policy="counterfeit"]') as HTMLElement;
    expect(counterfeitRow).toHaveTextContent('Counterfeit goods');

    // Only review queues of the market are offered.
    await user.click(defaultQueue);
    expect((await screen.findAllByRole('option')).map((option) => option.textContent)).toEqual(['Vietnam review', 'Vietnam counterfeit']);
    await user.click(screen.getByRole('option', { name: 'Vietnam counterfeit' }));
    await waitFor(() => expect(puts).toEqual([{ market: 'VN', policy: null, queue_id: 12 }]));

    await user.click(within(counterfeitRow).getByRole('button', { name: 'Remove the VN route for this policy' }));
    await waitFor(() => expect(puts.at(-1)).toEqual({ market: 'VN', policy: 'counterfeit', queue_id: null }));

    const add = vn.querySelector('tr[data-add-route]') as HTMLElement;
    await user.click(within(add).getByRole('combobox', { name: 'Policy for a new route in VN' }));
    await user.click(await screen.findByRole('option', { name: 'Misleading claim' }));
    await user.click(within(add).getByRole('combobox', { name: 'Queue for a new route in VN' }));
    await user.click(await screen.findByRole('option', { name: 'Vietnam review' }));
    await user.click(within(add).getByRole('button', { name: 'Add the route in VN' }));
    await waitFor(() => expect(puts.at(-1)).toEqual({ market: 'VN', policy: 'misleading_claim', queue_id: 11 }));
  });
});
