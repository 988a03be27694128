import { Button, Group, Tooltip } from '@mantine/core';
import { IconClockPlay } from '@tabler/icons-react';
import { useCaseAction, type CaseDetail } from '../api/cases';
import { notifySuccess } from '../api/notify';
import { LeaseBadge } from './badges';
import { useReportCaseError } from './caseErrors';

/**
 * The claim lease on the case page: a live countdown, and for the person holding the case (the server offers them
 * `renew`) a Renew button right beside it, where the running-out clock is.
 */
export function LeaseControl({ c }: { c: CaseDetail }) {
  const act = useCaseAction(c.id);
  const reportError = useReportCaseError();
  if (!c.assignee || !c.claim_expires_at || c.status !== 'in_review') return null;
  const canRenew = c.allowed_actions.includes('renew');
  const renew = () =>
    act.mutate(
      { action: 'renew', body: { version: c.version } },
      {
        onSuccess: () => notifySuccess('You hold the case for another 15 minutes.', `Claim renewed: case #${c.id}`),
        onError: (error) => reportError(`Could not renew the claim on case #${c.id}`, error),
      },
    );
  return (
    <Group gap={6} wrap="nowrap" data-testid="lease-control">
      <LeaseBadge expiresAt={c.claim_expires_at} size="md" />
      {canRenew && (
        <Tooltip label="Keep the case for another 15 minutes" openDelay={400}>
          <Button size="compact-sm" variant="default" leftSection={<IconClockPlay size={14} aria-hidden />} loading={act.isPending} onClick={renew}>
            Renew
          </Button>
        </Tooltip>
      )}
    </Group>
  );
}
