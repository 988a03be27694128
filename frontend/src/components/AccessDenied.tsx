import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconLock } from '@tabler/icons-react';
import { useMe } from '../api/auth';
import { homePath } from '../auth/access';
import { RouterButton } from '../routing/links';

/** Shown inside the shell in place of a page the caller's roles do not open. */
export function AccessDenied() {
  useDocumentTitle('No access · Docket');
  const me = useMe();
  const home = homePath(me.permissions);
  return (
    <Paper withBorder radius="md" p="xl" maw={640} data-testid="access-denied" role="alert">
      <Stack gap="md" align="flex-start">
        <IconLock size={32} stroke={1.5} color="var(--mantine-color-gray-6)" aria-hidden />
        <Title order={1} fz={26}>
          You don&apos;t have access to this page
        </Title>
        <Text>
          Your roles do not include the permission this page needs. If you need it for your work, ask a Docket admin to
          grant you the right role for your market.
        </Text>
        <Group gap="md">
          <RouterButton to={home}>Go to your workspace</RouterButton>
        </Group>
      </Stack>
    </Paper>
  );
}
