import { Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconMapPinOff } from '@tabler/icons-react';
import { useLocation } from '@tanstack/react-router';
import { RouterAnchor, RouterButton } from '../routing/links';

/** Shown inside the shell for any client path that matches no page. */
export function NotFoundPage() {
  const pathname = useLocation({ select: (location) => location.pathname });
  useDocumentTitle('Page not found · Docket');

  return (
    <Paper withBorder radius="md" p="xl" maw={640} data-testid="not-found">
      <Stack gap="md" align="flex-start">
        <IconMapPinOff size={32} stroke={1.5} color="var(--mantine-color-gray-6)" aria-hidden />
        <Title order={1} fz={26}>
          Page not found
        </Title>
        <Text>
          There is no page at <Code>{pathname}</Code>. The link may be mistyped, or the page may have moved.
        </Text>
        <Group gap="md">
          <RouterButton to="/queues">Go to Queues</RouterButton>
          <RouterAnchor to="/status" size="sm">
            Check system status
          </RouterAnchor>
        </Group>
      </Stack>
    </Paper>
  );
}
