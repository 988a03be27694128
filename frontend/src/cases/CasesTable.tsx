import { Badge, Checkbox, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangleFilled } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import type { CaseSummary } from '../api/cases';
import { RouterAnchor } from '../routing/links';
import { RelativeTime, SeverityBadge, SlaBadge, StatusBadge } from './badges';
import { subjectKindLabel } from './labels';

interface Selection {
  selected: ReadonlySet<number>;
  onToggle: (id: number) => void;
  onToggleAll: (ids: number[], checked: boolean) => void;
}

interface CasesTableProps {
  cases: readonly CaseSummary[];
  now: Date;
  /** The SLA's length in hours for a case (from its policy), for the at-risk colouring. */
  slaHoursOf?: ((c: CaseSummary) => number | undefined) | undefined;
  /** Checkboxes for bulk actions; absent: no checkbox column. */
  selection?: Selection | undefined;
  /** The keyboard-highlighted row (j/k). */
  activeId?: number | null | undefined;
  onOpen: (id: number) => void;
  testId?: string;
  /** On a subject's own page every row is about the same subject. */
  hideSubject?: boolean;
}

const nowrap = { whiteSpace: 'nowrap' } as const;

/** A compact column heading. */
function Th({ children, right = false }: { children: React.ReactNode; right?: boolean }) {
  return (
    <Table.Th fz="xs" fw={600} c="dimmed" ta={right ? 'right' : undefined} style={nowrap}>
      {children}
    </Table.Th>
  );
}

function SubjectCell({ c }: { c: CaseSummary }) {
  return (
    <Stack gap={0} miw={0}>
      <Text size="sm" fw={500} truncate="end" title={c.subject.display_name}>
        {c.subject.display_name}
      </Text>
      <Text size="xs" c="dimmed" truncate="end">
        {subjectKindLabel(c.subject.kind)} ·{' '}
        <Text span inherit ff="monospace">
          {c.subject.external_id}
        </Text>
      </Text>
    </Stack>
  );
}

function PolicyCell({ c }: { c: CaseSummary }) {
  return (
    <Stack gap={2} miw={0}>
      <Text size="sm" title={c.policy_name}>
        {c.policy_name}
      </Text>
      {c.tags.length > 0 && (
        <Group gap={4}>
          {c.tags.slice(0, 3).map((tag) => (
            <Badge key={tag} size="xs" variant="default" radius="sm" fw={500}>
              {tag}
            </Badge>
          ))}
          {c.tags.length > 3 && (
            <Text size="xs" c="dimmed">
              +{c.tags.length - 3}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}

/**
 * Cases, one dense row each. The whole row opens the case (the id is also a
 * real link, for middle-click and screen readers); checkboxes select rows for
 * bulk actions when `selection` is given.
 */
export function CasesTable({ cases, now, slaHoursOf, selection, activeId, onOpen, testId = 'cases-table', hideSubject = false }: CasesTableProps) {
  const activeRow = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    activeRow.current?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const ids = cases.map((c) => c.id);
  const selectedHere = selection ? ids.filter((id) => selection.selected.has(id)).length : 0;

  return (
    <Table.ScrollContainer minWidth={960}>
      <Table data-testid={testId} verticalSpacing={6} horizontalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th w={32}>
                <Checkbox
                  size="xs"
                  aria-label="Select all shown cases"
                  checked={selectedHere > 0 && selectedHere === ids.length}
                  indeterminate={selectedHere > 0 && selectedHere < ids.length}
                  onChange={(event) => selection.onToggleAll(ids, event.currentTarget.checked)}
                />
              </Table.Th>
            )}
            <Th>ID</Th>
            {!hideSubject && <Th>Subject</Th>}
            <Th>Policy</Th>
            <Th>Severity</Th>
            <Th>Status</Th>
            <Th>Market</Th>
            <Th>Assignee</Th>
            <Th>SLA due</Th>
            <Th right>
              <Tooltip label="Higher is more urgent: severity, reach, SLA urgency, emergency" openDelay={300}>
                <span>Priority</span>
              </Tooltip>
            </Th>
            <Th>Updated</Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cases.map((c) => {
            const active = c.id === activeId;
            const checked = selection?.selected.has(c.id) ?? false;
            return (
              <Table.Tr
                key={c.id}
                ref={active ? activeRow : undefined}
                data-case-id={c.id}
                data-active={active || undefined}
                aria-selected={selection ? checked : undefined}
                onClick={() => onOpen(c.id)}
                style={{
                  cursor: 'pointer',
                  boxShadow: active ? 'inset 3px 0 0 var(--mantine-color-indigo-6)' : undefined,
                }}
                bg={active ? 'indigo.0' : checked ? 'gray.0' : undefined}
              >
                {selection && (
                  <Table.Td onClick={(event) => event.stopPropagation()}>
                    <Checkbox
                      size="xs"
                      aria-label={`Select case ${c.id}`}
                      checked={checked}
                      onChange={() => selection.onToggle(c.id)}
                    />
                  </Table.Td>
                )}
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <RouterAnchor
                      to="/cases/$id"
                      params={{ id: String(c.id) }}
                      size="sm"
                      fw={600}
                      ff="monospace"
                      onClick={(event) => event.stopPropagation()}
                    >
                      #{c.id}
                    </RouterAnchor>
                    {c.emergency && (
                      <Tooltip label="Emergency" openDelay={200}>
                        <IconAlertTriangleFilled size={14} color="var(--mantine-color-red-7)" aria-label="Emergency" />
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                {!hideSubject && (
                  <Table.Td style={{ maxWidth: 0, width: '30%' }}>
                    <SubjectCell c={c} />
                  </Table.Td>
                )}
                <Table.Td style={{ maxWidth: 0, width: '18%' }}>
                  <PolicyCell c={c} />
                </Table.Td>
                <Table.Td style={nowrap}>
                  <SeverityBadge severity={c.severity} />
                </Table.Td>
                <Table.Td style={nowrap}>
                  <StatusBadge status={c.status} />
                </Table.Td>
                <Table.Td data-col="market">
                  <Text size="sm">{c.market}</Text>
                </Table.Td>
                <Table.Td style={{ maxWidth: 0, width: '13%' }}>
                  {c.assignee ? (
                    <Text size="sm" truncate="end" title={c.assignee.email}>
                      {c.assignee.name}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Unassigned
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={nowrap}>
                  <SlaBadge c={c} now={now} slaHours={slaHoursOf?.(c)} compact />
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {Math.round(c.priority)}
                  </Text>
                </Table.Td>
                <Table.Td style={nowrap}>
                  <RelativeTime value={c.updated_at} now={now} size="xs" />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
