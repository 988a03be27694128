import { expect, test } from '@playwright/test';
import { loginViaApi } from './helpers';

test('admin creates a user with a role, finds them in the list and on their page', async ({ page }) => {
  const stamp = Date.now();
  const email = `new.reviewer.${stamp}@demo.docket.test`;
  await loginViaApi(page, 'admin');
  await page.goto('/admin/users');
  await expect(page.getByTestId('users-table')).toBeVisible();

  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Name').fill('Nguyen Van Moi');
  await dialog.getByLabel('Initial password').fill('a-long-enough-password-42');
  await dialog.getByRole('combobox', { name: 'Role 1' }).click();
  await page.getByRole('option', { name: 'reviewer' }).click();
  await dialog.getByRole('combobox', { name: 'Market 1' }).click();
  await page.getByRole('option', { name: 'VN · Vietnam' }).click();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();

  // Search for them: the query goes to the URL.
  await page.getByRole('textbox', { name: 'Search users' }).fill(`new.reviewer.${stamp}`);
  await expect(page).toHaveURL(new RegExp(`q=new\\.reviewer\\.${stamp}`));
  const row = page.locator(`tr[data-user-email="${email}"]`);
  await expect(row).toContainText('Nguyen Van Moi');
  await expect(row).toContainText('reviewer · VN');
  await expect(row).toContainText('Active');
  await expect(page.getByTestId('users-table').locator('tbody tr')).toHaveCount(1);

  await row.getByRole('link', { name: email }).click();
  await expect(page.getByTestId('user-name')).toHaveText('Nguyen Van Moi');
  await expect(page.locator('[data-grant="reviewer/VN"]')).toBeVisible();

  // Grant a second role, then revoke it again.
  await page.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'qa' }).click();
  await page.getByRole('combobox', { name: 'Market' }).click();
  await page.getByRole('option', { name: 'All markets (*)' }).click();
  await page.getByRole('button', { name: 'Grant role' }).click();
  await expect(page.locator('[data-grant="qa/*"]')).toBeVisible();
  await page.getByRole('button', { name: 'Revoke qa in All markets' }).click();
  await page.getByRole('dialog', { name: 'Revoke this role?' }).getByRole('button', { name: 'Revoke role' }).click();
  await expect(page.locator('[data-grant="qa/*"]')).toHaveCount(0);

  // Deactivate, with the consequences spelled out.
  await page.getByRole('button', { name: 'Deactivate' }).click();
  const confirm = page.getByRole('dialog', { name: /Deactivate Nguyen Van Moi/ });
  await expect(confirm).toContainText('signs them out everywhere');
  await expect(confirm).toContainText('revokes every API token');
  await confirm.getByRole('button', { name: 'Deactivate user' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('button', { name: 'Reactivate', exact: true })).toBeVisible();
  await expect(page.getByText('Deactivated', { exact: true }).first()).toBeVisible();
});

test('admin creates an API token, sees the secret once, and revokes it', async ({ page }) => {
  const name = `Refund-spike detector ${Date.now()}`;
  await loginViaApi(page, 'admin');
  await page.goto('/admin/tokens');
  await expect(page.getByRole('tab', { name: 'API tokens' })).toHaveAttribute('aria-selected', 'true');

  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('combobox', { name: 'Scopes' }).click();
  await page.getByRole('option', { name: /signals:write/ }).click();
  await page.getByRole('option', { name: /cases:read/ }).click();
  await dialog.getByRole('textbox', { name: 'Name' }).click(); // close the dropdown
  await dialog.getByLabel(/All markets/).check();
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const secretModal = page.getByRole('dialog', { name: 'Copy your new API token' });
  await expect(secretModal).toBeVisible();
  await expect(secretModal).toContainText('will not be shown again');
  const secret = (await secretModal.getByTestId('token-secret').textContent())?.trim() ?? '';
  expect(secret.length).toBeGreaterThan(20);

  // The secret works as a bearer token, for exactly its scopes.
  const asToken = await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${secret}` } });
  expect(asToken.status()).toBe(200);

  await secretModal.getByRole('button', { name: 'I have copied it' }).click();
  await expect(secretModal).toBeHidden();
  const row = page.locator('tr', { has: page.getByText(name, { exact: true }) });
  await expect(row).toContainText('signals:write');
  await expect(row).toContainText('All markets');
  await expect(row).toContainText('Active');
  // Shown once: nowhere on the page any more, and not in the list API either.
  await expect(page.getByText(secret)).toHaveCount(0);
  const list = await page.request.get('/api/v1/tokens');
  expect(await list.text()).not.toContain(secret);

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('dialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke token' }).click();
  await expect(row).toContainText('Revoked');
  const afterRevoke = await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${secret}` } });
  expect(afterRevoke.status()).toBe(401);
});
