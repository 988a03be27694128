import { Alert, Button, Group, Modal, MultiSelect, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../api/errors';
import { splitFieldErrors } from '../api/fieldErrors';
import { useMarketList } from '../api/system';
import { MarketScopeField } from './MarketScopeField';
import {
  checkWebhookForm,
  useCreateWebhook,
  useUpdateWebhook,
  webhookEventTypes,
  webhookInput,
  type Webhook,
  type WebhookEventType,
  type WebhookWithSecret,
} from '../api/webhooks';
import { FormProblem } from '../components/FormProblem';

const formFields = ['name', 'url', 'event_types', 'markets', 'active'];

const eventDescriptions: Record<string, string> = Object.fromEntries(webhookEventTypes.map((type) => [type.value, type.description]));

interface WebhookFormProps {
  /** The endpoint being edited; absent for a new one. */
  webhook?: Webhook | undefined;
  submitLabel: string;
  pending: boolean;
  error: ApiError | null;
  onSubmit: (input: ReturnType<typeof webhookInput>) => void;
  onCancel: () => void;
  /** A 409 version_conflict: the form says so and offers to reload. */
  onReload?: (() => void) | undefined;
}

/** Name, URL, which events, which markets, and whether deliveries are sent. */
function WebhookForm({ webhook, submitLabel, pending, error, onSubmit, onCancel, onReload }: WebhookFormProps) {
  const markets = useMarketList();
  const [name, setName] = useState(webhook?.name ?? '');
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>(webhook?.event_types ?? []);
  const [allMarkets, setAllMarkets] = useState(webhook ? webhook.markets.length === 0 : false);
  const [chosenMarkets, setChosenMarkets] = useState<string[]>(webhook?.markets ?? []);
  const [active, setActive] = useState(webhook?.active ?? true);
  const [local, setLocal] = useState<Record<string, string>>({});

  const conflict = error?.code === 'version_conflict' ? error : null;
  const server = splitFieldErrors(conflict ? null : error, formFields);
  const errorFor = (field: string) => local[field] ?? server.byField[field];
  const genericError = error && !conflict && error.errors.length === 0 ? error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const form = { name, url, eventTypes, allMarkets, markets: chosenMarkets, active, version: webhook?.version };
    const problems = checkWebhookForm(form);
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    onSubmit(webhookInput(form));
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          label="Name"
          description="Which system receives the events, so people recognise it later (e.g. “Trust & Safety data lake”)."
          required
          data-autofocus
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errorFor('name')}
          maxLength={100}
        />
        <TextInput
          label="URL"
          description="Docket POSTs each event here as JSON. https:// only; plain http:// only to localhost."
          placeholder="https://hooks.example.com/docket"
          required
          value={url}
          onChange={(event) => setUrl(event.currentTarget.value)}
          error={errorFor('url')}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          spellCheck={false}
          autoComplete="off"
        />
        <MultiSelect
          label="Event types"
          description="What the endpoint hears about."
          placeholder={eventTypes.length ? undefined : 'Pick event types'}
          data={webhookEventTypes.map((type) => ({ value: type.value, label: type.value }))}
          renderOption={({ option }) => (
            <div>
              <Text size="sm" ff="monospace">
                {option.value}
              </Text>
              <Text size="xs" c="dimmed">
                {eventDescriptions[option.value]}
              </Text>
            </div>
          )}
          value={eventTypes}
          onChange={(values) => setEventTypes(values)}
          required
          error={errorFor('event_types')}
          comboboxProps={{ withinPortal: true }}
        />
        <MarketScopeField
          markets={markets.data}
          description="Events of cases in these markets only."
          allLabel="All markets, including markets added later"
          allMarkets={allMarkets}
          onAllMarkets={setAllMarkets}
          chosen={chosenMarkets}
          onChosen={setChosenMarkets}
          error={errorFor('markets')}
        />
        <Switch
          label="Active"
          description="A disabled endpoint gets no new deliveries; those still pending become dead letters."
          checked={active}
          onChange={(event) => setActive(event.currentTarget.checked)}
          error={errorFor('active')}
        />

        {conflict && (
          <Alert color="orange" variant="light" title="This endpoint changed since you opened it" role="alert" data-testid="webhook-conflict">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                Someone else saved it
                {conflict.numberExtra('current_version') !== undefined && <> (it is now version {conflict.numberExtra('current_version')})</>}.
                Reload to see their change, then make yours again.
              </Text>
              {onReload && (
                <Button size="compact-sm" variant="light" color="orange" leftSection={<IconRefresh size={14} aria-hidden />} onClick={onReload}>
                  Reload
                </Button>
              )}
            </Stack>
          </Alert>
        )}
        <FormProblem title={error?.title ?? 'Could not save the endpoint'} detail={genericError?.detail} messages={server.other} />

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending} disabled={conflict !== null}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface NewWebhookModalProps {
  opened: boolean;
  onClose: () => void;
  /** Called with the created endpoint and its secret, which the caller shows once. */
  onCreated: (created: WebhookWithSecret) => void;
}

/** "New endpoint": the form, then the caller shows the secret. */
export function NewWebhookModal({ opened, onClose, onCreated }: NewWebhookModalProps) {
  const create = useCreateWebhook();
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="New webhook endpoint" size="lg" centered>
      {/* Mounted only while open, so every opening starts from an empty form. */}
      {opened && (
        <WebhookForm
          submitLabel="Create endpoint"
          pending={create.isPending}
          error={create.error}
          onCancel={close}
          onSubmit={(input) =>
            create.mutate(input, {
              onSuccess: (created) => {
                close();
                onCreated(created);
              },
            })
          }
        />
      )}
    </Modal>
  );
}

interface EditWebhookModalProps {
  webhook: Webhook;
  opened: boolean;
  onClose: () => void;
  onSaved: (webhook: Webhook) => void;
  onReload: () => void;
}

/** "Edit": the form filled in with the endpoint as loaded, saved with its version. */
export function EditWebhookModal({ webhook, opened, onClose, onSaved, onReload }: EditWebhookModalProps) {
  const update = useUpdateWebhook(webhook.id);
  const close = () => {
    update.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={`Edit “${webhook.name}”`} size="lg" centered>
      {opened && (
        <WebhookForm
          // A reload brings a new version: start again from what is saved now.
          key={webhook.version}
          webhook={webhook}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onCancel={close}
          onReload={() => {
            update.reset();
            onReload();
          }}
          onSubmit={(input) =>
            update.mutate(input, {
              onSuccess: (saved) => {
                close();
                onSaved(saved);
              },
            })
          }
        />
      )}
    </Modal>
  );
}
