import { Alert, Badge, Blockquote, Button, Group, Stack, Text } from '@mantine/core';
import { IconCheck, IconHourglass, IconScale, IconX } from '@tabler/icons-react';
import type { CaseDetail, Decision } from '../api/cases';
import { RelativeTime } from './badges';
import { enforcementLabel, outcomeColors, outcomeLabels } from './labels';

interface ApprovalBannerProps {
  c: CaseDetail;
  decision: Decision;
  now: Date;
  /** The caller made this decision: they cannot review it (maker-checker). */
  isMaker: boolean;
  onApprove: () => void;
  onReject: () => void;
}

/**
 * A high-impact decision waiting for a second person: what was decided, and
 * either Approve / Reject (for a lead who did not make it) or who it waits for.
 */
export function ApprovalBanner({ c, decision, now, isMaker, onApprove, onReject }: ApprovalBannerProps) {
  const highImpact = new Set(c.policy_detail.high_impact_actions);
  const canReview = !isMaker && c.allowed_actions.includes('approve');
  const canReject = !isMaker && c.allowed_actions.includes('reject');

  return (
    <Alert
      color="violet"
      variant="light"
      icon={<IconScale size={20} aria-hidden />}
      title="Awaiting approval: a high-impact decision needs a second person"
      data-testid="approval-banner"
    >
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          <Badge color={outcomeColors[decision.outcome]} variant="filled" size="sm">
            {outcomeLabels[decision.outcome]}
          </Badge>
          {decision.actions.map((action) => (
            <Badge key={action} color={highImpact.has(action) ? 'red' : 'gray'} variant="light" size="sm">
              {enforcementLabel(action)}
              {highImpact.has(action) && ' · needs approval'}
            </Badge>
          ))}
          <Text size="xs" c="dimmed">
            proposed by {decision.decided_by} · <RelativeTime value={decision.decided_at} now={now} size="xs" />
          </Text>
        </Group>
        <Blockquote p="xs" pl="md" color="violet" fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {decision.rationale}
        </Blockquote>
        {isMaker ? (
          <Group gap={6} data-testid="approval-waiting">
            <IconHourglass size={16} aria-hidden />
            <Text size="sm" fw={500}>
              Waiting for a second reviewer. You made this decision, so another lead of {c.market} must approve or reject it.
            </Text>
          </Group>
        ) : canReview || canReject ? (
          <Group gap="xs">
            {canReview && (
              <Button size="sm" color="teal" leftSection={<IconCheck size={16} aria-hidden />} onClick={onApprove}>
                Approve
              </Button>
            )}
            {canReject && (
              <Button size="sm" variant="default" color="red" leftSection={<IconX size={16} aria-hidden />} onClick={onReject}>
                Reject…
              </Button>
            )}
            <Text size="xs" c="dimmed">
              Approving applies the actions to {c.subject.display_name}.
            </Text>
          </Group>
        ) : (
          <Group gap={6}>
            <IconHourglass size={16} aria-hidden />
            <Text size="sm">Waiting for a lead of {c.market} to approve or reject it.</Text>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
