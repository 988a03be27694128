import { ActionBar, Button, Center, Group, Loader, Menu, Paper, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBriefcase, IconChevronDown, IconPlus } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useMe } from '../api/auth';
import { useCases, usePolicies, type CaseSummary } from '../api/cases';
import { useMarketList } from '../api/system';
import { hasAnyPermission } from '../auth/access';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';
import { useNow } from '../status/useNow';
import { bulkActionLabels, type BulkAction } from './bulk';
import { BulkModal } from './BulkModal';
import { CaseFiltersBar } from './CaseFiltersBar';
import { CasesTable } from './CasesTable';
import { activeFilterCount, caseFiltersToSearch, parseCaseSearch, type CaseFilters } from './filters';
import { rememberListSearch } from './listMemory';
import { NewCaseModal } from './NewCaseModal';
import { useShortcuts } from './shortcuts';
import { ShortcutsButton, ShortcutsHelp } from './ShortcutsHelp';

const route = getRouteApi('/shell/cases');

/** /cases: every case the caller's markets hold, filtered by the URL, worked by keyboard, changed in bulk. */
export function CasesPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const filters = useMemo(() => parseCaseSearch(search), [search]);
  const cases = useCases(filters);
  const policies = usePolicies();
  const markets = useMarketList();
  const now = useNow(30_000);
  const rows = useMemo(() => cases.data?.pages.flatMap((page) => page.items) ?? [], [cases.data]);

  const canBulk = hasAnyPermission(me.permissions, ['case.bulk']);
  const canCreate = hasAnyPermission(me.permissions, ['case.create']);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [activeId, setActiveId] = useState<number | null>(null);
  const [bulkAction, setBulkAction] = useState<BulkAction | null>(null);
  const [newCaseOpened, newCase] = useDisclosure(false);
  const [helpOpened, help] = useDisclosure(false);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => rememberListSearch(search), [search]);

  const slaHours = useMemo(() => {
    const byCode = new Map((policies.data ?? []).map((policy) => [policy.code, policy.sla_hours]));
    return (c: CaseSummary) => byCode.get(c.policy)?.[c.severity];
  }, [policies.data]);

  const setFilters = (next: CaseFilters) => {
    setActiveId(null);
    setSelected(new Set());
    void navigate({ search: caseFiltersToSearch(next), replace: true });
  };
  const open = (id: number) => void navigate({ to: '/cases/$id', params: { id: String(id) } });
  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const move = (step: 1 | -1) => {
    if (rows.length === 0) return;
    const index = rows.findIndex((c) => c.id === activeId);
    const nextIndex = index === -1 ? (step === 1 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, index + step));
    setActiveId(rows[nextIndex]!.id);
  };
  useShortcuts(
    {
      j: () => move(1),
      k: () => move(-1),
      Enter: () => activeId !== null && open(activeId),
      o: () => activeId !== null && open(activeId),
      x: () => canBulk && activeId !== null && toggle(activeId),
      '/': () => searchRef.current?.focus(),
      '?': help.open,
    },
    !newCaseOpened && bulkAction === null,
  );

  const selectedCases = rows.filter((c) => selected.has(c.id));
  const filtered = activeFilterCount(filters) > 0;

  return (
    <>
      <PageHeader
        title={workspaces.cases.label}
        description={workspaces.cases.description}
        aside={
          <Group gap="xs">
            <ShortcutsButton onClick={help.open} />
            {canCreate && (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={newCase.open}>
                New case
              </Button>
            )}
          </Group>
        }
      />
      <Stack gap="sm">
        <CaseFiltersBar filters={filters} onChange={setFilters} policies={policies.data} markets={markets.data} searchRef={searchRef} />

        {cases.error && <ProblemAlert error={cases.error} heading="Cases could not be loaded" />}

        {cases.isPending ? (
          <Center py="xl">
            <Loader size="sm" aria-label="Loading cases" />
          </Center>
        ) : rows.length === 0 && !cases.error ? (
          <WorkspaceEmptyState
            icon={IconBriefcase}
            title={filtered ? 'No cases match these filters' : 'No cases yet'}
            description={
              filtered
                ? 'Widen the filters or clear them.'
                : 'Cases appear here when risk rules match incoming signals, or when someone files a case by hand.'
            }
          />
        ) : (
          rows.length > 0 && (
            <Paper withBorder radius="md" style={{ opacity: cases.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}>
              <CasesTable
                cases={rows}
                now={now}
                slaHoursOf={slaHours}
                activeId={activeId}
                onOpen={open}
                selection={
                  canBulk
                    ? {
                        selected,
                        onToggle: toggle,
                        onToggleAll: (ids, checked) =>
                          setSelected((current) => {
                            const next = new Set(current);
                            for (const id of ids) {
                              if (checked) next.add(id);
                              else next.delete(id);
                            }
                            return next;
                          }),
                      }
                    : undefined
                }
              />
            </Paper>
          )
        )}

        <Group justify="space-between" mb={selectedCases.length > 0 ? 80 : 0}>
          <Text size="xs" c="dimmed">
            {rows.length > 0 && `${rows.length} ${rows.length === 1 ? 'case' : 'cases'} shown · j/k to move, Enter to open, ? for shortcuts`}
          </Text>
          {cases.hasNextPage && (
            <Button variant="default" onClick={() => void cases.fetchNextPage()} loading={cases.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </Group>
      </Stack>

      {canBulk && (
        <ActionBar opened={selectedCases.length > 0} aria-label="Bulk actions" data-testid="bulk-bar" shadow="md">
          <Text size="sm" fw={600} px={4} style={{ whiteSpace: 'nowrap' }}>
            {selectedCases.length} selected
          </Text>
          <ActionBar.Divider />
          <Button size="xs" variant="default" onClick={() => setBulkAction('assign')}>
            {bulkActionLabels.assign}
          </Button>
          <Button size="xs" variant="default" onClick={() => setBulkAction('release')}>
            {bulkActionLabels.release}
          </Button>
          <Button size="xs" variant="default" onClick={() => setBulkAction('escalate')}>
            {bulkActionLabels.escalate}
          </Button>
          <Menu position="top" withinPortal>
            <Menu.Target>
              <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} aria-hidden />}>
                Resolve
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setBulkAction('resolve_no_violation')}>As no violation…</Menu.Item>
              <Menu.Item onClick={() => setBulkAction('resolve_duplicate')}>As duplicate of…</Menu.Item>
            </Menu.Dropdown>
          </Menu>
          <Menu position="top" withinPortal>
            <Menu.Target>
              <Button size="xs" variant="default" rightSection={<IconChevronDown size={14} aria-hidden />}>
                Tag
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setBulkAction('add_tag')}>{bulkActionLabels.add_tag}</Menu.Item>
              <Menu.Item onClick={() => setBulkAction('remove_tag')}>{bulkActionLabels.remove_tag}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
          <ActionBar.Divider />
          <Button size="xs" variant="subtle" color="gray" onClick={() => setSelected(new Set())}>
            Clear
          </Button>
        </ActionBar>
      )}

      <BulkModal
        action={bulkAction}
        cases={selectedCases}
        onClose={() => setBulkAction(null)}
        onFinished={(keep) => setSelected(new Set(keep))}
      />
      <NewCaseModal opened={newCaseOpened} onClose={newCase.close} />
      <ShortcutsHelp opened={helpOpened} onClose={help.close} />
    </>
  );
}
