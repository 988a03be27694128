import {
  Alert,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  NumberInput,
  Paper,
  Progress,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useMe } from '../api/auth';
import type { ApiError } from '../api/errors';
import { splitFieldErrors } from '../api/fieldErrors';
import { notifyFailure } from '../api/notify';
import {
  backtestActive,
  ruleKeys,
  useBacktest,
  useCancelBacktest,
  useRuleBacktests,
  useRuleVersions,
  useStartBacktest,
  type Backtest,
  type BacktestRequest,
  type BacktestResult,
  type BacktestStatus,
  type Rule,
} from '../api/rules';
import { fromDateTimeLocal, toDateTimeLocal } from '../audit/filters';
import { hasPermissionIn } from '../auth/access';
import { formatCount } from '../cases/labels';
import { ActorName } from '../components/ActorName';
import { FormProblem } from '../components/FormProblem';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { ValuesTable } from '../components/ValuesTable';
import { sentence } from '../format/text';
import { Histogram } from './Histogram';
import { formatPercent } from './labels';
import { SubjectLink } from './SubjectLink';

const DAY_MS = 86_400_000;

type Source = 'current' | 'version' | 'unsaved';

export const backtestStatusLabels: Record<BacktestStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const backtestStatusColors: Record<BacktestStatus, string> = {
  queued: 'gray',
  running: 'blue',
  done: 'teal',
  cancelled: 'dark',
  failed: 'red',
};

function BacktestStatusBadge({ status }: { status: BacktestStatus }) {
  return (
    <Badge color={backtestStatusColors[status]} variant="light" size="sm" data-status={status}>
      {backtestStatusLabels[status]}
    </Badge>
  );
}

/** The default window: the last 30 days up to now, as `datetime-local` values. */
export function defaultWindow(now = new Date()): { from: string; to: string } {
  return { from: toDateTimeLocal(new Date(now.getTime() - 30 * DAY_MS).toISOString()), to: toDateTimeLocal(now.toISOString()) };
}

/** The request for the form, or what is wrong with it. */
export function backtestRequest(
  form: { from: string; to: string; source: Source; version: string | null; maxSignals: number | string },
  rule: Pick<Rule, 'version'>,
  unsavedExpression: string | null,
): { request: BacktestRequest } | { problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const from = fromDateTimeLocal(form.from);
  const to = fromDateTimeLocal(form.to);
  if (!from) problems.from = 'When the replay starts';
  if (!to) problems.to = 'When it ends';
  if (from && to && Date.parse(from) >= Date.parse(to)) problems.to = 'After the start';
  if (form.source === 'version' && !form.version) problems.version = 'Pick a version';
  if (form.source === 'unsaved' && !unsavedExpression) problems.source = 'The editor has no unsaved expression';
  const max = typeof form.maxSignals === 'number' ? form.maxSignals : form.maxSignals.trim() === '' ? null : Number(form.maxSignals);
  if (max !== null && (!Number.isInteger(max) || max < 1)) problems.max_signals = 'A whole number of signals, at least 1';
  if (Object.keys(problems).length > 0 || !from || !to) return { problems };
  const request: BacktestRequest = { from, to };
  if (form.source === 'current') request.version = rule.version;
  if (form.source === 'version') request.version = Number(form.version);
  if (form.source === 'unsaved' && unsavedExpression) request.expression = unsavedExpression;
  if (max !== null) request.max_signals = max;
  return { request };
}

interface BacktestTabProps {
  rule: Rule;
  /** The editor's expression when it differs from the saved one. */
  unsavedExpression: string | null;
}

