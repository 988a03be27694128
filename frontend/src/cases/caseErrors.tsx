import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { createContext, useContext } from 'react';
import { ApiError } from '../api/errors';
import { notifyFailure } from '../api/notify';

/** True for the 409 a stale `version` gets: someone else changed the case first. */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'version_conflict';
}

/** How a failed change on the case page is reported; the page shows version conflicts as one banner. */
export type ReportCaseError = (title: string, error: unknown) => void;

export const CaseErrorContext = createContext<ReportCaseError>((title, error) => {
  if (isVersionConflict(error)) {
    notifications.show({ color: 'orange', title: 'This case changed — reload', message: 'Someone else updated it first.' });
    return;
  }
  notifyFailure(title, error);
});

export function useReportCaseError(): ReportCaseError {
  return useContext(CaseErrorContext);
}

/** The banner after a version conflict: nothing was saved; reload to see the case as it is now. */
export function VersionConflictAlert({ error, onReload, reloading }: { error: ApiError; onReload: () => void; reloading: boolean }) {
  const current = error.numberExtra('current_version');
  return (
    <Alert color="orange" variant="light" title="This case changed — reload" data-testid="version-conflict" role="alert">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Text size="sm" maw={640}>
          Someone else changed this case after you opened it{current !== undefined ? ` (it is now at version ${current})` : ''}, so
          your change was not saved. Reload to see what changed, then try again — what you typed in the decision form is kept.
        </Text>
        <Button size="xs" color="orange" leftSection={<IconRefresh size={14} aria-hidden />} onClick={onReload} loading={reloading}>
          Reload case
        </Button>
      </Group>
    </Alert>
  );
}
