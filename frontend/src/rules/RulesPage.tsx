import { Button, Center, CloseButton, Group, Loader, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterBolt, IconPlus, IconSearch, IconX } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useMe } from '../api/auth';
import { usePolicies } from '../api/cases';
import { useRules, type RuleFilters } from '../api/rules';
import { useMarketList } from '../api/system';
import { hasAnyPermission } from '../auth/access';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';
import { RouterButton } from '../routing/links';
import { activeRuleFilterCount, ruleFiltersToSearch } from './filters';
import { ruleStatuses, ruleStatusLabels } from './labels';
import { RulesTable } from './RulesTable';

const route = getRouteApi('/shell/rules');

/** The search box: typed freely, written to the URL 300 ms after typing stops. */
function SearchBox({ value, onApply }: { value: string | undefined; onApply: (q: string | undefined) => void }) {
  const [draft, setDraft] = useState(value ?? '');
  const [shown, setShown] = useState(value ?? '');
  const applySoon = useDebouncedCallback((next: string) => onApply(next.trim() || undefined), 300);
  // The URL changed elsewhere (Clear, the back button): show what it says now.
  if ((value ?? '') !== shown) {
    setShown(value ?? '');
    if (draft.trim() !== (value ?? '')) setDraft(value ?? '');
  }
  return (
    <TextInput
      aria-label="Search rules"
      placeholder="Search name or description"
      leftSection={<IconSearch size={16} aria-hidden />}
      rightSection={draft ? <CloseButton size="sm" aria-label="Clear search" onClick={() => { setDraft(''); onApply(undefined); }} /> : null}
      value={draft}
      onChange={(event) => {
        setDraft(event.currentTarget.value);
        applySoon(event.currentTarget.value);
      }}
      style={{ flex: '1 1 240px' }}
    />
  );
}

/** /rules: the rules of the caller's markets, filtered by the URL, with how each is doing. */
export function RulesPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const filters = useMemo<RuleFilters>(() => ruleFiltersToSearch(search), [search]);
  const rules = useRules(filters);
  const policies = usePolicies();
  const markets = useMarketList();
  const rows = useMemo(() => rules.data?.pages.flatMap((page) => page.items) ?? [], [rules.data]);
  const canWrite = hasAnyPermission(me.permissions, ['rule.write']);
  const count = activeRuleFilterCount(filters);

  const set = (next: RuleFilters) => void navigate({ search: ruleFiltersToSearch(next), replace: true });

  return (
    <>
      <PageHeader
        title={workspaces.rules.label}
        description={workspaces.rules.description}
        aside={
          canWrite && (
            <RouterButton to="/rules/new" leftSection={<IconPlus size={16} aria-hidden />}>
              New rule
            </RouterButton>
          )
        }
      />
      <Stack gap="sm">
        <Paper withBorder radius="md" p="sm" role="search" aria-label="Rule filters">
          <Group gap="xs" wrap="wrap">
            <SearchBox value={filters.q} onApply={(q) => set({ ...filters, q })} />
            <SegmentedControl
              aria-label="Status"
              size="sm"
              value={filters.status ?? 'all'}
              onChange={(value) => set({ ...filters, status: value === 'all' ? undefined : value })}
              data={[{ value: 'all', label: 'All' }, ...ruleStatuses.map((status) => ({ value: status, label: ruleStatusLabels[status] }))]}
            />
            <Select
              aria-label="Market"
              placeholder="Any market"
              data={(markets.data ?? []).map((market) => ({ value: market.code, label: `${market.code} · ${market.name}` }))}
              value={filters.market ?? null}
              onChange={(value) => set({ ...filters, market: value ?? undefined })}
              clearable
              w={170}
              comboboxProps={{ withinPortal: true }}
            />
            {count > 0 && (
              <Button variant="subtle" color="gray" size="xs" leftSection={<IconX size={14} aria-hidden />} onClick={() => set({})}>
                Clear {count === 1 ? 'filter' : `${count} filters`}
              </Button>
            )}
          </Group>
        </Paper>

        {rules.error && <ProblemAlert error={rules.error} heading="Rules could not be loaded" />}

        {rules.isPending ? (
          <Center py="xl">
            <Loader size="sm" aria-label="Loading rules" />
          </Center>
        ) : rows.length === 0 && !rules.error ? (
          <WorkspaceEmptyState
            icon={IconFilterBolt}
            title={count > 0 ? 'No rules match these filters' : 'No rules yet'}
            description={
              count > 0
                ? 'Widen the filters or clear them.'
                : 'Rules written by analysts appear here with their state (draft, shadow, live or disabled), their version and how well they do.'
            }
          >
            {canWrite && count === 0 && (
              <RouterButton to="/rules/new" leftSection={<IconPlus size={16} aria-hidden />}>
                Write the first rule
              </RouterButton>
            )}
          </WorkspaceEmptyState>
        ) : (
          rows.length > 0 && (
            <Paper withBorder radius="md" style={{ opacity: rules.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}>
              <RulesTable rules={rows} policies={policies.data} />
            </Paper>
          )
        )}

        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {rows.length > 0 && `${rows.length} ${rows.length === 1 ? 'rule' : 'rules'} shown · hits per day over the last 7 days`}
          </Text>
          {rules.hasNextPage && (
            <Button variant="default" onClick={() => void rules.fetchNextPage()} loading={rules.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </Group>
      </Stack>
    </>
  );
}
