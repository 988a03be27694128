import { Badge, Button, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useRevokeSession, type Session } from '../api/users';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Timestamp } from '../components/Timestamp';

/** Short browser description from a user agent string. */
export function describeUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown client';
  const browser = /(Edg|Firefox|Chrome|Chromium|Safari)\/[\d.]+/.exec(userAgent)?.[1];
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(userAgent)?.[1];
  const name = browser === 'Edg' ? 'Edge' : browser;
  if (name && os) return `${name} on ${os === 'Mac OS X' ? 'macOS' : os}`;
  return userAgent.length > 40 ? `${userAgent.slice(0, 40)}…` : userAgent;
}

/** A user's live sessions, newest first, each with Revoke. */
export function UserSessionsTable({ sessions }: { sessions: readonly Session[] }) {
  const revoke = useRevokeSession();
  const [pending, setPending] = useState<Session | null>(null);

  if (sessions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No live sessions: this user is not signed in anywhere.
      </Text>
    );
  }

  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table data-testid="sessions-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>IP address</Table.Th>
              <Table.Th>Signed in</Table.Th>
              <Table.Th>Last seen</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sessions.map((session) => (
              <Table.Tr key={session.id}>
                <Table.Td>
                  <Tooltip label={session.user_agent ?? 'No user agent'} multiline maw={360} openDelay={300}>
                    <Text span size="sm">
                      {describeUserAgent(session.user_agent)}
                    </Text>
                  </Tooltip>
                  {session.current && (
                    <Badge ml={6} size="xs" variant="light" color="indigo">
                      This session
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {session.client_ip || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Timestamp value={session.created_at} />
                </Table.Td>
                <Table.Td>
                  <Timestamp value={session.last_seen_at} />
                </Table.Td>
                <Table.Td>
                  <Timestamp value={session.expires_at} />
                </Table.Td>
                <Table.Td ta="right">
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setPending(session)}>
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      <ConfirmDialog
        opened={pending !== null}
        title="Revoke this session?"
        confirmLabel="Revoke session"
        loading={revoke.isPending}
        onClose={() => setPending(null)}
        onConfirm={() => {
          if (!pending) return;
          revoke.mutate(pending, {
            onSuccess: () => notifySuccess('The session was signed out.', 'Session revoked'),
            onError: (error) => notifyFailure('Could not revoke the session', error),
            onSettled: () => setPending(null),
          });
        }}
      >
        <Text size="sm">
          {pending?.current
            ? 'This is your own session: you will be signed out of this browser right away.'
            : 'That browser is signed out at once. The user can sign in again with their password.'}
        </Text>
      </ConfirmDialog>
    </>
  );
}
