import { expect, test } from '@playwright/test';

test('an unknown API path answers problem+json, not the SPA', async ({ request }) => {
  const response = await request.get('/api/v1/nope');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-type']).toContain('application/problem+json');

  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status: 404, code: 'not_found' });
  expect(typeof body.title).toBe('string');
  expect(typeof body.request_id).toBe('string');
});

test('client paths get the SPA index with no inline script, and its hashed assets load', async ({ request }) => {
  const index = await request.get('/queues');
  expect(index.status()).toBe(200);
  expect(index.headers()['content-type']).toContain('text/html');
  const html = await index.text();
  expect(html).toContain('<title>Docket</title>');
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

  const asset = /\/assets\/[^"]+\.js/.exec(html)?.[0];
  expect(asset).toBeDefined();
  const assetResponse = await request.get(asset!);
  expect(assetResponse.status()).toBe(200);
  expect(assetResponse.headers()['content-type']).toMatch(/javascript/);
});
