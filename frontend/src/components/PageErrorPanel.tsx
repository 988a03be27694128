import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ErrorComponentProps } from '@tanstack/react-router';

/** Shown in place of a page that failed to load or render; the shell stays usable. */
export function PageErrorPanel({ error, reset }: ErrorComponentProps) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={20} aria-hidden />} title="This page failed to load">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">
          Something went wrong while showing this page. If you just updated Docket, reloading usually fixes it.
        </Text>
        <Code block>{message}</Code>
        <Button size="xs" variant="light" color="red" onClick={() => (reset ? reset() : window.location.reload())}>
          Try again
        </Button>
      </Stack>
    </Alert>
  );
}
