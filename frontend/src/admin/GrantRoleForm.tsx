import { Button, Group, Select, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { notifySuccess } from '../api/notify';
import { marketOptions, useMarketList } from '../api/system';
import { useGrantRole, useRoles, type User } from '../api/users';
import { marketLabel } from '../auth/access';
import { sentence } from '../format/text';
import { isRole, roleOptions } from './roleOptions';

/** "Grant role": a role (from GET /roles) in a market or in all markets. */
export function GrantRoleForm({ user }: { user: User }) {
  const roles = useRoles();
  const markets = useMarketList();
  const grant = useGrantRole(user.id);
  const [role, setRole] = useState<string | null>(null);
  const [market, setMarket] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  const selectedRole = roles.data?.find((r) => r.role === role);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isRole(role) || !market) {
      setMissing(true);
      return;
    }
    setMissing(false);
    grant.mutate(
      { role, market },
      {
        onSuccess: () => {
          notifySuccess(`${user.name} is now ${role} in ${marketLabel(market)}.`, 'Role granted');
          setRole(null);
          setMarket(null);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Grant role">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label="Role"
          placeholder="Pick a role"
          data={roleOptions(roles.data)}
          value={role}
          onChange={setRole}
          w={200}
          error={missing && !role ? 'Pick a role' : undefined}
        />
        <Select
          label="Market"
          placeholder="Pick a market"
          data={marketOptions(markets.data, true)}
          value={market}
          onChange={setMarket}
          searchable
          w={220}
          error={missing && !market ? 'Pick a market' : undefined}
        />
        <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={grant.isPending}>
          Grant role
        </Button>
      </Group>
      {selectedRole && (
        <Text size="xs" c="dimmed" mt={6}>
          {selectedRole.description}
        </Text>
      )}
      {grant.error && (
        <Text size="sm" c="red" mt={6} role="alert">
          {grant.error.detail ? sentence(grant.error.detail) : grant.error.title}
        </Text>
      )}
    </form>
  );
}
