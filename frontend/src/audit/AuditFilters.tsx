import { Button, Group, Paper, Select, SimpleGrid, TextInput } from '@mantine/core';
import { IconFilter, IconX } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { marketOptions, useMarketList } from '../api/system';
import { activeFilterCount, fromDateTimeLocal, toDateTimeLocal, type AuditFilters as Filters } from './filters';

interface AuditFiltersProps {
  filters: Filters;
  onApply: (filters: Filters) => void;
}

interface Draft {
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  market: string | null;
  since: string;
  until: string;
}

function toDraft(filters: Filters): Draft {
  return {
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    object_type: filters.object_type ?? '',
    object_id: filters.object_id ?? '',
    market: filters.market ?? null,
    since: toDateTimeLocal(filters.since),
    until: toDateTimeLocal(filters.until),
  };
}

/** The draft as filters: trimmed, empty fields left out, local times as UTC instants. */
export function draftToFilters(draft: Draft): Filters {
  const filters: Filters = {};
  const text = (value: string) => value.trim() || undefined;
  const actor = text(draft.actor);
  const action = text(draft.action);
  const objectType = text(draft.object_type);
  const objectId = text(draft.object_id);
  const since = fromDateTimeLocal(draft.since);
  const until = fromDateTimeLocal(draft.until);
  if (actor) filters.actor = actor;
  if (action) filters.action = action;
  if (objectType) filters.object_type = objectType;
  if (objectId) filters.object_id = objectId;
  if (draft.market) filters.market = draft.market;
  if (since) filters.since = since;
  if (until) filters.until = until;
  return filters;
}

/**
 * Actor, action, object, market and time window. Applied on submit (Enter or
 * the button), which writes them to the URL; the URL is the source of truth,
 * so the parent remounts this with a `key` when it changes.
 */
export function AuditFilters({ filters, onApply }: AuditFiltersProps) {
  const markets = useMarketList();
  const [draft, setDraft] = useState<Draft>(() => toDraft(filters));
  const set = (field: keyof Draft) => (event: React.ChangeEvent<HTMLInputElement>) => {
    const value = event.currentTarget.value;
    setDraft((current) => ({ ...current, [field]: value }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draftToFilters(draft));
  };
  const count = activeFilterCount(filters);

  return (
    <Paper withBorder radius="md" p="md" component="form" onSubmit={submit} aria-label="Audit filters">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="sm">
        <TextInput label="Actor" placeholder="user:42 or token:7" value={draft.actor} onChange={set('actor')} />
        <TextInput label="Action" placeholder="user.create" value={draft.action} onChange={set('action')} />
        <TextInput label="Object type" placeholder="user" value={draft.object_type} onChange={set('object_type')} />
        <TextInput label="Object id" placeholder="42" value={draft.object_id} onChange={set('object_id')} />
        <Select
          label="Market"
          placeholder="Any market"
          data={marketOptions(markets.data, false)}
          value={draft.market}
          onChange={(market) => setDraft((current) => ({ ...current, market }))}
          clearable
          searchable
        />
        <TextInput type="datetime-local" label="Since" description="Your time, inclusive" value={draft.since} onChange={set('since')} />
        <TextInput type="datetime-local" label="Until" description="Your time, exclusive" value={draft.until} onChange={set('until')} />
      </SimpleGrid>
      <Group gap="xs" justify="flex-end" mt="sm">
        {count > 0 && (
          <Button variant="subtle" color="gray" leftSection={<IconX size={14} aria-hidden />} onClick={() => onApply({})}>
            Clear {count === 1 ? 'filter' : `${count} filters`}
          </Button>
        )}
        <Button type="submit" leftSection={<IconFilter size={14} aria-hidden />}>
          Apply filters
        </Button>
      </Group>
    </Paper>
  );
}
