import { Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { useWebhooks } from '../api/webhooks';
import { ProblemAlert } from '../components/ProblemAlert';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { NewWebhookModal } from './WebhookFormModal';
import { WebhookSecretModal, type RevealedSecret } from './WebhookSecretModal';
import { WebhooksTable } from './WebhooksTable';

/** /admin/webhooks: endpoints that hear about cases, signed and retried, with how their deliveries are going. */
export function WebhooksPage() {
  const webhooks = useWebhooks();
  const [newOpened, newWebhook] = useDisclosure(false);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const rows = webhooks.data ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          Docket POSTs case events to these endpoints as signed JSON. A failed delivery is retried with growing back-off
          (ten attempts over several hours), then kept as a dead letter you can send again.
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={newWebhook.open}>
          New endpoint
        </Button>
      </Group>

      {webhooks.error && <ProblemAlert error={webhooks.error} heading="Webhooks could not be loaded" />}

      {webhooks.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : rows.length === 0 && !webhooks.error ? (
        <WorkspaceEmptyState
          icon={IconWebhook}
          title="No webhook endpoints yet"
          description="Add one for each system that should hear about new cases, escalations, emergencies, SLA breaches or decisions."
        />
      ) : (
        rows.length > 0 && (
          <Paper withBorder radius="md">
            <WebhooksTable webhooks={rows} />
          </Paper>
        )
      )}

      <NewWebhookModal opened={newOpened} onClose={newWebhook.close} onCreated={(webhook) => setRevealed({ webhook, rotated: false })} />
      <WebhookSecretModal revealed={revealed} onClose={() => setRevealed(null)} />
    </Stack>
  );
}
