import { expect, test } from '@playwright/test';
import { loginViaApi } from './helpers';

test('auditor sees the verified chain, the entries newest first, and a change in detail', async ({ page }) => {
  // Something recent to find: the admin's login writes session.create.
  await loginViaApi(page, 'admin');
  await loginViaApi(page, 'auditor');
  await page.goto('/audit');

  await expect(page.getByTestId('chain-status')).toHaveAttribute('data-state', 'ok');
  await expect(page.getByTestId('chain-headline')).toHaveText(/^Audit chain verified — [\d,]+ entries?, head [0-9a-f]{12}$/);

  const rows = page.locator('[data-testid="audit-table"] tbody tr[data-seq]');
  await expect(rows.first()).toBeVisible();
  const seqs = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq')))));
  expect(seqs.length).toBeGreaterThan(1);
  expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);

  const first = rows.first();
  const seq = await first.getAttribute('data-seq');
  await first.getByRole('button', { name: `Show changes of entry ${seq}` }).click();
  const details = page.getByTestId(`audit-details-${seq}`);
  await expect(details.getByTestId('json-before')).toBeVisible();
  await expect(details.getByTestId('json-after')).toBeVisible();

  // Filters live in the URL, and the export link carries them.
  await page.getByLabel('Action').fill('session.create');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/\/audit\?action=session\.create$/);
  await expect(rows.first()).toHaveAttribute('data-action', 'session.create');
  for (const action of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')))) {
    expect(action).toBe('session.create');
  }
  const exportLink = page.getByRole('link', { name: 'Export CSV' });
  await expect(exportLink).toHaveAttribute('href', '/api/v1/audit/export.csv?action=session.create');
  const csv = await page.request.get((await exportLink.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('session.create');
});

test('the user.create made by an admin shows up for the auditor', async ({ page }) => {
  await loginViaApi(page, 'admin');
  const me = (await (await page.request.get('/api/v1/me')).json()) as { csrf_token: string };
  const email = `audited.${Date.now()}@demo.docket.test`;
  const created = await page.request.post('/api/v1/users', {
    headers: { 'X-CSRF-Token': me.csrf_token },
    data: { email, name: 'Audited Person', password: 'a-long-enough-password-42', grants: [{ role: 'qa', market: 'TH' }] },
  });
  expect(created.status()).toBe(201);
  const user = (await created.json()) as { id: number };

  await loginViaApi(page, 'auditor');
  await page.goto(`/audit?action=user.create&object_id=${user.id}`);
  const row = page.locator('[data-testid="audit-table"] tbody tr[data-action="user.create"]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('admin@demo.docket.test');
  await row.getByRole('button', { name: /Show changes/ }).click();
  await expect(page.locator('[data-testid^="audit-details-"]').getByTestId('json-after')).toContainText(email);
});
