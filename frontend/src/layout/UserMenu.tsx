import { Avatar, Box, Divider, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useLogout, useMe } from '../api/auth';
import { formatRoleMarkets, rolesByMarket } from '../auth/access';

function initials(name: string, email: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length >= 2 ? `${words[0]![0]}${words[words.length - 1]![0]}` : (words[0] ?? email).slice(0, 2);
  return letters.toUpperCase();
}

/** Header, top right: who is logged in, their roles per market, and Log out. */
export function UserMenu() {
  const me = useMe();
  const router = useRouter();
  const queryClient = useQueryClient();
  const logout = useLogout();

  const name = me.user?.name ?? me.token?.name ?? 'Signed in';
  const email = me.user?.email ?? '';
  const roles = rolesByMarket(me.grants);

  const logOut = () => {
    logout.mutate(undefined, {
      // Leave even when the server call fails: the person asked to be signed out here.
      onSettled: () => {
        void router.navigate({ to: '/login', replace: true }).then(() => queryClient.clear());
      },
    });
  };

  return (
    <Menu position="bottom-end" width={280} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account: ${name}`} data-testid="user-menu" px={6} py={4} style={{ borderRadius: 6 }}>
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color="indigo" variant="light">
              {initials(name, email)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="xs" truncate maw={180}>
              {name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Box px="sm" py={8}>
          <Text size="sm" fw={600} data-testid="user-menu-name">
            {name}
          </Text>
          {email && (
            <Text size="xs" c="dimmed" data-testid="user-menu-email">
              {email}
            </Text>
          )}
        </Box>
        <Divider />
        <Box px="sm" py={8}>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>
            Roles
          </Text>
          {roles.length === 0 ? (
            <Text size="sm" c="dimmed">
              No roles yet
            </Text>
          ) : (
            <Stack gap={2} data-testid="user-menu-roles">
              {roles.map((role) => (
                <Text key={role.role} size="sm">
                  {formatRoleMarkets(role)}
                </Text>
              ))}
            </Stack>
          )}
        </Box>
        <Divider />
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={logOut}
          disabled={logout.isPending}
          mt={4}
        >
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
