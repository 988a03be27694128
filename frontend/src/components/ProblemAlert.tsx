import { Alert, Code, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ApiError } from '../api/errors';
import { sentence } from '../format/text';

/** An API failure shown to a person: what went wrong, plus what support needs to trace it. */
export function ProblemAlert({ error, heading }: { error: ApiError; heading?: string }) {
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={20} aria-hidden />}
      title={heading ?? error.title}
      data-testid="problem-alert"
    >
      <Stack gap={6}>
        {heading && <Text size="sm" fw={600}>{error.title}</Text>}
        {error.detail && <Text size="sm">{sentence(error.detail)}</Text>}
        {error.errors.length > 0 && (
          <List size="sm">
            {error.errors.map((fieldError) => (
              <List.Item key={`${fieldError.field}:${fieldError.code}`}>
                <Code>{fieldError.field}</Code> {fieldError.message}
              </List.Item>
            ))}
          </List>
        )}
        <Text size="xs" c="dimmed">
          Code <Code>{error.code}</Code>
          {error.status > 0 && <> · HTTP {error.status}</>}
          {error.requestId && (
            <>
              {' '}
              · Request ID <Code>{error.requestId}</Code>
            </>
          )}
        </Text>
      </Stack>
    </Alert>
  );
}
