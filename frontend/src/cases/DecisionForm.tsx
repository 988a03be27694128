import { Alert, Badge, Button, Checkbox, Group, Paper, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconScale } from '@tabler/icons-react';
import { useState, type FormEvent, type Ref } from 'react';
import { useCaseAction, type CaseDetail } from '../api/cases';
import { splitFieldErrors } from '../api/fieldErrors';
import { notifySuccess } from '../api/notify';
import { sentence } from '../format/text';
import { isVersionConflict, useReportCaseError } from './caseErrors';
import { enforcementLabel, outcomeDescriptions, outcomeLabels, type Outcome } from './labels';

const outcomes: Outcome[] = ['violation', 'no_violation', 'insufficient_evidence'];
export const MAX_RATIONALE_LENGTH = 10_000;

interface DecisionFormProps {
  c: CaseDetail;
  /** The form's outer element, for the `r` shortcut and the Resolve button. */
  anchorRef?: Ref<HTMLFormElement>;
}

/**
 * The decision, shaped by the case's policy: an outcome; enforcement actions
 * from the policy's allowed list (only for a violation; high-impact ones are
 * marked, and choosing one sends the decision for approval); a rationale,
 * always required. Submits `resolve` with the case version the page shows.
 */
export function DecisionForm({ c, anchorRef }: DecisionFormProps) {
  const act = useCaseAction(c.id);
  const reportError = useReportCaseError();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [actions, setActions] = useState<string[]>([]);
  const [rationale, setRationale] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});

  const policy = c.policy_detail;
  const highImpact = new Set(policy.high_impact_actions);
  const isViolation = outcome === 'violation';
  const needsApproval = isViolation && actions.some((action) => highImpact.has(action));

  const server = splitFieldErrors(act.error, ['decision.outcome', 'decision.actions', 'decision.rationale']);
  const otherError = act.error && !isVersionConflict(act.error) && act.error.errors.length === 0 ? act.error : null;

  const chooseOutcome = (value: string) => {
    const next = value as Outcome;
    setOutcome(next);
    // Only a violation carries enforcement actions.
    if (next !== 'violation') setActions([]);
    setProblems((current) => ({ ...current, outcome: '' }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!outcome) found.outcome = 'Choose an outcome';
    const trimmed = rationale.trim();
    if (!trimmed) found.rationale = 'Explain the decision: it is shown to QA, appeals and auditors';
    else if (trimmed.length > MAX_RATIONALE_LENGTH) found.rationale = `At most ${MAX_RATIONALE_LENGTH} characters`;
    setProblems(found);
    if (Object.keys(found).length > 0 || !outcome) return;

    act.mutate(
      {
        action: 'resolve',
        body: { version: c.version, decision: { outcome, actions: isViolation ? actions : [], rationale: trimmed } },
      },
      {
        onSuccess: (detail) => {
          setOutcome(null);
          setActions([]);
          setRationale('');
          notifySuccess(
            detail.status === 'awaiting_approval'
              ? 'A second lead must approve it before it applies.'
              : `Closed as ${outcomeLabels[outcome].toLowerCase()}.`,
            detail.status === 'awaiting_approval' ? `Decision sent for approval: case #${c.id}` : `Case #${c.id} resolved`,
          );
        },
        onError: (error) => {
          if (isVersionConflict(error)) reportError('Could not resolve the case', error);
        },
      },
    );
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="form"
      ref={anchorRef}
      onSubmit={submit}
      noValidate
      aria-label="Decision"
      data-testid="decision-form"
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
      }}
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} fz="md">
              Decision
            </Title>
            <Text size="xs" c="dimmed">
              {policy.name}: {policy.description}
            </Text>
          </div>
          <IconScale size={20} color="var(--mantine-color-gray-5)" aria-hidden />
        </Group>

        <Radio.Group
          label="Outcome"
          value={outcome}
          onChange={chooseOutcome}
          required
          error={problems.outcome || server.byField['decision.outcome']}
        >
          <Stack gap={6} mt={6}>
            {outcomes.map((value) => (
              <Radio
                key={value}
                value={value}
                label={outcomeLabels[value]}
                description={outcomeDescriptions[value]}
                data-outcome={value}
              />
            ))}
          </Stack>
        </Radio.Group>

        <Checkbox.Group
          label="Enforcement actions"
          description={isViolation ? 'Allowed by this policy. None is also a valid choice (e.g. a first, minor offence).' : 'Only for a violation.'}
          value={actions}
          onChange={setActions}
          error={server.byField['decision.actions']}
        >
          <Stack gap={6} mt={6}>
            {policy.allowed_actions.map((action) => (
              <Checkbox
                key={action}
                value={action}
                disabled={!isViolation}
                data-action={action}
                label={
                  <Group gap={6} wrap="nowrap">
                    <span>{enforcementLabel(action)}</span>
                    {highImpact.has(action) && (
                      <Badge size="xs" color="violet" variant="light" data-testid={`needs-approval-${action}`}>
                        needs approval
                      </Badge>
                    )}
                  </Group>
                }
              />
            ))}
          </Stack>
        </Checkbox.Group>

        <Textarea
          label="Rationale"
          description="What you checked and why this outcome: the subject, QA, appeals and auditors read it"
          placeholder="e.g. Listing photos match the brand's known counterfeit patterns (evidence 2, 3); seller has 2 prior strikes."
          autosize
          minRows={4}
          maxRows={14}
          required
          value={rationale}
          onChange={(event) => {
            setRationale(event.currentTarget.value);
            if (problems.rationale) setProblems((current) => ({ ...current, rationale: '' }));
          }}
          error={problems.rationale || server.byField['decision.rationale']}
        />

        {needsApproval && (
          <Alert color="violet" variant="light" p="xs" data-testid="needs-approval-note">
            <Text size="sm">
              A high-impact action is chosen: the decision goes to a second lead for approval before it applies.
            </Text>
          </Alert>
        )}
        {(otherError || server.other.length > 0) && (
          <Alert color="red" variant="light" title={act.error?.title ?? 'The decision was not saved'} role="alert">
            {otherError?.detail && <Text size="sm">{sentence(otherError.detail)}</Text>}
            {server.other.map((message) => (
              <Text size="sm" key={message}>
                {message}
              </Text>
            ))}
          </Alert>
        )}

        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Ctrl+Enter to submit · case version {c.version}
          </Text>
          <Button type="submit" loading={act.isPending} color={needsApproval ? 'violet' : undefined}>
            {needsApproval ? 'Submit for approval' : 'Resolve case'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
