import { Alert, Badge, Button, Center, Group, Loader, Menu, Paper, Stack, Table, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangleFilled, IconArrowBackUp, IconArrowDown, IconChevronDown, IconCircleCheck, IconUserShare } from '@tabler/icons-react';
import { useState } from 'react';
import type { CaseSummary } from '../api/cases';
import type { ApiError } from '../api/errors';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useActOnCase, useReviewers, type Reviewer } from '../api/queues';
import { RelativeTime, SeverityBadge, SlaBadge, StatusBadge } from '../cases/badges';
import { ProblemAlert } from '../components/ProblemAlert';
import { RouterAnchor, RouterButton } from '../routing/links';
import { escalationReasonLabel } from './console';

type ListSearch = Record<string, string>;

interface PanelProps {
  cases: readonly CaseSummary[] | undefined;
  error: ApiError | null;
  loading: boolean;
  now: Date;
  slaHoursOf: (c: CaseSummary) => number | undefined;
  /** The same search as a /cases URL. */
  listSearch: ListSearch;
}

const nowrap = { whiteSpace: 'nowrap' } as const;

function Th({ children, right = false }: { children?: React.ReactNode; right?: boolean }) {
  return (
    <Table.Th fz="xs" fw={600} c="dimmed" ta={right ? 'right' : undefined} style={nowrap}>
      {children}
    </Table.Th>
  );
}

/** A console panel: title with a count, a link to the full list, then the body. */
export function ConsolePanel({
  title,
  count,
  listSearch,
  listLabel = 'Open in cases',
  testId,
  children,
  aside,
}: {
  title: string;
  count: number | undefined;
  listSearch?: ListSearch;
  listLabel?: string;
  testId: string;
  children: React.ReactNode;
  aside?: React.ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Group gap={8}>
          <Title order={2} fz="md">
            {title}
          </Title>
          {count !== undefined && (
            <Badge variant="light" color="gray" size="sm" radius="sm" data-testid={`${testId}-count`}>
              {count}
            </Badge>
          )}
        </Group>
        <Group gap="sm">
          {aside}
          {listSearch && (
            <RouterAnchor to="/cases" search={listSearch} size="xs">
              {listLabel}
            </RouterAnchor>
          )}
        </Group>
      </Group>
      {children}
    </Paper>
  );
}

function PanelBody({ loading, error, empty, emptyText, children }: { loading: boolean; error: ApiError | null; empty: boolean; emptyText: string; children: React.ReactNode }) {
  if (error) return <ProblemAlert error={error} heading="This list could not be loaded" />;
  if (loading) {
    return (
      <Center py="md">
        <Loader size="sm" aria-label="Loading" />
      </Center>
    );
  }
  if (empty) {
    return (
      <Text size="sm" c="dimmed" py={4}>
        {emptyText}
      </Text>
    );
  }
  return <>{children}</>;
}

/** Case number (a link) and what it is about, for the console's tables. */
export function CaseCell({ c }: { c: CaseSummary }) {
  return (
    <Stack gap={0} miw={0}>
      <Group gap={6} wrap="nowrap">
        <RouterAnchor to="/cases/$id" params={{ id: String(c.id) }} size="sm" fw={600} ff="monospace" style={{ flex: 'none' }}>
          #{c.id}
        </RouterAnchor>
        {c.emergency && <IconAlertTriangleFilled size={14} color="var(--mantine-color-red-7)" aria-label="Emergency" style={{ flex: 'none' }} />}
        <Text size="sm" fw={500} truncate="end" title={c.subject.display_name}>
          {c.subject.display_name}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" truncate="end" title={c.policy_name}>
        {c.policy_name}
      </Text>
    </Stack>
  );
}

function Assignee({ c }: { c: CaseSummary }) {
  return c.assignee ? (
    <Text size="sm" truncate="end" title={c.assignee.email}>
      {c.assignee.name}
    </Text>
  ) : (
    <Text size="sm" c="dimmed">
      Unassigned
    </Text>
  );
}

/**
 * Open emergencies, red and on top: every one of them is pinned above everything else in its market. Nothing but a
 * quiet line when there are none.
 */
