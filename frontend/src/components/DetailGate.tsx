import { Center, Loader, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ApiError } from '../api/errors';
import { ProblemAlert } from './ProblemAlert';

interface DetailQuery {
  data?: unknown;
  error: ApiError | null;
}

/**
 * What a detail page shows before its object is ready: "not found" (an
 * invalid id, or a 404, which also covers objects the caller may not see),
 * the problem when loading failed, or a spinner. Null once the data is there.
 */
export function detailGate({
  valid,
  query,
  back,
  notFound,
  testId,
  errorHeading,
}: {
  valid: boolean;
  query: DetailQuery;
  back: ReactNode;
  notFound: string;
  testId: string;
  errorHeading: string;
}): ReactNode | null {
  if (!valid || query.error?.status === 404) {
    return (
      <Stack gap="md" align="flex-start">
        {back}
        <Paper withBorder radius="md" p="lg" data-testid={testId}>
          <Text>{notFound}</Text>
        </Paper>
      </Stack>
    );
  }
  if (query.error) {
    return (
      <Stack gap="md">
        {back}
        <ProblemAlert error={query.error} heading={errorHeading} />
      </Stack>
    );
  }
  if (!query.data) {
    return (
      <Center py="xl">
        <Loader size="sm" />
      </Center>
    );
  }
  return null;
}
