import { expect, type Page } from '@playwright/test';

/** Every demo account's password (`docket demo`). */
export const DEMO_PASSWORD = 'docket-demo-password';

export type DemoRole = 'admin' | 'lead' | 'reviewer' | 'analyst' | 'auditor' | 'qa';

export const demoEmail = (role: DemoRole) => `${role}@demo.docket.test`;

/** Logs in through the form on /login and waits until the shell is there. */
export async function loginViaForm(page: Page, role: DemoRole, next?: string) {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(demoEmail(role));
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

/** Logs in through the API (the page's cookie jar keeps the session): for tests about something else. */
export async function loginViaApi(page: Page, role: DemoRole) {
  const response = await page.request.post('/api/v1/auth/login', {
    data: { email: demoEmail(role), password: DEMO_PASSWORD },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** The labels of the workspace links in the navbar, top to bottom. */
export async function navItems(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Workspaces' });
  await expect(nav).toBeVisible();
  return (await nav.getByRole('link').allTextContents()).map((text) => text.trim());
}
