import {
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  List,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import type { Grant } from '../api/auth';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useRevokeRole, useSetUserActive, useUser, useUserSessions, type User } from '../api/users';
import { marketLabel, roleOrder } from '../auth/access';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { detailGate } from '../components/DetailGate';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { RouterAnchor } from '../routing/links';
import { GrantRoleForm } from './GrantRoleForm';
import { roleColors } from './RoleBadges';
import { UserStatusBadge } from './UsersTable';
import { UserSessionsTable } from './UserSessionsTable';

const route = getRouteApi('/shell/admin/users/$id');

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={2}>
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

function sortGrants(grants: readonly Grant[]): Grant[] {
  return [...grants].sort(
    (a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) || (a.market === '*' ? -1 : b.market === '*' ? 1 : a.market.localeCompare(b.market)),
  );
}

function GrantsSection({ user }: { user: User }) {
  const revoke = useRevokeRole(user.id);
  const [pending, setPending] = useState<Grant | null>(null);
  const grants = sortGrants(user.grants);

  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={2} fz="md" mb="sm">
        Roles
      </Title>
      {grants.length === 0 ? (
        <Text size="sm" c="dimmed" mb="md">
          No roles: this user can sign in but sees only the system status page.
        </Text>
      ) : (
        <Table mb="md" data-testid="grants-table" maw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Role</Table.Th>
              <Table.Th>Market</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {grants.map((grant) => (
              <Table.Tr key={`${grant.role}/${grant.market}`} data-grant={`${grant.role}/${grant.market}`}>
                <Table.Td>
                  <Badge variant="light" color={roleColors[grant.role] ?? 'gray'} size="sm">
                    {grant.role}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{marketLabel(grant.market)}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() => setPending(grant)}
                    aria-label={`Revoke ${grant.role} in ${marketLabel(grant.market)}`}
                  >
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Divider mb="md" />
      <GrantRoleForm user={user} />

      <ConfirmDialog
        opened={pending !== null}
        title="Revoke this role?"
        confirmLabel="Revoke role"
        loading={revoke.isPending}
        onClose={() => setPending(null)}
        onConfirm={() => {
          if (!pending) return;
          revoke.mutate(pending, {
            onSuccess: () =>
              notifySuccess(`${user.name} is no longer ${pending.role} in ${marketLabel(pending.market)}.`, 'Role revoked'),
            onError: (error) => notifyFailure('Could not revoke the role', error),
            onSettled: () => setPending(null),
          });
        }}
      >
        {pending && (
          <Text size="sm">
            {user.name} loses <b>{pending.role}</b> in <b>{marketLabel(pending.market)}</b> at once, on every server.
          </Text>
        )}
      </ConfirmDialog>
    </Paper>
  );
}

function ActiveToggle({ user }: { user: User }) {
  const setActive = useSetUserActive(user.id);
  // What the open dialog is about, fixed when it opens: the user flips while it closes.
  const [confirming, setConfirming] = useState<'deactivate' | 'reactivate' | null>(null);
  const deactivating = confirming ? confirming === 'deactivate' : user.active;

  return (
    <>
      <Button
        variant={user.active ? 'outline' : 'filled'}
        color={user.active ? 'red' : 'teal'}
        leftSection={user.active ? <IconUserOff size={16} aria-hidden /> : <IconUserCheck size={16} aria-hidden />}
        onClick={() => setConfirming(user.active ? 'deactivate' : 'reactivate')}
      >
        {user.active ? 'Deactivate' : 'Reactivate'}
      </Button>
      <ConfirmDialog
        opened={confirming !== null}
        title={deactivating ? `Deactivate ${user.name}?` : `Reactivate ${user.name}?`}
        confirmLabel={deactivating ? 'Deactivate user' : 'Reactivate user'}
        color={deactivating ? 'red' : 'teal'}
        loading={setActive.isPending}
        onClose={() => setConfirming(null)}
        onConfirm={() =>
          setActive.mutate(!deactivating, {
            onSuccess: (updated) =>
              notifySuccess(
                updated.active ? `${updated.name} can sign in again.` : `${updated.name} is signed out and cannot sign in.`,
                updated.active ? 'User reactivated' : 'User deactivated',
              ),
            onError: (error) => notifyFailure(deactivating ? 'Could not deactivate the user' : 'Could not reactivate the user', error),
            onSettled: () => setConfirming(null),
          })
        }
      >
        {deactivating ? (
          <Stack gap="xs">
            <Text size="sm">Deactivating {user.email}:</Text>
            <List size="sm" spacing={4}>
              <List.Item>signs them out everywhere, at once;</List.Item>
              <List.Item>revokes every API token they created;</List.Item>
              <List.Item>stops them from signing in until reactivated.</List.Item>
            </List>
            <Text size="sm" c="dimmed">
              Their roles, cases and audit history are kept.
            </Text>
          </Stack>
        ) : (
          <Text size="sm">
            {user.email} can sign in again with their password and their roles. Sessions and tokens revoked at deactivation
            stay revoked.
          </Text>
        )}
      </ConfirmDialog>
    </>
  );
}

function SessionsSection({ user }: { user: User }) {
  const sessions = useUserSessions(user.id);
  return (
    <Paper withBorder radius="md" p="lg">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md">
          Live sessions
        </Title>
        {sessions.data && (
          <Text size="sm" c="dimmed">
            {sessions.data.length} {sessions.data.length === 1 ? 'session' : 'sessions'}
          </Text>
        )}
      </Group>
      {sessions.isPending && <Loader size="xs" />}
      {sessions.error && <ProblemAlert error={sessions.error} heading="Sessions could not be loaded" />}
      {sessions.data && <UserSessionsTable sessions={sessions.data} />}
    </Paper>
  );
}

/** /admin/users/$id: who they are, what they may do where, where they are signed in. */
export function UserDetailPage() {
  const { id } = route.useParams();
  const userId = Number(id);
  const valid = Number.isSafeInteger(userId) && userId > 0;
  const user = useUser(valid ? userId : 0);
  useDocumentTitle(`${user.data?.name ?? 'User'} · Admin · Docket`);

  const back = (
    <RouterAnchor to="/admin/users" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden /> All users
      </Group>
    </RouterAnchor>
  );

  const gate = detailGate({
    valid,
    query: user,
    back,
    notFound: `No user with id ${id}, or not one you may manage.`,
    testId: 'user-not-found',
    errorHeading: 'This user could not be loaded',
  });
  if (gate) return gate;
  if (!user.data) return null;

  const u = user.data;
  return (
    <Stack gap="lg">
      {back}
      <Paper withBorder radius="md" p="lg">
        <Group justify="space-between" align="flex-start" mb="md">
          <div>
            <Group gap="sm">
              <Title order={2} fz={22} data-testid="user-name">
                {u.name}
              </Title>
              <UserStatusBadge user={u} />
            </Group>
            <Anchor href={`mailto:${u.email}`} size="sm" c="dimmed">
              {u.email}
            </Anchor>
          </div>
          <ActiveToggle user={u} />
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
          <Fact label="User id">
            <Text size="sm" ff="monospace">
              user:{u.id}
            </Text>
          </Fact>
          <Fact label="Created">
            <Timestamp value={u.created_at} />
          </Fact>
          <Fact label="Last login">
            <Timestamp value={u.last_login_at} empty="Never" />
          </Fact>
          {!u.active && (
            <Fact label="Deactivated">
              <Timestamp value={u.deactivated_at} />
            </Fact>
          )}
        </SimpleGrid>
      </Paper>
      <GrantsSection user={u} />
      <SessionsSection user={u} />
    </Stack>
  );
}
