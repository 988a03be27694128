import { Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangleFilled } from '@tabler/icons-react';
import type { Policy } from '../api/cases';
import type { Rule, RuleAlert } from '../api/rules';
import { SeverityBadge } from '../cases/badges';
import { severities } from '../cases/filters';
import { formatCount } from '../cases/labels';
import { formatCompactDateTime } from '../format/time';
import { sentence } from '../format/text';
import { RouterAnchor } from '../routing/links';
import { formatHours, formatPercent, formatRate, RuleStatusBadge } from './labels';

const nowrap = { whiteSpace: 'nowrap' } as const;
const numeric = { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' } as const;

function Th({ children, right = false, title }: { children: React.ReactNode; right?: boolean; title?: string }) {
  return (
    <Table.Th fz="xs" fw={600} c="dimmed" ta={right ? 'right' : undefined} style={nowrap} title={title}>
      {children}
    </Table.Th>
  );
}

/** The severity as a badge when it is one of ours, else as text. */
export function RuleSeverity({ severity, size = 'sm' }: { severity: string; size?: 'xs' | 'sm' }) {
  const known = severities.find((s) => s === severity);
  return known ? <SeverityBadge severity={known} size={size} /> : <Text size={size}>{severity}</Text>;
}

/** Evaluation errors since the current version was saved: a red count with the last error on hover. */
export function EvaluationErrors({ errors }: { errors: Rule['errors'] }) {
  if (errors.count === 0) {
    return (
      <Text size="sm" c="dimmed" style={numeric}>
        0
      </Text>
    );
  }
  return (
    <Tooltip
      multiline
      w={360}
      withArrow
      label={
        <Stack gap={2}>
          <Text size="xs" fw={600}>
            Last error{errors.last_error_at ? ` · ${formatCompactDateTime(errors.last_error_at)}` : ''}
          </Text>
          <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {errors.last_error || 'No message'}
          </Text>
        </Stack>
      }
    >
      <Badge color="red" variant="filled" size="sm" data-testid="rule-errors" style={{ cursor: 'help' }} tabIndex={0}>
        {formatCount(errors.count)}
      </Badge>
    </Tooltip>
  );
}

/** The rule's quality alerts (hit spike, precision drop) behind one warning icon. */
export function RuleAlerts({ alerts }: { alerts: readonly RuleAlert[] }) {
  if (alerts.length === 0) return null;
  return (
    <Tooltip
      multiline
      w={320}
      withArrow
      label={
        <Stack gap={4}>
          {alerts.map((alert) => (
            <Text key={`${alert.kind}:${alert.at}`} size="xs">
              {sentence(alert.message)}
            </Text>
          ))}
        </Stack>
      }
    >
      <IconAlertTriangleFilled
        size={18}
        color="var(--mantine-color-orange-6)"
        role="img"
        aria-label={`Alerts: ${alerts.map((alert) => sentence(alert.message)).join(' ')}`}
        tabIndex={0}
        data-testid="rule-alerts"
      />
    </Tooltip>
  );
}

/** A rule's markets: up to three by code, more as a count (the codes on hover). */
export function MarketList({ markets }: { markets: readonly string[] }) {
  const sorted = [...markets].sort();
  if (sorted.includes('*')) return <Text size="sm">All markets</Text>;
  if (sorted.length <= 3) {
    return (
      <Text size="sm" style={nowrap}>
        {sorted.join(', ')}
      </Text>
    );
  }
  return (
    <Tooltip label={sorted.join(', ')} withArrow openDelay={200}>
      <Text size="sm" style={{ ...nowrap, textDecoration: 'underline dotted', cursor: 'help' }} tabIndex={0}>
        {sorted.length} markets
      </Text>
    </Tooltip>
  );
}

interface RulesTableProps {
  rules: readonly Rule[];
  policies: readonly Policy[] | undefined;
}

/** One row per rule: what it is, where it runs, and how well it does. */
export function RulesTable({ rules, policies }: RulesTableProps) {
  const policyName = (code: string) => policies?.find((policy) => policy.code === code)?.name ?? code;
  return (
    <Table.ScrollContainer minWidth={940}>
      <Table verticalSpacing={8} horizontalSpacing="xs" highlightOnHover data-testid="rules-table">
        <Table.Thead>
          <Table.Tr>
            <Th>Rule</Th>
            <Th>Status</Th>
            <Th>Markets</Th>
            <Th>Policy · severity</Th>
            <Th right title="Hits (live and shadow) per day over the last 7 days">
              Hits/day
            </Th>
            <Th right title="Cases this rule opened (all versions)">
              Cases
            </Th>
            <Th right title="Violations among the decided cases it hit">
              Precision
            </Th>
            <Th right title="Median time from the case opening to its decision">
              Decided in
            </Th>
            <Th right title="Evaluation errors since the current version was saved">
              Errors
            </Th>
            <Th>
              <span aria-label="Alerts" />
            </Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rules.map((rule) => (
            <Table.Tr key={rule.id} data-rule-id={rule.id}>
              <Table.Td maw={260}>
                <Stack gap={0} miw={0}>
                  <RouterAnchor to="/rules/$id" params={{ id: String(rule.id) }} size="sm" fw={600} lineClamp={2} title={rule.name}>
                    {rule.name}
                  </RouterAnchor>
                  {rule.description && (
                    <Text size="xs" c="dimmed" truncate="end" title={rule.description}>
                      {rule.description}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <RuleStatusBadge status={rule.status} />
                  <Text size="xs" c="dimmed" style={numeric} title={`Version ${rule.version}`}>
                    v{rule.version}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>
                <MarketList markets={rule.markets} />
              </Table.Td>
              <Table.Td maw={190}>
                <Stack gap={2} miw={0} align="flex-start">
                  <Text size="sm" truncate="end" title={policyName(rule.policy)} maw="100%">
                    {policyName(rule.policy)}
                  </Text>
                  <RuleSeverity severity={rule.severity} size="xs" />
                </Stack>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={numeric}>
                  {formatRate(rule.quality.hits_per_day)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={numeric}>
                  {formatCount(rule.quality.cases_opened)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Tooltip
                  label={
                    rule.quality.cases_decided > 0
                      ? `${rule.quality.violations} violations of ${rule.quality.cases_decided} decided cases`
                      : 'No decided cases yet'
                  }
                  withArrow
                  openDelay={250}
                >
                  <Text size="sm" style={numeric} c={rule.quality.precision === null ? 'dimmed' : undefined} data-testid="rule-precision">
                    {formatPercent(rule.quality.precision)}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm" style={numeric} c={rule.quality.median_hours_to_decision === null ? 'dimmed' : undefined}>
                  {formatHours(rule.quality.median_hours_to_decision)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">
                <Group justify="flex-end">
                  <EvaluationErrors errors={rule.errors} />
                </Group>
              </Table.Td>
              <Table.Td w={36}>
                <RuleAlerts alerts={rule.quality.alerts} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
