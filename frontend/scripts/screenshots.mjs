// Screenshots of the account, admin, audit and case pages, for a look by eye.
//   node scripts/screenshots.mjs [baseURL] [outDir]
//   SHOTS=queues node scripts/screenshots.mjs …   only the queue workspace
//   SHOTS=webhooks node scripts/screenshots.mjs … only webhooks, market SLA clocks and the notification bell
//   SHOTS=rules node scripts/screenshots.mjs …    only rules (list, editor with an error, test bench, backtest,
//   versions, hits, publish dialog), a case's rule hits and the routing table (adds a draft rule and a backtest)
//   (these add two webhook endpoints that POST to a receiver the script runs on 127.0.0.1 while it lasts)
// Needs a running `docket serve` with the demo loaded (docket demo; the case
// shots change demo cases: tag two, add evidence to one; the queue shots
// create five VN cases, declare an emergency and empty the VN review queue),
// and the
// system Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Never downloads a browser.
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const out = process.argv[3] ?? 'test-results/screenshots';
const password = 'docket-demo-password';

await mkdir(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function shot(page, name) {
  // Full-page shots of a scrolled page repeat the fixed header mid-page; toasts cover content.
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const close of await page.locator('.mantine-Notification-root .mantine-CloseButton-root').all()) await close.click().catch(() => {});
  await page.waitForTimeout(400); // let transitions settle
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`${out}/${name}.png`);
}

async function session(email) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1360, height: 860 }, timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-menu').waitFor();
  return { context, page };
}

/** The first case the session sees with these list filters, e.g. `status=awaiting_approval&market=VN`. */
async function firstCase(page, query) {
  const response = await page.request.get(`/api/v1/cases?${query}&limit=1`);
  const list = await response.json();
  if (!list.items?.length) throw new Error(`no case for ${query}: run docket demo first`);
  return list.items[0];
}

/** A small PNG (a product-photo stand-in) for the evidence upload. */
function photo(width = 360, height = 240) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = [0];
    for (let x = 0; x < width; x++) {
      const band = y > height * 0.42 && y < height * 0.58;
      row.push(band ? 170 : 235 - Math.round((x / width) * 70), band ? 45 : 225 - Math.round((y / height) * 60), band ? 55 : 210);
    }
    rows.push(Buffer.from(row));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The case workspace: list with filters and bulk results, a case in review, approval, evidence, subject, shortcuts, new case. */
