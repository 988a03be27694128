import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import type { CaseSummary } from '../api/cases';
import { caseDetail, caseSummary } from '../test/caseFixtures';
import { meFor } from '../test/fixtures';
import { queue, thReview, vnEscalations } from '../test/queueFixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

const reviewerVN: Grant[] = [{ role: 'reviewer', market: 'VN' }];

type Responder = (request: Request) => Response | Promise<Response>;

interface ServerOptions {
  grants?: Grant[];
  mine?: CaseSummary[];
  available?: boolean;
  extra?: Record<string, Responder>;
}

function server({ grants = reviewerVN, mine = [], available = true, extra = {} }: ServerOptions = {}) {
  const log: FetchCall[] = [];
  stubFetch(
    {
      '/api/v1/me': () => jsonResponse(meFor(grants, { id: 7, email: 'pat@demo.docket.test', name: 'Pat Example', available })),
      '/api/v1/queues': () => jsonResponse({ items: [thReview(), vnEscalations(), queue()], next_cursor: null }),
      '/api/v1/cases': () => jsonResponse({ items: mine, next_cursor: null }),
      ...extra,
    },
    { log },
  );
  return log;
}

const findQueues = () => screen.findByTestId('queue-list', {}, { timeout: 5000 });
const row = (name: string) => screen.getByTestId('queue-list').querySelector<HTMLElement>(`tr[data-queue-name="${name}"]`)!;

