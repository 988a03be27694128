import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconFilterBolt } from '@tabler/icons-react';
import { useMe } from '../api/auth';
import type { CaseDetail } from '../api/cases';
import { hasPermissionIn } from '../auth/access';
import { Timestamp } from '../components/Timestamp';
import { ValuesTable } from '../components/ValuesTable';
import { RouterAnchor } from '../routing/links';
import { SeverityBadge } from './badges';
import { severities } from './filters';

/**
 * Rule hits: the rules that opened or joined this case, oldest first, each
 * with what its expression read. The evidence of why the case exists.
 */
export function RuleHitsSection({ c }: { c: CaseDetail }) {
  const me = useMe();
  const hits = c.hits;
  if (hits.length === 0) return null;
  const canOpenRules = hasPermissionIn(me.permissions, 'rule.read', c.market);
  return (
    <Paper withBorder radius="md" p="md" data-testid="rule-hits">
      <Group justify="space-between" mb="xs">
        <Title order={2} fz="md">
          Rule hits
        </Title>
        <Text size="xs" c="dimmed">
          {hits.length === 1 ? '1 hit' : `${hits.length} hits`}, oldest first
        </Text>
      </Group>
      <Stack gap="sm">
        {hits.map((hit) => {
          const severity = severities.find((s) => s === hit.severity);
          return (
            <div
              key={hit.id}
              data-testid="rule-hit"
              data-rule-id={hit.rule_id}
              style={{ borderLeft: '3px solid var(--mantine-color-indigo-3)', paddingLeft: 10 }}
            >
              <Group gap={8} wrap="wrap" align="center">
                <IconFilterBolt size={16} color="var(--mantine-color-indigo-6)" aria-hidden />
                {canOpenRules ? (
                  <RouterAnchor to="/rules/$id" params={{ id: String(hit.rule_id) }} size="sm" fw={600}>
                    {hit.rule_name}
                  </RouterAnchor>
                ) : (
                  <Text size="sm" fw={600}>
                    {hit.rule_name}
                  </Text>
                )}
                <Badge size="xs" variant="default" radius="sm">
                  v{hit.version}
                </Badge>
                {severity ? <SeverityBadge severity={severity} size="xs" /> : <Text size="xs">{hit.severity}</Text>}
                <Text size="xs" c="dimmed" ff="monospace">
                  {hit.signal_type}
                </Text>
                <Text size="xs" c="dimmed">
                  · <Timestamp value={hit.created_at} />
                </Text>
              </Group>
              <div style={{ marginTop: 4, marginLeft: 24 }}>
                <ValuesTable values={hit.values} />
              </div>
            </div>
          );
        })}
      </Stack>
    </Paper>
  );
}
