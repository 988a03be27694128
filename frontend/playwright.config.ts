import { defineConfig } from '@playwright/test';

// Browser tests run the real `docket` binary (with this SPA embedded) against a
// fresh demo database, in the system Chromium: never `npx playwright install`.
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: 'http://127.0.0.1:18080',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'sh e2e/serve.sh',
    url: 'http://127.0.0.1:18080/readyz',
    timeout: 60_000,
    reuseExistingServer: false,
    // docket logs every request to stderr; shown interleaved, useful when a test fails.
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
