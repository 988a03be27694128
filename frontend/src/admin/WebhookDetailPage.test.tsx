import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Webhook, WebhookDelivery, WebhookInput } from '../api/webhooks';
import { meFor, seaMarkets } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';
import { delivery, webhook } from '../test/webhookFixtures';

interface ServerOptions {
  deliveries?: (search: URLSearchParams) => { items: WebhookDelivery[]; next_cursor: string | null };
  put?: (body: WebhookInput, current: Webhook) => Response;
  redeliver?: () => Response;
  me?: ReturnType<typeof meFor>;
}

function server(options: ServerOptions = {}) {
  let current = webhook({ deliveries: { pending: 1, delivered: 1, dead: 1 } });
  const log: FetchCall[] = [];
  const bodies: unknown[] = [];
  const rows = [
    delivery({ id: 73, status: 'pending', attempts: 2, last_status_code: 500, last_error: 'HTTP 500: upstream exploded while writing the event', next_attempt_at: new Date(Date.now() + 4 * 60_000 + 5_000).toISOString(), delivered_at: null }),
    delivery({ id: 72, status: 'dead', attempts: 10, last_status_code: 503, last_error: 'HTTP 503: maintenance', delivered_at: null }),
    delivery({ id: 71 }),
  ];
  stubFetch(
    {
      ...(options.me ? { '/api/v1/me': () => jsonResponse(options.me) } : {}),
      '/api/v1/webhooks/5': async (request) => {
        if (request.method === 'PUT') {
          const body = (await request.json()) as WebhookInput;
          bodies.push(body);
          if (options.put) return options.put(body, current);
          current = { ...current, ...body, markets: body.markets ?? [], active: body.active ?? current.active, version: current.version + 1 };
          return jsonResponse(current);
        }
        return jsonResponse(current);
      },
      '/api/v1/webhooks/5/deliveries': (request) => {
        const search = new URL(request.url).searchParams;
        if (options.deliveries) return jsonResponse(options.deliveries(search));
        const status = search.get('status');
        return jsonResponse({ items: status ? rows.filter((row) => row.status === status) : rows, next_cursor: null });
      },
      'POST /api/v1/webhooks/5/rotate-secret': async (request) => {
        bodies.push(await request.json());
        current = { ...current, version: current.version + 1 };
        return jsonResponse({ ...current, secret: 'whsec_rotated_ffffffffffffffffffff' });
      },
      'POST /api/v1/webhook-deliveries/72/redeliver': () =>
        options.redeliver?.() ?? jsonResponse({ ...rows[1], status: 'pending', attempts: 0, next_attempt_at: '2025-11-24T03:00:00Z' }, 202),
      '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
    },
    { log },
  );
  return { log, bodies };
}

const findTable = () => screen.findByTestId('deliveries-table', {}, { timeout: 5000 });

