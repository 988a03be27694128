import { expect, test } from '@playwright/test';
import { demoEmail, loginViaForm, navItems, type DemoRole } from './helpers';

// What each demo account sees (the permissions in GET /me decide; these are the demo's grants).
const roles: { role: DemoRole; nav: string[]; forbidden: string }[] = [
  { role: 'admin', nav: ['Queues', 'Rules', 'Audit', 'Admin'], forbidden: '/cases' },
  { role: 'lead', nav: ['Queues', 'Cases', 'Rules', 'Dashboards', 'Admin'], forbidden: '/audit' },
  { role: 'reviewer', nav: ['Queues', 'Cases'], forbidden: '/admin' },
  { role: 'analyst', nav: ['Queues', 'Cases', 'Rules', 'Dashboards'], forbidden: '/admin/tokens' },
  { role: 'auditor', nav: ['Queues', 'Cases', 'Rules', 'Dashboards', 'Audit'], forbidden: '/admin/users' },
  { role: 'qa', nav: ['Queues', 'Cases'], forbidden: '/rules' },
];

test('an app page without a session goes to the login page, and back after logging in', async ({ page }) => {
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/login\?next=%2Fcases$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Workspaces' })).toHaveCount(0);

  await page.getByRole('textbox', { name: 'Email' }).fill(demoEmail('reviewer'));
  await page.getByRole('textbox', { name: 'Password' }).fill('docket-demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
});

test('a wrong password shows the error and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(demoEmail('analyst'));
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByTestId('login-error')).toContainText(/wrong/i);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('textbox', { name: 'Password' })).toHaveValue('');
});

for (const { role, nav, forbidden } of roles) {
  test(`${role}: the navbar shows exactly ${nav.join(', ')}; ${forbidden} says no access`, async ({ page }) => {
    await loginViaForm(page, role);

    expect(await navItems(page)).toEqual(nav);
    await expect(page.getByRole('navigation', { name: 'System' }).getByRole('link', { name: 'System status' })).toBeVisible();

    // The user menu names the person and their roles per market.
    await page.getByTestId('user-menu').click();
    await expect(page.getByTestId('user-menu-email')).toHaveText(demoEmail(role));
    await expect(page.getByTestId('user-menu-roles')).toContainText(`${role} · `);
    await page.keyboard.press('Escape');

    await page.goto(forbidden);
    await expect(page.getByTestId('access-denied')).toContainText("You don't have access to this page");
    await expect(page.getByRole('navigation', { name: 'Workspaces' })).toBeVisible();
  });
}

test('log out returns to /login, and app pages then need a login again', async ({ page }) => {
  await loginViaForm(page, 'lead');
  await page.getByTestId('user-menu').click();
  await expect(page.getByTestId('user-menu-roles')).toHaveText('lead · TH, VN');
  await page.getByRole('menuitem', { name: 'Log out' }).click();

  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

  await page.goto('/queues');
  await expect(page).toHaveURL(/\/login\?next=%2Fqueues$/);
  const me = await page.request.get('/api/v1/me');
  expect(me.status()).toBe(401);
});