describe('ReviewerHome', { timeout: 20_000 }, () => {
  beforeEach(() => window.localStorage.clear());

  it('lists the queues with their live counts; Claim next only where the reviewer may claim', async () => {
    const log = server();
    renderApp('/queues');
    await findQueues();
    const names = [...screen.getByTestId('queue-list').querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-queue-name'));
    expect(names).toEqual(['Vietnam review', 'Thailand review', 'Vietnam escalations']);

    const vn = row('Vietnam review');
    expect(within(vn).getByLabelText('Open: 14')).toBeInTheDocument();
    expect(within(vn).getByLabelText('Unassigned: 9')).toBeInTheDocument();
    expect(within(vn).getByLabelText('At risk: 3')).toBeInTheDocument();
    expect(within(vn).getByLabelText('Breached: 2')).toBeInTheDocument();
    expect(vn).toHaveAttribute('data-selected', 'true');
    expect(within(vn).getByRole('button', { name: 'Claim next from Vietnam review' })).toBeInTheDocument();
    expect(within(row('Thailand review')).queryByRole('button')).not.toBeInTheDocument();
    expect(row('Vietnam escalations')).toHaveTextContent('Leads assign these');

    // A reviewer has no lead console, and asks for their own held cases.
    expect(screen.queryByRole('tab', { name: 'Lead console' })).not.toBeInTheDocument();
    const mine = log.find((call) => call.path === '/api/v1/cases');
    expect(new URLSearchParams(mine?.search).get('assignee')).toBe('me');
    expect(new URLSearchParams(mine?.search).get('status')).toBe('in_review,on_hold');
    expect(await screen.findByTestId('my-cases')).toHaveTextContent('You hold no cases');
  });

  it('Claim next leases a case (asking for the minimal answer) and opens its page', async () => {
    const user = userEvent.setup();
    const log = server({
      extra: {
        'POST /api/v1/queues/11/claim': () =>
          jsonResponse(
            { id: 101, version: 3, status: 'in_review', market: 'VN', policy: 'counterfeit', severity: 'high', queue: null, assignee_id: 7, claim_expires_at: new Date(Date.now() + 15 * 60_000).toISOString() },
            200,
            { 'Preference-Applied': 'return=minimal' },
          ),
        '/api/v1/cases/101': () => jsonResponse(caseDetail({ id: 101, summary: 'Perfume at a tenth of retail' })),
        '/api/v1/cases/101/events': () => jsonResponse({ items: [], next_cursor: null }),
      },
    });
    const { router } = renderApp('/queues');
    await findQueues();
    await user.click(within(row('Vietnam review')).getByRole('button', { name: /Claim next/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/cases/101'));
    const claimCall = log.find((call) => call.method === 'POST' && call.path === '/api/v1/queues/11/claim');
    expect(claimCall?.headers.get('Prefer')).toBe('return=minimal');
    expect(await screen.findByText('Perfume at a tenth of retail')).toBeInTheDocument();
  });

  it('an empty queue says so in words, not as an error', async () => {
    const user = userEvent.setup();
    server({
      extra: {
        'POST /api/v1/queues/11/claim': () => problemResponse(404, { title: 'Not Found', code: 'queue_empty', detail: 'no case to claim in this queue' }),
      },
    });
    const { router } = renderApp('/queues');
    await findQueues();
    await user.click(within(row('Vietnam review')).getByRole('button', { name: /Claim next/ }));
    const empty = await screen.findByTestId('queue-empty');
    expect(empty).toHaveTextContent('Queue is empty');
    expect(empty).toHaveTextContent('Nothing to claim in Vietnam review right now');
    expect(screen.queryByTestId('problem-alert')).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/queues');
  });

  it('n claims from the highlighted queue; j/k move the highlight', async () => {
    const claimed: string[] = [];
    server({
      grants: [{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }],
      extra: {
        'POST /api/v1/queues/9/claim': () => {
          claimed.push('TH');
          return problemResponse(404, { title: 'Not Found', code: 'queue_empty' });
        },
        'POST /api/v1/queues/11/claim': () => {
          claimed.push('VN');
          return problemResponse(404, { title: 'Not Found', code: 'queue_empty' });
        },
      },
    });
    renderApp('/queues');
    await findQueues();
    expect(row('Thailand review')).toHaveAttribute('data-selected', 'true');
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(row('Vietnam review')).toHaveAttribute('data-selected', 'true');
    fireEvent.keyDown(document.body, { key: 'n' });
    await screen.findByTestId('queue-empty');
    expect(claimed).toEqual(['VN']);
    fireEvent.keyDown(document.body, { key: 'k' });
    fireEvent.keyDown(document.body, { key: 'n' });
    await waitFor(() => expect(claimed).toEqual(['VN', 'TH']));
    // The help lists the queue shortcuts.
    fireEvent.keyDown(document.body, { key: '?' });
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(help).toHaveTextContent('Claim the next case from the selected queue');
  });

  it('My cases counts each claim lease down and renews it with the case version', async () => {
    const user = userEvent.setup();
    let renewed: unknown;
    const held = caseSummary({ id: 55, version: 6, claim_expires_at: new Date(Date.now() + 90_000).toISOString() });
    const paused = caseSummary({ id: 56, status: 'on_hold', claim_expires_at: null });
    server({
      mine: [held, paused],
      extra: {
        'POST /api/v1/cases/55/renew': async (request) => {
          renewed = await request.json();
          return jsonResponse(caseDetail({ ...held, version: 7, claim_expires_at: new Date(Date.now() + 15 * 60_000).toISOString() }));
        },
      },
    });
    renderApp('/queues');
    const panel = await screen.findByTestId('my-cases');
    await within(panel).findByText('#55');
    expect(within(panel).getByTestId('my-cases-count')).toHaveTextContent('2');
    const first = panel.querySelector<HTMLElement>('[data-case-id="55"]')!;
    const lease = within(first).getByTestId('lease-badge');
    expect(lease).toHaveAttribute('data-lease', 'ending');
    expect(lease).toHaveTextContent(/01:[23]\d/);
    const second = panel.querySelector<HTMLElement>('[data-case-id="56"]')!;
    expect(second).toHaveTextContent('On hold');
    expect(within(second).queryByRole('button', { name: /Renew/ })).not.toBeInTheDocument();

    await user.click(within(first).getByRole('button', { name: 'Renew the claim on case 55' }));
    await waitFor(() => expect(renewed).toEqual({ version: 6 }));
  });

  it('the availability toggle tells the server', async () => {
    const user = userEvent.setup();
    let sent: unknown;
    server({
      extra: {
        'PUT /api/v1/me/availability': async (request) => {
          sent = await request.json();
          return jsonResponse({ available: false });
        },
      },
    });
    renderApp('/queues');
    await findQueues();
    const toggle = screen.getByTestId('availability');
    expect(toggle).toHaveAttribute('data-available', 'true');
    await user.click(within(toggle).getByText('Unavailable'));
    await waitFor(() => expect(sent).toEqual({ available: false }));
    await waitFor(() => expect(screen.getByTestId('availability')).toHaveAttribute('data-available', 'false'));
  });

  it('people who cannot claim see the counts only', async () => {
    server({ grants: [{ role: 'auditor', market: '*' }] });
    renderApp('/queues');
    await findQueues();
    expect(screen.queryByRole('button', { name: /Claim next/ })).not.toBeInTheDocument();
    expect(screen.queryByTestId('my-cases')).not.toBeInTheDocument();
    expect(screen.queryByTestId('availability')).not.toBeInTheDocument();
  });

  it('says when there are no queues', async () => {
    stubFetch({ '/api/v1/queues': () => jsonResponse({ items: [], next_cursor: null }) });
    renderApp('/queues');
    expect(await screen.findByText('No queues yet', {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
