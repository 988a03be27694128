// Screenshots of the account, admin and audit pages, for a look by eye.
//   node scripts/screenshots.mjs [baseURL] [outDir]
// Needs a running `docket serve` with the demo loaded (docket demo), and the
// system Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Never downloads a browser.
import { mkdir } from 'node:fs/promises';
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

try {
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
} finally {
  await browser.close();
}
