import { expect, test } from '@playwright/test';
import { loginViaApi } from './helpers';

// The auditor may use every workspace but Admin (see auth.spec.ts for each role's set).
test.beforeEach(async ({ page }) => {
  await loginViaApi(page, 'auditor');
});

const workspaces = [
  { label: 'Queues', path: '/queues', heading: 'Queues' },
  { label: 'Cases', path: '/cases', heading: 'Cases' },
  { label: 'Rules', path: '/rules', heading: 'Rules' },
  { label: 'Dashboards', path: '/dashboards', heading: 'Dashboards' },
  { label: 'Audit', path: '/audit', heading: 'Audit' },
  { label: 'System status', path: '/status', heading: 'System status' },
];

test('the shell loads at / and lands on the queues', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/queues$/);
  await expect(page).toHaveTitle(/Docket/);
  await expect(page.getByRole('heading', { level: 1, name: 'Queues' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Workspaces' })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Docket')).toBeVisible();
  await expect(page.getByRole('banner').getByTestId('user-menu')).toBeVisible();
});

test('each navbar item navigates client-side', async ({ page }) => {
  await page.goto('/queues');
  await expect(page.getByRole('heading', { level: 1, name: 'Queues' })).toBeVisible();

  // A marker on window survives only if no full page load happens.
  await page.evaluate(() => {
    (window as unknown as { docketSpaMarker: string }).docketSpaMarker = 'still-here';
  });

  for (const workspace of [...workspaces.slice(1), workspaces[0]!]) {
    await page.getByRole('link', { name: workspace.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${workspace.path}$`));
    await expect(page.getByRole('heading', { level: 1, name: workspace.heading })).toBeVisible();
    await expect(page.getByRole('link', { name: workspace.label, exact: true })).toHaveAttribute('aria-current', 'page');
  }

  expect(await page.evaluate(() => (window as unknown as { docketSpaMarker?: string }).docketSpaMarker)).toBe(
    'still-here',
  );
});

test('a deep link to a workspace loads directly', async ({ page }) => {
  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
});

test('an unknown client path shows the not-found page inside the shell', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.headers()['content-type']).toContain('text/html');

  const notFound = page.getByTestId('not-found');
  await expect(notFound).toBeVisible();
  await expect(notFound).toContainText('Page not found');
  await expect(notFound).toContainText('/no-such-page');
  await expect(page.getByRole('navigation', { name: 'Workspaces' })).toBeVisible();

  await page.getByRole('link', { name: 'Go to Queues' }).click();
  await expect(page).toHaveURL(/\/queues$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Queues' })).toBeVisible();
});

test('on a narrow screen the burger opens the navigation', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/queues');
  const nav = page.getByRole('navigation', { name: 'Workspaces' });
  await expect(nav).not.toBeInViewport();

  await page.getByRole('button', { name: 'Open navigation' }).click();
  await expect(nav).toBeInViewport();
  await nav.getByRole('link', { name: 'Rules' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rules' })).toBeVisible();
  await expect(nav).not.toBeInViewport();
});