async function caseScreenshots() {
  const lead = await session('lead@demo.docket.test');
  const { page } = lead;

  await page.goto('/cases?status=new,triaged,in_review,escalated&severity=critical,high&sort=due');
  await page.getByTestId('cases-table').waitFor();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.getByRole('checkbox', { name: /^Select case/ }).nth(0).check();
  await page.getByRole('checkbox', { name: /^Select case/ }).nth(2).check();
  await shot(page, '14-cases-filtered');

  const bar = page.getByTestId('bulk-bar');
  await bar.getByRole('button', { name: 'Tag' }).click();
  await page.getByRole('menuitem', { name: 'Add tag…' }).click();
  const bulk = page.getByRole('dialog', { name: /Add a tag/ });
  await bulk.getByRole('textbox', { name: 'Tag' }).fill('haze-alert');
  await bulk.getByRole('button', { name: /^Add tag/ }).click();
  await bulk.getByTestId('bulk-results').waitFor();
  await shot(page, '15-cases-bulk-results');
  await bulk.getByRole('button', { name: 'Done' }).click();

  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await shot(page, '16-shortcuts-help');
  await page.keyboard.press('Escape');

  // Awaiting approval, seen by a lead who did not make the decision.
  const pending = await firstCase(page, 'status=awaiting_approval&market=VN');
  await page.goto(`/cases/${pending.id}`);
  await page.getByTestId('approval-banner').waitFor();
  await shot(page, '17-case-awaiting-approval');

  // Evidence with an image, uploaded through the form.
  const withEvidence = await firstCase(page, 'status=escalated&market=VN');
  await page.goto(`/cases/${withEvidence.id}`);
  const section = page.getByTestId('evidence-section');
  await section.getByRole('button', { name: 'Add evidence' }).click();
  const form = section.getByRole('form', { name: 'Add evidence' });
  await form.getByText('File', { exact: true }).click();
  await form.getByRole('textbox', { name: 'Title' }).fill('Clip still at 00:41:10');
  await form.locator('input[type="file"]').setInputFiles({ name: 'clip-still.png', mimeType: 'image/png', buffer: photo() });
  await form.getByRole('button', { name: 'Upload' }).click();
  await section.getByRole('img', { name: 'Clip still at 00:41:10' }).waitFor();
  await section.getByRole('button', { name: 'Add evidence' }).click();
  await form.getByText('JSON', { exact: true }).click();
  await form.getByRole('textbox', { name: 'Title' }).fill('Viewer report burst');
  await form.getByRole('textbox', { name: 'JSON' }).fill('{"reports": 112, "window_minutes": 20, "top_reason": "harassment"}');
  await form.getByRole('button', { name: 'Add evidence' }).click();
  await section.locator('[data-kind="json"]').waitFor();
  await page.waitForTimeout(300);
  await section.screenshot({ path: `${out}/18-case-evidence.png` });
  console.log(`${out}/18-case-evidence.png`);

  await page.getByRole('link', { name: /Subject page/ }).click();
  await page.getByTestId('subject-page').waitFor();
  await shot(page, '19-subject');

  await page.goto('/cases');
  await page.getByRole('button', { name: 'New case' }).click();
  const dialog = page.getByRole('dialog', { name: 'New case' });
  await dialog.getByRole('combobox', { name: 'Subject kind' }).click();
  await page.getByRole('option', { name: 'Seller' }).click();
  await dialog.getByRole('textbox', { name: 'External id' }).fill('vn-shop-4471');
  await dialog.getByRole('combobox', { name: 'Market' }).click();
  await page.getByRole('option', { name: /^VN/ }).click();
  await dialog.getByRole('combobox', { name: 'Policy' }).click();
  await page.getByRole('option', { name: 'Counterfeit goods' }).click();
  await dialog.getByRole('button', { name: 'Create case' }).click();
  await dialog.getByRole('link', { name: /Open case #/ }).waitFor();
  await shot(page, '20-new-case-exists');
  await lead.context.close();

  // A reviewer working a case they hold: the decision form, a high-impact action chosen.
  const reviewer = await session('reviewer@demo.docket.test');
  const triaged = await firstCase(reviewer.page, 'status=triaged&market=VN');
  await reviewer.page.goto(`/cases/${triaged.id}`);
  await reviewer.page.getByTestId('case-actions').getByRole('button', { name: 'Claim' }).click();
  const decision = reviewer.page.getByTestId('decision-form');
  await decision.waitFor();
  await decision.getByRole('radio', { name: /^Violation/ }).check();
  await decision.getByRole('checkbox').first().check();
  await decision.locator('[data-testid^="needs-approval-"]').last().click();
  await decision.getByRole('textbox', { name: /Rationale/ }).fill('Lookbook photos reused; seller could not show purchase invoices. Third counterfeit case in 90 days.');
  await shot(reviewer.page, '21-case-in-review-decision');
  await reviewer.context.close();
}

/** A small API client for a logged-in page: sends the CSRF token on unsafe requests. */
async function apiOf(page) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const csrf = me.csrf_token;
  const call = async (method, path, data) => {
    const response = await page.request.fetch(path, { method, data, headers: { 'X-CSRF-Token': csrf } });
    const body = await response.json().catch(() => ({}));
    return { status: response.status(), body };
  };
  return { get: (path) => call('GET', path), post: (path, data) => call('POST', path, data ?? {}) };
}

/** A fresh VN case, triaged so a reviewer can claim it. */
async function triagedCase(api, name, policy = 'counterfeit', severity = 'high') {
  const external = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}`;
  const created = await api.post('/api/v1/cases', {
    subject: { kind: 'seller', external_id: external, market: 'VN', display_name: name, attributes: { followers: 48000 } },
    policy,
    severity,
    summary: 'Buyers report counterfeit goods (screenshot data).',
  });
  if (created.status !== 201) throw new Error(`create case: ${created.status} ${JSON.stringify(created.body)}`);
  if (created.body.status !== 'new') return created.body;
  const triaged = await api.post(`/api/v1/cases/${created.body.id}/triage`, { version: created.body.version });
  return triaged.body;
}

/** The queue workspace: a reviewer's home with a claimed case counting down, an empty queue, and the lead console. */
async function queueScreenshots() {
  const lead = await session('lead@demo.docket.test');
  const leadApi = await apiOf(lead.page);
  // Work to claim and to assign, and one emergency for the console's banner.
  await triagedCase(leadApi, 'Đồng Hồ Chính Hãng 24h');
  await triagedCase(leadApi, 'Mỹ Phẩm Sài Gòn', 'misleading_claim', 'medium');
  await triagedCase(leadApi, 'Giày Thể Thao Outlet', 'counterfeit', 'medium');
  const urgent = await triagedCase(leadApi, 'Baby Formula Express', 'dangerous_goods', 'critical');
  await leadApi.post(`/api/v1/cases/${urgent.id}/declare_emergency`, { version: urgent.version, reason: 'Formula batch recalled by the ministry today; listing still live.' });

  const reviewer = await session('reviewer@demo.docket.test');
  const { page } = reviewer;
  await page.goto('/queues');
  await page.getByTestId('queue-list').waitFor();
  await page.locator('[data-testid="live-indicator"][data-state="live"]').waitFor();
  await page.getByRole('button', { name: 'Claim next from Vietnam review' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  await page.getByTestId('lease-control').waitFor();
  await shot(page, '22-case-claimed-lease');
  await page.goto('/queues');
  await page.getByTestId('my-case').first().waitFor();
  await shot(page, '23-reviewer-home');

  // Empty the reviewer's queue, then ask once more.
  const reviewerApi = await apiOf(page);
  const queues = (await reviewerApi.get('/api/v1/queues')).body.items;
  const vn = queues.find((q) => q.name === 'Vietnam review');
  for (let i = 0; i < 50; i++) if ((await reviewerApi.post(`/api/v1/queues/${vn.id}/claim`)).status !== 200) break;
  await page.getByRole('button', { name: 'Claim next from Vietnam review' }).click();
  await page.getByTestId('queue-empty').waitFor();
  await shot(page, '24-queue-empty');
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await shot(page, '25-queue-shortcuts');
  await reviewer.context.close();

  // Fresh unassigned work for the assignment panel (the reviewer took the rest).
  await triagedCase(leadApi, 'Túi Xách Hàng Hiệu Sale', 'counterfeit', 'high');
  await triagedCase(leadApi, 'Live Bán Hàng Đêm', 'off_platform_transaction', 'medium');
  await lead.page.goto('/queues/console');
  await lead.page.getByTestId('lead-console').waitFor();
  await lead.page.locator('[data-testid="console-emergencies"][data-count]').waitFor();
  await lead.page.getByTestId('assign-reviewers').waitFor();
  await shot(lead.page, '26-lead-console');
  await lead.page.getByTestId('console-escalations').getByRole('button', { name: /^De-escalate case/ }).first().click();
  await lead.page.getByTestId('deescalate-menu').getByRole('menuitem').nth(1).waitFor();
  await shot(lead.page, '27-deescalate-menu');
  await lead.page.keyboard.press('Escape');
  await lead.context.close();
}

/** Webhooks (a healthy receiver and one answering 500), market SLA clocks, and a lead's notification bell. */
async function webhookScreenshots() {
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const failing = request.url === '/fail';
      response.writeHead(failing ? 500 : 200, { 'Content-Type': 'text/plain' });
      response.end(failing ? 'upstream error: warehouse write timed out after 10s' : 'ok');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = (path) => `http://127.0.0.1:${receiver.address().port}${path}`;
  try {
    const admin = await session('admin@demo.docket.test');
    const { page } = admin;
    const newEndpoint = async (name, path, events, markets) => {
      await page.goto('/admin/webhooks');
      await page.getByRole('button', { name: 'New endpoint' }).click();
      const dialog = page.getByRole('dialog', { name: 'New webhook endpoint' });
      await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
      await dialog.getByRole('textbox', { name: 'URL' }).fill(hookUrl(path));
      await dialog.getByRole('combobox', { name: 'Event types' }).click();
      for (const event of events) await page.getByRole('option', { name: new RegExp(`^${event.replace('.', '\\.')}`) }).click();
      await dialog.getByRole('textbox', { name: 'Name' }).click();
      await dialog.getByRole('combobox', { name: 'Markets' }).click();
      for (const market of markets) await page.getByRole('option', { name: new RegExp(`^${market}`) }).click();
      await dialog.getByRole('textbox', { name: 'Name' }).click();
      return dialog;
    };
    const lake = await newEndpoint('Trust & Safety data lake', '/hook', ['case.created', 'case.escalated', 'case.emergency', 'case.resolved'], ['VN', 'TH']);
    await shot(page, '30-webhook-new');
    await lake.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    await shot(page, '31-webhook-secret');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const partner = await newEndpoint('Partner CRM (staging)', '/fail', ['case.created', 'sla.breached'], ['VN']);
    await partner.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    await page.getByRole('button', { name: 'I have copied it' }).click();

    // Cases in VN: delivered to the data lake, refused (500) by the partner.
    const lead = await session('lead@demo.docket.test');
    const leadApi = await apiOf(lead.page);
    for (const name of ['Kedai Jam Tangan Murah', 'Áo Khoác Hàng Hiệu Giá Sốc']) {
      const created = await leadApi.post('/api/v1/cases', {
        subject: { kind: 'seller', external_id: `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-${Date.now().toString(36)}`, market: 'VN', display_name: name },
        policy: 'counterfeit',
        severity: 'high',
      });
      if (created.status !== 201) throw new Error(`create case: ${created.status} ${JSON.stringify(created.body)}`);
    }
    await page.waitForTimeout(2500); // the server delivers within a second of the commit

    await page.goto('/admin/webhooks');
    await page.getByTestId('webhooks-table').waitFor();
    await shot(page, '32-webhooks');
    await page.getByRole('link', { name: 'Partner CRM (staging)' }).click();
    await page.locator('[data-testid="deliveries-table"] [data-testid="last-status-code"]', { hasText: '500' }).first().waitFor();
    await page.getByRole('button', { name: /^Show payload/ }).first().click();
    await shot(page, '33-webhook-deliveries-failing');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await shot(page, '34-webhook-rotate-confirm');
    await page.keyboard.press('Escape');
    await page.goto('/admin/webhooks');
    await page.getByRole('link', { name: 'Trust & Safety data lake' }).click();
    await page.locator('[data-testid="deliveries-table"] tr[data-status="delivered"]').first().waitFor();
    await shot(page, '35-webhook-deliveries-delivered');

    await page.goto('/admin/markets');
    await page.getByTestId('market-settings-table').waitFor();
    await page.getByRole('button', { name: 'Edit SLA clock of ID' }).click();
    const market = page.getByRole('dialog', { name: /SLA clock · ID/ });
    await market.getByRole('radio', { name: /Business hours/ }).check();
    await market.locator('label', { hasText: /^Sat$/ }).click();
    await market.getByRole('textbox', { name: 'Day ends' }).fill('20:00');
    await shot(page, '36-market-sla-edit');
    await market.getByRole('button', { name: 'Save' }).click();
    await market.waitFor({ state: 'hidden' });
    await shot(page, '37-markets');
    await admin.context.close();

    // The lead's bell: SLA breaches of the demo (and anything since).
    await lead.page.goto('/cases');
    await lead.page.getByTestId('notification-bell').click();
    await lead.page.getByTestId('notification-popover').waitFor();
    await shot(lead.page, '38-notification-bell');
    await lead.context.close();
  } finally {
    receiver.close();
  }
}

