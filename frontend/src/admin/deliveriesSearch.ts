import type { WebhookDelivery } from '../api/webhooks';

type DeliveryStatus = WebhookDelivery['status'];

export const deliveryStatuses: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

/** /admin/webhooks/$id?status=dead: the deliveries filter lives in the URL, with the API's own values; anything else is "all". */
export function parseDeliveriesSearch(search: Record<string, unknown>): { status?: DeliveryStatus } {
  const status = typeof search.status === 'string' ? search.status : undefined;
  return status && (deliveryStatuses as readonly string[]).includes(status) ? { status: status as DeliveryStatus } : {};
}
