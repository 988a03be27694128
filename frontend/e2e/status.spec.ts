import { expect, test, type ConsoleMessage } from '@playwright/test';
import { loginViaApi, loginViaForm } from './helpers';

test('the status page needs a login too', async ({ page }) => {
  await page.goto('/status');
  await expect(page).toHaveURL(/\/login\?next=%2Fstatus$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
});

test('the status page says the API is healthy and lists the six markets', async ({ page }) => {
  // The auditor holds a role in every market; /markets lists only the caller's markets.
  await loginViaApi(page, 'auditor');
  await page.goto('/status');

  await expect(page.getByTestId('api-health')).toHaveText('API healthy');
  await expect(page.getByTestId('server-version')).not.toBeEmpty();
  await expect(page.getByTestId('server-uptime')).toHaveText(/\d+ (s|min|h|d)/);

  const table = page.getByTestId('markets-table');
  for (const code of ['ID', 'MY', 'PH', 'SG', 'TH', 'VN']) {
    await expect(table.locator(`tr[data-market="${code}"]`)).toBeVisible();
  }
  await expect(table.locator('tr[data-market="VN"]')).toContainText('Asia/Ho_Chi_Minh');
  await expect(table.locator('tr[data-market="VN"]')).toContainText(/\d{2}:\d{2} \(UTC\+7\)/);
});

test('the signed-in app logs no console errors (CSP violations would show here)', async ({ page }) => {
  // Logging in through the form: the unauthenticated /me before it is an expected 401, not counted.
  await loginViaForm(page, 'auditor');
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));

  const response = await page.goto('/status');
  await expect(page.getByTestId('api-health')).toHaveText('API healthy');
  await expect(page.getByTestId('markets-table')).toBeVisible();
  // Navigate around once so lazily loaded chunks are fetched under the CSP too.
  await page.getByRole('link', { name: 'Queues', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Queues' })).toBeVisible();
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByTestId('chain-status')).toHaveAttribute('data-state', 'ok');

  expect(response?.headers()['content-security-policy'] ?? '').toContain("script-src 'self'");
  expect(problems).toEqual([]);
});
