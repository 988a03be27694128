import { Badge, Button, Center, Grid, Group, Loader, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconUserShare } from '@tabler/icons-react';
import { useState } from 'react';
import type { CaseSummary } from '../api/cases';
import type { ApiError } from '../api/errors';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useActOnCase, useReviewers, type Reviewer } from '../api/queues';
import { SeverityBadge, SlaBadge } from '../cases/badges';
import { ProblemAlert } from '../components/ProblemAlert';
import { ConsolePanel } from './ConsolePanels';

interface AssignmentPanelProps {
  cases: readonly CaseSummary[] | undefined;
  error: ApiError | null;
  loading: boolean;
  now: Date;
  slaHoursOf: (c: CaseSummary) => number | undefined;
  listSearch: Record<string, string>;
}

/** One unassigned case to pick: a radio-like row. */
function CaseChoice({ c, now, slaHours, selected, onSelect }: { c: CaseSummary; now: Date; slaHours: number | undefined; selected: boolean; onSelect: () => void }) {
  return (
    <UnstyledButton
      onClick={onSelect}
      role="radio"
      aria-checked={selected}
      aria-label={`Case ${c.id}: ${c.subject.display_name}`}
      data-case-id={c.id}
      px="sm"
      py={6}
      w="100%"
      style={{
        borderRadius: 'var(--mantine-radius-sm)',
        border: `1px solid ${selected ? 'var(--mantine-color-indigo-5)' : 'var(--mantine-color-gray-3)'}`,
        background: selected ? 'var(--mantine-color-indigo-0)' : undefined,
      }}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Stack gap={0} miw={0}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600} ff="monospace" style={{ flex: 'none' }}>
              #{c.id}
            </Text>
            <Text size="sm" fw={500} truncate="end">
              {c.subject.display_name}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" truncate="end">
            {c.policy_name} · {c.market}
          </Text>
        </Stack>
        <Group gap={4} wrap="nowrap" style={{ flex: 'none' }}>
          <SeverityBadge severity={c.severity} size="xs" />
          <SlaBadge c={c} now={now} slaHours={slaHours} size="xs" compact />
        </Group>
      </Group>
    </UnstyledButton>
  );
}

function ReviewerRow({ reviewer, onAssign, busy, disabled }: { reviewer: Reviewer; onAssign: () => void; busy: boolean; disabled: boolean }) {
  return (
    <Group
      justify="space-between"
      gap="xs"
      wrap="nowrap"
      px="sm"
      py={6}
      data-testid="reviewer"
      data-reviewer-id={reviewer.id}
      data-available={String(reviewer.available)}
      style={{ borderBottom: '1px solid var(--mantine-color-gray-2)', opacity: reviewer.available ? 1 : 0.75 }}
    >
      <Stack gap={0} miw={0}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500} truncate="end">
            {reviewer.name}
          </Text>
          {reviewer.available ? (
            <Badge size="xs" color="teal" variant="light" radius="sm">
              Available
            </Badge>
          ) : (
            <Badge size="xs" color="gray" variant="outline" radius="sm">
              Unavailable
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" truncate="end">
          {reviewer.email} · {reviewer.open_cases === 1 ? '1 open case' : `${reviewer.open_cases} open cases`}
        </Text>
      </Stack>
      <Button
        size="compact-xs"
        variant={reviewer.available ? 'light' : 'default'}
        leftSection={<IconUserShare size={12} aria-hidden />}
        loading={busy}
        disabled={disabled}
        onClick={onAssign}
        aria-label={`Assign to ${reviewer.name}`}
      >
        Assign
      </Button>
    </Group>
  );
}

/**
 * Assignment: pick an unassigned triaged case, then a reviewer of its market (available ones first, with how many
 * cases they hold). Many cases at once: the case list's bulk bar.
 */
export function AssignmentPanel({ cases, error, loading, now, slaHoursOf, listSearch }: AssignmentPanelProps) {
  const items = cases ?? [];
  const [picked, setPicked] = useState<number | null>(null);
  const selected = items.find((c) => c.id === picked) ?? items[0] ?? null;
  const reviewers = useReviewers(selected?.market ?? null);
  const act = useActOnCase();

  const assign = (c: CaseSummary, reviewer: Reviewer) =>
    act.mutate(
      { caseId: c.id, action: 'assign', body: { version: c.version, assignee_id: reviewer.id } },
      {
        onSuccess: () => {
          notifySuccess(`${reviewer.name} has it now, with a fresh claim lease.`, `Case #${c.id} assigned`);
          setPicked(null);
        },
        onError: (failure) => notifyFailure(`Could not assign case #${c.id}`, failure),
      },
    );
  const busyReviewer = act.isPending ? act.variables.body.assignee_id : null;

  return (
    <ConsolePanel
      title="Assignment"
      count={cases?.length}
      listSearch={listSearch}
      listLabel="Assign many at once (bulk)"
      testId="console-assignment"
    >
      {error ? (
        <ProblemAlert error={error} heading="Unassigned cases could not be loaded" />
      ) : loading ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading" />
        </Center>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed" py={4}>
          Every triaged case has someone on it.
        </Text>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
              Unassigned triaged cases, most urgent first
            </Text>
            <ScrollArea.Autosize mah={360} type="auto" offsetScrollbars>
              <Stack gap={4} role="radiogroup" aria-label="Case to assign" data-testid="assign-cases">
                {items.map((c) => (
                  <CaseChoice key={c.id} c={c} now={now} slaHours={slaHoursOf(c)} selected={c.id === selected?.id} onSelect={() => setPicked(c.id)} />
                ))}
              </Stack>
            </ScrollArea.Autosize>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={6}>
              {selected ? `Reviewers in ${selected.market} for case #${selected.id}` : 'Reviewers'}
            </Text>
            {reviewers.error ? (
              <ProblemAlert error={reviewers.error} heading="Reviewers could not be loaded" />
            ) : reviewers.isPending ? (
              <Center py="md">
                <Loader size="sm" aria-label="Loading reviewers" />
              </Center>
            ) : (reviewers.data ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">
                Nobody may take cases in {selected?.market}.
              </Text>
            ) : (
              <ScrollArea.Autosize mah={360} type="auto" offsetScrollbars>
                <div data-testid="assign-reviewers">
                  {(reviewers.data ?? []).map((reviewer) => (
                    <ReviewerRow
                      key={reviewer.id}
                      reviewer={reviewer}
                      busy={busyReviewer === reviewer.id}
                      disabled={!selected || (act.isPending && busyReviewer !== reviewer.id)}
                      onAssign={() => selected && assign(selected, reviewer)}
                    />
                  ))}
                </div>
              </ScrollArea.Autosize>
            )}
          </Grid.Col>
        </Grid>
      )}
    </ConsolePanel>
  );
}
