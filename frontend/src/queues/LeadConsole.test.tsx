import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import type { CaseSummary } from '../api/cases';
import { caseDetail, caseSummary, counterfeit } from '../test/caseFixtures';
import { meFor } from '../test/fixtures';
import { queue, reviewer } from '../test/queueFixtures';
import { jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const lead: Grant[] = [{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }];

const emergency = caseSummary({ id: 201, emergency: true, status: 'in_review', severity: 'critical' });
const escalated = caseSummary({ id: 202, status: 'escalated', assignee: null, escalation_reason: 'Seller threatens legal action', version: 4 });
const breached = caseSummary({ id: 203, status: 'escalated', assignee: null, escalation_reason: 'sla_breach', sla_breached: true, sla_due_at: '2025-11-20T00:00:00Z' });
const waiting = caseSummary({ id: 204, status: 'triaged', assignee: null, claim_expires_at: null, version: 2, subject: { ...caseSummary().subject, display_name: 'Shop Waiting' } });

/** The console's panels are four searches of /cases; answer each by its query. */
function casesFor(search: URLSearchParams, panels: { emergencies?: CaseSummary[] }): CaseSummary[] {
  if (search.get('emergency') === 'true') return panels.emergencies ?? [emergency];
  if (search.get('status') === 'escalated') return [breached, escalated];
  if (search.get('assignee') === 'none') return [waiting];
  if (search.get('sort') === 'due') return [breached, escalated, emergency];
  return [];
}

function server(grants: Grant[] = lead, panels: { emergencies?: CaseSummary[] } = {}, extra: Record<string, (request: Request) => Response | Promise<Response>> = {}) {
  const log: FetchCall[] = [];
  stubFetch(
    {
      '/api/v1/me': () => jsonResponse(meFor(grants, { id: 7, email: 'pat@demo.docket.test', name: 'Pat Example' })),
      '/api/v1/queues': () => jsonResponse({ items: [queue()], next_cursor: null }),
      '/api/v1/policies': () => jsonResponse({ items: [counterfeit] }),
      '/api/v1/cases': (request) => jsonResponse({ items: casesFor(new URL(request.url).searchParams, panels), next_cursor: null }),
      '/api/v1/reviewers': () =>
        jsonResponse({
          items: [
            reviewer({ id: 5, name: 'Busy Bee', email: 'busy@demo.docket.test', available: false, open_cases: 0 }),
            reviewer({ id: 3, name: 'Tran Thi Lan', open_cases: 4 }),
            reviewer({ id: 4, name: 'An Nguyen', email: 'an@demo.docket.test', open_cases: 1 }),
          ],
          next_cursor: null,
        }),
      ...extra,
    },
    { log },
  );
  return log;
}

const findConsole = () => screen.findByTestId('lead-console', {}, { timeout: 5000 });

describe('LeadConsole', { timeout: 20_000 }, () => {
  it('a lead reaches it from the Lead console tab', async () => {
    const user = userEvent.setup();
    server();
    const { router } = renderApp('/queues');
    await user.click(await screen.findByRole('tab', { name: 'Lead console' }, { timeout: 5000 }));
    await findConsole();
    expect(router.state.location.pathname).toBe('/queues/console');
    expect(screen.getByRole('tab', { name: 'Lead console' })).toHaveAttribute('aria-selected', 'true');
  });

  it('a reviewer has no access to it', async () => {
    server([{ role: 'reviewer', market: 'VN' }]);
    renderApp('/queues/console');
    expect(await screen.findByTestId('access-denied', {}, { timeout: 5000 })).toBeInTheDocument();
  });

  it('shows emergencies in red, escalations with their reasons, and the SLA board soonest first', async () => {
    server();
    renderApp('/queues/console');
    await findConsole();

    const emergencies = await screen.findByTestId('console-emergencies');
    await waitFor(() => expect(emergencies).toHaveAttribute('data-count', '1'));
    expect(emergencies).toHaveTextContent('1 open emergency');
    expect(within(emergencies).getByRole('link', { name: '#201' })).toHaveAttribute('href', '/cases/201');

    const escalations = screen.getByTestId('console-escalations');
    await within(escalations).findByText('#202');
    const reasons = within(escalations).getAllByTestId('escalation-reason').map((el) => el.textContent);
    expect(reasons).toEqual(['SLA breached', 'Seller threatens legal action']);
    expect(within(escalations).getByTestId('console-escalations-count')).toHaveTextContent('2');

    const sla = screen.getByTestId('console-sla');
    const ids = [...sla.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-case-id'));
    expect(ids).toEqual(['203', '202', '201']);
    expect(sla.querySelector('tr[data-case-id="203"] [data-testid="sla-badge"]')).toHaveAttribute('data-sla', 'breached');
  });

  it('with no emergencies it says so quietly', async () => {
    server(lead, { emergencies: [] });
    renderApp('/queues/console');
    await findConsole();
    await waitFor(() => expect(screen.getByTestId('console-emergencies')).toHaveTextContent('No open emergencies'));
  });

  it('de-escalates with the case version: back to the queue, or to a named reviewer', async () => {
    const user = userEvent.setup();
    const sent: unknown[] = [];
    server(lead, {}, {
      'POST /api/v1/cases/202/deescalate': async (request) => {
        sent.push(await request.json());
        return jsonResponse(caseDetail({ ...escalated, status: 'triaged', version: 5 }));
      },
    });
    renderApp('/queues/console');
    await findConsole();
    await user.click(await screen.findByRole('button', { name: 'De-escalate case 202' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Back to its queue' }));
    await waitFor(() => expect(sent).toEqual([{ version: 4 }]));

    await user.click(screen.getByRole('button', { name: 'De-escalate case 202' }));
    const menu = await screen.findByTestId('deescalate-menu');
    expect(menu).toHaveTextContent('Hand to a reviewer in VN');
    // Available people first; the unavailable one is marked.
    const names = (await within(menu).findAllByRole('menuitem')).map((item) => item.textContent);
    expect(names).toEqual(['Back to its queue', 'An Nguyen1 open', 'Tran Thi Lan4 open', 'Busy BeeUnavailable']);
    await user.click(within(menu).getByRole('menuitem', { name: /An Nguyen/ }));
    await waitFor(() => expect(sent).toEqual([{ version: 4 }, { version: 4, assignee_id: 4 }]));
  });

  it('assigns a picked case to a reviewer of its market, available people first', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    const log = server(lead, {}, {
      'POST /api/v1/cases/204/assign': async (request) => {
        sent = await request.json();
        return jsonResponse(caseDetail({ ...waiting, status: 'in_review', version: 3 }));
      },
    });
    renderApp('/queues/console');
    await findConsole();
    const panel = screen.getByTestId('console-assignment');
    expect(await within(panel).findByRole('radio', { name: /Case 204/ })).toHaveAttribute('aria-checked', 'true');
    const reviewers = await within(panel).findAllByTestId('reviewer');
    expect(reviewers.map((r) => r.getAttribute('data-reviewer-id'))).toEqual(['4', '3', '5']);
    expect(reviewers[2]).toHaveTextContent('Unavailable');
    expect(new URLSearchParams(log.find((call) => call.path === '/api/v1/reviewers')?.search).get('market')).toBe('VN');

    await user.click(within(panel).getByRole('button', { name: 'Assign to An Nguyen' }));
    await waitFor(() => expect(sent).toEqual({ version: 2, assignee_id: 4 }));
    expect(within(panel).getByRole('link', { name: 'Assign many at once (bulk)' })).toHaveAttribute('href', '/cases?status=triaged&assignee=none');
  });

  it('keeps to the markets the lead leads, even where they may read more (a QA role elsewhere)', async () => {
    const idCase = caseSummary({ id: 299, market: 'ID', status: 'escalated', assignee: null, escalation_reason: 'sla_breach' });
    const log: FetchCall[] = [];
    stubFetch(
      {
        '/api/v1/me': () => jsonResponse(meFor([...lead, { role: 'qa', market: 'ID' }])),
        '/api/v1/policies': () => jsonResponse({ items: [counterfeit] }),
        '/api/v1/cases': (request) => {
          const search = new URL(request.url).searchParams;
          return jsonResponse({ items: search.get('status') === 'escalated' ? [idCase, escalated] : [], next_cursor: null });
        },
      },
      { log },
    );
    renderApp('/queues/console');
    await findConsole();
    const escalations = screen.getByTestId('console-escalations');
    await within(escalations).findByText('#202');
    expect(within(escalations).queryByText('#299')).not.toBeInTheDocument();
    const asked = log.find((call) => call.path === '/api/v1/cases' && new URLSearchParams(call.search).get('status') === 'escalated');
    expect(new URLSearchParams(asked?.search).get('limit')).toBe('100');
    expect(screen.getByRole('radiogroup', { name: 'Markets' })).toBeInTheDocument();
  });

  it('filters every panel by market from the URL', async () => {
    const user = userEvent.setup();
    const log = server();
    const { router } = renderApp('/queues/console');
    await findConsole();
    await user.click(screen.getByText('TH'));
    await waitFor(() => expect(router.state.location.search).toEqual({ market: 'TH' }));
    await waitFor(() => {
      const markets = log.filter((call) => call.path === '/api/v1/cases').map((call) => new URLSearchParams(call.search).get('market'));
      expect(markets.filter((m) => m === 'TH')).toHaveLength(4);
    });
  });
});
