import { Button, Center, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { useState } from 'react';
import { useMe } from '../api/auth';
import { useRuleHits, useRuleVersions, type HitMode, type Rule } from '../api/rules';
import { hasPermissionIn } from '../auth/access';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { ValuesTable } from '../components/ValuesTable';
import { RouterAnchor } from '../routing/links';
import { SubjectLink } from './SubjectLink';
import { HitModeBadge } from './labels';

/** Hits: every time the rule matched a signal (live hits open or join cases; shadow hits only record), newest first. */
export function HitsTab({ rule }: { rule: Rule }) {
  const me = useMe();
  const [mode, setMode] = useState<HitMode | undefined>(undefined);
  const hits = useRuleHits(rule.id, mode);
  // Each hit's values are sorted by what its own version's expression read.
  const versions = useRuleVersions(rule.id);
  const expressionOf = (version: number) =>
    versions.data?.find((v) => v.version === version)?.expression ?? (version === rule.version ? rule.expression : undefined);
  const rows = hits.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm" gap="sm">
        <Title order={2} fz="md">
          Hits
        </Title>
        <SegmentedControl
          size="sm"
          aria-label="Show hits"
          value={mode ?? 'all'}
          onChange={(value) => setMode(value === 'all' ? undefined : value)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'live', label: 'Live' },
            { value: 'shadow', label: 'Shadow' },
          ]}
        />
      </Group>
      {hits.error && <ProblemAlert error={hits.error} heading="Hits could not be loaded" />}
      {hits.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : rows.length === 0 && !hits.error ? (
        <Stack align="center" gap={4} py="xl" data-testid="hits-empty">
          <IconInbox size={28} stroke={1.5} color="var(--mantine-color-gray-5)" aria-hidden />
          <Text size="sm" c="dimmed" ta="center" maw={480}>
            {mode === 'live'
              ? 'No live hits yet.'
              : mode === 'shadow'
                ? 'No shadow hits yet.'
                : 'No hits yet. A hit appears here each time the rule matches a signal in shadow or live.'}
          </Text>
        </Stack>
      ) : (
        rows.length > 0 && (
          <Table.ScrollContainer minWidth={960}>
            <Table verticalSpacing={6} horizontalSpacing="sm" data-testid="hits-table" style={{ opacity: hits.isPlaceholderData ? 0.55 : 1 }}>
              <Table.Thead>
                <Table.Tr>
                  {['Time', 'Mode', 'Version', 'Subject', 'Signal type', 'Case', 'Values read'].map((heading) => (
                    <Table.Th key={heading} fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {heading}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((hit) => (
                  <Table.Tr key={hit.id} data-hit-id={hit.id}>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <Timestamp value={hit.created_at} />
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <HitModeBadge mode={hit.mode} />
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <Text size="sm">v{hit.version}</Text>
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }} miw={160}>
                      <SubjectLink subject={hit.subject} canOpen={hasPermissionIn(me.permissions, 'subject.read', hit.subject.market)} />
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <Text size="sm" ff="monospace">
                        {hit.signal_type}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      {hit.case_id === null ? (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      ) : hasPermissionIn(me.permissions, 'case.read', hit.subject.market) ? (
                        <RouterAnchor to="/cases/$id" params={{ id: String(hit.case_id) }} size="sm">
                          #{hit.case_id}
                        </RouterAnchor>
                      ) : (
                        <Text size="sm">#{hit.case_id}</Text>
                      )}
                    </Table.Td>
                    <Table.Td miw={300}>
                      <ValuesTable values={hit.values} expression={expressionOf(hit.version)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      )}
      {hits.hasNextPage && (
        <Center mt="md">
          <Button variant="default" onClick={() => void hits.fetchNextPage()} loading={hits.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}
    </Paper>
  );
}
