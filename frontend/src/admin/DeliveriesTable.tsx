import { Badge, Button, Code, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useMe } from '../api/auth';
import { deliveryStatusColors, deliveryStatusLabels, type WebhookDelivery } from '../api/webhooks';
import { hasPermissionIn } from '../auth/access';
import { Timestamp } from '../components/Timestamp';
import { formatRelative } from '../format/relative';
import { formatCompactDateTime } from '../format/time';
import { RouterAnchor } from '../routing/links';
import { ExpandCell } from '../components/ExpandCell';

const COLUMNS = 10;

/** Redelivery makes sense once the server has stopped trying: a dead letter, or a delivery to send again. */
export function canRedeliver(delivery: Pick<WebhookDelivery, 'status'>): boolean {
  return delivery.status === 'dead' || delivery.status === 'delivered';
}

/** When a pending delivery is tried next: "in 4 min", or "due now" once its time has come. */
export function nextAttemptLabel(iso: string, now: Date): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  return at - now.getTime() < 45_000 ? 'due now' : formatRelative(iso, now);
}

/** The payload as the receiver got it, indented for reading. */
export function formatPayload(payload: unknown): string {
  try {
    return JSON.stringify(payload, null, 2) ?? String(payload);
  } catch {
    return String(payload);
  }
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

/** The case a delivery is about: a link for those who may open it, the number for everyone else. */
function CaseRef({ delivery }: { delivery: WebhookDelivery }) {
  const me = useMe();
  if (delivery.case_id == null) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (hasPermissionIn(me.permissions, 'case.read', delivery.market)) {
    return (
      <RouterAnchor to="/cases/$id" params={{ id: String(delivery.case_id) }} size="sm" ff="monospace">
        #{delivery.case_id}
      </RouterAnchor>
    );
  }
  return (
    <Tooltip label={`You may not open cases in ${delivery.market}`} openDelay={250}>
      <Text size="sm" ff="monospace">
        #{delivery.case_id}
      </Text>
    </Tooltip>
  );
}

interface DeliveryRowProps {
  delivery: WebhookDelivery;
  now: Date;
  redelivering: boolean;
  onRedeliver: (delivery: WebhookDelivery) => void;
}

/** One delivery; its chevron opens the JSON that was sent and the full error. */
function DeliveryRow({ delivery, now, redelivering, onRedeliver }: DeliveryRowProps) {
  const [open, setOpen] = useState(false);
  const detailsId = `delivery-${delivery.id}-details`;
  return (
    <>
      <Table.Tr data-delivery-id={delivery.id} data-status={delivery.status} data-event-type={delivery.event_type} bg={open ? 'indigo.0' : undefined}>
        <ExpandCell open={open} onToggle={() => setOpen((value) => !value)} controls={detailsId} label={`payload of delivery ${delivery.id}`} />
        <Table.Td>
          <Timestamp value={delivery.created_at} />
        </Table.Td>
        <Table.Td>
          <Text size="xs" ff="monospace">
            {delivery.event_type}
          </Text>
        </Table.Td>
        <Table.Td>
          <CaseRef delivery={delivery} />
        </Table.Td>
        <Table.Td>
          <Badge color={deliveryStatusColors[delivery.status]} variant="light" size="sm" style={{ minWidth: 'max-content' }}>
            {deliveryStatusLabels[delivery.status]}
          </Badge>
        </Table.Td>
        <Table.Td ta="right">
          <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {delivery.attempts}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" ff="monospace" c={delivery.last_status_code == null ? 'dimmed' : delivery.last_status_code >= 300 ? 'red.7' : undefined} data-testid="last-status-code">
            {delivery.last_status_code ?? '—'}
          </Text>
        </Table.Td>
        <Table.Td maw={200}>
          {delivery.last_error ? (
            <Tooltip label={delivery.last_error} multiline maw={420} openDelay={250} style={{ wordBreak: 'break-word' }}>
              <Text size="sm" c="red.8" truncate data-testid="last-error">
                {delivery.last_error}
              </Text>
            </Tooltip>
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          {delivery.status === 'pending' && delivery.next_attempt_at ? (
            <Tooltip label={formatCompactDateTime(delivery.next_attempt_at)} openDelay={250}>
              <Text size="sm" data-testid="next-attempt">
                <time dateTime={delivery.next_attempt_at}>{nextAttemptLabel(delivery.next_attempt_at, now)}</time>
              </Text>
            </Tooltip>
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
        </Table.Td>
        <Table.Td ta="right">
          {canRedeliver(delivery) && (
            <Tooltip label="Send this event again, with a fresh round of attempts (same event id)" openDelay={400}>
              <Button
                size="compact-sm"
                variant={delivery.status === 'dead' ? 'light' : 'subtle'}
                leftSection={<IconSend size={14} aria-hidden />}
                loading={redelivering}
                onClick={() => onRedeliver(delivery)}
                aria-label={`Redeliver delivery ${delivery.id}`}
              >
                Redeliver
              </Button>
            </Tooltip>
          )}
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId} data-testid={`delivery-details-${delivery.id}`}>
          <Table.Td colSpan={COLUMNS} bg="gray.0" p="md" style={{ whiteSpace: 'normal' }}>
            <Stack gap="md">
              <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
                <Fact label="Delivery">
                  <Text size="sm" ff="monospace">
                    {delivery.id}
                  </Text>
                </Fact>
                <Fact label="Event id">
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {delivery.event_id}
                  </Text>
                </Fact>
                <Fact label="Market">
                  <Text size="sm">{delivery.market}</Text>
                </Fact>
                <Fact label="Last attempt">
                  <Timestamp value={delivery.last_attempt_at} empty="Not yet" />
                </Fact>
                <Fact label="Delivered">
                  <Timestamp value={delivery.delivered_at} empty="Not yet" />
                </Fact>
              </SimpleGrid>
              {delivery.last_error && (
                <Fact label="Last error">
                  <Code block fz="xs" c="red.8" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                    {delivery.last_error}
                  </Code>
                </Fact>
              )}
              <Fact label="Payload (the JSON body sent)">
                <Code block fz="xs" data-testid="delivery-payload" style={{ maxHeight: 360, overflow: 'auto' }}>
                  {formatPayload(delivery.payload)}
                </Code>
              </Fact>
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

interface DeliveriesTableProps {
  deliveries: readonly WebhookDelivery[];
  /** The delivery whose redelivery is on its way, if any. */
  redeliveringId: number | null;
  onRedeliver: (delivery: WebhookDelivery) => void;
}

/** An endpoint's deliveries, newest first: what was sent, how it went, what happens next. */
export function DeliveriesTable({ deliveries, redeliveringId, onRedeliver }: DeliveriesTableProps) {
  const now = new Date();
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table data-testid="deliveries-table" horizontalSpacing="sm" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>Created</Table.Th>
            <Table.Th>Event</Table.Th>
            <Table.Th>Case</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Attempts</Table.Th>
            <Table.Th>Last code</Table.Th>
            <Table.Th>Last error</Table.Th>
            <Table.Th>Next attempt</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deliveries.map((delivery) => (
            <DeliveryRow
              key={delivery.id}
              delivery={delivery}
              now={now}
              redelivering={redeliveringId === delivery.id}
              onRedeliver={onRedeliver}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A filter label with how many deliveries it holds ("Dead letters 3"), the count in red when it needs attention. */
export function DeliveryTotal({ count, label, alarming = false }: { count: number | undefined; label: string; alarming?: boolean }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {label}
      {count !== undefined && (
        <Text
          span
          inherit
          ml={6}
          fw={700}
          c={alarming && count > 0 ? 'red.7' : 'dimmed'}
          style={{ fontVariantNumeric: 'tabular-nums' }}
          data-testid={`delivery-total-${label}`}
        >
          {count}
        </Text>
      )}
    </span>
  );
}
