import { ActionIcon, Button, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { Grant } from '../api/auth';
import { splitFieldErrors } from '../api/fieldErrors';
import { notifySuccess } from '../api/notify';
import { marketOptions, useMarketList } from '../api/system';
import { useCreateUser, useRoles } from '../api/users';
import { FormProblem } from '../components/FormProblem';
import { isRole, roleOptions } from './roleOptions';

export const MIN_PASSWORD_LENGTH = 12;

interface GrantRow {
  key: number;
  role: string | null;
  market: string | null;
}

interface NewUserModalProps {
  opened: boolean;
  onClose: () => void;
}

const emptyRow = (key: number): GrantRow => ({ key, role: null, market: null });

/** "New user": email, name, an initial password and the roles they start with. */
export function NewUserModal({ opened, onClose }: NewUserModalProps) {
  const createUser = useCreateUser();
  const roles = useRoles();
  const markets = useMarketList();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [rows, setRows] = useState<GrantRow[]>([emptyRow(0)]);
  const [nextKey, setNextKey] = useState(1);
  const [local, setLocal] = useState<Record<string, string>>({});

  const reset = () => {
    setEmail('');
    setName('');
    setPassword('');
    setRows([emptyRow(0)]);
    setNextKey(1);
    setLocal({});
    createUser.reset();
  };
  const close = () => {
    reset();
    onClose();
  };

  const server = splitFieldErrors(createUser.error, ['email', 'name', 'password', 'grants']);
  const errorFor = (field: string) => local[field] ?? server.byField[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) problems.email = 'Enter an email address';
    if (name.trim() === '') problems.name = 'Enter the person’s name';
    if (password.length < MIN_PASSWORD_LENGTH) problems.password = `At least ${MIN_PASSWORD_LENGTH} characters`;
    const filled = rows.filter((row) => row.role || row.market);
    if (filled.some((row) => !row.role || !row.market)) problems.grants = 'Pick both a role and a market in each row, or remove the row';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;

    const seen = new Set<string>();
    const grants: Grant[] = [];
    for (const row of filled) {
      if (!isRole(row.role) || !row.market) continue;
      const id = `${row.role}/${row.market}`;
      if (seen.has(id)) continue;
      seen.add(id);
      grants.push({ role: row.role, market: row.market });
    }
    createUser.mutate(
      { email: email.trim(), name: name.trim(), password, grants },
      {
        onSuccess: (user) => {
          notifySuccess(`${user.name} (${user.email}) can now sign in.`, 'User created');
          close();
        },
      },
    );
  };

  const updateRow = (key: number, change: Partial<GrantRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const genericError = createUser.error && createUser.error.errors.length === 0 ? createUser.error : null;

  return (
    <Modal opened={opened} onClose={close} title="New user" size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label="Email"
            type="email"
            autoComplete="off"
            required
            data-autofocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errorFor('email')}
          />
          <TextInput
            label="Name"
            required
            autoComplete="off"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errorFor('name')}
          />
          <PasswordInput
            label="Initial password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters and not a common password. Share it with them securely.`}
            required
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errorFor('password')}
          />

          <Stack gap={6}>
            <Text size="sm" fw={500}>
              Roles
            </Text>
            <Text size="xs" c="dimmed" mt={-4}>
              What they may do, per market. You can change this later on their page.
            </Text>
            {rows.map((row, index) => (
              <Group key={row.key} gap="xs" wrap="nowrap" align="flex-start" data-testid="grant-row">
                <Select
                  aria-label={`Role ${index + 1}`}
                  placeholder="Role"
                  data={roleOptions(roles.data)}
                  value={row.role}
                  onChange={(role) => updateRow(row.key, { role })}
                  style={{ flex: 1 }}
                  comboboxProps={{ withinPortal: true }}
                />
                <Select
                  aria-label={`Market ${index + 1}`}
                  placeholder="Market"
                  data={marketOptions(markets.data, true)}
                  value={row.market}
                  onChange={(market) => updateRow(row.key, { market })}
                  style={{ flex: 1 }}
                  searchable
                  comboboxProps={{ withinPortal: true }}
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="input-sm"
                  aria-label={`Remove role row ${index + 1}`}
                  onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            {errorFor('grants') && (
              <Text size="xs" c="red">
                {errorFor('grants')}
              </Text>
            )}
            <Group>
              <Button
                variant="subtle"
                size="compact-sm"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() => {
                  setRows((current) => [...current, emptyRow(nextKey)]);
                  setNextKey((key) => key + 1);
                }}
              >
                Add role
              </Button>
            </Group>
          </Stack>

          <FormProblem title={createUser.error?.title ?? 'Could not create the user'} detail={genericError?.detail} messages={server.other} />

          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={createUser.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