/** Backtest: replay stored signals of a window through a version (or the editor's text) and see what it would have done. */
export function BacktestTab({ rule, unsavedExpression }: BacktestTabProps) {
  const backtests = useRuleBacktests(rule.id);
  const versions = useRuleVersions(rule.id);
  const start = useStartBacktest(rule.id);
  const [span, setSpan] = useState(defaultWindow);
  const [source, setSource] = useState<Source>('current');
  const [version, setVersion] = useState<string | null>(null);
  const [maxSignals, setMaxSignals] = useState<number | string>('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const shownId = selectedId ?? backtests.data?.[0]?.id ?? null;

  const earlier = (versions.data ?? []).filter((v) => v.version !== rule.version);
  const server = splitFieldErrors(start.error, ['from', 'to', 'version', 'expression', 'max_signals']);
  const errorFor = (field: string) => problems[field] ?? server.byField[field];

  const run = () => {
    const built = backtestRequest({ ...span, source, version, maxSignals }, rule, unsavedExpression);
    if ('problems' in built) {
      setProblems(built.problems);
      return;
    }
    setProblems({});
    start.mutate(built.request, { onSuccess: (backtest) => setSelectedId(backtest.id) });
  };

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Title order={2} fz="md" mb={4}>
          Run a backtest
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Replays the stored signals of a window through the rule, as if it had been live: nothing is opened or changed.
        </Text>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput type="datetime-local" label="From" description="Your time" value={span.from} onChange={(event) => setSpan({ ...span, from: event.currentTarget.value })} error={errorFor('from')} />
            <TextInput type="datetime-local" label="To" description="Your time" value={span.to} onChange={(event) => setSpan({ ...span, to: event.currentTarget.value })} error={errorFor('to')} />
            <NumberInput
              label="Max signals"
              description="Optional; the server caps it (200,000)."
              placeholder="Server default"
              value={maxSignals}
              onChange={setMaxSignals}
              min={1}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              error={errorFor('max_signals')}
            />
          </SimpleGrid>
          <Radio.Group label="What to replay" value={source} onChange={(value) => setSource(value)} error={errorFor('source') ?? errorFor('expression')}>
            <Stack gap={6} mt={6}>
              <Radio value="current" label={`The current version (v${rule.version})`} />
              <Group gap="sm" wrap="nowrap" align="center">
                <Radio value="version" label="An earlier version" disabled={earlier.length === 0} />
                {source === 'version' && (
                  <Select
                    aria-label="Version"
                    size="xs"
                    w={220}
                    placeholder="Pick a version"
                    data={earlier.map((v) => ({ value: String(v.version), label: `v${v.version} · ${v.status}${v.note ? ` · ${v.note}` : ''}` }))}
                    value={version}
                    onChange={setVersion}
                    error={errorFor('version')}
                    comboboxProps={{ withinPortal: true }}
                  />
                )}
              </Group>
              <Radio
                value="unsaved"
                label="The unsaved expression in the editor"
                description={unsavedExpression ? undefined : 'Change the expression on the Definition tab to try it before saving.'}
                disabled={!unsavedExpression}
              />
            </Stack>
          </Radio.Group>
          <FormProblem title="The backtest could not start" detail={start.error && server.other.length === 0 && Object.keys(server.byField).length === 0 ? start.error.detail ?? start.error.title : null} messages={server.other} />
          <Group>
            <Button leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={run} loading={start.isPending}>
              Run backtest
            </Button>
          </Group>
        </Stack>
      </Paper>

      {shownId !== null && <BacktestView key={shownId} id={shownId} rule={rule} />}

      <RecentBacktests backtests={backtests.data} error={backtests.error} loading={backtests.isPending} shownId={shownId} onShow={setSelectedId} />
    </Stack>
  );
}

