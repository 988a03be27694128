import { Button, Center, Group, Loader, Paper, Stack, Table, Text } from '@mantine/core';
import { IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useAuditEntries } from '../api/audit';
import { useMe } from '../api/auth';
import { hasAnyPermission } from '../auth/access';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { workspaces } from '../layout/workspaces';
import { AuditEntryRow } from './AuditEntryRow';
import { AuditFilters } from './AuditFilters';
import { ChainStatusBanner } from './ChainStatusBanner';
import { activeFilterCount, auditExportHref } from './filters';

const route = getRouteApi('/shell/audit');

/** /audit: the hash-chained record of every change, newest first, filterable and exportable. */
export function AuditPage() {
  const me = useMe();
  const filters = route.useSearch();
  const navigate = route.useNavigate();
  const entries = useAuditEntries(filters);
  const rows = entries.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = activeFilterCount(filters) > 0;
  const canVerify = hasAnyPermission(me.permissions, ['audit.verify']);
  const canExport = hasAnyPermission(me.permissions, ['audit.export']);

  return (
    <>
      <PageHeader
        title={workspaces.audit.label}
        description={workspaces.audit.description}
        aside={
          canExport && (
            <Button
              component="a"
              href={auditExportHref(filters)}
              download
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              Export CSV
            </Button>
          )
        }
      />
      <Stack gap="md">
        {canVerify && <ChainStatusBanner />}
        <AuditFilters key={JSON.stringify(filters)} filters={filters} onApply={(next) => void navigate({ search: next })} />

        {entries.error && <ProblemAlert error={entries.error} heading="Audit entries could not be loaded" />}

        {entries.isPending ? (
          <Center py="xl">
            <Loader size="sm" />
          </Center>
        ) : rows.length === 0 && !entries.error ? (
          <WorkspaceEmptyState
            icon={IconShieldCheck}
            title={filtered ? 'No entries match these filters' : 'No audit entries to show'}
            description={
              filtered
                ? 'Widen the time window or clear a filter.'
                : 'Every decision, assignment and configuration change is recorded here as it happens, each entry chained to the one before it.'
            }
          />
        ) : (
          <Paper withBorder radius="md" style={{ opacity: entries.isPlaceholderData ? 0.6 : 1 }}>
            <Table.ScrollContainer minWidth={980}>
              <Table data-testid="audit-table" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th />
                    <Table.Th>Seq</Table.Th>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Actor</Table.Th>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>Object</Table.Th>
                    <Table.Th>Market</Table.Th>
                    <Table.Th>Request ID</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((entry) => (
                    <AuditEntryRow key={entry.seq} entry={entry} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}

        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {rows.length > 0 && `${rows.length} ${rows.length === 1 ? 'entry' : 'entries'} shown, newest first`}
          </Text>
          {entries.hasNextPage && (
            <Button variant="default" onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </Group>
      </Stack>
    </>
  );
}