export function EmergenciesPanel({ cases, error, loading, now, slaHoursOf, listSearch }: PanelProps) {
  const items = cases ?? [];
  if (error) return <ProblemAlert error={error} heading="Emergencies could not be loaded" />;
  if (loading) return null;
  if (items.length === 0) {
    return (
      <Paper withBorder radius="md" px="md" py="xs" data-testid="console-emergencies" data-count={0}>
        <Group gap="xs">
          <ThemeIcon size="sm" variant="light" color="teal" radius="xl">
            <IconCircleCheck size={14} aria-hidden />
          </ThemeIcon>
          <Text size="sm" c="dimmed">
            No open emergencies in your markets.
          </Text>
        </Group>
      </Paper>
    );
  }
  return (
    <Alert
      color="red"
      variant="filled"
      radius="md"
      icon={<IconAlertTriangleFilled size={20} aria-hidden />}
      title={
        <Group justify="space-between" gap="xs" w="100%">
          <span>
            {items.length === 1 ? '1 open emergency: work it before anything else' : `${items.length} open emergencies: work these before anything else`}
          </span>
        </Group>
      }
      data-testid="console-emergencies"
      data-count={items.length}
      styles={{ label: { width: '100%' } }}
    >
      <Stack gap={6} mt={4}>
        {items.map((c) => (
          <Paper key={c.id} radius="sm" px="sm" py={6} data-case-id={c.id} c="dark.7">
            <Group justify="space-between" gap="sm" wrap="nowrap">
              <Group gap="sm" wrap="nowrap" miw={0} style={{ flex: 1 }}>
                <div style={{ minWidth: 0, flex: 1 }}>
                  <CaseCell c={c} />
                </div>
                <SeverityBadge severity={c.severity} />
                <StatusBadge status={c.status} />
                <Text size="sm" style={nowrap}>
                  {c.market}
                </Text>
                <div style={{ width: 140, minWidth: 0 }}>
                  <Assignee c={c} />
                </div>
                <SlaBadge c={c} now={now} slaHours={slaHoursOf(c)} compact />
              </Group>
              <RouterButton to="/cases/$id" params={{ id: String(c.id) }} size="xs" color="red" variant="light">
                Open
              </RouterButton>
            </Group>
          </Paper>
        ))}
        {items.length >= 25 && (
          <RouterAnchor to="/cases" search={listSearch} size="xs" c="white" fw={600}>
            See every emergency in the case list
          </RouterAnchor>
        )}
      </Stack>
    </Alert>
  );
}

/**
 * De-escalate: back to the case's queue, or straight to a reviewer of its market (available ones first). The
 * reviewers load when the menu opens.
 */
