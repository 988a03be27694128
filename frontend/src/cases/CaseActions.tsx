import { Button, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconAlertTriangleOff,
  IconArrowBackUp,
  IconArrowDown,
  IconArrowUp,
  IconCheck,
  IconHandGrab,
  IconListCheck,
  IconPlayerPause,
  IconPlayerPlay,
  IconRotate,
  IconUserShare,
} from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useCaseAction, type CaseAction, type CaseDetail } from '../api/cases';
import { splitFieldErrors } from '../api/fieldErrors';
import { notifySuccess } from '../api/notify';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { sentence } from '../format/text';
import { AssigneePicker } from './AssigneePicker';
import { isVersionConflict, useReportCaseError } from './caseErrors';
import { actionLabels, enforcementLabel, outcomeLabels } from './labels';
import { ReasonModal } from './ReasonModal';

/** The dialogs an action opens first; one-click actions have none. */
export type CaseDialog = 'escalate' | 'hold' | 'reopen' | 'reject' | 'approve' | 'assign' | 'declare_emergency';

interface ButtonSpec {
  action: CaseAction;
  label: string;
  icon: ReactNode;
  variant: 'filled' | 'light' | 'default';
  color?: string;
  hint: string;
}

/**
 * The buttons, in the order a reviewer reaches for them. approve/reject live in the approval banner, renew next to
 * the lease countdown (LeaseControl).
 */
const buttonSpecs: ButtonSpec[] = [
  { action: 'claim', label: 'Claim', icon: <IconHandGrab size={16} />, variant: 'filled', hint: 'Take this case: it is yours for the claim lease' },
  { action: 'triage', label: 'Triage', icon: <IconListCheck size={16} />, variant: 'filled', hint: 'Confirm the case is real and send it to the queue' },
  { action: 'resume', label: 'Resume', icon: <IconPlayerPlay size={16} />, variant: 'filled', hint: 'Take the case off hold' },
  { action: 'resolve', label: 'Resolve', icon: <IconCheck size={16} />, variant: 'light', hint: 'Go to the decision form (r)' },
  { action: 'assign', label: 'Assign…', icon: <IconUserShare size={16} />, variant: 'default', hint: 'Give the case to a reviewer' },
  { action: 'release', label: 'Release', icon: <IconArrowBackUp size={16} />, variant: 'default', hint: 'Return the case to its queue, unassigned' },
  { action: 'deescalate', label: 'De-escalate', icon: <IconArrowDown size={16} />, variant: 'default', hint: 'Send the case back to the queue' },
  { action: 'escalate', label: 'Escalate…', icon: <IconArrowUp size={16} />, variant: 'light', color: 'orange', hint: 'Hand the case to a lead, with a reason (e)' },
  { action: 'hold', label: 'Hold…', icon: <IconPlayerPause size={16} />, variant: 'default', hint: 'Park the case, with a reason' },
  { action: 'reopen', label: 'Reopen…', icon: <IconRotate size={16} />, variant: 'default', hint: 'Open the decided case again, with a reason' },
  {
    action: 'declare_emergency',
    label: 'Emergency…',
    icon: <IconAlertTriangle size={16} color="var(--mantine-color-red-6)" />,
    variant: 'default',
    hint: 'Pin the case above everything in its market, with a reason',
  },
  { action: 'clear_emergency', label: 'Clear emergency', icon: <IconAlertTriangleOff size={16} />, variant: 'default', hint: 'Unpin the case' },
];

const dialogOf: Partial<Record<CaseAction, CaseDialog>> = {
  escalate: 'escalate',
  hold: 'hold',
  reopen: 'reopen',
  assign: 'assign',
  declare_emergency: 'declare_emergency',
};

