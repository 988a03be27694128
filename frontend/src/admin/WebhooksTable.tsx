import { Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { sortEventTypes, type Webhook } from '../api/webhooks';
import { RouterAnchor } from '../routing/links';

/** Badges otherwise shrink to an ellipsis when the table is tight. */
const fitContent = { minWidth: 'max-content' } as const;

/** "All markets" for an endpoint that hears every market (an empty list), otherwise the codes. */
export function webhookMarkets(webhook: Pick<Webhook, 'markets'>): string {
  return webhook.markets.length === 0 ? 'All markets' : [...webhook.markets].sort().join(', ');
}

export function WebhookStatusBadge({ webhook }: { webhook: Pick<Webhook, 'active'> }) {
  return (
    <Badge color={webhook.active ? 'teal' : 'gray'} variant="light" size="sm" style={fitContent}>
      {webhook.active ? 'Active' : 'Disabled'}
    </Badge>
  );
}

/** Pending / delivered / dead, dead in red when there are any: the ones someone must look at. */
export function DeliveryCounts({ counts }: { counts: Webhook['deliveries'] }) {
  return (
    <Group gap={6} wrap="nowrap" data-testid="delivery-counts">
      <Tooltip label="Pending: waiting for their first or next attempt" openDelay={250}>
        <Text size="sm" c={counts.pending > 0 ? 'yellow.8' : 'dimmed'} data-count="pending">
          {counts.pending} pending
        </Text>
      </Tooltip>
      <Text size="sm" c="dimmed" aria-hidden>
        ·
      </Text>
      <Text size="sm" c={counts.delivered > 0 ? undefined : 'dimmed'} data-count="delivered">
        {counts.delivered} delivered
      </Text>
      <Text size="sm" c="dimmed" aria-hidden>
        ·
      </Text>
      <Tooltip label="Dead letters: every attempt failed; redeliver them from the endpoint's page" openDelay={250}>
        <Text size="sm" c={counts.dead > 0 ? 'red.7' : 'dimmed'} fw={counts.dead > 0 ? 600 : undefined} data-count="dead">
          {counts.dead} dead
        </Text>
      </Tooltip>
    </Group>
  );
}

/** Webhook endpoints: where each sends what, and how its deliveries are going. */
export function WebhooksTable({ webhooks }: { webhooks: readonly Webhook[] }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table highlightOnHover data-testid="webhooks-table" horizontalSpacing="sm" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name and URL</Table.Th>
            <Table.Th>Event types</Table.Th>
            <Table.Th>Markets</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Deliveries</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {webhooks.map((webhook) => (
            <Table.Tr key={webhook.id} data-webhook-name={webhook.name} data-active={webhook.active}>
              <Table.Td maw={360}>
                <RouterAnchor to="/admin/webhooks/$id" params={{ id: String(webhook.id) }} size="sm" fw={500}>
                  {webhook.name}
                </RouterAnchor>
                <Tooltip label={webhook.url} openDelay={250}>
                  <Text size="xs" c="dimmed" ff="monospace" truncate>
                    {webhook.url}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Group gap={4} maw={340}>
                  {sortEventTypes(webhook.event_types).map((type) => (
                    <Badge key={type} variant="outline" color="gray" size="sm" radius="sm" ff="monospace" tt="none" style={fitContent}>
                      {type}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{webhookMarkets(webhook)}</Text>
              </Table.Td>
              <Table.Td>
                <WebhookStatusBadge webhook={webhook} />
              </Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  <DeliveryCounts counts={webhook.deliveries} />
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
