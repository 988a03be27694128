import { Alert, Center, Divider, Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangleFilled, IconArrowLeft, IconArrowUp, IconPlayerPause } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useMe } from '../api/auth';
import { caseKeys, useCase, useCaseEvents, type CaseDetail } from '../api/cases';
import { ApiError } from '../api/errors';
import { hasPermissionIn } from '../auth/access';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { RouterAnchor } from '../routing/links';
import { useNow } from '../status/useNow';
import { ApprovalBanner } from './ApprovalBanner';
import { RelativeTime, SeverityBadge, SlaBadge, StatusBadge } from './badges';
import { CaseActions, type CaseDialog } from './CaseActions';
import { CaseErrorContext, isVersionConflict, VersionConflictAlert, type ReportCaseError } from './caseErrors';
import { CommentsSection, LinksSection, TagsSection } from './CaseNotes';
import { CaseFacts, DecisionsSection, SubjectHeader } from './CaseParts';
import { CaseTimeline } from './CaseTimeline';
import { DecisionForm } from './DecisionForm';
import { EvidenceSection } from './EvidenceSection';
import { LeaseControl } from './LeaseControl';
import { RuleHitsSection } from './RuleHitsSection';
import { lastListSearch } from './listMemory';
import { notifyFailure } from '../api/notify';
import { useShortcuts } from './shortcuts';
import { ShortcutsButton, ShortcutsHelp } from './ShortcutsHelp';

const route = getRouteApi('/shell/cases/$id');

function parseId(raw: string): number {
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : 0;
}

function BackToCases() {
  return (
    <RouterAnchor to="/cases" search={lastListSearch()} size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden /> Cases
      </Group>
    </RouterAnchor>
  );
}

/** Why the case is on hold, from the latest `hold` event. */
function useHoldReason(c: CaseDetail | undefined) {
  const events = useCaseEvents(c?.status === 'on_hold' ? c.id : 0);
  if (c?.status !== 'on_hold') return undefined;
  const hold = [...(events.data ?? [])].reverse().find((event) => event.type === 'hold');
  const reason = hold?.data.reason;
  return hold ? { reason: typeof reason === 'string' ? reason : '', by: hold.actor_label, at: hold.created_at } : undefined;
}

/** /cases/$id: everything about one case, and what the caller may do with it now. */
export function CasePage() {
  const { id: rawId } = route.useParams();
  const id = parseId(rawId);
  const detail = useCase(id);
  useDocumentTitle(id ? `Case #${id} · Docket` : 'Case · Docket');

  if (id === 0 || detail.error?.status === 404) {
    return (
      <Stack gap="md" maw={640}>
        <BackToCases />
        <Paper withBorder radius="md" p="xl" data-testid="case-not-found">
          <Title order={1} fz={24} mb="xs">
            Case not found
          </Title>
          <Text size="sm">
            There is no case #{rawId} in the markets you work in. It may belong to a market you hold no role in.
          </Text>
        </Paper>
      </Stack>
    );
  }
  if (detail.error && !detail.data) {
    return (
      <Stack gap="md">
        <BackToCases />
        <ProblemAlert error={detail.error} heading="The case could not be loaded" />
      </Stack>
    );
  }
  if (!detail.data) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Loading the case" />
      </Center>
    );
  }
  return <CaseView c={detail.data} refetching={detail.isFetching} />;
}

