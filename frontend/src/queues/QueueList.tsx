import { Badge, Button, Group, Kbd, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconHandGrab } from '@tabler/icons-react';
import type { Queue } from '../api/queues';
import { RouterAnchor } from '../routing/links';
import { oldestWaiting, type QueueRow } from './queueRows';

interface QueueListProps {
  rows: readonly QueueRow[];
  now: Date;
  /** The queue `n` claims from (highlighted). */
  selectedId: number | null;
  onSelect: (id: number) => void;
  onClaim: (queue: Queue) => void;
  /** The queue whose claim is under way. */
  claimingId: number | null;
  /** Leads get a link from escalation queues to the console, where those cases are assigned. */
  canConsole: boolean;
}

const numeric = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

function Th({ children, right = false, w }: { children?: React.ReactNode; right?: boolean; w?: number }) {
  return (
    <Table.Th fz="xs" fw={600} c="dimmed" ta={right ? 'right' : undefined} w={w} style={{ whiteSpace: 'nowrap' }}>
      {children}
    </Table.Th>
  );
}

/** A count that only stands out when it matters: zero is dimmed, at risk orange, breached red. */
function Count({ value, tone, label }: { value: number; tone?: 'orange' | 'red'; label: string }) {
  if (value === 0) {
    return (
      <Text size="sm" c="dimmed" style={numeric} aria-label={`${label}: 0`}>
        0
      </Text>
    );
  }
  if (tone === 'red') {
    return (
      <Badge color="red" variant="filled" size="md" radius="sm" style={numeric} aria-label={`${label}: ${value}`}>
        {value}
      </Badge>
    );
  }
  return (
    <Text size="sm" fw={tone ? 600 : 500} c={tone ? `${tone}.8` : undefined} style={numeric} aria-label={`${label}: ${value}`}>
      {value}
    </Text>
  );
}

function QueueName({ queue }: { queue: Queue }) {
  return (
    <Stack gap={2} miw={0}>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" fw={600} truncate="end">
          {queue.name}
        </Text>
        {queue.kind === 'escalation' && (
          <Badge size="xs" variant="light" color="orange" radius="sm" style={{ flex: 'none' }}>
            Escalations
          </Badge>
        )}
        {queue.emergency_only && (
          <Badge size="xs" variant="light" color="red" radius="sm" style={{ flex: 'none' }}>
            Emergencies only
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" truncate="end" title={queue.description}>
        {queue.markets.join(', ')}
        {queue.description ? ` · ${queue.description}` : ''}
      </Text>
    </Stack>
  );
}

/**
 * The queues the caller can see with their live counts, one row each; a row is selected by clicking it (or j/k) and
 * "Claim next" (or n) leases its most urgent case.
 */
export function QueueList({ rows, now, selectedId, onSelect, onClaim, claimingId, canConsole }: QueueListProps) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table data-testid="queue-list" verticalSpacing={8} horizontalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Th>Queue</Th>
            <Th right>Open</Th>
            <Th right>Unassigned</Th>
            <Th right>At risk</Th>
            <Th right>Breached</Th>
            <Th right>Oldest</Th>
            <Th w={150} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ queue, claimable }) => {
            const selected = queue.id === selectedId;
            const oldest = oldestWaiting(queue, now);
            return (
              <Table.Tr
                key={queue.id}
                data-queue-id={queue.id}
                data-queue-name={queue.name}
                data-selected={selected || undefined}
                aria-selected={selected}
                onClick={() => onSelect(queue.id)}
                bg={selected ? 'indigo.0' : undefined}
                style={{ cursor: 'pointer', boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-indigo-6)' : undefined }}
              >
                <Table.Td style={{ maxWidth: 0, width: '44%' }}>
                  <QueueName queue={queue} />
                </Table.Td>
                <Table.Td ta="right" data-count="total">
                  <Count value={queue.counts.total} label="Open" />
                </Table.Td>
                <Table.Td ta="right" data-count="unassigned">
                  <Count value={queue.counts.unassigned} label="Unassigned" />
                </Table.Td>
                <Table.Td ta="right" data-count="at_risk">
                  <Count value={queue.counts.at_risk} tone="orange" label="At risk" />
                </Table.Td>
                <Table.Td ta="right" data-count="breached">
                  <Count value={queue.counts.breached} tone="red" label="Breached" />
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" c={oldest ? undefined : 'dimmed'} style={numeric}>
                    {oldest ?? '–'}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" onClick={(event) => event.stopPropagation()}>
                  {claimable ? (
                    <Tooltip
                      label={selected ? 'Lease the most urgent case of this queue (n)' : 'Lease the most urgent case of this queue'}
                      openDelay={400}
                    >
                      <Button
                        size="xs"
                        variant={selected ? 'filled' : 'light'}
                        leftSection={<IconHandGrab size={14} aria-hidden />}
                        rightSection={selected ? <Kbd size="xs">n</Kbd> : undefined}
                        loading={claimingId === queue.id}
                        disabled={claimingId !== null && claimingId !== queue.id}
                        onClick={() => {
                          onSelect(queue.id);
                          onClaim(queue);
                        }}
                        aria-label={`Claim next from ${queue.name}`}
                      >
                        Claim next
                      </Button>
                    </Tooltip>
                  ) : queue.kind === 'escalation' && canConsole ? (
                    <RouterAnchor to="/queues/console" size="xs">
                      Lead console
                    </RouterAnchor>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {queue.kind === 'escalation' ? 'Leads assign these' : 'View only'}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