describe('WebhookDetailPage', { timeout: 20_000 }, () => {
  it('shows the endpoint and its deliveries: status, attempts, last code and error, next attempt, case link', async () => {
    server();
    renderApp('/admin/webhooks/5');
    expect(await screen.findByTestId('webhook-name', {}, { timeout: 5000 })).toHaveTextContent('Data lake');
    const table = await findTable();
    const pending = table.querySelector('tr[data-delivery-id="73"]') as HTMLElement;
    expect(pending).toHaveTextContent('Pending');
    expect(within(pending).getByTestId('last-status-code')).toHaveTextContent('500');
    expect(within(pending).getByTestId('last-error')).toHaveTextContent('HTTP 500: upstream exploded');
    expect(within(pending).getByTestId('next-attempt')).toHaveTextContent('in 4 min');
    expect(within(pending).queryByRole('button', { name: /Redeliver/ })).not.toBeInTheDocument();
    expect(within(pending).getByRole('link', { name: '#1273' })).toHaveAttribute('href', '/cases/1273');
    const dead = table.querySelector('tr[data-delivery-id="72"]') as HTMLElement;
    expect(dead).toHaveTextContent('Dead letter');
    expect(within(dead).getByRole('button', { name: 'Redeliver delivery 72' })).toBeInTheDocument();
    expect(within(table.querySelector('tr[data-delivery-id="71"]') as HTMLElement).getByRole('button', { name: 'Redeliver delivery 71' })).toBeInTheDocument();
    // The dead-letter count stands out in the filter.
    expect(screen.getByTestId('delivery-total-Dead letters')).toHaveTextContent('1');
  });

  it('filters by status through the URL and opens a row to show the JSON payload', async () => {
    const user = userEvent.setup();
    const { log } = server();
    const { router } = renderApp('/admin/webhooks/5');
    await findTable();

    await user.click(screen.getByRole('radio', { name: /Dead letters/ }));
    await waitFor(() => expect(router.state.location.search).toEqual({ status: 'dead' }));
    await waitFor(() => expect(screen.getByTestId('deliveries-table').querySelectorAll('tbody tr[data-delivery-id]')).toHaveLength(1));
    expect(log.filter((call) => call.path === '/api/v1/webhooks/5/deliveries').at(-1)?.search).toContain('status=dead');

    await user.click(screen.getByRole('button', { name: 'Show payload of delivery 72' }));
    const details = screen.getByTestId('delivery-details-72');
    expect(within(details).getByTestId('delivery-payload')).toHaveTextContent('"type": "case.created"');
    expect(details).toHaveTextContent('HTTP 503: maintenance');
    expect(details).toHaveTextContent('evt_72abc');
  });

  it('shows the case number without a link to someone who may not open cases there', async () => {
    server({ me: meFor([{ role: 'admin', market: '*' }]) });
    renderApp('/admin/webhooks/5');
    const table = await findTable();
    expect(within(table).queryByRole('link', { name: '#1273' })).not.toBeInTheDocument();
    expect(within(table).getByText('#1273')).toBeInTheDocument();
  });

  it('redelivers a dead letter, and explains a 409 delivery_pending', async () => {
    const user = userEvent.setup();
    let answer: 'ok' | 'pending' = 'ok';
    const { log } = server({
      redeliver: () =>
        answer === 'ok'
          ? jsonResponse({ ...delivery({ id: 72 }), status: 'pending' }, 202)
          : problemResponse(409, { title: 'Conflict', code: 'delivery_pending', detail: 'delivery 72 is still being attempted', request_id: 'r' }),
    });
    renderApp('/admin/webhooks/5');
    await findTable();

    await user.click(screen.getByRole('button', { name: 'Redeliver delivery 72' }));
    expect(await screen.findByText('Redelivery queued')).toBeInTheDocument();
    expect(log.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual(['/api/v1/webhook-deliveries/72/redeliver']);

    answer = 'pending';
    await user.click(screen.getByRole('button', { name: 'Redeliver delivery 72' }));
    expect(await screen.findByText('Could not redeliver')).toBeInTheDocument();
    expect(screen.getByText(/still being attempted; wait for it to finish/)).toBeInTheDocument();
  });

  it('follows next_cursor with Load more', async () => {
    const user = userEvent.setup();
    const { log } = server({
      deliveries: (search) =>
        search.get('cursor') === 'page2'
          ? { items: [delivery({ id: 10 })], next_cursor: null }
          : { items: [delivery({ id: 11 })], next_cursor: 'page2' },
    });
    renderApp('/admin/webhooks/5');
    await findTable();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getByTestId('deliveries-table').querySelectorAll('tbody tr[data-delivery-id]')).toHaveLength(2));
    expect(log.filter((call) => call.path === '/api/v1/webhooks/5/deliveries').at(-1)?.search).toContain('cursor=page2');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('rotates the secret after confirming and shows the new one once', async () => {
    const user = userEvent.setup();
    const { bodies } = server();
    renderApp('/admin/webhooks/5');
    await screen.findByTestId('webhook-name', {}, { timeout: 5000 });

    await user.click(screen.getByRole('button', { name: 'Rotate secret' }));
    const confirm = await screen.findByRole('dialog', { name: 'Rotate the signing secret?' });
    await user.click(within(confirm).getByRole('button', { name: 'Rotate secret' }));
    const secret = await screen.findByRole('dialog', { name: 'Copy the new signing secret' });
    expect(within(secret).getByTestId('webhook-secret')).toHaveTextContent('whsec_rotated_ffffffffffffffffffff');
    expect(within(secret).getByRole('alert')).toHaveTextContent('the old one no longer matches');
    expect(bodies).toEqual([{ version: 2 }]);
    expect(screen.queryByRole('dialog', { name: 'Rotate the signing secret?' })).not.toBeInTheDocument();
    await user.click(within(secret).getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByText('whsec_rotated_ffffffffffffffffffff')).not.toBeInTheDocument());
  });

  it('disables the endpoint after confirming, sending the whole endpoint with its version', async () => {
    const user = userEvent.setup();
    const { bodies } = server();
    renderApp('/admin/webhooks/5');
    await screen.findByTestId('webhook-name', {}, { timeout: 5000 });

    await user.click(screen.getByRole('button', { name: 'Disable' }));
    const confirm = await screen.findByRole('dialog', { name: 'Disable “Data lake”?' });
    expect(confirm).toHaveTextContent('become dead letters');
    await user.click(within(confirm).getByRole('button', { name: 'Disable endpoint' }));
    expect(await screen.findByRole('button', { name: 'Enable' })).toBeInTheDocument();
    expect(bodies).toEqual([
      { name: 'Data lake', url: 'https://hooks.example.com/docket', event_types: ['case.created', 'case.resolved'], markets: [], active: false, version: 2 },
    ]);
  });

  it('edits with the loaded version and, on a 409 version_conflict, says so and reloads', async () => {
    const user = userEvent.setup();
    const { bodies, log } = server({
      put: () => problemResponse(409, { title: 'Conflict', code: 'version_conflict', detail: 'webhook 5 changed since you loaded it', current_version: 3, request_id: 'r' }),
    });
    renderApp('/admin/webhooks/5');
    await screen.findByTestId('webhook-name', {}, { timeout: 5000 });

    await user.click(screen.getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit “Data lake”' });
    const name = within(dialog).getByRole('textbox', { name: /^Name/ });
    await user.clear(name);
    await user.type(name, 'Lake');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    const conflict = await within(dialog).findByTestId('webhook-conflict');
    expect(conflict).toHaveTextContent('This endpoint changed since you opened it');
    expect(conflict).toHaveTextContent('version 3');
    expect(within(dialog).getByRole('button', { name: 'Save changes' })).toBeDisabled();
    expect(bodies).toEqual([expect.objectContaining({ name: 'Lake', version: 2 })]);

    const loads = log.filter((call) => call.method === 'GET' && call.path === '/api/v1/webhooks/5').length;
    await user.click(within(conflict).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(log.filter((call) => call.method === 'GET' && call.path === '/api/v1/webhooks/5').length).toBeGreaterThan(loads));
  });

  it('says so when the endpoint does not exist', async () => {
    stubFetch({ '/api/v1/webhooks/5': () => problemResponse(404, { title: 'Not Found', code: 'webhook_not_found', request_id: 'r' }) });
    renderApp('/admin/webhooks/5');
    expect(await screen.findByTestId('webhook-not-found', {}, { timeout: 5000 })).toHaveTextContent('No webhook endpoint with id 5');
  });
});