function CaseView({ c, refetching }: { c: CaseDetail; refetching: boolean }) {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const now = useNow(30_000);
  const [dialog, setDialog] = useState<CaseDialog | null>(null);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [helpOpened, help] = useDisclosure(false);
  const decisionRef = useRef<HTMLFormElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const holdReason = useHoldReason(c);

  const allowed = new Set(c.allowed_actions);
  const pending = c.status === 'awaiting_approval' ? c.decisions.find((decision) => !decision.review) : undefined;
  const isMaker = Boolean(pending && me.user && pending.decided_by === me.user.email);
  const canComment = hasPermissionIn(me.permissions, 'case.comment', c.market);
  const canAddEvidence = hasPermissionIn(me.permissions, 'case.evidence', c.market);
  const showDecisionForm = allowed.has('resolve');
  const slaHours = c.policy_detail.sla_hours[c.severity];

  const reportError = useCallback<ReportCaseError>((title, error) => {
    if (error instanceof ApiError && isVersionConflict(error)) {
      setConflict(error);
      window.scrollTo({ top: 0, behavior: 'smooth' });
      return;
    }
    notifyFailure(title, error);
  }, []);
  const reload = () => {
    void Promise.all([
      queryClient.invalidateQueries({ queryKey: caseKeys.detail(c.id) }),
      queryClient.invalidateQueries({ queryKey: caseKeys.events(c.id) }),
    ]).then(() => setConflict(null));
  };

  const focusDecision = () => {
    const form = decisionRef.current;
    if (!form) {
      notifications.show({
        color: 'gray',
        title: 'You cannot resolve this case now',
        message: c.status === 'in_review' ? 'Only the reviewer holding the case can resolve it.' : 'Claim it or have it assigned to you first.',
        autoClose: 4000,
      });
      return;
    }
    form.scrollIntoView({ behavior: 'smooth', block: 'start' });
    const target = form.querySelector<HTMLInputElement>('input[type="radio"]:checked') ?? form.querySelector<HTMLInputElement>('input[type="radio"]');
    target?.focus({ preventScroll: true });
  };

  useShortcuts(
    {
      r: focusDecision,
      e: () => {
        if (allowed.has('escalate')) setDialog('escalate');
        else notifications.show({ color: 'gray', title: 'Escalate is not available', message: 'This case cannot be escalated by you in its current state.', autoClose: 4000 });
      },
      c: () => {
        commentRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' });
        commentRef.current?.focus({ preventScroll: true });
      },
      u: () => void navigate({ to: '/cases', search: lastListSearch() }),
      '?': help.open,
    },
    dialog === null && !helpOpened,
  );

  const contextValue = useMemo(() => reportError, [reportError]);

  return (
    <CaseErrorContext.Provider value={contextValue}>
      <Stack gap="md" data-testid="case-page" data-status={c.status} data-version={c.version}>
        <Group justify="space-between" gap="xs">
          <BackToCases />
          <Group gap="xs">
            {refetching && <Loader size="xs" aria-label="Refreshing" />}
            <ShortcutsButton onClick={help.open} />
          </Group>
        </Group>

        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={6}>
            <Group gap="sm" align="center">
              <Title order={1} fz={24}>
                Case #{c.id}
              </Title>
              <StatusBadge status={c.status} size="md" />
              <SeverityBadge severity={c.severity} size="md" />
              <SlaBadge c={c} now={now} slaHours={slaHours} size="md" />
              <LeaseControl c={c} />
            </Group>
            <Text size="sm" c="dimmed">
              {c.policy_name} · {c.market} · opened <Timestamp value={c.created_at} /> · updated <RelativeTime value={c.updated_at} now={now} />
              {c.assignee && (
                <>
                  {' '}
                  · with{' '}
                  <Text span size="sm" c="dark.6" fw={500}>
                    {c.assignee.name}
                  </Text>
                </>
              )}
            </Text>
          </Stack>
          <CaseActions
            c={c}
            dialog={dialog}
            onDialog={setDialog}
            onResolve={focusDecision}
            mayReview={!isMaker}
          />
        </Group>

        {conflict && <VersionConflictAlert error={conflict} onReload={reload} reloading={refetching} />}

        {c.emergency && (
          <Alert color="red" variant="filled" icon={<IconAlertTriangleFilled size={20} aria-hidden />} title="Emergency" data-testid="emergency-banner">
            This case is pinned above everything else in its queues. Work it first; leads of {c.market} are watching it.
          </Alert>
        )}
        {c.status === 'escalated' && (
          <Alert color="orange" variant="light" icon={<IconArrowUp size={20} aria-hidden />} title="Escalated to the leads" data-testid="escalation-banner">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.escalation_reason || 'No reason was given.'}
            </Text>
          </Alert>
        )}
        {holdReason && (
          <Alert color="gray" variant="light" icon={<IconPlayerPause size={20} aria-hidden />} title="On hold">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {holdReason.reason || 'No reason was given.'}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              {holdReason.by} · <RelativeTime value={holdReason.at} now={now} size="xs" />
            </Text>
          </Alert>
        )}
        {pending && (
          <ApprovalBanner
            c={c}
            decision={pending}
            now={now}
            isMaker={isMaker}
            onApprove={() => setDialog('approve')}
            onReject={() => setDialog('reject')}
          />
        )}

        <SubjectHeader subject={c.subject} />

        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Stack gap="md">
              {c.summary && (
                <Paper withBorder radius="md" p="md">
                  <Title order={2} fz="md" mb={6}>
                    Summary
                  </Title>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {c.summary}
                  </Text>
                </Paper>
              )}
              <RuleHitsSection c={c} />
              <EvidenceSection c={c} now={now} canAdd={canAddEvidence} />
              {showDecisionForm && <DecisionForm key={c.id} c={c} anchorRef={decisionRef} />}
              <DecisionsSection c={c} now={now} />
              <CaseTimeline c={c} now={now} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap="md">
              <Paper withBorder radius="md" p="md">
                <CaseFacts c={c} now={now} />
                <Divider my="sm" />
                <TagsSection c={c} canEdit={canComment} />
                <Divider my="sm" />
                <LinksSection c={c} canEdit={canComment} />
              </Paper>
              <CommentsSection c={c} now={now} canComment={canComment} inputRef={commentRef} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
      <ShortcutsHelp opened={helpOpened} onClose={help.close} />
    </CaseErrorContext.Provider>
  );
}
