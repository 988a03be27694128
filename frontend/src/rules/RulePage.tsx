import { Alert, Badge, Button, CopyButton, Group, List, Loader, Paper, SimpleGrid, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconCopy, IconDeviceFloppy, IconFlask, IconHistory, IconListSearch, IconLock, IconPencil, IconRefresh } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import { useMe } from '../api/auth';
import { usePolicies } from '../api/cases';
import { notifySuccess } from '../api/notify';
import { useRule, useUpdateRule, type Rule } from '../api/rules';
import { hasAnyPermission } from '../auth/access';
import { formatCount } from '../cases/labels';
import { ActorName } from '../components/ActorName';
import { detailGate } from '../components/DetailGate';
import { Timestamp } from '../components/Timestamp';
import { sentence } from '../format/text';
import { BackToRules } from './BackToRules';
import { BacktestTab } from './BacktestTab';
import type { RuleTab } from './filters';
import { HitsTab } from './HitsTab';
import { formatHours, formatPercent, formatRate, RuleStatusBadge, ruleStatusLabels } from './labels';
import { LifecycleActions } from './LifecycleActions';
import { RuleEditor, type UpdateRuleForm } from './RuleEditor';
import { checkRuleForm, mayEditContent, ruleFormChanged, ruleFormOf, ruleInputOf, ruleSaveProblem, flaggedProblems, type RuleForm, type RuleFormField } from './ruleForm';
import { EvaluationErrors, RuleSeverity } from './RulesTable';
import { VersionsTab } from './VersionsTab';

const route = getRouteApi('/shell/rules/$id');

function parseId(raw: string): number {
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : 0;
}

/** /rules/$id: one rule, its definition (editable), backtests, versions and hits. */
export function RulePage() {
  const { id: rawId } = route.useParams();
  const id = parseId(rawId);
  const rule = useRule(id);
  useDocumentTitle(`${rule.data?.name ?? 'Rule'} · Rules · Docket`);
  const gate = detailGate({
    valid: id > 0,
    query: rule,
    back: <BackToRules />,
    notFound: `No rule with id ${rawId} in the markets you work in.`,
    testId: 'rule-not-found',
    errorHeading: 'This rule could not be loaded',
  });
  if (gate) return gate;
  if (!rule.data) return null;
  return <RuleView key={id} current={rule.data} refreshing={rule.isFetching} refetch={async () => (await rule.refetch()).data} />;
}

function Stat({ label, children, hint }: { label: string; children: React.ReactNode; hint?: string }) {
  return (
    <Tooltip label={hint} disabled={!hint} withArrow openDelay={300}>
      <div>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Text component="div" size="md" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {children}
        </Text>
      </div>
    </Tooltip>
  );
}

/** The rule's figures: hits, cases, precision, time to decision, evaluation errors. */
function QualityStrip({ rule }: { rule: Rule }) {
  const q = rule.quality;
  return (
    <Paper withBorder radius="md" p="md" data-testid="rule-quality">
      <SimpleGrid cols={{ base: 2, sm: 4, md: 7 }} spacing="md">
        <Stat label="Hits per day" hint="Live and shadow, last 7 days">
          {formatRate(q.hits_per_day)}
        </Stat>
        <Stat label="Live hits (7 d)">{formatCount(q.hits_7d)}</Stat>
        <Stat label="Shadow hits (7 d)">{formatCount(q.shadow_hits_7d)}</Stat>
        <Stat label="Cases opened" hint="By every version">
          {formatCount(q.cases_opened)}
        </Stat>
        <Stat label="Precision" hint={q.cases_decided > 0 ? `${q.violations} violations of ${q.cases_decided} decided cases` : 'No decided cases yet'}>
          {formatPercent(q.precision)}
          {q.cases_decided > 0 && (
            <Text span size="xs" c="dimmed" fw={400}>
              {' '}
              ({q.violations}/{q.cases_decided})
            </Text>
          )}
        </Stat>
        <Stat label="Median to decision">{formatHours(q.median_hours_to_decision)}</Stat>
        <Stat label="Evaluation errors" hint="Since this version was saved">
          <EvaluationErrors errors={rule.errors} />
        </Stat>
      </SimpleGrid>
    </Paper>
  );
}

