import { expect, test, type Browser, type Page } from '@playwright/test';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_PASSWORD, demoEmail, loginViaApi, type DemoRole } from './helpers';

// Webhooks end to end: an admin adds an endpoint in the browser, a lead's
// change raises a subscribed event, the real server POSTs it to a receiver
// this test runs on 127.0.0.1, and the admin sees how the delivery went.
// Each test makes its own endpoint and case (names unique to the run) and
// disables its endpoint at the end, so the specs sharing the server are not
// disturbed and the order does not matter.

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A tiny webhook receiver: answers `status` and remembers every request. */
async function startReceiver(status = 200): Promise<{ url: (path: string) => string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(status, { 'Content-Type': 'text/plain' });
      response.end(status === 200 ? 'ok' : 'receiver is down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The receiver's check: `Docket-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
function signatureValid(header: string | string[] | undefined, secret: string, body: Buffer): boolean {
  if (typeof header !== 'string') return false;
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const t = parts.t ?? '';
  const v1 = parts.v1 ?? '';
  const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected)) && Math.abs(Date.now() / 1000 - Number(t)) < 300;
}

/** The request about case `caseId`, once the receiver has it. */
function aboutCase(received: readonly Received[], caseId: number): Received | undefined {
  return received.find((r) => (JSON.parse(r.body.toString()) as { data?: { case?: { id?: number } } }).data?.case?.id === caseId);
}

/** A separate browser session for `role`, with a small API client that sends its CSRF token. */
async function sessionAs(browser: Browser, baseURL: string, role: DemoRole) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const login = await page.request.post('/api/v1/auth/login', { data: { email: demoEmail(role), password: DEMO_PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return {
    page,
    close: () => context.close(),
    async send<T>(method: 'POST' | 'PUT', path: string, data: unknown): Promise<T> {
      const response = await page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': csrf } });
      expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
      return (await response.json()) as T;
    },
  };
}

/** Turns an endpoint off through the API (its id from the detail page's URL), so later tests' cases do not reach it. */
async function disableEndpoint(page: Page, id: number) {
  const me = (await (await page.request.get('/api/v1/me')).json()) as { csrf_token: string };
  const { name, url, event_types, markets, version } = (await (await page.request.get(`/api/v1/webhooks/${id}`)).json()) as Record<string, unknown>;
  const response = await page.request.put(`/api/v1/webhooks/${id}`, {
    headers: { 'X-CSRF-Token': me.csrf_token },
    data: { name, url, event_types, markets, version, active: false },
  });
  expect(response.status(), await response.text()).toBe(200);
}

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

test('an admin adds a webhook; a lead’s new case reaches the receiver signed, and the admin sees it delivered', async ({ page, browser, baseURL }) => {
  const receiver = await startReceiver(200);
  const name = unique('Data lake');
  let endpointId = 0;
  try {
    await loginViaApi(page, 'admin');
    await page.goto('/admin/webhooks');
    await page.getByRole('tab', { name: 'Webhooks' }).waitFor();
    await page.getByRole('button', { name: 'New endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'New webhook endpoint' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    await dialog.getByRole('textbox', { name: 'URL' }).fill(receiver.url('/hook'));
    await dialog.getByRole('combobox', { name: 'Event types' }).click();
    await page.getByRole('option', { name: /^case\.created/ }).click();
    await page.getByRole('option', { name: /^case\.escalated/ }).click();
    await dialog.getByRole('textbox', { name: 'Name' }).click(); // close the dropdown
    await dialog.getByRole('combobox', { name: 'Markets' }).click();
    await page.getByRole('option', { name: /^VN/ }).click();
    await dialog.getByRole('textbox', { name: 'Name' }).click();
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();

    // The secret, once, with how to check it.
    const secretModal = page.getByRole('dialog', { name: 'Copy the signing secret' });
    await expect(secretModal).toContainText('This is the only time you will see it');
    await expect(secretModal.getByTestId('signature-how-to')).toContainText('Docket-Signature');
    const secret = ((await secretModal.getByTestId('webhook-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    await secretModal.getByRole('button', { name: 'I have copied it' }).click();
    await expect(secretModal).toBeHidden();
    const row = page.locator('tr', { has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toContainText('case.created');
    await expect(row).toContainText('VN');
    await expect(row).toContainText('Active');
    await row.getByRole('link', { name, exact: true }).click();
    await expect(page.getByTestId('webhook-name')).toHaveText(name);
    endpointId = Number(/\/admin\/webhooks\/(\d+)/.exec(page.url())?.[1]);
    // Gone for good: neither the page nor the API shows it again.
    await expect(page.getByText(secret)).toHaveCount(0);
    expect(await (await page.request.get(`/api/v1/webhooks/${endpointId}`)).text()).not.toContain(secret);

    // The lead opens a case in VN through the UI: case.created.
    const lead = await sessionAs(browser, baseURL!, 'lead');
    const externalId = unique('vn-hook-seller');
    let caseId = 0;
    try {
      await lead.page.goto('/cases');
      await lead.page.getByRole('button', { name: 'New case' }).click();
      const form = lead.page.getByRole('dialog', { name: 'New case' });
      await form.getByRole('combobox', { name: 'Subject kind' }).click();
      await lead.page.getByRole('option', { name: 'Seller' }).click();
      await form.getByRole('textbox', { name: 'External id' }).fill(externalId);
      await form.getByRole('combobox', { name: 'Market' }).click();
      await lead.page.getByRole('option', { name: /^VN/ }).click();
      await form.getByRole('combobox', { name: 'Policy' }).click();
      await lead.page.getByRole('option', { name: 'Counterfeit goods' }).click();
      await form.getByRole('button', { name: 'Create case' }).click();
      await lead.page.waitForURL(/\/cases\/\d+$/);
      caseId = Number(/\/cases\/(\d+)$/.exec(lead.page.url())?.[1]);
    } finally {
      await lead.close();
    }

    // The receiver gets a signed POST about that case.
    await expect.poll(() => aboutCase(receiver.received, caseId) !== undefined, { timeout: 15_000 }).toBe(true);
    const ours = aboutCase(receiver.received, caseId)!;
    expect(ours.path).toBe('/hook');
    expect(ours.headers['content-type']).toBe('application/json');
    expect(ours.headers['docket-event']).toBe('case.created');
    expect(signatureValid(ours.headers['docket-signature'], secret, ours.body)).toBe(true);
    expect(signatureValid(ours.headers['docket-signature'], 'whsec_wrong', ours.body)).toBe(false);
    const payload = JSON.parse(ours.body.toString()) as { id: string; type: string; data: { case: { id: number; market: string } } };
    expect(payload.type).toBe('case.created');
    expect(payload.id).toBe(ours.headers['docket-event-id']);
    expect(payload.data.case).toMatchObject({ id: caseId, market: 'VN', status: expect.any(String) });

    // The admin's deliveries table shows it delivered, with the payload behind the row.
    await expect(async () => {
      await page.reload();
      const delivered = page.getByTestId('deliveries-table').locator('tr[data-status="delivered"]', { hasText: `#${caseId}` });
      await expect(delivered).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 15_000 });
    const delivered = page.getByTestId('deliveries-table').locator('tr[data-status="delivered"]', { hasText: `#${caseId}` });
    await expect(delivered).toContainText('Delivered');
    await expect(delivered).toContainText('case.created');
    await expect(delivered.getByTestId('last-status-code')).toHaveText('200');
    await delivered.getByRole('button', { name: /^Show payload/ }).click();
    await expect(page.getByTestId('delivery-payload')).toContainText(`"id": ${caseId},`);
    await expect(page.getByTestId('delivery-payload')).toContainText(payload.id);

    // Only the delivered ones, through the filter in the URL.
    await page.locator('label', { hasText: /^Delivered\s*\d+$/ }).click();
    await expect(page.getByRole('radio', { name: /^Delivered/ })).toBeChecked();
    await expect(page).toHaveURL(/status=delivered/);
    await expect(page.getByTestId('deliveries-table').locator('tbody tr[data-status]').first()).toHaveAttribute('data-status', 'delivered');
  } finally {
    if (endpointId) await disableEndpoint(page, endpointId);
    await receiver.close();
  }
});

