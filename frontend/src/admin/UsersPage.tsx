import { Button, Center, Group, Loader, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconSearch, IconUserPlus } from '@tabler/icons-react';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useUsers } from '../api/users';
import { ProblemAlert } from '../components/ProblemAlert';
import { NewUserModal } from './NewUserModal';
import { UsersTable } from './UsersTable';

const route = getRouteApi('/shell/admin/users');

type ActiveFilter = 'all' | 'active' | 'deactivated';

const toActive = (filter: ActiveFilter): boolean | undefined =>
  filter === 'active' ? true : filter === 'deactivated' ? false : undefined;
const fromActive = (active: boolean | undefined): ActiveFilter =>
  active === true ? 'active' : active === false ? 'deactivated' : 'all';

/** /admin/users: find people by email or name, filter by status, create new users. */
export function UsersPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [query, setQuery] = useState(search.q ?? '');
  const [debouncedQuery] = useDebouncedValue(query.trim(), 300);
  const [newUserOpened, newUser] = useDisclosure(false);

  // The search box writes to the URL once typing pauses (replace: no history entry per keystroke).
  useEffect(() => {
    if ((search.q ?? '') === debouncedQuery) return;
    void navigate({ search: (prev) => ({ ...prev, q: debouncedQuery || undefined }), replace: true });
  }, [debouncedQuery, search.q, navigate]);

  const users = useUsers({ q: search.q, active: search.active });
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm">
        <Group gap="sm" wrap="wrap">
          <TextInput
            aria-label="Search users"
            placeholder="Search email or name"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            w={280}
          />
          <SegmentedControl
            aria-label="Status"
            value={fromActive(search.active)}
            onChange={(value) =>
              void navigate({ search: (prev) => ({ ...prev, active: toActive(value) }), replace: true })
            }
            data={[
              { value: 'all', label: 'All' },
              { value: 'active', label: 'Active' },
              { value: 'deactivated', label: 'Deactivated' },
            ]}
          />
          {users.isFetching && !users.isPending && <Loader size="xs" aria-label="Refreshing" />}
        </Group>
        <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={newUser.open}>
          New user
        </Button>
      </Group>

      {users.error && <ProblemAlert error={users.error} heading="Users could not be loaded" />}

      <Paper withBorder radius="md">
        {users.isPending ? (
          <Center py="xl">
            <Loader size="sm" />
          </Center>
        ) : rows.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="xl">
            {search.q || search.active !== undefined ? 'No users match these filters.' : 'No users yet.'}
          </Text>
        ) : (
          <UsersTable users={rows} />
        )}
      </Paper>

      {users.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}

      <NewUserModal opened={newUserOpened} onClose={newUser.close} />
    </Stack>
  );
}