/** One backtest: progress while it runs (with Cancel), then its result. */
function BacktestView({ id, rule }: { id: number; rule: Rule }) {
  const backtest = useBacktest(id);
  const cancel = useCancelBacktest();
  const queryClient = useQueryClient();
  const status = backtest.data?.status;
  const previous = useRef(status);
  // When it ends, the list of recent backtests shows the new state too.
  useEffect(() => {
    if (previous.current && previous.current !== status && !backtestActive(backtest.data)) {
      void queryClient.invalidateQueries({ queryKey: ruleKeys.backtestsOf(rule.id) });
    }
    previous.current = status;
  }, [status, backtest.data, queryClient, rule.id]);

  if (backtest.error && !backtest.data) return <ProblemAlert error={backtest.error} heading="The backtest could not be loaded" />;
  if (!backtest.data) {
    return (
      <Center py="md">
        <Loader size="sm" />
      </Center>
    );
  }
  const b = backtest.data;
  const active = backtestActive(b);
  const percent = b.total > 0 ? Math.min(100, (b.scanned / b.total) * 100) : 0;

  return (
    <Paper withBorder radius="md" p="md" data-testid="backtest-view" data-status={b.status}>
      <Group justify="space-between" align="flex-start" mb="sm" gap="sm">
        <div>
          <Group gap="xs">
            <Title order={2} fz="md">
              Backtest #{b.id}
            </Title>
            <BacktestStatusBadge status={b.status} />
          </Group>
          <Text size="xs" c="dimmed">
            {b.version === null ? 'Unsaved expression' : `Version ${b.version}`} · <Timestamp value={b.from} /> to <Timestamp value={b.to} /> · by{' '}
            <ActorName actor={b.created_by} label={b.created_by_label} />
          </Text>
        </div>
        {active && (
          <Button
            variant="default"
            color="red"
            leftSection={<IconPlayerStop size={16} aria-hidden />}
            loading={cancel.isPending}
            onClick={() =>
              cancel.mutate(b, {
                onError: (error) => {
                  if (error.code !== 'backtest_finished') notifyFailure('Could not cancel the backtest', error);
                },
              })
            }
          >
            Cancel
          </Button>
        )}
      </Group>

      {active && (
        <Stack gap={4} data-testid="backtest-progress">
          <Progress value={b.status === 'queued' ? 100 : percent} striped animated color={b.status === 'queued' ? 'gray' : 'indigo'} size="lg" aria-label="Backtest progress" />
          <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {b.status === 'queued'
              ? 'Waiting for a worker…'
              : b.total > 0
                ? `Scanned ${b.scanned.toLocaleString('en')} of ${b.total.toLocaleString('en')} signals (${Math.floor(percent)} %)`
                : `Scanned ${b.scanned.toLocaleString('en')} signals`}
          </Text>
        </Stack>
      )}
      {backtest.error && active && (
        <Text size="xs" c="orange.8" mt={4}>
          Lost touch with the server ({backtest.error.title}); still trying.
        </Text>
      )}
      {b.status === 'failed' && (
        <Alert color="red" variant="light" title="The backtest failed" icon={<IconAlertTriangle size={18} aria-hidden />}>
          <Text size="sm">{b.error ? sentence(b.error) : 'No reason was given.'}</Text>
        </Alert>
      )}
      {b.status === 'cancelled' && !b.result && (
        <Text size="sm" c="dimmed">
          Cancelled after {b.scanned.toLocaleString('en')} signals.
        </Text>
      )}
      {b.result && <BacktestResultView result={b.result} backtest={b} rule={rule} />}
    </Paper>
  );
}

function Stat({ label, value, tone, testId }: { label: string; value: string; tone?: string | undefined; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fz={20} fw={600} c={tone} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  );
}

/** Estimated precision: violations among the subjects it hit that have a decided case of the policy. */
export function PrecisionEstimate({ result }: { result: Pick<BacktestResult, 'precision' | 'violations' | 'decided'> }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid="backtest-precision" bg="gray.0">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        Estimated precision
      </Text>
      {result.precision === null ? (
        <>
          <Text fz={20} fw={600} c="dimmed">
            No decided subjects
          </Text>
          <Text size="xs" c="dimmed">
            None of the subjects it hit has a decided case of this policy yet, so there is nothing to compare with.
          </Text>
        </>
      ) : (
        <>
          <Text fz={24} fw={700} c={result.precision >= 0.7 ? 'teal.8' : result.precision >= 0.4 ? 'orange.8' : 'red.8'} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatPercent(result.precision)}
          </Text>
          <Text size="xs" c="dimmed">
            {result.violations.toLocaleString('en')} of {result.decided.toLocaleString('en')} decided subjects were violations (their latest decision).
          </Text>
        </>
      )}
    </Paper>
  );
}