function RuleView({ current, refreshing, refetch }: { current: Rule; refreshing: boolean; refetch: () => Promise<Rule | undefined> }) {
  const me = useMe();
  const policies = usePolicies();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const update = useUpdateRule(current.id);
  // The version the form started from: saves send its number, so a newer save elsewhere is a 409, not lost.
  const [loaded, setLoaded] = useState<Rule>(current);
  const [form, setForm] = useState<RuleForm>(() => ruleFormOf(current));
  // The fields that failed the check at the last save attempt; their problems show until fixed.
  const [flagged, setFlagged] = useState<RuleFormField[]>([]);
  const local = useMemo(() => flaggedProblems(form, flagged), [form, flagged]);
  const updateForm = useCallback<UpdateRuleForm>((patch) => setForm((current) => ({ ...current, ...patch })), []);
  const [sentExpression, setSentExpression] = useState<string | null>(null);
  const dirty = ruleFormChanged(form, loaded);
  const problem = ruleSaveProblem(update.error);

  // A newer version arrived (a refetch, another tab) while nothing was edited here: show it.
  if (current.version !== loaded.version && !dirty && !problem?.conflict) {
    setLoaded(current);
    setForm(ruleFormOf(current));
  }

  const canBacktest = hasAnyPermission(me.permissions, ['rule.backtest']);
  const tab: RuleTab = search.tab === 'backtest' && !canBacktest ? 'definition' : (search.tab ?? 'definition');
  const editable = mayEditContent(current);
  const policyName = policies.data?.find((policy) => policy.code === current.policy)?.name ?? current.policy;

  const adopt = (rule: Rule) => {
    setLoaded(rule);
    setForm(ruleFormOf(rule));
    setFlagged([]);
  };

  const save = () => {
    const problems = checkRuleForm(form);
    setFlagged(Object.keys(problems) as RuleFormField[]);
    if (Object.keys(problems).length > 0) return;
    setSentExpression(form.expression);
    update.mutate(
      { ...ruleInputOf(form, loaded.status), version: loaded.version },
      {
        onSuccess: (saved) => {
          adopt(saved);
          notifySuccess(`“${saved.name}” is saved as version ${saved.version}.`, 'Rule saved');
        },
      },
    );
  };

  const reload = async () => {
    update.reset();
    const fresh = await refetch();
    if (fresh) adopt(fresh);
  };

  const readOnlyNotice = !editable && (
    <Alert color="gray" variant="light" icon={<IconLock size={18} aria-hidden />} title="Read-only" data-testid="rule-read-only">
      <Text size="sm">
        {current.status === 'live' && current.may_write
          ? 'This rule is live: changing it needs the rule.publish permission (leads and admins of its markets). Move it to shadow first, or ask a lead.'
          : current.status === 'live'
            ? 'This rule is live. Changing it needs rule.publish in every market of the rule.'
            : 'You can read this rule but not change it: that needs rule.write in every market of the rule.'}
      </Text>
    </Alert>
  );

  const notices = (
    <>
      {problem?.conflict && (
        <Alert color="orange" variant="light" title="This rule changed since you opened it" role="alert" data-testid="rule-conflict">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              Someone else saved it
              {problem.conflict.currentVersion !== undefined && <> (it is now version {problem.conflict.currentVersion})</>}. Reload to see their change, then make
              yours again; copy your expression first if you want to keep it.
            </Text>
            <Group gap="xs">
              <Button size="compact-sm" variant="light" color="orange" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => void reload()} loading={refreshing}>
                Reload
              </Button>
              <CopyButton value={form.expression}>
                {({ copied, copy }) => (
                  <Button size="compact-sm" variant="subtle" color={copied ? 'teal' : 'orange'} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />} onClick={copy}>
                    {copied ? 'Copied' : 'Copy my expression'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
      {problem?.publishRequired && (
        <Alert color="red" variant="light" title="This change needs rule.publish" role="alert" data-testid="publish-required">
          <Text size="sm">
            The rule is live, and changing a live rule needs the rule.publish permission in every market of the rule ({current.markets.join(', ')}). Ask a lead, or move it to
            shadow first.
          </Text>
        </Alert>
      )}
    </>
  );

  const actions = editable ? (
    <Group justify="space-between" gap="sm">
      <Text size="xs" c="dimmed">
        {dirty ? `Saving adds version ${loaded.version + 1}; the rule stays ${ruleStatusLabels[loaded.status].toLowerCase()}.` : 'No unsaved changes.'}
      </Text>
      <Group gap="sm">
        <Button variant="default" disabled={!dirty || update.isPending} onClick={() => adopt(loaded)}>
          Discard changes
        </Button>
        <Button leftSection={<IconDeviceFloppy size={16} aria-hidden />} onClick={save} loading={update.isPending} disabled={!dirty || Boolean(problem?.conflict)}>
          Save version {loaded.version + 1}
        </Button>
      </Group>
    </Group>
  ) : undefined;

  return (
    <Stack gap="md" data-testid="rule-page" data-status={current.status} data-version={current.version}>
      <Group justify="space-between" gap="xs">
        <BackToRules />
        {refreshing && <Loader size="xs" aria-label="Refreshing" />}
      </Group>

      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6} maw={760} miw={0}>
          <Group gap="sm" align="center">
            <Title order={1} fz={24} data-testid="rule-name" style={{ overflowWrap: 'anywhere' }}>
              {current.name}
            </Title>
            <RuleStatusBadge status={current.status} size="md" />
            <Badge variant="default" size="md" radius="sm">
              v{current.version}
            </Badge>
          </Group>
          <Group gap={6} wrap="wrap" data-testid="rule-meta">
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {policyName}
            </Text>
            <RuleSeverity severity={current.severity} />
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              · {[...current.markets].sort().join(', ')}
            </Text>
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              · saved <Timestamp value={current.updated_at} /> by <ActorName actor={current.created_by} label={current.created_by_label} />
            </Text>
          </Group>
          {current.description && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {current.description}
            </Text>
          )}
        </Stack>
        <LifecycleActions rule={current} dirty={dirty} onChanged={adopt} onReload={() => void reload()} />
      </Group>

      {current.quality.alerts.length > 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} title="Alerts" data-testid="rule-alert-banner">
          <List size="sm">
            {current.quality.alerts.map((alert) => (
              <List.Item key={`${alert.kind}:${alert.at}`}>
                {sentence(alert.message)}{' '}
                <Text span size="xs" c="dimmed">
                  (<Timestamp value={alert.at} />)
                </Text>
              </List.Item>
            ))}
          </List>
        </Alert>
      )}

      <QualityStrip rule={current} />

      <Tabs
        value={tab}
        onChange={(value) => {
          if (!value) return;
          void navigate({ search: value === 'definition' ? {} : { tab: value as Exclude<RuleTab, 'definition'> }, replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="definition" leftSection={<IconPencil size={16} aria-hidden />}>
            Definition
            {dirty && (
              <Badge size="xs" color="orange" variant="light" ml={6}>
                unsaved
              </Badge>
            )}
          </Tabs.Tab>
          {canBacktest && (
            <Tabs.Tab value="backtest" leftSection={<IconFlask size={16} aria-hidden />}>
              Backtest
            </Tabs.Tab>
          )}
          <Tabs.Tab value="versions" leftSection={<IconHistory size={16} aria-hidden />}>
            Versions
          </Tabs.Tab>
          <Tabs.Tab value="hits" leftSection={<IconListSearch size={16} aria-hidden />}>
            Hits
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="definition">
          <RuleEditor
            form={form}
            update={updateForm}
            readOnly={!editable}
            localProblems={local}
            saveError={update.error}
            savedExpression={sentExpression}
            banner={readOnlyNotice || undefined}
            notices={notices}
            actions={actions}
          />
        </Tabs.Panel>
        {canBacktest && (
          <Tabs.Panel value="backtest">
            <BacktestTab rule={current} unsavedExpression={form.expression !== loaded.expression && form.expression.trim() !== '' ? form.expression : null} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="versions">
          <VersionsTab rule={current} />
        </Tabs.Panel>
        <Tabs.Panel value="hits">
          <HitsTab rule={current} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
