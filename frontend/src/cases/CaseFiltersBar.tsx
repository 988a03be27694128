import { Badge, Button, Chip, CloseButton, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch, IconTag, IconX } from '@tabler/icons-react';
import { useState, type Ref } from 'react';
import type { CaseStatus, Policy, Severity } from '../api/cases';
import type { Market } from '../api/system';
import { activeFilterCount, caseStatuses, severities, withFilter, type CaseFilters, type CaseSort } from './filters';
import { severityColors, severityLabels, statusColors, statusLabels } from './labels';

interface CaseFiltersBarProps {
  filters: CaseFilters;
  onChange: (filters: CaseFilters) => void;
  policies: readonly Policy[] | undefined;
  markets: readonly Market[] | undefined;
  searchRef?: Ref<HTMLInputElement>;
}

const sortOptions: { value: CaseSort; label: string }[] = [
  { value: 'priority', label: 'Priority (highest first)' },
  { value: 'due', label: 'SLA due (soonest first)' },
  { value: 'created', label: 'Created (newest first)' },
  { value: 'updated', label: 'Updated (newest first)' },
];

/** A labelled row of chips. */
function ChipRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group gap={6} wrap="wrap" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" fw={600} miw={52}>
        {label}
      </Text>
      {children}
    </Group>
  );
}

const parseStatuses = (values: string[]): CaseStatus[] => caseStatuses.filter((status) => values.includes(status));
const parseSeverities = (values: string[]): Severity[] => severities.filter((severity) => values.includes(severity));

/** A text filter typed into a box and written to the URL once typing pauses. */
function useDebouncedFilter(value: string | undefined, apply: (value: string) => void) {
  const [draft, setDraft] = useState(value ?? '');
  const [shown, setShown] = useState(value ?? '');
  const applySoon = useDebouncedCallback((next: string) => {
    if (next.trim() !== (value ?? '')) apply(next.trim());
  }, 300);
  // The URL changed elsewhere (Clear, the back button): show what it says now.
  if ((value ?? '') !== shown) {
    setShown(value ?? '');
    if (draft.trim() !== (value ?? '')) setDraft(value ?? '');
  }
  const change = (next: string) => {
    setDraft(next);
    applySoon(next);
  };
  return [draft, change] as const;
}

/**
 * The case list's filters. Every change goes straight to the URL (replacing
 * the history entry), which is the source of truth; text boxes wait for a
 * pause in typing.
 */
export function CaseFiltersBar({ filters, onChange, policies, markets, searchRef }: CaseFiltersBarProps) {
  const set = <K extends keyof CaseFilters>(key: K, value: CaseFilters[K] | undefined) => onChange(withFilter(filters, key, value));
  const [query, setQuery] = useDebouncedFilter(filters.q, (q) => set('q', q));
  const [tag, setTag] = useDebouncedFilter(filters.tag, (value) => set('tag', value.toLowerCase()));
  const count = activeFilterCount(filters);
  const assigneeId = filters.assignee && filters.assignee !== 'me' && filters.assignee !== 'none' ? filters.assignee : null;

  return (
    <Paper withBorder radius="md" p="sm" role="search" aria-label="Case filters">
      <Stack gap={8}>
        <Group gap="xs" wrap="wrap">
          <TextInput
            ref={searchRef}
            aria-label="Search cases"
            placeholder="Search name, external id, comments"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            style={{ flex: '1 1 240px' }}
          />
          <Select
            aria-label="Policy"
            placeholder="Any policy"
            data={(policies ?? []).map((policy) => ({ value: policy.code, label: policy.name }))}
            value={filters.policy ?? null}
            onChange={(value) => set('policy', value ?? undefined)}
            clearable
            searchable
            w={200}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            aria-label="Market"
            placeholder="Any market"
            data={(markets ?? []).map((market) => ({ value: market.code, label: `${market.code} · ${market.name}` }))}
            value={filters.market ?? null}
            onChange={(value) => set('market', value ?? undefined)}
            clearable
            w={150}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            aria-label="Tag"
            placeholder="Tag"
            leftSection={<IconTag size={14} aria-hidden />}
            value={tag}
            onChange={(event) => setTag(event.currentTarget.value)}
            w={140}
          />
          <Select
            aria-label="Sort"
            data={sortOptions}
            value={filters.sort ?? 'priority'}
            onChange={(value) => set('sort', value ?? undefined)}
            allowDeselect={false}
            w={210}
            comboboxProps={{ withinPortal: true }}
          />
        </Group>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <ChipRow label="Status">
            <Chip.Group multiple value={filters.status ?? []} onChange={(value) => set('status', parseStatuses(value))}>
              {caseStatuses.map((status) => (
                <Chip key={status} value={status} size="xs" variant="outline" color={statusColors[status]}>
                  {statusLabels[status]}
                </Chip>
              ))}
            </Chip.Group>
          </ChipRow>
          {count > 0 && (
            <Button
              variant="subtle"
              color="gray"
              size="xs"
              leftSection={<IconX size={14} aria-hidden />}
              onClick={() => onChange(filters.sort ? { sort: filters.sort } : {})}
            >
              Clear {count === 1 ? 'filter' : `${count} filters`}
            </Button>
          )}
        </Group>
        <Group gap="xs" wrap="wrap">
          <Group gap="xl" wrap="wrap">
            <ChipRow label="Severity">
              <Chip.Group multiple value={filters.severity ?? []} onChange={(value) => set('severity', parseSeverities(value))}>
                {severities.map((severity) => (
                  <Chip key={severity} value={severity} size="xs" variant="outline" color={severityColors[severity]}>
                    {severityLabels[severity]}
                  </Chip>
                ))}
              </Chip.Group>
            </ChipRow>
            <ChipRow label="Show">
              <Chip size="xs" checked={filters.assignee === 'me'} onChange={(on) => set('assignee', on ? 'me' : undefined)}>
                Assigned to me
              </Chip>
              <Chip size="xs" checked={filters.assignee === 'none'} onChange={(on) => set('assignee', on ? 'none' : undefined)}>
                Unassigned
              </Chip>
              <Chip size="xs" color="red" checked={filters.emergency === true} onChange={(on) => set('emergency', on ? true : undefined)}>
                Emergency
              </Chip>
              <Chip size="xs" color="red" checked={filters.sla_breached === true} onChange={(on) => set('sla_breached', on ? true : undefined)}>
                SLA breached
              </Chip>
              {assigneeId && (
                <Badge
                  variant="light"
                  color="gray"
                  rightSection={<CloseButton size="xs" aria-label="Remove assignee filter" onClick={() => set('assignee', undefined)} />}
                >
                  Assignee #{assigneeId}
                </Badge>
              )}
              {filters.emergency === false && (
                <Badge
                  variant="light"
                  color="gray"
                  rightSection={<CloseButton size="xs" aria-label="Remove emergency filter" onClick={() => set('emergency', undefined)} />}
                >
                  Not emergency
                </Badge>
              )}
              {filters.sla_breached === false && (
                <Badge
                  variant="light"
                  color="gray"
                  rightSection={<CloseButton size="xs" aria-label="Remove SLA filter" onClick={() => set('sla_breached', undefined)} />}
                >
                  Within SLA
                </Badge>
              )}
            </ChipRow>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
