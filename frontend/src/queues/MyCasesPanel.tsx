import { Badge, Button, Center, Group, Loader, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangleFilled, IconClockPlay } from '@tabler/icons-react';
import type { CaseSummary } from '../api/cases';
import { ApiError } from '../api/errors';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useActOnCase, useMyCases } from '../api/queues';
import { LeaseBadge, SeverityBadge, SlaBadge, StatusBadge } from '../cases/badges';
import { useSlaHoursOf } from '../cases/useSlaHours';
import { ProblemAlert } from '../components/ProblemAlert';
import { RouterAnchor } from '../routing/links';

const nowrap = { whiteSpace: 'nowrap' } as const;

function Th({ children, right = false }: { children?: React.ReactNode; right?: boolean }) {
  return (
    <Table.Th fz="xs" fw={600} c="dimmed" ta={right ? 'right' : undefined} style={nowrap}>
      {children}
    </Table.Th>
  );
}

function MyCaseRow({ c, now, slaHours, renewing, onRenew }: { c: CaseSummary; now: Date; slaHours: number | undefined; renewing: boolean; onRenew: () => void }) {
  const leased = c.status === 'in_review' && c.claim_expires_at;
  return (
    <Table.Tr data-testid="my-case" data-case-id={c.id}>
      <Table.Td style={{ maxWidth: 0, width: '36%' }}>
        <Group gap={6} wrap="nowrap">
          <RouterAnchor to="/cases/$id" params={{ id: String(c.id) }} size="sm" fw={600} ff="monospace" style={{ flex: 'none' }}>
            #{c.id}
          </RouterAnchor>
          {c.emergency && (
            <Tooltip label="Emergency: work it first" openDelay={200}>
              <IconAlertTriangleFilled size={14} color="var(--mantine-color-red-7)" aria-label="Emergency" style={{ flex: 'none' }} />
            </Tooltip>
          )}
          <Text size="sm" fw={500} truncate="end" title={c.subject.display_name}>
            {c.subject.display_name}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td style={{ maxWidth: 0, width: '22%' }}>
        <Text size="sm" truncate="end" title={c.policy_name}>
          {c.policy_name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{c.market}</Text>
      </Table.Td>
      <Table.Td style={nowrap}>
        <SeverityBadge severity={c.severity} />
      </Table.Td>
      <Table.Td style={nowrap}>
        <SlaBadge c={c} now={now} slaHours={slaHours} compact />
      </Table.Td>
      <Table.Td style={nowrap}>{leased ? <LeaseBadge expiresAt={c.claim_expires_at!} compact /> : <StatusBadge status={c.status} />}</Table.Td>
      <Table.Td style={nowrap} ta="right">
        {leased && (
          <Tooltip label="Keep the case for another 15 minutes" openDelay={400}>
            <Button
              size="compact-xs"
              variant="default"
              leftSection={<IconClockPlay size={12} aria-hidden />}
              loading={renewing}
              onClick={onRenew}
              aria-label={`Renew the claim on case ${c.id}`}
            >
              Renew
            </Button>
          </Tooltip>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** "My cases": what the caller holds now, soonest SLA first, each claim lease counting down with a Renew button. */
export function MyCasesPanel({ now, live }: { now: Date; live: boolean }) {
  const mine = useMyCases({ enabled: true, live });
  const slaHoursOf = useSlaHoursOf();
  const act = useActOnCase();
  const items = mine.data?.items ?? [];
  const renewingId = act.isPending && act.variables.action === 'renew' ? act.variables.caseId : null;

  const renew = (c: CaseSummary) =>
    act.mutate(
      { caseId: c.id, action: 'renew', body: { version: c.version } },
      {
        onSuccess: () => notifySuccess('You hold the case for another 15 minutes.', `Claim renewed: case #${c.id}`),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'version_conflict') {
            void mine.refetch();
            notifyFailure(`Could not renew the claim on case #${c.id}`, new Error('The case changed since the list loaded; it is refreshed now. Try again.'));
            return;
          }
          notifyFailure(`Could not renew the claim on case #${c.id}`, error);
        },
      },
    );

  return (
    <Paper withBorder radius="md" p="md" data-testid="my-cases">
      <Group justify="space-between" mb="sm" gap="xs">
        <Group gap={8}>
          <Title order={2} fz="md">
            My cases
          </Title>
          {mine.data && (
            <Badge variant="light" color="gray" size="sm" radius="sm" data-testid="my-cases-count">
              {items.length}
            </Badge>
          )}
        </Group>
        <RouterAnchor to="/cases" search={{ assignee: 'me' }} size="xs">
          All my cases
        </RouterAnchor>
      </Group>
      {mine.error && <ProblemAlert error={mine.error} heading="Your cases could not be loaded" />}
      {mine.isPending ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading your cases" />
        </Center>
      ) : items.length === 0 && !mine.error ? (
        <Text size="sm" c="dimmed" py="xs">
          You hold no cases. Claim the next one from a queue (<b>n</b>).
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={6} horizontalSpacing="xs" highlightOnHover data-testid="my-cases-table">
            <Table.Thead>
              <Table.Tr>
                <Th>Case</Th>
                <Th>Policy</Th>
                <Th>Market</Th>
                <Th>Severity</Th>
                <Th>SLA</Th>
                <Th>Claim lease</Th>
                <Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <MyCaseRow key={c.id} c={c} now={now} slaHours={slaHoursOf(c)} renewing={renewingId === c.id} onRenew={() => renew(c)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