function DeescalateMenu({ c, busy, disabled, onDeescalate }: { c: CaseSummary; busy: boolean; disabled: boolean; onDeescalate: (reviewer?: Reviewer) => void }) {
  const [opened, setOpened] = useState(false);
  const reviewers = useReviewers(opened ? c.market : null);
  return (
    <Menu opened={opened} onChange={setOpened} position="bottom-end" withinPortal shadow="md" width={280}>
      <Menu.Target>
        <Button
          size="compact-xs"
          variant="default"
          leftSection={<IconArrowDown size={12} aria-hidden />}
          rightSection={<IconChevronDown size={12} aria-hidden />}
          loading={busy}
          disabled={disabled}
          aria-label={`De-escalate case ${c.id}`}
        >
          De-escalate
        </Button>
      </Menu.Target>
      <Menu.Dropdown data-testid="deescalate-menu">
        <Menu.Item leftSection={<IconArrowBackUp size={14} aria-hidden />} onClick={() => onDeescalate()}>
          Back to its queue
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>Hand to a reviewer in {c.market}</Menu.Label>
        {reviewers.isPending && (
          <Center py={6}>
            <Loader size="xs" aria-label="Loading reviewers" />
          </Center>
        )}
        {reviewers.error && (
          <Text size="xs" c="red" px="sm" py={4}>
            {reviewers.error.detail ?? reviewers.error.title}
          </Text>
        )}
        {(reviewers.data ?? []).map((reviewer) => (
          <Menu.Item
            key={reviewer.id}
            leftSection={<IconUserShare size={14} aria-hidden />}
            rightSection={
              <Text size="xs" c={reviewer.available ? 'teal.7' : 'dimmed'}>
                {reviewer.available ? `${reviewer.open_cases} open` : 'Unavailable'}
              </Text>
            }
            onClick={() => onDeescalate(reviewer)}
          >
            {reviewer.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** Escalated cases, most urgent SLA first, with why they were escalated; a lead de-escalates or opens them. */
export function EscalationsPanel({ cases, error, loading, now, slaHoursOf, listSearch }: PanelProps) {
  const act = useActOnCase();
  const items = cases ?? [];
  const busyId = act.isPending ? act.variables.caseId : null;
  const deescalate = (c: CaseSummary, reviewer?: Reviewer) =>
    act.mutate(
      { caseId: c.id, action: 'deescalate', body: reviewer ? { version: c.version, assignee_id: reviewer.id } : { version: c.version } },
      {
        onSuccess: () =>
          notifySuccess(reviewer ? `${reviewer.name} has it now, with a fresh claim lease.` : 'The case is back in its queue.', `De-escalated: case #${c.id}`),
        onError: (failure) => notifyFailure(`Could not de-escalate case #${c.id}`, failure),
      },
    );
  return (
    <ConsolePanel title="Escalations" count={cases?.length} listSearch={listSearch} testId="console-escalations">
      <PanelBody loading={loading} error={error} empty={items.length === 0} emptyText="No escalated cases. Reviewers' escalations and SLA breaches land here.">
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={6} horizontalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Th>Case</Th>
                <Th>Reason</Th>
                <Th>Market</Th>
                <Th>Escalated</Th>
                <Th>SLA</Th>
                <Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => {
                const reason = escalationReasonLabel(c.escalation_reason);
                return (
                  <Table.Tr key={c.id} data-case-id={c.id}>
                    <Table.Td style={{ maxWidth: 0, width: '34%' }}>
                      <CaseCell c={c} />
                    </Table.Td>
                    <Table.Td style={{ maxWidth: 0, width: '30%' }}>
                      {reason.system ? (
                        <Badge color="red" variant="light" size="sm" radius="sm" data-testid="escalation-reason">
                          {reason.label}
                        </Badge>
                      ) : (
                        <Text size="sm" lineClamp={2} title={reason.label} data-testid="escalation-reason">
                          {reason.label}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.market}</Text>
                    </Table.Td>
                    <Table.Td style={nowrap}>
                      <Tooltip label="When the case last changed: its escalation, unless something happened since" openDelay={400}>
                        <span>
                          <RelativeTime value={c.updated_at} now={now} size="xs" />
                        </span>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td style={nowrap}>
                      <SlaBadge c={c} now={now} slaHours={slaHoursOf(c)} compact />
                    </Table.Td>
                    <Table.Td style={nowrap} ta="right">
                      <Group gap={6} wrap="nowrap" justify="flex-end">
                        <DeescalateMenu
                          c={c}
                          busy={busyId === c.id}
                          disabled={busyId !== null && busyId !== c.id}
                          onDeescalate={(reviewer) => deescalate(c, reviewer)}
                        />
                        <RouterButton to="/cases/$id" params={{ id: String(c.id) }} size="compact-xs" variant="light">
                          Open
                        </RouterButton>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </PanelBody>
    </ConsolePanel>
  );
}

/** Open cases by time left on their SLA, soonest (and breached) first: who has them and where. */
export function SlaBoard({ cases, error, loading, now, slaHoursOf, listSearch }: PanelProps) {
  const items = cases ?? [];
  return (
    <ConsolePanel title="SLA board" count={undefined} listSearch={listSearch} listLabel="All by due time" testId="console-sla">
      <PanelBody loading={loading} error={error} empty={items.length === 0} emptyText="No open cases on the clock.">
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={6} horizontalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Th>Time left</Th>
                <Th>Case</Th>
                <Th>Status</Th>
                <Th>Market</Th>
                <Th>Assignee</Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id} data-case-id={c.id}>
                  <Table.Td style={nowrap}>
                    <SlaBadge c={c} now={now} slaHours={slaHoursOf(c)} compact />
                  </Table.Td>
                  <Table.Td style={{ maxWidth: 0, width: '40%' }}>
                    <CaseCell c={c} />
                  </Table.Td>
                  <Table.Td style={nowrap}>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.market}</Text>
                  </Table.Td>
                  <Table.Td style={{ maxWidth: 0, width: '22%' }}>
                    <Assignee c={c} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </PanelBody>
    </ConsolePanel>
  );
}
