import type { Webhook, WebhookDelivery } from '../api/webhooks';

export function webhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: 5,
    name: 'Data lake',
    url: 'https://hooks.example.com/docket',
    event_types: ['case.created', 'case.resolved'],
    markets: [],
    active: true,
    version: 2,
    created_by: 'admin@demo.docket.test',
    created_at: '2025-11-20T01:00:00Z',
    updated_at: '2025-11-21T01:00:00Z',
    deliveries: { pending: 1, delivered: 40, dead: 0 },
    ...overrides,
  };
}

export function delivery(overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  const id = overrides.id ?? 71;
  return {
    id,
    endpoint_id: 5,
    event_id: `evt_${id}abc`,
    event_type: 'case.created',
    market: 'VN',
    case_id: 1200 + id,
    status: 'delivered',
    attempts: 1,
    next_attempt_at: null,
    last_attempt_at: '2025-11-24T02:00:01Z',
    last_status_code: 200,
    last_error: '',
    delivered_at: '2025-11-24T02:00:01Z',
    created_at: '2025-11-24T02:00:00Z',
    payload: { id: `evt_${id}abc`, type: 'case.created', data: { case: { id: 1200 + id, market: 'VN' } } },
    ...overrides,
  };
}
