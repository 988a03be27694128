import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Popover,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft, IconInbox, IconKey, IconPencil, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import type { ApiError } from '../api/errors';
import { notifyFailure, notifySuccess } from '../api/notify';
import {
  sortEventTypes,
  useRedeliver,
  useRotateWebhookSecret,
  useUpdateWebhook,
  useWebhook,
  useWebhookDeliveries,
  webhookInput,
  webhookKeys,
  type DeliveryStatus,
  type Webhook,
  type WebhookDelivery,
} from '../api/webhooks';
import { ActorName } from '../components/ActorName';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { detailGate } from '../components/DetailGate';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { RouterAnchor } from '../routing/links';
import { DeliveriesTable, DeliveryTotal } from './DeliveriesTable';
import { SignatureHowTo } from './SignatureHowTo';
import { EditWebhookModal } from './WebhookFormModal';
import { WebhookSecretModal, type RevealedSecret } from './WebhookSecretModal';
import { DeliveryCounts, WebhookStatusBadge, webhookMarkets } from './WebhooksTable';

const route = getRouteApi('/shell/admin/webhooks/$id');

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={2}>
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

/**
 * A failed change to the endpoint. A stale version (409 version_conflict) is
 * answered by loading the endpoint again and saying so: the person checks
 * what changed and tries again.
 */
function useChangeFailed(webhookId: number) {
  const queryClient = useQueryClient();
  return (title: string, error: ApiError) => {
    if (error.code !== 'version_conflict') {
      notifyFailure(title, error);
      return;
    }
    void queryClient.invalidateQueries({ queryKey: webhookKeys.detail(webhookId) });
    notifyFailure(title, new Error('Someone else changed this endpoint since you loaded it. It has been reloaded: check it and try again.'));
  };
}

/** Enable / Disable (disabling confirms first: pending deliveries become dead letters). */
function ActiveToggle({ webhook }: { webhook: Webhook }) {
  const update = useUpdateWebhook(webhook.id);
  const failed = useChangeFailed(webhook.id);
  const [confirming, setConfirming] = useState(false);

  const setActive = (active: boolean) =>
    update.mutate(
      webhookInput({
        name: webhook.name,
        url: webhook.url,
        eventTypes: webhook.event_types,
        allMarkets: webhook.markets.length === 0,
        markets: webhook.markets,
        active,
        version: webhook.version,
      }),
      {
        onSuccess: (saved) =>
          notifySuccess(
            saved.active ? `“${saved.name}” gets deliveries again.` : `“${saved.name}” gets no new deliveries.`,
            saved.active ? 'Endpoint enabled' : 'Endpoint disabled',
          ),
        onError: (error) => failed(active ? 'Could not enable the endpoint' : 'Could not disable the endpoint', error),
        onSettled: () => setConfirming(false),
      },
    );

  return (
    <>
      {webhook.active ? (
        <Button variant="default" leftSection={<IconPlayerPause size={16} aria-hidden />} onClick={() => setConfirming(true)}>
          Disable
        </Button>
      ) : (
        <Button color="teal" leftSection={<IconPlayerPlay size={16} aria-hidden />} loading={update.isPending} onClick={() => setActive(true)}>
          Enable
        </Button>
      )}
      <ConfirmDialog
        opened={confirming}
        title={`Disable “${webhook.name}”?`}
        confirmLabel="Disable endpoint"
        loading={update.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() => setActive(false)}
      >
        <Text size="sm">
          No new events are queued for it, and deliveries still pending become dead letters when they come due. Enable it
          again and redeliver the dead letters to catch up.
        </Text>
      </ConfirmDialog>
    </>
  );
}

/** Rotate secret: confirm, then show the new secret once. */
function RotateSecret({ webhook, onRotated }: { webhook: Webhook; onRotated: (revealed: RevealedSecret) => void }) {
  const rotate = useRotateWebhookSecret(webhook.id);
  const failed = useChangeFailed(webhook.id);
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button variant="default" leftSection={<IconKey size={16} aria-hidden />} onClick={() => setConfirming(true)}>
        Rotate secret
      </Button>
      <ConfirmDialog
        opened={confirming}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        color="orange"
        loading={rotate.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          rotate.mutate(
            { version: webhook.version },
            {
              onSuccess: (rotated) => {
                setConfirming(false);
                onRotated({ webhook: rotated, rotated: true });
                rotate.reset(); // the secret lives only in the modal's state
              },
              onError: (error) => failed('Could not rotate the secret', error),
              onSettled: () => setConfirming(false),
            },
          )
        }
      >
        <Text size="sm">
          Every delivery from now on is signed with a new secret, shown to you once. The receiver refuses them until it has
          the new secret (Docket keeps retrying with back-off), so have its configuration at hand.
        </Text>
      </ConfirmDialog>
    </>
  );
}

const filters: { value: 'all' | DeliveryStatus; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'dead', label: 'Dead letters' },
];

