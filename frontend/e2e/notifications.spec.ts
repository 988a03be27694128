import { expect, test, type Browser } from '@playwright/test';
import { DEMO_PASSWORD, demoEmail, type DemoRole } from './helpers';

// The header's notification bell: a second lead of VN (made for this run)
// hears about an emergency the demo lead declares, opens it from the bell,
// and it counts as read.

async function apiSession(browser: Browser, baseURL: string, email: string, password: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const login = await page.request.post('/api/v1/auth/login', { data: { email, password } });
  expect(login.status(), await login.text()).toBe(200);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return {
    page,
    close: () => context.close(),
    async post<T>(path: string, data: unknown): Promise<T> {
      const response = await page.request.post(path, { data, headers: { 'X-CSRF-Token': csrf } });
      expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBe(true);
      return (await response.json()) as T;
    },
  };
}

const demo = (browser: Browser, baseURL: string, role: DemoRole) => apiSession(browser, baseURL, demoEmail(role), DEMO_PASSWORD);

test('a lead is told about an emergency in their market through the bell, and opening it marks it read', async ({ page, browser, baseURL }) => {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const email = `second.lead.${stamp}@demo.docket.test`;
  const password = 'a-long-enough-password-42';

  const admin = await demo(browser, baseURL!, 'admin');
  await admin.post('/api/v1/users', { email, name: 'Tran Thi Hai', password, grants: [{ role: 'lead', market: 'VN' }] });
  await admin.close();

  const lead = await demo(browser, baseURL!, 'lead');
  let caseId = 0;
  try {
    const created = await lead.post<{ id: number; version: number }>('/api/v1/cases', {
      subject: { kind: 'livestream', external_id: `vn-live-${stamp}`, market: 'VN', display_name: 'Late-night flash sale stream' },
      policy: 'counterfeit',
    });
    caseId = created.id;
    await lead.post(`/api/v1/cases/${caseId}/declare_emergency`, { version: created.version, reason: 'Counterfeit baby formula sold live to thousands of viewers' });
  } finally {
    await lead.close();
  }

  // The second lead signs in: the bell has the emergency, unread.
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toHaveAccessibleName(/^Notifications, \d+ unread$/);
  const before = Number(await page.getByTestId('notification-count').getAttribute('data-count'));
  expect(before).toBeGreaterThan(0);

  await bell.click();
  const popover = page.getByTestId('notification-popover');
  const item = popover.getByRole('button', { name: `Unread: Emergency on case #${caseId} (counterfeit, VN)` });
  await expect(item).toBeVisible();
  await expect(item).toContainText('Declared by lead@demo.docket.test');
  await item.click();

  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await expect(popover).toBeHidden();
  await expect(page.getByTestId('notification-count')).toHaveAttribute('data-count', String(before - 1));

  // Still there under "All recent", read now.
  await bell.click();
  await popover.locator('label', { hasText: 'All recent' }).click();
  await expect(popover.locator(`[data-notification-id]`, { hasText: `case #${caseId}` })).toHaveAttribute('data-unread', 'false');
});
