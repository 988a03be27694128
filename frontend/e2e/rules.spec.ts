import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD, demoEmail, loginViaForm, type DemoRole } from './helpers';

// Rules end to end: an analyst writes a rule in the browser (the editor shows
// a type error under its line, then accepts the fix), saves it in shadow and
// backtests it; a lead publishes it; an integration pushes signals through
// the API with a scoped token, and the rule opens a case whose page shows the
// hit that opened it. Names and the signal type are unique to the run, so the
// rule only ever sees this test's signals.

/** A separate logged-in session for `role` (own cookie jar), with its CSRF token for unsafe requests. */
async function apiSessionAs(browser: Browser, baseURL: string, role: DemoRole) {
  const context = await browser.newContext({ baseURL });
  const login = await context.request.post('/api/v1/auth/login', { data: { email: demoEmail(role), password: DEMO_PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return {
    async post<T>(path: string, data: unknown): Promise<T> {
      const response = await context.request.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
      expect(response.ok(), `POST ${path}: ${response.status()} ${await response.text()}`).toBe(true);
      return (await response.json()) as T;
    },
    close: () => context.close(),
  };
}

async function logOut(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** Picks an option of a Mantine select or multi-select, then closes its dropdown. */
async function pick(page: Page, label: string, option: string | RegExp) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option }).click();
  await page.keyboard.press('Escape');
}

test('analyst writes, shadows and backtests a rule; a lead publishes it; its hits open a case in its queue that shows them', async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const signalType = `e2e.report.${run}`;
  const ruleName = `E2E report burst ${run}`;
  const listing = `e2e-listing-${run}`;

  // 0. An admin sets up a queue of the rule's own, so its cases are easy to watch arrive.
  const queueName = `E2E rule queue ${run}`;
  const admin = await apiSessionAs(browser, baseURL!, 'admin');
  await admin.post('/api/v1/queues', { name: queueName, description: 'Cases of the e2e rule', kind: 'review', markets: ['VN'] });

  // 1. The analyst writes the rule.
  await loginViaForm(page, 'analyst', '/rules/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New rule' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name' }).fill(ruleName);
  await pick(page, 'Markets', 'VN · Vietnam');
  await page.getByRole('combobox', { name: 'Signal types' }).fill(signalType);
  await page.keyboard.press('Enter');

  const editor = page.getByRole('textbox', { name: 'Expression' });
  const badLine = `count("${signalType}", "1h") >= "ten"`;
  await editor.fill(`signal.type == "${signalType}" and\n${badLine}`);
  // The type error is shown under the line it is on, with a caret at its column.
  const problem = page.getByTestId('expression-error');
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveAttribute('data-line', '2');
  await expect(problem.locator('pre')).toContainText(`2 │ ${badLine}`);
  await expect(problem.getByTestId('expression-error-caret')).toContainText('^');
  await expect(problem.getByTestId('expression-error-message')).toContainText('Line 2');
  await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-state', 'invalid');

  await editor.fill(`signal.type == "${signalType}" and count("${signalType}", "1h") >= 3`);
  await expect(page.getByTestId('validation-summary')).toHaveAttribute('data-state', 'valid');
  await expect(page.getByTestId('expression-error')).toHaveCount(0);
  await expect(page.getByTestId('velocity-calls')).toContainText(`count("${signalType}", "1h")`);

  await pick(page, 'Policy', 'Counterfeit goods');
  await pick(page, 'Queue', queueName);
  await page.getByRole('switch', { name: 'Auto-triage' }).check();
  await page.getByRole('textbox', { name: 'Change note' }).fill('E2E: first version');
  await page.getByRole('button', { name: 'Save in shadow' }).click();

  await expect(page).toHaveURL(/\/rules\/\d+$/);
  const ruleId = Number(/\/rules\/(\d+)$/.exec(page.url())?.[1]);
  const rulePage = page.getByTestId('rule-page');
  await expect(rulePage).toHaveAttribute('data-status', 'shadow');
  await expect(page.getByTestId('rule-name')).toHaveText(ruleName);

  // 2. The analyst backtests it (no signals of this type yet: zero hits, but a whole result).
  await page.getByRole('tab', { name: 'Backtest' }).click();
  await page.getByRole('button', { name: 'Run backtest' }).click();
  const backtest = page.getByTestId('backtest-view');
  await expect(backtest).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(backtest.getByTestId('backtest-histogram')).toBeVisible();
  await expect(backtest.getByTestId('backtest-precision')).toBeVisible();
  await expect(page.getByTestId('backtests-table')).toBeVisible();
  // Analysts may not publish.
  await expect(page.getByRole('button', { name: 'Publish (make live)' })).toHaveCount(0);

  // 3. A lead of VN publishes it.
  await logOut(page);
  await loginViaForm(page, 'lead', `/rules/${ruleId}`);
  await expect(page.getByTestId('rule-name')).toHaveText(ruleName);
  await page.getByRole('button', { name: 'Publish (make live)' }).click();
  const confirm = page.getByRole('dialog', { name: `Publish “${ruleName}”?` });
  await expect(confirm.getByTestId('publish-markets')).toContainText('Vietnam (VN)');
  await confirm.getByRole('button', { name: 'Publish' }).click();
  await expect(confirm).toBeHidden();
  await expect(rulePage).toHaveAttribute('data-status', 'live');

  // 4. The lead watches the queue while an integration pushes three signals about one new listing
  // with a signals:write token for VN: the rule's case arrives in the queue without a reload.
  await page.goto('/queues');
  const queueRow = page.getByTestId('queue-list').locator(`tr[data-queue-name="${queueName}"]`);
  // (The queue also shows the market's unrouted cases, so count from where it stands.)
  await expect(queueRow.locator('[data-count="total"]')).toHaveText(/^\d+$/);
  const before = Number(await queueRow.locator('[data-count="total"]').textContent());
  const unassignedBefore = Number(await queueRow.locator('[data-count="unassigned"]').textContent());
  const { secret } = await admin.post<{ secret: string }>('/api/v1/tokens', { name: `E2E rule signals ${run}`, scopes: ['signals:write'], markets: ['VN'] });
  await admin.close();
  for (let i = 0; i < 3; i++) {
    const response = await page.request.post('/api/v1/signals', {
      headers: { Authorization: `Bearer ${secret}` },
      data: {
        signals: [
          {
            source: 'e2e',
            source_id: `${run}-${i}`,
            type: signalType,
            occurred_at: new Date(Date.now() - (3 - i) * 1000).toISOString(),
            subject: { kind: 'listing', external_id: listing, market: 'VN', display_name: `E2E listing ${run}` },
            attributes: { reason: 'counterfeit', reporter_id: `buyer-${i}` },
          },
        ],
      },
    });
    expect(response.status(), await response.text()).toBe(200);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(1);
  }

  await expect(queueRow.locator('[data-count="total"]')).toHaveText(String(before + 1));
  await expect(queueRow.locator('[data-count="unassigned"]')).toHaveText(String(unassignedBefore + 1));

  // 5. The lead finds the case in the list and sees the hit on its page.
  await page.goto(`/cases?q=${listing}`);
  const row = page.getByTestId('cases-table').locator('tbody tr[data-case-id]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`E2E listing ${run}`);
  await row.getByRole('link', { name: /^#\d+$/ }).click();

  await expect(page.getByTestId('case-page')).toBeVisible();
  const hits = page.getByTestId('rule-hits');
  await expect(hits).toBeVisible();
  const hit = hits.getByTestId('rule-hit').first();
  await expect(hit.getByRole('link', { name: ruleName })).toHaveAttribute('href', `/rules/${ruleId}`);
  await expect(hit).toContainText(signalType);
  await expect(hit.getByTestId('hit-values')).toContainText(`count("${signalType}", "1h")`);

  // The rule's Hits tab lists the live hit with its case.
  await hit.getByRole('link', { name: ruleName }).click();
  await page.getByRole('tab', { name: 'Hits' }).click();
  await expect(page.getByTestId('hits-table').locator('tbody tr[data-hit-id]').first()).toContainText(listing);
});