function BacktestResultView({ result, backtest, rule }: { result: BacktestResult; backtest: Backtest; rule: Rule }) {
  const me = useMe();
  return (
    <Stack gap="md" mt="sm" data-testid="backtest-result">
      {backtest.status === 'cancelled' && (
        <Alert color="gray" variant="light" title="Cancelled: a partial result">
          <Text size="sm">These figures cover the {result.signals_scanned.toLocaleString('en')} signals replayed before it was stopped.</Text>
        </Alert>
      )}
      {result.truncated && (
        <Alert color="yellow" variant="light" title="Not the whole window" icon={<IconAlertTriangle size={18} aria-hidden />} data-testid="backtest-truncated">
          <Text size="sm">
            The window held more signals than the limit ({backtest.max_signals.toLocaleString('en')}), so only the first ones were replayed. Narrow
            the window or raise the limit for the full picture.
          </Text>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="md">
        <Stat label="Signals scanned" value={formatCount(result.signals_scanned)} />
        <Stat label="Hits" value={formatCount(result.hits)} testId="backtest-hits" />
        <Stat label="Distinct subjects" value={formatCount(result.subjects)} />
        <Stat label="Cases it would open" value={formatCount(result.cases_would_open)} />
        <Stat label="Cases it would join" value={formatCount(result.cases_would_join)} />
        <Stat label="Errors" value={formatCount(result.errors)} tone={result.errors > 0 ? 'red.7' : undefined} />
      </SimpleGrid>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Histogram days={result.histogram} from={backtest.from} to={backtest.to} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <PrecisionEstimate result={result} />
        </Grid.Col>
      </Grid>
      <div>
        <Text size="sm" fw={600} mb={4}>
          Sample hits
        </Text>
        {result.samples.length === 0 ? (
          <Text size="sm" c="dimmed">
            No hits in this window.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={6} data-testid="backtest-samples">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th fz="xs" c="dimmed">
                    Subject
                  </Table.Th>
                  <Table.Th fz="xs" c="dimmed">
                    Signal time
                  </Table.Th>
                  <Table.Th fz="xs" c="dimmed">
                    Values read
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.samples.map((sample) => (
                  <Table.Tr key={sample.signal_id}>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <SubjectLink subject={sample.subject} canOpen={hasPermissionIn(me.permissions, 'subject.read', sample.subject.market)} />
                    </Table.Td>
                    <Table.Td style={{ verticalAlign: 'top' }}>
                      <Timestamp value={sample.occurred_at} />
                    </Table.Td>
                    <Table.Td miw={300}>
                      <ValuesTable values={sample.values} expression={backtest.expression} testId="sample-values" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </div>
      <Text size="xs" c="dimmed">
        Rule {rule.name}, {backtest.version === null ? 'unsaved expression' : `version ${backtest.version}`}. Cases “would open” counts subjects hit with no open case of the
        policy at the time.
      </Text>
    </Stack>
  );
}

function RecentBacktests({
  backtests,
  error,
  loading,
  shownId,
  onShow,
}: {
  backtests: Backtest[] | undefined;
  error: ApiError | null;
  loading: boolean;
  shownId: number | null;
  onShow: (id: number) => void;
}) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="md" mb="sm">
        Recent backtests
      </Title>
      {error && <ProblemAlert error={error} heading="Backtests could not be loaded" />}
      {loading ? (
        <Center py="md">
          <Loader size="sm" />
        </Center>
      ) : !backtests || backtests.length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet. Run one above to see how the rule would have done.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={6} highlightOnHover data-testid="backtests-table">
            <Table.Thead>
              <Table.Tr>
                {['#', 'Started', 'By', 'Replayed', 'Window', 'Status', 'Hits', ''].map((heading) => (
                  <Table.Th key={heading} fz="xs" c="dimmed" ta={heading === 'Hits' ? 'right' : undefined}>
                    {heading}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {backtests.map((b) => (
                <Table.Tr key={b.id} bg={b.id === shownId ? 'indigo.0' : undefined} data-backtest-id={b.id}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {b.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Timestamp value={b.created_at} />
                  </Table.Td>
                  <Table.Td>
                    <ActorName actor={b.created_by} label={b.created_by_label} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{b.version === null ? 'Unsaved expression' : `v${b.version}`}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                      <Timestamp value={b.from} /> – <Timestamp value={b.to} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <BacktestStatusBadge status={b.status} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {b.result ? formatCount(b.result.hits) : '–'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" onClick={() => onShow(b.id)} disabled={b.id === shownId} aria-label={`Show backtest ${b.id}`}>
                      {b.id === shownId ? 'Shown' : 'Show'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
