import { Badge, Grid, Group, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { memo, useCallback, useEffect, useRef, type ReactNode } from 'react';
import { useMe } from '../api/auth';
import { usePolicies } from '../api/cases';
import type { ApiError } from '../api/errors';
import { useQueues } from '../api/queues';
import { useExpressionValidation, type ExpressionError } from '../api/rules';
import { useMarketList } from '../api/system';
import { marketsWith } from '../auth/access';
import { FormProblem } from '../components/FormProblem';
import { SeverityBadge } from '../cases/badges';
import { severities } from '../cases/filters';
import { severityLabels } from '../cases/labels';
import { ExpressionDiagnostics, ValidationSummary, type ValidationState } from './expression/ExpressionDiagnostics';
import { ExpressionEditor, focusPosition, insertSnippet } from './expression/ExpressionEditor';
import { ReferencePanel } from './expression/ReferencePanel';
import { MAX_PRIORITY_BOOST, MAX_SIGNAL_TYPES, ruleSaveProblem, writableMarkets, type RuleForm, type RuleFormField } from './ruleForm';
import { RuleTestPanel } from './RuleTestPanel';

const EXPRESSION_ID = 'rule-expression';
const DIAGNOSTICS_ID = 'rule-expression-problems';

/** Changes some fields of the form; stable across renders, so the sections below re-render only when their own fields change. */
export type UpdateRuleForm = (patch: Partial<RuleForm>) => void;

interface RuleEditorProps {
  form: RuleForm;
  update: UpdateRuleForm;
  /** Shown, not editable (no rule.write, or a live rule without rule.publish). */
  readOnly: boolean;
  /** Problems found before sending. */
  localProblems: Partial<Record<RuleFormField, string>>;
  /** The last failed save, and the expression it was sent with (its expression errors apply while the text is unchanged). */
  saveError: ApiError | null;
  savedExpression: string | null;
  /** Above everything (e.g. why it is read-only). */
  banner?: ReactNode;
  /** Alerts between the form and the save bar (conflict, publish required). */
  notices?: ReactNode;
  /** The save bar's buttons; absent when read-only. */
  actions?: ReactNode;
}

/** Expression problems to show: the failed save's (while its text is unchanged), else the live validation's. */
export function shownExpressionErrors(
  expression: string,
  saveErrors: readonly ExpressionError[] | null,
  savedExpression: string | null,
  liveErrors: readonly ExpressionError[] | undefined,
): readonly ExpressionError[] {
  if (expression.trim() === '') return [];
  if (saveErrors && saveErrors.length > 0 && savedExpression === expression) return saveErrors;
  return liveErrors ?? [];
}

interface AboutFieldsProps {
  name: string;
  description: string;
  markets: string[];
  signalTypes: string[];
  nameError: string | undefined;
  descriptionError: string | undefined;
  marketsError: string | undefined;
  signalTypesError: string | undefined;
  update: UpdateRuleForm;
}

/** Name, description, markets and signal types. */
const AboutFields = memo(function AboutFields(props: AboutFieldsProps) {
  const { name, description, markets, signalTypes, update } = props;
  const me = useMe();
  const marketList = useMarketList();
  const allMarketCodes = (marketList.data ?? []).map((market) => market.code);
  const writable = new Set(writableMarkets(marketsWith(me.permissions, 'rule.write'), allMarketCodes));
  const marketData = (marketList.data ?? []).map((market) => ({
    value: market.code,
    label: `${market.code} · ${market.name}`,
    disabled: !writable.has(market.code) && !markets.includes(market.code),
  }));
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <TextInput
          label="Name"
          description="What it catches, so reviewers recognise it on a case (e.g. “Report burst on popular listings”)."
          required
          value={name}
          onChange={(event) => update({ name: event.currentTarget.value })}
          error={props.nameError}
          maxLength={120}
        />
        <Textarea
          label="Description"
          description="Why it exists and what a reviewer should look at."
          value={description}
          onChange={(event) => update({ description: event.currentTarget.value })}
          error={props.descriptionError}
          autosize
          minRows={2}
          maxRows={6}
          maxLength={2000}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <MultiSelect
            label="Markets"
            description="Where it runs; you need rule.write in each."
            placeholder={markets.length ? undefined : 'Pick markets'}
            data={marketData}
            value={markets}
            onChange={(value) => update({ markets: value })}
            error={props.marketsError}
            required
            searchable
            comboboxProps={{ withinPortal: true }}
          />
          <TagsInput
            label="Signal types"
            description="It is evaluated on signals of these types only. Enter or comma after each."
            placeholder={signalTypes.length ? undefined : 'e.g. report.filed'}
            value={signalTypes}
            onChange={(value) => update({ signalTypes: value.map((type) => type.trim().toLowerCase()) })}
            error={props.signalTypesError}
            splitChars={[',', ' ']}
            maxTags={MAX_SIGNAL_TYPES}
            required
            styles={{ pill: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
});

interface OutcomeFieldsProps {
  markets: string[];
  policy: string | null;
  severity: RuleForm['severity'];
  priorityBoost: number;
  queueId: number | null;
  autoTriage: boolean;
  policyError: string | undefined;
  severityError: string | undefined;
  priorityBoostError: string | undefined;
  queueError: string | undefined;
  autoTriageError: string | undefined;
  update: UpdateRuleForm;
}

/** What a hit does: policy, severity, priority boost, queue, auto-triage. */
const OutcomeFields = memo(function OutcomeFields(props: OutcomeFieldsProps) {
  const { markets, policy, severity, priorityBoost, queueId, autoTriage, update } = props;
  const policies = usePolicies();
  // The stream (or a 30 s poll while it is down) keeps the counts fresh; the picker only needs the names.
  const queues = useQueues({ live: true });
  const queueData = (queues.data ?? [])
    .filter((queue) => queue.kind === 'review')
    .filter((queue) => queue.markets.length === 0 || markets.every((market) => queue.markets.includes(market)))
    .map((queue) => ({ value: String(queue.id), label: queue.name }));
  if (queueId !== null && !queueData.some((option) => option.value === String(queueId))) {
    const known = queues.data?.find((queue) => queue.id === queueId);
    queueData.push({ value: String(queueId), label: known ? `${known.name} (not in every market of the rule)` : `Queue #${queueId}` });
  }
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="md" mb="sm">
        What a hit does
      </Title>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Select
            label="Policy"
            description="What its cases are about."
            data={(policies.data ?? []).map((p) => ({ value: p.code, label: p.name }))}
            value={policy}
            onChange={(value) => {
              const chosen = policies.data?.find((p) => p.code === value);
              // The policy's default severity, unless one was picked already.
              update({ policy: value, ...(severity === null && chosen ? { severity: chosen.default_severity } : {}) });
            }}
            error={props.policyError}
            required
            searchable
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label="Severity"
            description="Of the cases it opens."
            data={severities.map((s) => ({ value: s, label: severityLabels[s] }))}
            value={severity}
            onChange={(value) => update({ severity: severities.find((s) => s === value) ?? null })}
            error={props.severityError}
            required
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <NumberInput
            label="Priority boost"
            description={`Added to the case's priority, 0–${MAX_PRIORITY_BOOST}.`}
            value={priorityBoost}
            onChange={(value) => update({ priorityBoost: typeof value === 'number' ? value : Number(value) || 0 })}
            error={props.priorityBoostError}
            min={0}
            max={MAX_PRIORITY_BOOST}
            clampBehavior="strict"
            allowDecimal={false}
            allowNegative={false}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label="Queue"
            description="Where its new cases go. Empty: the routing table decides, by market and policy."
            placeholder="By the routing table"
            data={queueData}
            value={queueId === null ? null : String(queueId)}
            onChange={(value) => update({ queueId: value === null ? null : Number(value) })}
            error={props.queueError}
            clearable
            searchable
            comboboxProps={{ withinPortal: true }}
          />
          <Switch
            mt={{ base: 0, sm: 28 }}
            label="Auto-triage"
            description="Open its cases as triaged, straight into the queues, instead of new."
            checked={autoTriage}
            onChange={(event) => update({ autoTriage: event.currentTarget.checked })}
            error={props.autoTriageError}
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
});

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={2}>
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

/** The definition for someone who may not change it: facts to read, not greyed-out inputs. */
const DefinitionFacts = memo(function DefinitionFacts({ form }: { form: RuleForm }) {
  const policies = usePolicies();
  const queues = useQueues({ live: true });
  const policy = policies.data?.find((p) => p.code === form.policy);
  const queue = form.queueId === null ? null : queues.data?.find((q) => q.id === form.queueId);
  return (
    <Paper withBorder radius="md" p="md" data-testid="rule-facts">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" verticalSpacing="md">
        <Fact label="Markets">
          <Text size="sm">{[...form.markets].sort().join(', ')}</Text>
        </Fact>
        <Fact label="Signal types">
          <Group gap={4}>
            {form.signalTypes.map((type) => (
              <Badge key={type} variant="outline" color="gray" size="sm" radius="sm" ff="monospace" tt="none" fw={500}>
                {type}
              </Badge>
            ))}
          </Group>
        </Fact>
        <Fact label="Policy">
          <Text size="sm">{policy?.name ?? form.policy}</Text>
        </Fact>
        <Fact label="Severity">{form.severity ? <SeverityBadge severity={form.severity} /> : <Text size="sm">—</Text>}</Fact>
        <Fact label="Priority boost">
          <Text size="sm">+{form.priorityBoost}</Text>
        </Fact>
        <Fact label="Queue">
          <Text size="sm">{form.queueId === null ? 'By the routing table' : (queue?.name ?? `Queue #${form.queueId}`)}</Text>
        </Fact>
        <Fact label="New cases">
          <Text size="sm">{form.autoTriage ? 'Triaged straight into the queues' : 'New, for triage'}</Text>
        </Fact>
      </SimpleGrid>
    </Paper>
  );
});

/**
 * The rule's definition: name and scope, the expression (highlighted,
 * checked as you type, with a reference to insert from and a test bench),
 * what a hit does, and the note and buttons to save. Used by /rules/new and
 * the Definition tab of /rules/$id.
 */
export function RuleEditor({ form, update, readOnly, localProblems, saveError, savedExpression, banner, notices, actions }: RuleEditorProps) {
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const selection = useRef<{ start: number; end: number } | null>(null);
  // The text as last rendered, for inserting from the reference without re-creating its handler on every key.
  const expressionRef = useRef(form.expression);
  useEffect(() => {
    expressionRef.current = form.expression;
  }, [form.expression]);

  const [debounced] = useDebouncedValue(form.expression, 300);
  // Read-only viewers get it too: it lists the velocity calls the test bench asks about.
  const validation = useExpressionValidation(debounced);
  const problem = ruleSaveProblem(saveError);
  const errors = shownExpressionErrors(form.expression, problem?.expressionErrors ?? null, savedExpression, validation.data?.errors);
  const stale = debounced !== form.expression || validation.isPlaceholderData;
  const velocity = validation.data?.velocity ?? [];

  let state: ValidationState;
  if (form.expression.trim() === '') state = 'empty';
  else if (validation.error && !validation.data) state = 'unavailable';
  else if (errors.length > 0) state = 'invalid';
  else if (stale || validation.isFetching || !validation.data) state = 'checking';
  else state = 'valid';

  const errorFor = (field: RuleFormField) => localProblems[field] ?? problem?.byField[field];

  const insert = useCallback(
    (code: string) => {
      const current = expressionRef.current;
      const at = selection.current ?? { start: current.length, end: current.length };
      const next = insertSnippet(current, at.start, at.end, code);
      expressionRef.current = next.value;
      selection.current = { start: next.cursor, end: next.cursor };
      update({ expression: next.value });
      requestAnimationFrame(() => focusPosition(textareaRef.current, next.cursor));
    },
    [update],
  );
  const onSelect = useCallback((start: number, end: number) => {
    selection.current = { start, end };
  }, []);
  const onExpression = useCallback((expression: string) => update({ expression }), [update]);

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="md">
          {banner}
          {readOnly ? (
            <DefinitionFacts form={form} />
          ) : (
            <AboutFields
              name={form.name}
              description={form.description}
              markets={form.markets}
              signalTypes={form.signalTypes}
              nameError={errorFor('name')}
              descriptionError={errorFor('description')}
              marketsError={errorFor('markets')}
              signalTypesError={errorFor('signal_types')}
              update={update}
            />
          )}

          <Paper withBorder radius="md" p="md">
            <Stack gap="xs">
              <ExpressionEditor
                id={EXPRESSION_ID}
                label="Expression"
                description="True when the rule should hit. It can read the signal, its subject and velocity over the subject's recent signals (see the reference)."
                value={form.expression}
                onChange={onExpression}
                onSelect={onSelect}
                errors={errors}
                error={localProblems.expression ?? (errors.length === 0 ? problem?.byField.expression : undefined)}
                textareaRef={textareaRef}
                readOnly={readOnly}
                describedBy={errors.length > 0 ? DIAGNOSTICS_ID : undefined}
              />
              <ExpressionDiagnostics
                id={DIAGNOSTICS_ID}
                source={form.expression}
                errors={errors}
                stale={stale}
                onGoTo={(offset) => focusPosition(textareaRef.current, offset)}
              />
              <ValidationSummary
                state={state}
                errorCount={errors.length}
                velocity={state === 'valid' || state === 'checking' ? velocity : []}
                failure={validation.error?.detail ?? validation.error?.title}
              />
            </Stack>
          </Paper>

          <RuleTestPanel expression={form.expression} velocity={velocity} signalTypes={form.signalTypes} markets={form.markets} />

          {!readOnly && (
            <OutcomeFields
              markets={form.markets}
              policy={form.policy}
              severity={form.severity}
              priorityBoost={form.priorityBoost}
              queueId={form.queueId}
              autoTriage={form.autoTriage}
              policyError={errorFor('policy')}
              severityError={errorFor('severity')}
              priorityBoostError={errorFor('priority_boost')}
              queueError={errorFor('queue_id')}
              autoTriageError={errorFor('auto_triage')}
              update={update}
            />
          )}

          {notices}
          {problem && <FormProblem title={saveError?.title ?? 'Could not save the rule'} detail={problem.general} messages={problem.other} />}

          {actions && (
            <Paper withBorder radius="md" p="md" data-testid="rule-save-bar">
              <Stack gap="sm">
                <TextInput
                  label="Change note"
                  description="What changed and why, kept with the new version."
                  placeholder="e.g. Raised the threshold after the backtest"
                  value={form.note}
                  onChange={(event) => update({ note: event.currentTarget.value })}
                  error={errorFor('note')}
                  maxLength={500}
                />
                {actions}
              </Stack>
            </Paper>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <div style={{ position: 'sticky', top: 76 }}>
          <ReferencePanel signalType={form.signalTypes[0] ?? 'report.filed'} onInsert={insert} disabled={readOnly} />
        </div>
      </Grid.Col>
    </Grid>
  );
}