const doneMessages: Partial<Record<CaseAction, string>> = {
  claim: 'The case is yours.',
  triage: 'The case is triaged and waits in its queue.',
  assign: 'The case is assigned.',
  release: 'The case is back in its queue.',
  renew: 'The claim lease starts again.',
  escalate: 'The leads of the market see it now.',
  deescalate: 'The case is back in its queue.',
  hold: 'The case is on hold.',
  resume: 'The case is active again.',
  approve: 'The decision is final and its actions apply.',
  reject: 'The decision is rejected; the case is back in review.',
  reopen: 'The case is open again.',
  declare_emergency: 'The case is pinned above everything else in its market.',
  clear_emergency: 'The case is back to its normal priority.',
};

function AssignModal({ c, loading, error, onSubmit, onClose }: {
  c: CaseDetail;
  loading: boolean;
  error: ReturnType<typeof useCaseAction>['error'];
  onSubmit: (assigneeId: number) => void;
  onClose: () => void;
}) {
  const [assignee, setAssignee] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const server = splitFieldErrors(error, ['assignee_id']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (assignee === null) return setProblem('Pick a person or type their user id');
    setProblem(undefined);
    onSubmit(assignee);
  };
  const other = error && !server.byField.assignee_id && !isVersionConflict(error) ? (error.detail ? sentence(error.detail) : error.title) : null;
  return (
    <Modal opened onClose={onClose} title={`Assign case #${c.id}`} centered size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            The reviewer gets the case with a fresh claim lease. They need a reviewer or lead role in {c.market}.
          </Text>
          <AssigneePicker value={assignee} onChange={setAssignee} markets={[c.market]} seen={[c.assignee]} error={problem ?? server.byField.assignee_id} />
          {other && (
            <Text size="sm" c="red" role="alert">
              {other}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={loading}>
              Cancel
            </Button>
            <Button type="submit" loading={loading}>
              Assign
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface CaseActionsProps {
  c: CaseDetail;
  dialog: CaseDialog | null;
  onDialog: (dialog: CaseDialog | null) => void;
  /** "Resolve" moves to the decision form. */
  onResolve: () => void;
  /** approve/reject are offered only to someone other than the decision's maker. */
  mayReview: boolean;
}

/**
 * The lifecycle buttons the server says the caller may use now
 * (`allowed_actions`), and the dialogs that ask for what an action needs.
 * Every action sends the case version the page shows.
 */
export function CaseActions({ c, dialog, onDialog, onResolve, mayReview }: CaseActionsProps) {
  const act = useCaseAction(c.id);
  const reportError = useReportCaseError();
  const allowed = new Set(c.allowed_actions);
  const pending = c.decisions.find((decision) => !decision.review);

  const run = (action: CaseAction, extra: { reason?: string; assignee_id?: number } = {}) => {
    act.mutate(
      { action, body: { version: c.version, ...extra } },
      {
        onSuccess: () => {
          onDialog(null);
          notifySuccess(doneMessages[action] ?? 'Done.', `${actionLabels[action]}: case #${c.id}`);
        },
        onError: (error) => {
          // A conflict closes the dialog: the banner says what to do. Other problems stay in the dialog.
          const shownInDialog = dialog !== null && dialog !== 'approve';
          if (isVersionConflict(error) || !shownInDialog) {
            onDialog(null);
            reportError(`Could not ${actionLabels[action].toLowerCase()} case #${c.id}`, error);
          }
        },
      },
    );
  };

  // The server lists both emergency actions on any open case; only one of them changes anything.
  const buttons = buttonSpecs.filter(
    (spec) =>
      allowed.has(spec.action) &&
      !(spec.action === 'declare_emergency' && c.emergency) &&
      !(spec.action === 'clear_emergency' && !c.emergency),
  );
  const busy = act.isPending ? act.variables.action : null;
  const dialogError = act.error && !isVersionConflict(act.error) ? act.error : null;
  const closeDialog = () => {
    act.reset();
    onDialog(null);
  };

  return (
    <>
      <Group gap="xs" data-testid="case-actions">
        {buttons.map((spec) => (
          <Tooltip key={spec.action} label={spec.hint} openDelay={400}>
            <Button
              size="sm"
              variant={spec.variant}
              color={spec.color}
              leftSection={spec.icon}
              loading={busy === spec.action}
              disabled={busy !== null && busy !== spec.action}
              onClick={() => {
                if (spec.action === 'resolve') return onResolve();
                const needs = dialogOf[spec.action];
                if (needs) {
                  act.reset();
                  return onDialog(needs);
                }
                run(spec.action);
              }}
            >
              {spec.label}
            </Button>
          </Tooltip>
        ))}
      </Group>

      {dialog === 'escalate' && allowed.has('escalate') && (
        <ReasonModal
          opened
          title={`Escalate case #${c.id}`}
          description="The case leaves its reviewer and goes to the leads of the market. Say what they need to decide or know."
          placeholder="e.g. Seller threatens legal action; needs a lead's call on the ban"
          confirmLabel="Escalate"
          color="orange"
          loading={act.isPending}
          error={dialogError}
          onSubmit={(reason) => run('escalate', { reason })}
          onClose={closeDialog}
        />
      )}
      {dialog === 'hold' && allowed.has('hold') && (
        <ReasonModal
          opened
          title={`Put case #${c.id} on hold`}
          description="The case stays as it is until someone resumes it. Say what it is waiting for."
          placeholder="e.g. Waiting for the brand owner's authenticity report"
          confirmLabel="Put on hold"
          loading={act.isPending}
          error={dialogError}
          onSubmit={(reason) => run('hold', { reason })}
          onClose={closeDialog}
        />
      )}
      {dialog === 'reopen' && allowed.has('reopen') && (
        <ReasonModal
          opened
          title={`Reopen case #${c.id}`}
          description="The decision stays on record; the case goes back to the queue for a new one."
          placeholder="e.g. Appeal with new evidence from the seller"
          confirmLabel="Reopen"
          loading={act.isPending}
          error={dialogError}
          onSubmit={(reason) => run('reopen', { reason })}
          onClose={closeDialog}
        />
      )}
      {dialog === 'reject' && allowed.has('reject') && mayReview && (
        <ReasonModal
          opened
          title="Reject the decision"
          description="The case goes back to review with its reviewer. Say what is wrong with the decision, so they can fix it."
          placeholder="e.g. Evidence shows a first offence; a warning fits the policy better than a ban"
          confirmLabel="Reject decision"
          color="red"
          loading={act.isPending}
          error={dialogError}
          onSubmit={(reason) => run('reject', { reason })}
          onClose={closeDialog}
        />
      )}
      {dialog === 'declare_emergency' && allowed.has('declare_emergency') && (
        <ReasonModal
          opened
          title={`Declare an emergency on case #${c.id}`}
          description={`The case is pinned above every other case in ${c.market} until someone clears the emergency. Say what makes it urgent.`}
          placeholder="e.g. Product linked to a child injury reported in the news today"
          confirmLabel="Declare emergency"
          color="red"
          loading={act.isPending}
          error={dialogError}
          onSubmit={(reason) => run('declare_emergency', { reason })}
          onClose={closeDialog}
        />
      )}
      {dialog === 'assign' && allowed.has('assign') && (
        <AssignModal c={c} loading={act.isPending} error={dialogError} onSubmit={(id) => run('assign', { assignee_id: id })} onClose={closeDialog} />
      )}
      <ConfirmDialog
        opened={dialog === 'approve' && allowed.has('approve') && mayReview}
        title="Approve the decision?"
        confirmLabel="Approve and apply"
        color="teal"
        loading={act.isPending}
        onClose={closeDialog}
        onConfirm={() => run('approve')}
      >
        {pending && (
          <Text size="sm">
            The case closes as <b>{outcomeLabels[pending.outcome]}</b>
            {pending.actions.length > 0 && (
              <>
                {' '}
                and <b>{pending.actions.map(enforcementLabel).join(', ')}</b> apply to {c.subject.display_name}
              </>
            )}
            . This cannot be undone except by reopening the case.
          </Text>
        )}
      </ConfirmDialog>
    </>
  );
}
