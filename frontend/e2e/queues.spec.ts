import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD, demoEmail } from './helpers';

// The queue workspace against the real server: concurrent "Claim next" from
// two browsers, the friendly empty-queue answer, and the lead console updating
// live (no reload) when a reviewer escalates. Each test makes the cases it
// needs through the API and hands back what it claimed, so it depends neither
// on the demo data nor on the order the specs run in.

interface CaseJson {
  id: number;
  version: number;
  status: string;
  market: string;
  assignee?: { id: number; email: string } | null;
}

interface QueueJson {
  id: number;
  name: string;
  kind: string;
  markets: string[];
}

/** The demo's second VN reviewer. */
const SECOND_REVIEWER = 'reviewer2@demo.docket.test';

/** Logs the request context in as `email` and returns a small API client that sends the CSRF token. */
async function apiAs(request: APIRequestContext, email: string) {
  const login = await request.post('/api/v1/auth/login', { data: { email, password: DEMO_PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return {
    async post<T>(path: string, data: unknown = {}): Promise<T> {
      const response = await request.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
      expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBe(true);
      return (await response.json()) as T;
    },
    async postRaw(path: string, data: unknown = {}) {
      return request.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
    },
    async get<T>(path: string): Promise<T> {
      const response = await request.get(path);
      expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
      return (await response.json()) as T;
    },
  };
}

type Api = Awaited<ReturnType<typeof apiAs>>;

/** A browser context logged in as `email`, with its page and API client. */
async function personIn(browser: Browser, email: string): Promise<{ page: Page; api: Api; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const api = await apiAs(page.request, email);
  return { page, api, close: () => context.close() };
}

let counter = 0;
function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** A new case in `market`, triaged so it can be claimed (rules may already have triaged it). */
async function triagedCase(lead: Api, market: string, name: string): Promise<CaseJson> {
  const created = await lead.post<CaseJson>('/api/v1/cases', {
    subject: { kind: 'seller', external_id: uniqueName(`${market.toLowerCase()}-queue`), market, display_name: name, attributes: { followers: 900 } },
    policy: 'counterfeit',
    summary: 'Buyers report fake branded bags (queue browser test).',
  });
  if (created.status !== 'new') return created;
  return lead.post<CaseJson>(`/api/v1/cases/${created.id}/triage`, { version: created.version });
}

async function reviewQueueOf(api: Api, market: string): Promise<QueueJson> {
  const { items } = await api.get<{ items: QueueJson[] }>('/api/v1/queues');
  const queue = items.find((q) => q.kind === 'review' && q.markets.length === 1 && q.markets[0] === market);
  expect(queue, `a review queue for ${market}`).toBeDefined();
  return queue!;
}

/** Gives claimed cases back to their queue, so other specs find the demo as it was. */
async function release(api: Api, ids: readonly number[]) {
  for (const id of ids) {
    const current = await api.get<CaseJson>(`/api/v1/cases/${id}`);
    if (current.status !== 'in_review') continue;
    const response = await api.postRaw(`/api/v1/cases/${id}/release`, { version: current.version });
    expect(response.ok(), `release ${id}: ${response.status()} ${await response.text()}`).toBe(true);
  }
}

/** Claims `times` cases through the reviewer home's button, returning the ids the case pages showed. */
async function claimRepeatedly(page: Page, queueName: string, times: number): Promise<number[]> {
  const ids: number[] = [];
  await page.goto('/queues');
  for (let i = 0; i < times; i++) {
    // Back to the home through the navbar: no page load, the live connection stays.
    if (i > 0) await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: 'Queues' }).click();
    const button = page.getByTestId('queue-list').getByRole('button', { name: `Claim next from ${queueName}` });
    await button.click();
    await page.waitForURL(/\/cases\/\d+$/);
    const id = Number(/\/cases\/(\d+)$/.exec(page.url())![1]);
    await expect(page.getByTestId('case-page')).toHaveAttribute('data-status', 'in_review');
    await expect(page.getByTestId('lease-badge')).toContainText(/Claim expires in 1[45]:\d\d/);
    ids.push(id);
  }
  return ids;
}

test('two reviewers pressing Claim next on the same queue at once never get the same case', async ({ browser }) => {
  test.setTimeout(90_000);
  const lead = await personIn(browser, demoEmail('lead'));
  // Enough claimable work whatever the demo holds: six claims need six cases.
  for (let i = 0; i < 6; i++) await triagedCase(lead.api, 'VN', uniqueName('Claim race shop'));
  const queue = await reviewQueueOf(lead.api, 'VN');

  const second = SECOND_REVIEWER;
  const first = await personIn(browser, demoEmail('reviewer'));
  const other = await personIn(browser, second);
  let a: number[] = [];
  let b: number[] = [];
  try {
    [a, b] = await Promise.all([claimRepeatedly(first.page, queue.name, 3), claimRepeatedly(other.page, queue.name, 3)]);
    const all = [...a, ...b];
    expect(all).toHaveLength(6);
    expect(new Set(all).size, `claimed ${all.join(', ')}`).toBe(6);

    // The server agrees on who holds each one.
    for (const [api, ids, email] of [
      [first.api, a, demoEmail('reviewer')],
      [other.api, b, second],
    ] as const) {
      for (const id of ids) {
        const c = await api.get<CaseJson>(`/api/v1/cases/${id}`);
        expect(c.status).toBe('in_review');
        expect(c.assignee?.email).toBe(email);
      }
    }

    // Each sees their claims under My cases, counting down.
    await first.page.goto('/queues');
    const mine = first.page.getByTestId('my-cases');
    for (const id of a) await expect(mine.locator(`[data-case-id="${id}"] [data-testid="lease-badge"]`)).toHaveText(/\d\d:\d\d/);
  } finally {
    await release(first.api, a);
    await release(other.api, b);
    await Promise.all([first.close(), other.close(), lead.close()]);
  }
});

test('Claim next on a queue with nothing left says the queue is empty', async ({ browser }) => {
  // The Indonesian reviewer's queue, emptied through the API first (and given back afterwards).
  const reviewer = await personIn(browser, 'reviewer.id@demo.docket.test');
  const queue = await reviewQueueOf(reviewer.api, 'ID');
  const taken: number[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      const response = await reviewer.api.postRaw(`/api/v1/queues/${queue.id}/claim`);
      if (response.status() === 404) {
        expect(((await response.json()) as { code: string }).code).toBe('queue_empty');
        break;
      }
      expect(response.ok(), await response.text()).toBe(true);
      taken.push(((await response.json()) as CaseJson).id);
    }

    await reviewer.page.goto('/queues');
    await reviewer.page.getByRole('button', { name: `Claim next from ${queue.name}` }).click();
    const empty = reviewer.page.getByTestId('queue-empty');
    await expect(empty).toContainText('Queue is empty');
    await expect(empty).toContainText(`Nothing to claim in ${queue.name}`);
    await expect(reviewer.page).toHaveURL(/\/queues$/);
  } finally {
    await release(reviewer.api, taken);
    await reviewer.close();
  }
});

