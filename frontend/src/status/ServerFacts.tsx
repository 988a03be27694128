import { Badge, DataList, Group, Paper, Text, Title } from '@mantine/core';
import type { SystemStatus } from '../api/system';
import { formatLatency, formatUptime } from '../format/duration';
import { formatDateTime } from '../format/time';

const dialectNames: Record<SystemStatus['database']['dialect'], string> = {
  postgres: 'PostgreSQL',
  sqlite: 'SQLite (embedded)',
};

function FactsCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
      <Title order={2} fz="md" mb="sm">
        {title}
      </Title>
      <DataList withDivider labelWidth={150} size="sm">
        {children}
      </DataList>
    </Paper>
  );
}

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue data-testid={testId}>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** Build and process facts: what is running and for how long. */
export function ServerFacts({ status }: { status: SystemStatus }) {
  return (
    <FactsCard title="Server">
      <Fact label="Version" testId="server-version">
        <Text span ff="monospace" size="sm">
          {status.version}
        </Text>
      </Fact>
      <Fact label="Uptime" testId="server-uptime">
        {formatUptime(status.uptime_seconds)}
      </Fact>
      <Fact label="Started at">{formatDateTime(status.started_at)}</Fact>
      <Fact label="Reported status">
        <Badge variant="light" radius="sm" color={status.status === 'ok' ? 'teal' : 'yellow'}>
          {status.status}
        </Badge>
      </Fact>
    </FactsCard>
  );
}

/** Database connectivity and migration state. */
export function DatabaseFacts({ database }: { database: SystemStatus['database'] }) {
  const behind = database.latest_version - database.schema_version;
  return (
    <FactsCard title="Database">
      <Fact label="Dialect">{dialectNames[database.dialect] ?? database.dialect}</Fact>
      <Fact label="Reachable">
        <Badge variant="light" radius="sm" color={database.reachable ? 'teal' : 'red'}>
          {database.reachable ? 'Yes' : 'No'}
        </Badge>
      </Fact>
      <Fact label="Latency">{formatLatency(database.latency_ms)}</Fact>
      <Fact label="Schema version" testId="schema-version">
        <Group gap="xs" wrap="nowrap">
          <Text span size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {database.schema_version} of {database.latest_version}
          </Text>
          {database.migrations_current ? (
            <Badge variant="light" radius="sm" color="teal">
              Up to date
            </Badge>
          ) : (
            <Badge variant="light" radius="sm" color="yellow">
              {behind > 0 ? `${behind} pending` : 'Not current'}
            </Badge>
          )}
        </Group>
      </Fact>
    </FactsCard>
  );
}