function DeliveriesSection({ webhook }: { webhook: Webhook }) {
  const { status } = route.useSearch();
  const navigate = route.useNavigate();
  const deliveries = useWebhookDeliveries(webhook.id, status);
  const redeliver = useRedeliver(webhook.id);
  const [redeliveringId, setRedeliveringId] = useState<number | null>(null);
  const rows = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  const counts = webhook.deliveries;
  const total = counts.pending + counts.delivered + counts.dead;

  const onRedeliver = (delivery: WebhookDelivery) => {
    setRedeliveringId(delivery.id);
    redeliver.mutate(delivery, {
      onSuccess: () => notifySuccess(`Delivery ${delivery.id} (${delivery.event_type}) is queued and will be sent shortly.`, 'Redelivery queued'),
      onError: (error) =>
        notifyFailure(
          'Could not redeliver',
          error.code === 'delivery_pending' ? new Error('This delivery is still being attempted; wait for it to finish.') : error,
        ),
      onSettled: () => setRedeliveringId(null),
    });
  };

  return (
    <Paper withBorder radius="md" p="lg">
      <Group justify="space-between" mb="md" gap="sm">
        <Title order={2} fz="md">
          Deliveries
        </Title>
        <SegmentedControl
          size="sm"
          aria-label="Show deliveries"
          value={status ?? 'all'}
          onChange={(value) => void navigate({ search: value === 'all' ? {} : { status: value }, replace: true })}
          data={filters.map((filter) => ({
            value: filter.value,
            label: (
              <DeliveryTotal
                label={filter.label}
                count={filter.value === 'all' ? total : counts[filter.value]}
                alarming={filter.value === 'dead'}
              />
            ),
          }))}
        />
      </Group>
      {deliveries.error && <ProblemAlert error={deliveries.error} heading="Deliveries could not be loaded" />}
      {deliveries.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : rows.length === 0 && !deliveries.error ? (
        <Stack align="center" gap={4} py="xl" data-testid="deliveries-empty">
          <IconInbox size={28} stroke={1.5} color="var(--mantine-color-gray-5)" aria-hidden />
          <Text size="sm" c="dimmed" ta="center" maw={480}>
            {status === 'dead'
              ? 'No dead letters: every delivery got through or is still being tried.'
              : status
                ? `No ${status} deliveries.`
                : 'Nothing sent yet. A delivery appears here as soon as a subscribed event happens in one of its markets.'}
          </Text>
        </Stack>
      ) : (
        rows.length > 0 && (
          <div style={{ opacity: deliveries.isPlaceholderData ? 0.55 : 1, transition: 'opacity 120ms' }}>
            <DeliveriesTable deliveries={rows} redeliveringId={redeliveringId} onRedeliver={onRedeliver} />
          </div>
        )
      )}
      {deliveries.hasNextPage && (
        <Center mt="md">
          <Button variant="default" onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}
    </Paper>
  );
}

/** /admin/webhooks/$id: the endpoint, its controls, and every delivery made to it. */
export function WebhookDetailPage() {
  const { id } = route.useParams();
  const webhookId = Number(id);
  const valid = Number.isSafeInteger(webhookId) && webhookId > 0;
  const webhook = useWebhook(valid ? webhookId : 0);
  const queryClient = useQueryClient();
  const [editOpened, edit] = useDisclosure(false);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  useDocumentTitle(`${webhook.data?.name ?? 'Webhook'} · Admin · Docket`);

  const back = (
    <RouterAnchor to="/admin/webhooks" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden /> All webhooks
      </Group>
    </RouterAnchor>
  );

  const gate = detailGate({
    valid,
    query: webhook,
    back,
    notFound: `No webhook endpoint with id ${id}, or not one you may manage.`,
    testId: 'webhook-not-found',
    errorHeading: 'This endpoint could not be loaded',
  });
  if (gate) return gate;
  if (!webhook.data) return null;

  const w = webhook.data;
  return (
    <Stack gap="lg">
      {back}
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="flex-start" mb="md" gap="md">
          <div style={{ minWidth: 0 }}>
            <Group gap="sm">
              <Title order={2} fz={22} data-testid="webhook-name">
                {w.name}
              </Title>
              <WebhookStatusBadge webhook={w} />
            </Group>
            <Text size="sm" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="webhook-url">
              {w.url}
            </Text>
          </div>
          <Group gap="sm">
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={edit.open}>
              Edit
            </Button>
            <RotateSecret webhook={w} onRotated={setRevealed} />
            <ActiveToggle webhook={w} />
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Fact label="Event types">
            <Group gap={4}>
              {sortEventTypes(w.event_types).map((type) => (
                <Badge key={type} variant="outline" color="gray" size="sm" radius="sm" ff="monospace" tt="none">
                  {type}
                </Badge>
              ))}
            </Group>
          </Fact>
          <Fact label="Markets">
            <Text size="sm">{webhookMarkets(w)}</Text>
          </Fact>
          <Fact label="Deliveries">
            <DeliveryCounts counts={w.deliveries} />
          </Fact>
          <Fact label="Created">
            <Timestamp value={w.created_at} />
            <Text size="xs" c="dimmed">
              by <ActorName actor={w.created_by} />
            </Text>
          </Fact>
          <Fact label="Endpoint id">
            <Text size="sm" ff="monospace">
              webhook:{w.id}
            </Text>
          </Fact>
          <Fact label="Last changed">
            <Timestamp value={w.updated_at} />
            <Text size="xs" c="dimmed">
              version {w.version}
            </Text>
          </Fact>
          <Fact label="Signing secret">
            <Group gap={6} wrap="nowrap">
              <Text size="sm" c="dimmed">
                Shown once
              </Text>
              <Popover width={640} position="bottom-end" shadow="md" withinPortal>
                <Popover.Target>
                  <Anchor component="button" type="button" size="sm">
                    How to verify
                  </Anchor>
                </Popover.Target>
                <Popover.Dropdown>
                  <SignatureHowTo />
                </Popover.Dropdown>
              </Popover>
            </Group>
          </Fact>
        </SimpleGrid>
      </Paper>

      <DeliveriesSection webhook={w} />

      <EditWebhookModal
        webhook={w}
        opened={editOpened}
        onClose={edit.close}
        onSaved={(saved) => notifySuccess(`“${saved.name}” is saved.`, 'Endpoint updated')}
        onReload={() => void queryClient.invalidateQueries({ queryKey: webhookKeys.detail(w.id) })}
      />
      <WebhookSecretModal revealed={revealed} onClose={() => setRevealed(null)} />
    </Stack>
  );
}
