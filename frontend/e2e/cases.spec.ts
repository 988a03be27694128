import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { deflateSync } from 'node:zlib';
import { DEMO_PASSWORD, demoEmail, loginViaApi, type DemoRole } from './helpers';

// The case workspace against the real server: a lead works one case from
// new to resolved; market isolation in the list; bulk tagging; evidence;
// a version conflict. Each test creates the cases it needs through the API
// (with names unique to the run), so it does not depend on the demo data.

interface CaseJson {
  id: number;
  version: number;
  status: string;
  market: string;
  subject: { display_name: string };
}

/** Logs `page` in as `role` and returns a small API client that sends the CSRF token. */
async function apiAs(page: Page, role: DemoRole) {
  const login = await page.request.post('/api/v1/auth/login', { data: { email: demoEmail(role), password: DEMO_PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const request: APIRequestContext = page.request;
  return {
    async post<T>(path: string, data: unknown): Promise<T> {
      const response = await request.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
      expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBe(true);
      return (await response.json()) as T;
    },
    async get<T>(path: string): Promise<T> {
      const response = await request.get(path);
      expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
      return (await response.json()) as T;
    },
  };
}

let counter = 0;
function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

function newCase(market: string, externalId: string, displayName: string, policy = 'counterfeit') {
  return {
    subject: { kind: 'seller', external_id: externalId, market, display_name: displayName, attributes: { followers: 12000 } },
    policy,
    summary: 'Buyers report fake branded bags (browser test).',
  };
}

/** A tiny valid PNG (a red square), for the evidence upload. */
function png(size = 24): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([200, 40, 40]))]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('a lead triages, claims, comments on and resolves a case, and the timeline shows it', async ({ page }) => {
  const api = await apiAs(page, 'lead');
  const name = uniqueName('Shop Hà Nội');
  const created = await api.post<CaseJson>('/api/v1/cases', newCase('VN', uniqueName('vn-shop'), name));

  await page.goto(`/cases/${created.id}`);
  const casePage = page.getByTestId('case-page');
  await expect(page.getByRole('heading', { level: 1, name: `Case #${created.id}` })).toBeVisible();
  await expect(page.getByTestId('subject-header')).toContainText(name);
  await expect(casePage).toHaveAttribute('data-status', 'new');

  const actions = page.getByTestId('case-actions');
  if (await actions.getByRole('button', { name: 'Triage' }).isVisible()) {
    await actions.getByRole('button', { name: 'Triage' }).click();
    await expect(casePage).toHaveAttribute('data-status', 'triaged');
  }
  await actions.getByRole('button', { name: 'Claim' }).click();
  await expect(casePage).toHaveAttribute('data-status', 'in_review');
  await expect(page.getByTestId('lease-badge')).toContainText('Claim expires in');

  const comment = `Photos match last month's takedown wave (${Date.now()}).`;
  await page.getByRole('textbox', { name: 'Comment' }).fill(comment);
  await page.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(page.getByTestId('comments-section').getByTestId('comment')).toContainText(comment);

  const form = page.getByTestId('decision-form');
  await expect(form.getByRole('checkbox', { name: /^Warn/ })).toBeDisabled();
  await form.getByRole('radio', { name: /^Violation/ }).check();
  await form.getByRole('checkbox', { name: /^Warn/ }).check();
  await expect(form.getByTestId('needs-approval-ban_seller')).toBeVisible();
  await form.getByRole('textbox', { name: /Rationale/ }).fill('First offence: warn the seller and keep watching the listings.');
  await form.getByRole('button', { name: 'Resolve case' }).click();

  await expect(casePage).toHaveAttribute('data-status', 'resolved');
  await expect(page.getByRole('heading', { level: 1, name: `Case #${created.id}` }).locator('..')).toContainText('Resolved');
  await expect(page.getByTestId('decision-form')).toHaveCount(0);
  await expect(page.getByTestId('decisions-section').getByTestId('decision-item')).toContainText('Warn');

  const timeline = page.getByTestId('case-timeline');
  await expect(timeline.locator('[data-event-type="resolve"]')).toContainText('Resolved');
  await expect(timeline.locator('[data-event-type="resolve"]')).toContainText('Violation');
  await expect(timeline.locator('[data-event-type="commented"]')).toContainText(comment);
  await expect(timeline.locator('[data-event-type="claim"]')).toContainText('Claimed');
  // Newest first.
  await expect(timeline.getByTestId('timeline-event').first()).toHaveAttribute('data-event-type', 'resolve');

  // The decision is on the subject's page too.
  await page.getByRole('link', { name: /Subject page/ }).click();
  await expect(page.getByTestId('subject-page')).toContainText(name);
  await expect(page.getByTestId('subject-decisions')).toContainText('First offence');
  await expect(page.getByTestId('strike-count')).toContainText('1');
});

test('a reviewer of VN sees no TH cases in the list, and a TH case is not found', async ({ page, browser }) => {
  const lead = await apiAs(page, 'lead');
  const thName = uniqueName('ร้าน TH only');
  const th = await lead.post<CaseJson>('/api/v1/cases', newCase('TH', uniqueName('th-shop'), thName));
  await lead.post<CaseJson>('/api/v1/cases', newCase('VN', uniqueName('vn-shop'), uniqueName('VN visible')));

  const context = await browser.newContext();
  const reviewerPage = await context.newPage();
  await loginViaApi(reviewerPage, 'reviewer');
  await reviewerPage.goto('/cases');
  const table = reviewerPage.getByTestId('cases-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  // Load every page the reviewer can see.
  // (Not waitForLoadState('networkidle'): the live-updates stream keeps a connection open, so the page never idles.)
  while (await reviewerPage.getByRole('button', { name: 'Load more' }).isVisible()) {
    const shown = await table.locator('tbody tr').count();
    await reviewerPage.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(shown);
  }
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  const markets = await rows.locator('td[data-col="market"]').allTextContents();
  expect(new Set(markets.map((m) => m.trim()))).toEqual(new Set(['VN']));
  await expect(table).not.toContainText(thName);

  // Even filtering for TH shows nothing, and a direct visit is "not found".
  await reviewerPage.goto('/cases?market=TH');
  await expect(reviewerPage.getByText('No cases match these filters')).toBeVisible();
  await reviewerPage.goto(`/cases/${th.id}`);
  await expect(reviewerPage.getByTestId('case-not-found')).toBeVisible();
  await context.close();
});

test('a lead bulk-adds a tag to two cases and sees each case’s result', async ({ page }) => {
  const api = await apiAs(page, 'lead');
  const marker = uniqueName('bulk');
  const first = await api.post<CaseJson>('/api/v1/cases', newCase('VN', `${marker}-a`, `${marker} shop A`));
  const second = await api.post<CaseJson>('/api/v1/cases', newCase('TH', `${marker}-b`, `${marker} shop B`, 'misleading_claim'));
  const tag = uniqueName('wave').toLowerCase();

  await page.goto(`/cases?q=${marker}`);
  const table = page.getByTestId('cases-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await page.getByRole('checkbox', { name: `Select case ${first.id}` }).check();
  await page.getByRole('checkbox', { name: `Select case ${second.id}` }).check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar).toContainText('2 selected');
  await bar.getByRole('button', { name: 'Tag' }).click();
  await page.getByRole('menuitem', { name: 'Add tag…' }).click();

  const dialog = page.getByRole('dialog', { name: /Add a tag · 2 cases/ });
  await dialog.getByRole('textbox', { name: 'Tag' }).fill(tag);
  await dialog.getByRole('button', { name: 'Add tag 2 cases' }).click();

  const results = dialog.getByTestId('bulk-results');
  await expect(results.locator('tbody tr')).toHaveCount(2);
  await expect(results.locator(`tr[data-case-id="${first.id}"]`)).toContainText('OK');
  await expect(results.locator(`tr[data-case-id="${second.id}"]`)).toContainText('OK');
  await expect(dialog.getByTestId('bulk-summary')).toContainText('2 succeeded');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // The list shows the tag, and filtering by it finds exactly these two.
  await page.goto(`/cases?tag=${tag}`);
  await expect(page.getByTestId('cases-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('cases-table')).toContainText(tag);
});

test('evidence: text and an image upload appear with previews and in the timeline', async ({ page }) => {
  // The image preview must not trip the page's CSP (img-src 'self').
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const api = await apiAs(page, 'lead');
  const created = await api.post<CaseJson>('/api/v1/cases', newCase('VN', uniqueName('vn-shop'), uniqueName('Evidence shop')));
  await page.goto(`/cases/${created.id}`);
  const section = page.getByTestId('evidence-section');

  await section.getByRole('button', { name: 'Add evidence' }).click();
  const form = section.getByRole('form', { name: 'Add evidence' });
  await form.getByRole('textbox', { name: 'Title' }).fill('Buyer report #8812');
  await form.getByRole('textbox', { name: 'Text' }).fill('The logo is crooked and the serial card is plain paper.');
  await form.getByRole('button', { name: 'Add evidence' }).click();
  await expect(section.locator('[data-testid="evidence-item"][data-kind="text"] blockquote')).toContainText('logo is crooked');

  await section.getByRole('button', { name: 'Add evidence' }).click();
  await form.getByText('File', { exact: true }).click();
  await expect(form.getByRole('radio', { name: 'File' })).toBeChecked();
  await form.getByRole('textbox', { name: 'Title' }).fill('Listing photo');
  await form.locator('input[type="file"]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png() });
  await form.getByRole('button', { name: 'Upload' }).click();
  const image = section.getByRole('img', { name: 'Listing photo' });
  await expect(image).toBeVisible();
  // The preview really loaded (the download URL serves the bytes to the session).
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);
  await expect(section.locator('[data-kind="file"]')).toContainText('image/png');

  await expect(page.getByTestId('case-timeline').locator('[data-event-type="evidence_added"]')).toHaveCount(2);
  expect(consoleErrors).toEqual([]);
});

test('acting on a case someone else just changed says so and reloads it', async ({ page }) => {
  // With live updates the page would refetch the case before the click; without them (the stream is down) the
  // page is stale, and the server's version check is what catches it.
  await page.route('**/api/v1/stream*', (route) => route.abort());
  const api = await apiAs(page, 'lead');
  const created = await api.post<CaseJson>('/api/v1/cases', newCase('VN', uniqueName('vn-shop'), uniqueName('Conflict shop')));
  await page.goto(`/cases/${created.id}`);
  await expect(page.getByTestId('case-page')).toHaveAttribute('data-version', String(created.version));

  // Someone else triages it meanwhile (same account, another tab: the version moves on).
  await api.post<CaseJson>(`/api/v1/cases/${created.id}/triage`, { version: created.version });

  await page.getByTestId('case-actions').getByRole('button', { name: 'Assign…' }).click();
  const dialog = page.getByRole('dialog', { name: `Assign case #${created.id}` });
  await dialog.getByRole('combobox', { name: 'Assign to' }).click();
  await page.getByRole('option', { name: /^Me/ }).click();
  await dialog.getByRole('button', { name: 'Assign' }).click();

  const notice = page.getByTestId('version-conflict');
  await expect(notice).toContainText('This case changed — reload');
  await notice.getByRole('button', { name: 'Reload case' }).click();
  await expect(notice).toBeHidden();
  await expect(page.getByTestId('case-page')).toHaveAttribute('data-status', 'triaged');
});

test('a case page follows changes made elsewhere, live', async ({ page }) => {
  const api = await apiAs(page, 'lead');
  const created = await api.post<CaseJson>('/api/v1/cases', newCase('VN', uniqueName('vn-shop'), uniqueName('Live shop')));
  await page.goto(`/cases/${created.id}`);
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('case-page')).toHaveAttribute('data-status', created.status);

  // Someone else (here: the same lead through the API) triages and claims it; the open page shows it without a reload.
  let version = created.version;
  if (created.status === 'new') version = (await api.post<CaseJson>(`/api/v1/cases/${created.id}/triage`, { version })).version;
  await api.post<CaseJson>(`/api/v1/cases/${created.id}/claim`, { version });
  await expect(page.getByTestId('case-page')).toHaveAttribute('data-status', 'in_review');
  await expect(page.getByTestId('lease-badge')).toContainText('Claim expires in');
  await expect(page.getByTestId('case-timeline').locator('[data-event-type="claim"]')).toBeVisible();
});
