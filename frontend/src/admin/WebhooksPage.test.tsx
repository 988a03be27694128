import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Webhook, WebhookInput } from '../api/webhooks';
import { seaMarkets } from '../test/fixtures';
import { jsonResponse, problemResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';
import { webhook } from '../test/webhookFixtures';

function selectInput(container: HTMLElement, label: RegExp): HTMLElement {
  const input = within(container)
    .getAllByLabelText(label)
    .find((element) => element.tagName === 'INPUT');
  if (!input) throw new Error(`no input labelled ${String(label)}`);
  return input;
}

describe('WebhooksPage', { timeout: 20_000 }, () => {
  it('lists endpoints with their events, markets, status and delivery counts, dead letters in red', async () => {
    stubFetch({
      '/api/v1/webhooks': () =>
        jsonResponse({
          items: [
            webhook(),
            webhook({ id: 6, name: 'Partner CRM', markets: ['VN', 'TH'], active: false, event_types: ['sla.breached', 'case.escalated'], deliveries: { pending: 0, delivered: 3, dead: 2 } }),
          ],
          next_cursor: null,
        }),
    });
    renderApp('/admin/webhooks');
    const table = await screen.findByTestId('webhooks-table', {}, { timeout: 5000 });
    const lake = within(table).getByText('Data lake').closest('tr')!;
    expect(lake).toHaveTextContent('https://hooks.example.com/docket');
    expect(lake).toHaveTextContent('All markets');
    expect(lake).toHaveTextContent('Active');
    expect(within(lake).getByText('0 dead')).not.toHaveStyle({ fontWeight: 600 });
    const crm = within(table).getByText('Partner CRM').closest('tr')!;
    expect(crm).toHaveTextContent('TH, VN');
    expect(crm).toHaveTextContent('Disabled');
    // Event types in the order a case lives through them.
    expect(within(crm).getAllByText(/^(case|sla)\./).map((badge) => badge.textContent)).toEqual(['case.escalated', 'sla.breached']);
    expect(within(crm).getByText('2 dead')).toHaveAttribute('data-count', 'dead');
    expect(within(crm).getByText('2 dead').style.color).toContain('red');
    expect(within(table).getByRole('link', { name: 'Partner CRM' })).toHaveAttribute('href', '/admin/webhooks/6');
    expect(screen.getByRole('tab', { name: 'Webhooks' })).toHaveAttribute('aria-selected', 'true');
  });

  it('creates an endpoint, then shows its signing secret once with how to verify it', async () => {
    const user = userEvent.setup();
    const log: FetchCall[] = [];
    let sent: WebhookInput | undefined;
    let items: Webhook[] = [];
    stubFetch(
      {
        '/api/v1/webhooks': async (request) => {
          if (request.method === 'POST') {
            sent = (await request.json()) as WebhookInput;
            const created = webhook({ id: 9, name: sent.name, url: sent.url, event_types: sent.event_types, markets: sent.markets ?? [], version: 1, deliveries: { pending: 0, delivered: 0, dead: 0 } });
            items = [created];
            return jsonResponse({ ...created, secret: 'whsec_0123456789abcdef0123456789abcdef' }, 201);
          }
          return jsonResponse({ items, next_cursor: null });
        },
        '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      },
      { log },
    );
    renderApp('/admin/webhooks');
    await screen.findByText('No webhook endpoints yet', {}, { timeout: 5000 });

    await user.click(screen.getByRole('button', { name: 'New endpoint' }));
    const dialog = await screen.findByRole('dialog', { name: 'New webhook endpoint' });
    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Trust & Safety data lake');
    await user.type(within(dialog).getByRole('textbox', { name: /^URL/ }), 'https://lake.example.com/docket');
    await user.click(selectInput(dialog, /^Event types/));
    await user.click(await screen.findByRole('option', { name: /sla\.breached/ }));
    await user.click(await screen.findByRole('option', { name: /case\.created/ }));
    await user.click(selectInput(dialog, /^Markets/));
    await user.click(await screen.findByRole('option', { name: 'VN · Vietnam' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create endpoint' }));

    const secret = await screen.findByRole('dialog', { name: 'Copy the signing secret' });
    expect(within(secret).getByTestId('webhook-secret')).toHaveTextContent('whsec_0123456789abcdef0123456789abcdef');
    expect(within(secret).getByRole('alert')).toHaveTextContent('will not show it again');
    expect(within(secret).getByTestId('signature-how-to')).toHaveTextContent('Docket-Signature: t=<unix time>,v1=<hex>');
    expect(within(secret).getByTestId('signature-how-to')).toHaveTextContent('HMAC-SHA256(secret, "<t>.<raw body>")');
    expect(sent).toEqual({
      name: 'Trust & Safety data lake',
      url: 'https://lake.example.com/docket',
      event_types: ['case.created', 'sla.breached'],
      markets: ['VN'],
      active: true,
    });

    await user.click(within(secret).getByRole('button', { name: 'I have copied it' }));
    await waitFor(() => expect(screen.queryByText('whsec_0123456789abcdef0123456789abcdef')).not.toBeInTheDocument());
    expect(await within(await screen.findByTestId('webhooks-table')).findByText('Trust & Safety data lake')).toBeInTheDocument();
  });

  it('checks the form first, then shows the server’s field errors on their fields', async () => {
    const user = userEvent.setup();
    const log: FetchCall[] = [];
    stubFetch(
      {
        '/api/v1/webhooks': (request) =>
          request.method === 'POST'
            ? problemResponse(400, {
                title: 'Bad Request',
                code: 'invalid_webhook',
                detail: 'the webhook is not valid',
                request_id: 'req-1',
                errors: [{ field: 'url', code: 'invalid_url', message: 'use https (plain http only to localhost)' }],
              })
            : jsonResponse({ items: [], next_cursor: null }),
        '/api/v1/markets': () => jsonResponse({ items: seaMarkets, next_cursor: null }),
      },
      { log },
    );
    renderApp('/admin/webhooks');
    await screen.findByText('No webhook endpoints yet', {}, { timeout: 5000 });
    await user.click(screen.getByRole('button', { name: 'New endpoint' }));
    const dialog = await screen.findByRole('dialog', { name: 'New webhook endpoint' });

    await user.click(within(dialog).getByRole('button', { name: 'Create endpoint' }));
    expect(dialog).toHaveTextContent('Pick at least one event type');
    expect(dialog).toHaveTextContent('Pick the markets, or all markets');
    expect(log.some((call) => call.method === 'POST')).toBe(false);

    await user.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Partner CRM');
    await user.type(within(dialog).getByRole('textbox', { name: /^URL/ }), 'http://crm.example.com/hook');
    await user.click(selectInput(dialog, /^Event types/));
    await user.click(await screen.findByRole('option', { name: /case\.escalated/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /All markets/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Create endpoint' }));

    const url = within(dialog).getByRole('textbox', { name: /^URL/ });
    await waitFor(() => expect(url).toHaveAccessibleDescription(/Use https \(plain http only to localhost\)\./));
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('dialog', { name: 'Copy the signing secret' })).not.toBeInTheDocument();
  });
});
