import { Badge, Table, Text } from '@mantine/core';
import type { User } from '../api/users';
import { Timestamp } from '../components/Timestamp';
import { RouterAnchor } from '../routing/links';
import { RoleBadges } from './RoleBadges';

export function UserStatusBadge({ user }: { user: Pick<User, 'active'> }) {
  return user.active ? (
    <Badge color="teal" variant="light" size="sm">
      Active
    </Badge>
  ) : (
    <Badge color="gray" variant="filled" size="sm">
      Deactivated
    </Badge>
  );
}

/** Users, one row each: email (opens the user), name, roles per market, status, last login. */
export function UsersTable({ users }: { users: readonly User[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last login</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id} data-user-email={user.email} c={user.active ? undefined : 'dimmed'}>
              <Table.Td>
                <RouterAnchor to="/admin/users/$id" params={{ id: String(user.id) }} size="sm" fw={500}>
                  {user.email}
                </RouterAnchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{user.name}</Text>
              </Table.Td>
              <Table.Td>
                <RoleBadges grants={user.grants} />
              </Table.Td>
              <Table.Td>
                <UserStatusBadge user={user} />
              </Table.Td>
              <Table.Td>
                <Timestamp value={user.last_login_at} empty="Never" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