test('the lead console shows a reviewer’s escalation as it happens, without a reload', async ({ browser }) => {
  test.setTimeout(60_000);
  const lead = await personIn(browser, demoEmail('lead'));
  const name = uniqueName('Escalation live shop');
  const target = await triagedCase(lead.api, 'VN', name);

  await lead.page.goto('/queues/console?market=VN');
  await expect(lead.page.getByTestId('lead-console')).toBeVisible();
  await expect(lead.page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  const escalations = lead.page.getByTestId('console-escalations');
  await expect(escalations).toBeVisible();
  const row = escalations.locator(`tr[data-case-id="${target.id}"]`);
  await expect(row).toHaveCount(0);
  // The new case waits in the assignment panel meanwhile.
  await expect(lead.page.getByTestId('assign-cases').locator(`[data-case-id="${target.id}"]`)).toBeVisible();
  // Survives only if the page is never reloaded.
  await lead.page.evaluate(() => {
    (window as unknown as { consoleMarker: string }).consoleMarker = 'no-reload';
  });

  const reviewer = await personIn(browser, demoEmail('reviewer'));
  const reason = `Seller says the bags are licensed; needs a lead's call (${Date.now()}).`;
  try {
    await reviewer.page.goto(`/cases/${target.id}`);
    const casePage = reviewer.page.getByTestId('case-page');
    await reviewer.page.getByTestId('case-actions').getByRole('button', { name: 'Claim' }).click();
    await expect(casePage).toHaveAttribute('data-status', 'in_review');
    await reviewer.page.getByTestId('case-actions').getByRole('button', { name: 'Escalate…' }).click();
    const dialog = reviewer.page.getByRole('dialog', { name: `Escalate case #${target.id}` });
    await dialog.getByRole('textbox', { name: /Reason/ }).fill(reason);
    await dialog.getByRole('button', { name: 'Escalate' }).click();
    await expect(casePage).toHaveAttribute('data-status', 'escalated');

    // The lead's console picks it up from the event stream.
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(row.getByTestId('escalation-reason')).toHaveText(reason);
    await expect(row).toContainText(name);
    await expect(lead.page.getByTestId('assign-cases').locator(`[data-case-id="${target.id}"]`)).toHaveCount(0);
    expect(await lead.page.evaluate(() => (window as unknown as { consoleMarker?: string }).consoleMarker)).toBe('no-reload');

    // De-escalating sends it back to the queue, and the row goes.
    await row.getByRole('button', { name: `De-escalate case ${target.id}` }).click();
    await lead.page.getByRole('menuitem', { name: 'Back to its queue' }).click();
    await expect(row).toHaveCount(0);
    await expect.poll(async () => (await lead.api.get<CaseJson>(`/api/v1/cases/${target.id}`)).status).toBe('triaged');
  } finally {
    await Promise.all([reviewer.close(), lead.close()]);
  }
});
