import { Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useRevokeToken, useTokens, type CreatedToken, type Token } from '../api/tokens';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProblemAlert } from '../components/ProblemAlert';
import { WorkspaceEmptyState } from '../components/WorkspaceEmptyState';
import { NewTokenModal } from './NewTokenModal';
import { TokenSecretModal } from './TokenSecretModal';
import { TokensTable } from './TokensTable';

/** /admin/tokens: API tokens for machine clients (signals, appeals, case reads, audit reads). */
export function TokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [newTokenOpened, newToken] = useDisclosure(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const rows = tokens.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={620}>
          Integrations authenticate with <b>Authorization: Bearer</b> tokens. A token can do only what its scopes allow,
          only in its markets.
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={newToken.open}>
          New token
        </Button>
      </Group>

      {tokens.error && <ProblemAlert error={tokens.error} heading="Tokens could not be loaded" />}

      {tokens.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : rows.length === 0 && !tokens.error ? (
        <WorkspaceEmptyState
          icon={IconKey}
          title="No API tokens yet"
          description="Create one for each system that pushes signals, files appeals or reads cases, so each can be revoked on its own."
        />
      ) : (
        <Paper withBorder radius="md">
          <TokensTable tokens={rows} onRevoke={setRevoking} />
        </Paper>
      )}

      {tokens.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void tokens.fetchNextPage()} loading={tokens.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}

      <NewTokenModal opened={newTokenOpened} onClose={newToken.close} onCreated={setCreated} />
      <TokenSecretModal created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        opened={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        loading={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (!revoking) return;
          revoke.mutate(revoking, {
            onSuccess: () => notifySuccess(`“${revoking.name}” no longer works.`, 'Token revoked'),
            onError: (error) => notifyFailure('Could not revoke the token', error),
            onSettled: () => setRevoking(null),
          });
        }}
      >
        {revoking && (
          <Text size="sm">
            Requests with “{revoking.name}” (<code>{revoking.prefix}…</code>) are refused from now on. This cannot be undone:
            the system using it will need a new token.
          </Text>
        )}
      </ConfirmDialog>
    </Stack>
  );
}
