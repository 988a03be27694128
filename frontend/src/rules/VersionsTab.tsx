import { Badge, Button, Center, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowsDiff } from '@tabler/icons-react';
import { useState } from 'react';
import { usePolicies, type Severity } from '../api/cases';
import { useQueues } from '../api/queues';
import { useRuleVersions, type Rule, type RuleStatus, type RuleVersion, type RuleVersionQuality } from '../api/rules';
import { formatCount, severityLabels } from '../cases/labels';
import { ActorName } from '../components/ActorName';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { HighlightedCode } from './expression/highlight';
import { formatHours, formatPercent, RuleStatusBadge, ruleStatusLabels } from './labels';
import { diffCounts, lineDiff } from './lineDiff';

/** The fields compared between two versions, in the editor's order, with how to show a value. */
export const comparedFields: { key: keyof RuleVersion; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'description', label: 'Description' },
  { key: 'status', label: 'Status' },
  { key: 'markets', label: 'Markets' },
  { key: 'signal_types', label: 'Signal types' },
  { key: 'policy', label: 'Policy' },
  { key: 'severity', label: 'Severity' },
  { key: 'priority_boost', label: 'Priority boost' },
  { key: 'queue_id', label: 'Queue' },
  { key: 'auto_triage', label: 'Auto-triage' },
];

function fieldValue(version: RuleVersion, key: keyof RuleVersion): string {
  const value = version[key];
  if (Array.isArray(value)) return [...value].sort().join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value === null || value === undefined || value === '') return '';
  return String(value);
}

/** The fields (other than the expression) whose values differ between two versions. */
export function changedFields(older: RuleVersion, newer: RuleVersion): { key: keyof RuleVersion; label: string; before: string; after: string }[] {
  return comparedFields
    .map((field) => ({ ...field, before: fieldValue(older, field.key), after: fieldValue(newer, field.key) }))
    .filter((field) => field.before !== field.after);
}