test('a receiver that answers 500 leaves the delivery pending with the status and error shown', async ({ page, browser, baseURL }) => {
  const receiver = await startReceiver(500);
  const admin = await sessionAs(browser, baseURL!, 'admin');
  let endpointId = 0;
  try {
    const created = await admin.send<{ id: number; secret: string }>('POST', '/api/v1/webhooks', {
      name: unique('Flaky partner'),
      url: receiver.url('/fail'),
      event_types: ['case.created'],
      markets: ['TH'],
    });
    endpointId = created.id;

    const lead = await sessionAs(browser, baseURL!, 'lead');
    const externalId = unique('th-hook-seller');
    let caseId = 0;
    try {
      const kase = await lead.send<{ id: number }>('POST', '/api/v1/cases', {
        subject: { kind: 'listing', external_id: externalId, market: 'TH', display_name: 'Knock-off sneakers listing' },
        policy: 'counterfeit',
      });
      caseId = kase.id;
    } finally {
      await lead.close();
    }
    await expect.poll(() => aboutCase(receiver.received, caseId) !== undefined, { timeout: 15_000 }).toBe(true);

    await loginViaApi(page, 'admin');
    await page.goto(`/admin/webhooks/${endpointId}?status=pending`);
    await expect(page.getByRole('radio', { name: /^Pending/ })).toBeChecked();
    const row = page.getByTestId('deliveries-table').locator('tr', { hasText: `#${caseId}` });
    // The attempt is recorded just after the receiver answered; the page refreshes pending rows on its own.
    await expect(row.getByTestId('last-status-code')).toHaveText('500', { timeout: 20_000 });
    await expect(row).toHaveAttribute('data-status', 'pending');
    await expect(row).toContainText('Pending');
    await expect(row.getByTestId('last-error')).toContainText('HTTP 500');
    // Retried with back-off from a minute: the next attempt is ahead, and there is nothing to redeliver yet.
    await expect(row.getByTestId('next-attempt')).toHaveText(/^in \d+ min$/);
    await expect(row.getByRole('button', { name: /Redeliver/ })).toHaveCount(0);
    await row.getByRole('button', { name: /^Show payload/ }).click();
    await expect(page.getByTestId(/^delivery-details-/)).toContainText('receiver is down for maintenance');

    // The endpoint list counts it as pending.
    await page.goto('/admin/webhooks');
    const listed = page.locator(`tr:has(a[href="/admin/webhooks/${endpointId}"])`);
    await expect(listed.locator('[data-count="pending"]')).not.toHaveText('0 pending');
  } finally {
    if (endpointId) await disableEndpoint(admin.page, endpointId);
    await admin.close();
    await receiver.close();
  }
});
