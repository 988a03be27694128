import { expect, test } from '@playwright/test';
import { loginViaApi } from './helpers';

// Market SLA clocks. Singapore is used because no other browser test opens
// cases there; it goes back to calendar hours at the end either way.

test('an admin puts a market on business hours and back to calendar hours', async ({ page }) => {
  await loginViaApi(page, 'admin');
  await page.goto('/admin/markets');
  const row = page.locator('tr[data-market="SG"]');
  try {
    await row.getByRole('button', { name: 'Edit SLA clock of SG' }).click();
    const dialog = page.getByRole('dialog', { name: /SLA clock · SG Singapore/ });
    await expect(dialog).toContainText("SLA clocks only run during these hours in the market's time zone; new and reopened cases use the new setting.");
    await dialog.getByRole('radio', { name: /Business hours/ }).check();
    await expect(dialog).toContainText('Times in Asia/Singapore (UTC+8)');
    await dialog.locator('label', { hasText: /^Sat$/ }).click();
    await expect(dialog.getByRole('checkbox', { name: 'Saturday' })).toBeChecked();
    await dialog.getByRole('textbox', { name: 'Day starts' }).fill('08:30');
    await dialog.getByRole('textbox', { name: 'Day ends' }).fill('07:00');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByRole('textbox', { name: 'Day ends' })).toHaveAccessibleDescription(/After the start of the day/);
    await dialog.getByRole('textbox', { name: 'Day ends' }).fill('24:00');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByTestId('sla-clock')).toHaveText(/Business hours\s*Mon–Sat 08:30–24:00/);

    // The server kept it.
    const markets = (await (await page.request.get('/api/v1/markets')).json()) as { items: { code: string; sla_clock: string; business_days: number[]; business_end: string }[] };
    expect(markets.items.find((market) => market.code === 'SG')).toMatchObject({ sla_clock: 'business', business_days: [1, 2, 3, 4, 5, 6], business_end: '24:00' });
  } finally {
    await page.goto('/admin/markets');
    await row.getByRole('button', { name: 'Edit SLA clock of SG' }).click();
    const dialog = page.getByRole('dialog', { name: /SLA clock · SG/ });
    await dialog.getByRole('radio', { name: /Calendar hours/ }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByTestId('sla-clock')).toHaveText(/Calendar hours\s*24\/7/);
  }
});