/** The expression's line diff, unified, with both sides' line numbers. */
export function ExpressionDiff({ before, after }: { before: string; after: string }) {
  const diff = lineDiff(before, after);
  const counts = diffCounts(diff);
  if (counts.added === 0 && counts.removed === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="expression-diff" data-unchanged>
        The expression is the same.
      </Text>
    );
  }
  const cell = { padding: '0 8px', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12.5, lineHeight: '19px', verticalAlign: 'top' } as const;
  const number = { ...cell, color: 'var(--mantine-color-gray-6)', textAlign: 'right', userSelect: 'none', width: 1, whiteSpace: 'nowrap' } as const;
  return (
    <div data-testid="expression-diff" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, overflowX: 'auto' }}>
      <Text size="xs" c="dimmed" px={8} py={4} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text span inherit c="green.8" fw={600}>
          +{counts.added}
        </Text>{' '}
        <Text span inherit c="red.8" fw={600}>
          −{counts.removed}
        </Text>{' '}
        lines
      </Text>
      <table style={{ borderCollapse: 'collapse', width: '100%' }}>
        <tbody>
          {diff.map((line, index) => {
            const background = line.kind === 'added' ? 'var(--mantine-color-green-0)' : line.kind === 'removed' ? 'var(--mantine-color-red-0)' : undefined;
            const sign = line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' ';
            return (
              <tr key={index} style={{ background }} data-kind={line.kind}>
                <td style={number}>{line.oldLine ?? ''}</td>
                <td style={number}>{line.newLine ?? ''}</td>
                <td style={{ ...cell, width: 1, color: line.kind === 'added' ? 'var(--mantine-color-green-8)' : 'var(--mantine-color-red-8)' }} aria-label={line.kind === 'same' ? undefined : line.kind}>
                  {sign}
                </td>
                <td style={{ ...cell, whiteSpace: 'pre' }}>
                  <HighlightedCode code={line.text} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function VersionDiff({ older, newer }: { older: RuleVersion; newer: RuleVersion }) {
  const policies = usePolicies();
  const queues = useQueues({ live: true });
  const changed = changedFields(older, newer);
  const show = (key: keyof RuleVersion, value: string) => {
    if (value === '') return <Text span size="sm" c="dimmed">—</Text>;
    if (key === 'policy') return policies.data?.find((policy) => policy.code === value)?.name ?? value;
    if (key === 'queue_id') return queues.data?.find((queue) => String(queue.id) === value)?.name ?? `Queue #${value}`;
    if (key === 'status') return ruleStatusLabels[value as RuleStatus] ?? value;
    if (key === 'severity') return severityLabels[value as Severity] ?? value;
    return value;
  };
  const unchanged = comparedFields.length - changed.length;
  return (
    <Stack gap="sm" data-testid="version-diff">
      {changed.length > 0 ? (
        <Table withTableBorder withColumnBorders verticalSpacing={4} data-testid="field-diff" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th fz="xs" c="dimmed" w={140}>
                Field
              </Table.Th>
              <Table.Th fz="xs" c="dimmed">
                v{older.version}
              </Table.Th>
              <Table.Th fz="xs" c="dimmed">
                v{newer.version}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changed.map((field) => (
              <Table.Tr key={field.key} data-field={field.key}>
                <Table.Td fz="sm" fw={500}>
                  {field.label}
                </Table.Td>
                <Table.Td fz="sm" bg="red.0" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                  {show(field.key, field.before)}
                </Table.Td>
                <Table.Td fz="sm" bg="green.0" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                  {show(field.key, field.after)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          No field other than the expression changed.
        </Text>
      )}
      {changed.length > 0 && unchanged > 0 && (
        <Text size="xs" c="dimmed">
          {unchanged} other fields are the same.
        </Text>
      )}
      <div>
        <Text size="sm" fw={600} mb={4}>
          Expression
        </Text>
        <ExpressionDiff before={older.expression} after={newer.expression} />
      </div>
    </Stack>
  );
}

/** Versions: every saved version newest first with its quality, and a diff of any two. */
export function VersionsTab({ rule }: { rule: Rule }) {
  const versions = useRuleVersions(rule.id);
  const list = versions.data ?? [];
  const [pair, setPair] = useState<{ older: number; newer: number } | null>(null);
  const latest = list[0]?.version;
  const previous = list[1]?.version;
  const chosen = pair ?? (latest !== undefined && previous !== undefined ? { older: previous, newer: latest } : null);
  const older = list.find((v) => v.version === chosen?.older);
  const newer = list.find((v) => v.version === chosen?.newer);
  const quality = new Map<number, RuleVersionQuality>(rule.by_version.map((q) => [q.version, q]));
  const options = list.map((v) => ({ value: String(v.version), label: `v${v.version} · ${v.status}` }));

  if (versions.error) return <ProblemAlert error={versions.error} heading="Versions could not be loaded" />;
  if (versions.isPending) {
    return (
      <Center py="xl">
        <Loader size="sm" />
      </Center>
    );
  }

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Title order={2} fz="md" mb="sm">
          Versions
        </Title>
        <Table.ScrollContainer minWidth={1120}>
          <Table verticalSpacing={6} horizontalSpacing="sm" highlightOnHover data-testid="versions-table">
            <Table.Thead>
              <Table.Tr>
                {['Version', 'Status', 'Saved', 'Note', 'Live hits', 'Shadow hits', 'Hits/day', 'Cases', 'Decided', 'Precision', 'Decided in', ''].map((heading, index) => (
                  <Table.Th key={heading || index} fz="xs" c="dimmed" ta={index >= 4 && index <= 10 ? 'right' : undefined} style={{ whiteSpace: 'nowrap' }}>
                    {heading}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((version, index) => {
                const q = quality.get(version.version);
                const num = (value: number | undefined) => (
                  <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }} c={value === undefined ? 'dimmed' : undefined}>
                    {value === undefined ? '–' : formatCount(value)}
                  </Text>
                );
                const before = list[index + 1];
                const inDiff = version.version === chosen?.older || version.version === chosen?.newer;
                return (
                  <Table.Tr key={version.version} data-version={version.version} bg={inDiff ? 'indigo.0' : undefined}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={600}>
                          v{version.version}
                        </Text>
                        {version.version === rule.version && (
                          <Badge size="xs" variant="outline" color="indigo" style={{ flex: 'none', maxWidth: 'none' }}>
                            current
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <RuleStatusBadge status={version.status} />
                    </Table.Td>
                    <Table.Td>
                      <Timestamp value={version.created_at} />
                      <Text size="xs" c="dimmed">
                        by <ActorName actor={version.created_by} label={version.created_by_label} />
                      </Text>
                    </Table.Td>
                    <Table.Td miw={140}>
                      <Text size="sm" c={version.note ? undefined : 'dimmed'} lineClamp={2} title={version.note}>
                        {version.note || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{num(q?.hits)}</Table.Td>
                    <Table.Td ta="right">{num(q?.shadow_hits)}</Table.Td>
                    <Table.Td ta="right">{num(q?.hits_per_day)}</Table.Td>
                    <Table.Td ta="right">{num(q?.cases_opened)}</Table.Td>
                    <Table.Td ta="right">{num(q?.cases_decided)}</Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }} c={q?.precision == null ? 'dimmed' : undefined}>
                        {formatPercent(q?.precision)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }} c={q?.median_hours_to_decision == null ? 'dimmed' : undefined}>
                        {formatHours(q?.median_hours_to_decision ?? null)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {before && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          leftSection={<IconArrowsDiff size={14} aria-hidden />}
                          onClick={() => setPair({ older: before.version, newer: version.version })}
                          aria-label={`Compare v${version.version} with v${before.version}`}
                        >
                          vs v{before.version}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="sm" gap="sm">
          <Title order={2} fz="md">
            Compare versions
          </Title>
          {list.length > 1 && (
            <Group gap="xs">
              <Select
                aria-label="Older version"
                size="xs"
                w={150}
                data={options}
                value={chosen ? String(chosen.older) : null}
                onChange={(value) => value && chosen && setPair({ ...chosen, older: Number(value) })}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
              <Text size="sm" c="dimmed">
                with
              </Text>
              <Select
                aria-label="Newer version"
                size="xs"
                w={150}
                data={options}
                value={chosen ? String(chosen.newer) : null}
                onChange={(value) => value && chosen && setPair({ ...chosen, newer: Number(value) })}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
            </Group>
          )}
        </Group>
        {list.length < 2 ? (
          <Text size="sm" c="dimmed">
            Only one version so far: every save (a change or a new status) adds one.
          </Text>
        ) : older && newer ? (
          older.version === newer.version ? (
            <Text size="sm" c="dimmed">
              Pick two different versions.
            </Text>
          ) : (
            <VersionDiff older={older.version < newer.version ? older : newer} newer={older.version < newer.version ? newer : older} />
          )
        ) : null}
      </Paper>
    </Stack>
  );
}