/** Rules: the list, a new rule with a type error under its line, a demo rule's tabs, publishing, a case's hits, routing. */
async function ruleScreenshots() {
  const analyst = await session('analyst@demo.docket.test');
  const page = analyst.page;
  await page.goto('/rules');
  await page.getByTestId('rules-table').waitFor();
  await shot(page, '60-rules-list');

  await page.goto('/rules/new');
  await page.getByRole('textbox', { name: 'Name' }).fill('Report burst on new listings');
  await page.getByRole('combobox', { name: 'Markets' }).click();
  await page.getByRole('option', { name: 'VN · Vietnam' }).click();
  await page.getByRole('option', { name: 'TH · Thailand' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('combobox', { name: 'Signal types' }).fill('report.filed');
  await page.keyboard.press('Enter');
  await page.getByRole('textbox', { name: 'Expression' }).fill('signal.type == "report.filed"\n  and count("report.filed", "1h") >= "ten"\n  and subject.age_days < 30');
  await page.getByTestId('expression-error').first().waitFor();
  await shot(page, '61-rule-new-expression-error');

  const { items } = await (await page.request.get('/api/v1/rules?status=live&limit=1')).json();
  const live = items[0];
  await page.goto(`/rules/${live.id}`);
  await page.getByTestId('rule-page').waitFor();
  await page.getByRole('button', { name: 'Test against a sample signal' }).click();
  await page.getByRole('button', { name: 'Run test' }).click();
  await page.getByTestId('test-verdict').waitFor();
  await shot(page, '62-rule-definition-test');

  await page.getByRole('tab', { name: 'Backtest' }).click();
  await page.getByRole('button', { name: 'Run backtest' }).click();
  await page.locator('[data-testid="backtest-view"][data-status="done"]').waitFor({ timeout: 60_000 });
  await shot(page, '63-rule-backtest');
  await page.getByRole('tab', { name: 'Versions' }).click();
  await page.getByTestId('version-diff').waitFor();
  await shot(page, '64-rule-versions');
  await page.getByRole('tab', { name: 'Hits' }).click();
  await page.getByTestId('hits-table').waitFor();
  await shot(page, '65-rule-hits');
  await analyst.context.close();

  // The demo's shadow rules run in every market: only an admin (rule.publish in *) may publish them.
  const admin = await session('admin@demo.docket.test');
  const shadow = (await (await admin.page.request.get('/api/v1/rules?status=shadow&limit=1')).json()).items[0];
  if (shadow) {
    await admin.page.goto(`/rules/${shadow.id}`);
    await admin.page.getByRole('button', { name: 'Publish (make live)' }).click();
    await admin.page.getByTestId('publish-markets').waitFor();
    await shot(admin.page, '66-rule-publish-confirm');
  }
  await admin.context.close();

  const lead = await session('lead@demo.docket.test');
  const hit = (await (await lead.page.request.get(`/api/v1/rules/${live.id}/hits?mode=live&limit=20`)).json()).items.find((h) => h.case_id && h.subject.market === 'VN');
  if (hit) {
    await lead.page.goto(`/cases/${hit.case_id}`);
    await lead.page.getByTestId('rule-hits').waitFor();
    await shot(lead.page, '67-case-rule-hits');
  }
  await lead.page.goto('/admin/routing');
  await lead.page.getByTestId('routes-VN').waitFor();
  await shot(lead.page, '68-admin-routing');
  await lead.context.close();
}

try {
  if (process.env.SHOTS === 'rules') {
    await ruleScreenshots();
    await browser.close();
    process.exit(0);
  }
  if (process.env.SHOTS === 'queues') {
    await queueScreenshots();
    process.exit(0);
  }
  if (process.env.SHOTS === 'webhooks') {
    await webhookScreenshots();
    await browser.close();
    process.exit(0);
  }
  // Login, empty and with an error.
  {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    await page.goto('/login?next=%2Faudit');
    await shot(page, '01-login');
    await page.getByRole('textbox', { name: 'Email' }).fill('qa@demo.docket.test');
    await page.getByRole('textbox', { name: 'Password' }).fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('login-error').waitFor();
    await shot(page, '02-login-error');
    await context.close();
  }

  // The lead signs in somewhere, so their page has a live session to show.
  const lead = await session('lead@demo.docket.test');
  await lead.context.close();

  const { context, page } = await session('admin@demo.docket.test');
  await page.getByTestId('user-menu').click();
  await shot(page, '03-user-menu');
  await page.keyboard.press('Escape');

  await page.goto('/admin/users');
  await page.getByTestId('users-table').waitFor();
  await shot(page, '04-admin-users');

  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill('not-an-email');
  await dialog.getByRole('textbox', { name: 'Initial password' }).fill('short');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await shot(page, '05-new-user-invalid');
  await page.keyboard.press('Escape');

  await page.goto('/admin/users?q=lead');
  await page.getByRole('link', { name: 'lead@demo.docket.test' }).click();
  await page.getByTestId('user-name').waitFor();
  await page.getByTestId('sessions-table').waitFor();
  await shot(page, '06-user-detail');
  await page.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await shot(page, '07-deactivate-confirm');
  await page.keyboard.press('Escape');
  // A grant, so the audit log has a before/after worth looking at.
  const grantForm = page.getByRole('form', { name: 'Grant role' });
  await grantForm.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'qa' }).click();
  await grantForm.getByRole('combobox', { name: 'Market' }).click();
  await page.getByRole('option', { name: /^ID/ }).click();
  await grantForm.getByRole('button', { name: 'Grant role' }).click();
  await page.locator('[data-grant="qa/ID"]').waitFor();

  await page.goto('/admin/tokens');
  await page.getByRole('button', { name: 'New token' }).click();
  const tokenDialog = page.getByRole('dialog', { name: 'New API token' });
  await tokenDialog.getByRole('textbox', { name: 'Name' }).fill('Refund-spike detector');
  await tokenDialog.getByRole('combobox', { name: 'Scopes' }).click();
  await page.getByRole('option', { name: /signals:write/ }).click();
  await tokenDialog.getByRole('textbox', { name: 'Name' }).click();
  await tokenDialog.getByRole('combobox', { name: 'Markets' }).click();
  await page.getByRole('option', { name: /VN/ }).click();
  await page.getByRole('option', { name: /TH/ }).click();
  await tokenDialog.getByRole('textbox', { name: 'Name' }).click();
  await shot(page, '08-new-token');
  await tokenDialog.getByRole('button', { name: 'Create token' }).click();
  await page.getByTestId('token-secret').waitFor();
  await shot(page, '09-token-secret');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await shot(page, '10-admin-tokens');
  await context.close();

  const auditor = await session('auditor@demo.docket.test');
  await auditor.page.goto('/audit');
  await auditor.page.locator('[data-testid="chain-status"][data-state="ok"]').waitFor();
  for (const action of ['grant.add', 'token.create']) {
    await auditor.page.locator(`[data-testid="audit-table"] tbody tr[data-action="${action}"]`).first().getByRole('button').click();
  }
  await shot(auditor.page, '11-audit-expanded');
  await auditor.page.goto('/audit?action=user.grant');
  await auditor.page.waitForTimeout(300);
  await shot(auditor.page, '12-audit-filtered');
  await auditor.context.close();

  const reviewer = await session('reviewer@demo.docket.test');
  await reviewer.page.goto('/admin');
  await reviewer.page.getByTestId('access-denied').waitFor();
  await shot(reviewer.page, '13-access-denied');
  await reviewer.context.close();

  await caseScreenshots();
  await queueScreenshots();
  await webhookScreenshots();
  await ruleScreenshots();
} finally {
  await browser.close();
}
