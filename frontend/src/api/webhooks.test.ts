import { describe, expect, it } from 'vitest';
import { parseDeliveriesSearch } from '../admin/deliveriesSearch';
import { canRedeliver, formatPayload, nextAttemptLabel } from '../admin/DeliveriesTable';
import { webhookMarkets } from '../admin/WebhooksTable';
import { checkWebhookForm, sortEventTypes, stripSecret, webhookInput, type WebhookWithSecret } from './webhooks';

const form = {
  name: '  Data lake ',
  url: ' https://hooks.example.com/docket ',
  eventTypes: ['case.resolved', 'case.created'] as const,
  allMarkets: false,
  markets: ['VN', 'TH'],
  active: true,
};

describe('webhookInput', () => {
  it('trims, orders event types as a case lives through them, sorts markets', () => {
    expect(webhookInput(form)).toEqual({
      name: 'Data lake',
      url: 'https://hooks.example.com/docket',
      event_types: ['case.created', 'case.resolved'],
      markets: ['TH', 'VN'],
      active: true,
    });
  });

  it('sends no markets for all markets, and the version when editing', () => {
    expect(webhookInput({ ...form, allMarkets: true, active: false, version: 4 })).toMatchObject({ markets: [], active: false, version: 4 });
  });
});

describe('checkWebhookForm', () => {
  it('accepts a complete form', () => {
    expect(checkWebhookForm(form)).toEqual({});
  });

  it('names every missing field', () => {
    const problems = checkWebhookForm({ name: ' ', url: '', eventTypes: [], allMarkets: false, markets: [] });
    expect(Object.keys(problems).sort()).toEqual(['event_types', 'markets', 'name', 'url']);
    expect(problems.event_types).toBe('Pick at least one event type');
    expect(problems.markets).toBe('Pick the markets, or all markets');
  });

  it('wants an absolute http(s) URL and leaves the https-only rule to the server', () => {
    expect(checkWebhookForm({ ...form, url: 'hooks.example.com' }).url).toBe('An absolute https:// URL');
    expect(checkWebhookForm({ ...form, url: 'ftp://hooks.example.com' }).url).toBe('An absolute https:// URL');
    expect(checkWebhookForm({ ...form, url: 'http://127.0.0.1:9000/hook' })).toEqual({});
    expect(checkWebhookForm({ ...form, name: 'x'.repeat(101) }).name).toBe('At most 100 characters');
  });
});

describe('sortEventTypes', () => {
  it('keeps the product order and puts unknown types last', () => {
    expect(sortEventTypes(['case.resolved', 'future.thing', 'sla.breached', 'case.created'])).toEqual([
      'case.created',
      'sla.breached',
      'case.resolved',
      'future.thing',
    ]);
  });
});

describe('stripSecret', () => {
  it('drops the secret so it never sits in the query cache', () => {
    const created = { id: 1, name: 'Data lake', secret: 'whsec_abc' } as unknown as WebhookWithSecret;
    expect(stripSecret(created)).not.toHaveProperty('secret');
    expect(stripSecret(created)).toMatchObject({ id: 1, name: 'Data lake' });
  });
});

describe('deliveries helpers', () => {
  it('offers redelivery once the server has stopped trying', () => {
    expect(canRedeliver({ status: 'dead' })).toBe(true);
    expect(canRedeliver({ status: 'delivered' })).toBe(true);
    expect(canRedeliver({ status: 'pending' })).toBe(false);
  });

  it('says when the next attempt is due', () => {
    const now = new Date('2025-11-24T10:00:00Z');
    expect(nextAttemptLabel('2025-11-24T10:04:00Z', now)).toBe('in 4 min');
    expect(nextAttemptLabel('2025-11-24T10:00:20Z', now)).toBe('due now');
    expect(nextAttemptLabel('2025-11-24T09:58:00Z', now)).toBe('due now');
  });

  it('indents the payload', () => {
    expect(formatPayload({ id: 'evt_1', data: { case: { id: 7 } } })).toBe('{\n  "id": "evt_1",\n  "data": {\n    "case": {\n      "id": 7\n    }\n  }\n}');
  });

  it('reads the status filter from the URL, ignoring anything else', () => {
    expect(parseDeliveriesSearch({ status: 'dead' })).toEqual({ status: 'dead' });
    expect(parseDeliveriesSearch({ status: 'failed' })).toEqual({});
    expect(parseDeliveriesSearch({})).toEqual({});
  });

  it('says "All markets" for an endpoint with no market list', () => {
    expect(webhookMarkets({ markets: [] })).toBe('All markets');
    expect(webhookMarkets({ markets: ['VN', 'TH'] })).toBe('TH, VN');
  });
});
