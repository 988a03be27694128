import { Center, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { STATUS_REFRESH_MS, useMarkets, useSystemStatus } from '../api/system';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { workspaces } from '../layout/workspaces';
import { HealthBadge } from './HealthBadge';
import { apiHealth } from './health';
import { MarketsTable } from './MarketsTable';
import { DatabaseFacts, ServerFacts } from './ServerFacts';

function clockTime(timestamp: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(
    timestamp,
  );
}

/** /status: is the API up, is its database current, which markets does it serve. */
export function StatusPage() {
  const status = useSystemStatus();
  const markets = useMarkets();
  const health = apiHealth(status.data, status.isError);

  return (
    <>
      <PageHeader
        title={workspaces.status.label}
        description={workspaces.status.description}
        aside={<HealthBadge health={health} />}
      />

      <Stack gap="lg">
        {status.error && <ProblemAlert error={status.error} heading="The latest status check failed" />}

        {status.isPending && (
          <Center py="xl">
            <Group gap="sm">
              <Loader size="sm" />
              <Text c="dimmed" size="sm">
                Checking the server…
              </Text>
            </Group>
          </Center>
        )}

        {status.data && (
          <>
            {status.isError && (
              <Text size="sm" c="dimmed">
                Showing the last successful check, from {clockTime(status.dataUpdatedAt)}.
              </Text>
            )}
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <ServerFacts status={status.data} />
              <DatabaseFacts database={status.data.database} />
            </SimpleGrid>
          </>
        )}

        <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
          <Group justify="space-between" mb="sm">
            <Title order={2} fz="md">
              Markets
            </Title>
            {markets.data && (
              <Text size="sm" c="dimmed">
                {markets.data.length} {markets.data.length === 1 ? 'market' : 'markets'}
              </Text>
            )}
          </Group>
          {markets.isPending && (
            <Group gap="sm" py="md">
              <Loader size="xs" />
              <Text c="dimmed" size="sm">
                Loading markets…
              </Text>
            </Group>
          )}
          {markets.error && !markets.data && <ProblemAlert error={markets.error} heading="Markets could not be loaded" />}
          {markets.data && <MarketsTable markets={markets.data} />}
        </Paper>

        {status.dataUpdatedAt > 0 && (
          <Text size="xs" c="dimmed">
            Last checked at {clockTime(status.dataUpdatedAt)} · refreshes every {STATUS_REFRESH_MS / 1000} s
          </Text>
        )}
      </Stack>
    </>
  );
}
