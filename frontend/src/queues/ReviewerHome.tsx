import { Alert, Center, CloseButton, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInbox, IconListDetails } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useMe } from '../api/auth';
import { ApiError } from '../api/errors';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useClaimNext, useQueues, type Queue } from '../api/queues';
import { hasAnyPermission } from '../auth/access';
import { useShortcuts } from '../cases/shortcuts';
import { ProblemAlert } from '../components/ProblemAlert';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { useLiveStatus } from '../live/LiveUpdates';
import { useNow } from '../status/useNow';
import { MyCasesPanel } from './MyCasesPanel';
import { QueueList } from './QueueList';
import { CONSOLE_PERMISSIONS } from './console';
import { claimTarget, moveSelection, queueRows } from './queueRows';

const SELECTED_QUEUE_KEY = 'docket.queues.selected';

/** The queue someone last worked from, remembered in this browser. */
function rememberedQueue(): number | null {
  try {
    const value = Number(window.localStorage.getItem(SELECTED_QUEUE_KEY));
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function rememberQueue(id: number): void {
  try {
    window.localStorage.setItem(SELECTED_QUEUE_KEY, String(id));
  } catch {
    // Private mode or storage full: the selection just is not remembered.
  }
}

/** /queues: the queues the caller works with live counts and "Claim next", and the cases they hold now. */
export function ReviewerHome() {
  const me = useMe();
  const navigate = useNavigate();
  const live = useLiveStatus() === 'live';
  const queues = useQueues({ live });
  const claim = useClaimNext();
  const now = useNow(30_000);
  const [selected, setSelected] = useState<number | null>(rememberedQueue);
  const [emptyQueue, setEmptyQueue] = useState<string | null>(null);

  const rows = useMemo(() => queueRows(queues.data ?? [], me.permissions), [queues.data, me.permissions]);
  const target = claimTarget(rows, selected);
  const selectedId = rows.some((row) => row.queue.id === selected) ? selected : (target?.queue.id ?? rows[0]?.queue.id ?? null);
  const canClaim = me.actor_type === 'user' && hasAnyPermission(me.permissions, ['case.claim']);
  const canConsole = hasAnyPermission(me.permissions, CONSOLE_PERMISSIONS);

  const select = (id: number) => {
    setSelected(id);
    rememberQueue(id);
  };

  const claimFrom = (queue: Queue) => {
    if (claim.isPending) return;
    setEmptyQueue(null);
    claim.mutate(queue.id, {
      onSuccess: (detail) => {
        notifySuccess(`Case #${detail.id} is yours. The claim lease runs 15 minutes; renew it if you need longer.`, `Claimed from ${queue.name}`);
        void navigate({ to: '/cases/$id', params: { id: String(detail.id) } });
      },
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'queue_empty') setEmptyQueue(queue.name);
        else notifyFailure(`Could not claim from ${queue.name}`, error);
      },
    });
  };

  useShortcuts({
    n: () => {
      if (!canClaim) return;
      const row = claimTarget(rows, selectedId);
      if (row) claimFrom(row.queue);
      else
        notifications.show({
          color: 'gray',
          title: 'No queue to claim from',
          message: 'None of your queues is a review queue of a market where you may claim cases.',
          autoClose: 4000,
        });
    },
    j: () => {
      const next = moveSelection(rows, selectedId, 1);
      if (next !== null) select(next);
    },
    k: () => {
      const next = moveSelection(rows, selectedId, -1);
      if (next !== null) select(next);
    },
  });

  const queuePanel = (
    <Paper withBorder radius="md" p="md" data-testid="my-queues">
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} fz="md">
          My queues
        </Title>
        {queues.isFetching && !queues.isPending && <Loader size="xs" aria-label="Refreshing the counts" />}
      </Group>
      {emptyQueue && (
        <Alert
          color="blue"
          variant="light"
          icon={<IconInbox size={18} aria-hidden />}
          title="Queue is empty"
          mb="sm"
          data-testid="queue-empty"
          role="status"
          withCloseButton={false}
        >
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
            <Text size="sm">
              Nothing to claim in {emptyQueue} right now: every case there is taken or still waiting for triage. New cases
              show up in the counts as they arrive.
            </Text>
            <CloseButton size="sm" aria-label="Dismiss" onClick={() => setEmptyQueue(null)} />
          </Group>
        </Alert>
      )}
      {queues.error && <ProblemAlert error={queues.error} heading="Queues could not be loaded" />}
      {queues.isPending ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading queues" />
        </Center>
      ) : (
        rows.length > 0 && (
          <QueueList
            rows={rows}
            now={now}
            selectedId={selectedId}
            onSelect={select}
            onClaim={claimFrom}
            claimingId={claim.isPending ? claim.variables : null}
            canConsole={canConsole}
          />
        )
      )}
      {canClaim && rows.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          Claim next leases the most urgent unassigned case of the queue to you for 15 minutes. Keys: <b>n</b> claims from
          the highlighted queue, <b>j</b>/<b>k</b> move the highlight.
        </Text>
      )}
    </Paper>
  );

  if (!queues.isPending && !queues.error && rows.length === 0) {
    return (
      <WorkspaceEmptyState
        icon={IconListDetails}
        title="No queues yet"
        description="Queues appear here once a lead or admin defines them for your markets, with their open cases, SLA risk and a Claim next button."
      />
    );
  }

  return (
    <Stack gap="md">
      {queuePanel}
      {canClaim && <MyCasesPanel now={now} live={live} />}
    </Stack>
  );
}
