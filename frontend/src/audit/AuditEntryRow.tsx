import { Code, Group, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry } from '../api/audit';
import { marketLabel } from '../auth/access';
import { Timestamp } from '../components/Timestamp';
import { JsonDiffView } from './JsonDiffView';
import { ExpandCell } from '../components/ExpandCell';

export const AUDIT_COLUMNS = 8;

function HashFact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {value || '—'}
      </Text>
    </div>
  );
}

/** One audit entry; its chevron opens the before/after of the change and the entry's hashes. */
export function AuditEntryRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const detailsId = `audit-entry-${entry.seq}-details`;
  return (
    <>
      <Table.Tr data-seq={entry.seq} data-action={entry.action} bg={open ? 'indigo.0' : undefined}>
        <ExpandCell open={open} onToggle={() => setOpen((value) => !value)} controls={detailsId} label={`changes of entry ${entry.seq}`} />
        <Table.Td>
          <Text size="sm" ff="monospace">
            {entry.seq}
          </Text>
        </Table.Td>
        <Table.Td>
          <Timestamp value={entry.occurred_at} precise />
        </Table.Td>
        <Table.Td>
          <Text size="sm" lh={1.3}>
            {entry.actor_label || entry.actor}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {entry.actor}
          </Text>
        </Table.Td>
        <Table.Td>
          <Code>{entry.action}</Code>
        </Table.Td>
        <Table.Td>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {entry.object_type}{' '}
            <Text span size="sm" c="dimmed" ff="monospace">
              #{entry.object_id}
            </Text>
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{entry.market ? marketLabel(entry.market) : '—'}</Text>
        </Table.Td>
        <Table.Td>
          {entry.request_id ? (
            <Tooltip label={entry.request_id} openDelay={250}>
              <Text size="xs" ff="monospace" truncate maw={120}>
                {entry.request_id}
              </Text>
            </Tooltip>
          ) : (
            <Text size="xs" c="dimmed">
              —
            </Text>
          )}
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId} data-testid={`audit-details-${entry.seq}`}>
          <Table.Td colSpan={AUDIT_COLUMNS} bg="gray.0" p="md">
            <Stack gap="md">
              <JsonDiffView before={entry.before} after={entry.after} />
              <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
                <HashFact label="Hash" value={entry.hash} />
                <HashFact label="Previous hash" value={entry.prev_hash} />
                <Group gap="xl" align="flex-start">
                  <HashFact label="Client IP" value={entry.client_ip} />
                  <HashFact label="Request ID" value={entry.request_id} />
                </Group>
              </SimpleGrid>
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
