import { NumberInput, Select, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../api/auth';
import type { CaseSummary } from '../api/cases';
import { api, unwrap } from '../api/client';
import type { ApiError } from '../api/errors';
import type { User } from '../api/users';
import { hasAnyPermission } from '../auth/access';

type UserRef = NonNullable<CaseSummary['assignee']>;

/** Roles whose holders may hold a case (claim it): the people a case can be assigned to. */
const assignableRoles = new Set(['reviewer', 'lead']);

function mayHoldCasesIn(user: User, markets: readonly string[]): boolean {
  const held = user.grants.filter((grant) => assignableRoles.has(grant.role)).map((grant) => grant.market);
  if (held.length === 0) return false;
  return held.includes('*') || markets.every((market) => held.includes(market));
}

/** Active reviewers and leads, for callers who may list users (user.manage); nobody else can ask /users. */
function useAssignableUsers(enabled: boolean) {
  return useQuery<User[], ApiError>({
    queryKey: ['users', 'assignable'],
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/api/v1/users', { params: { query: { active: true, limit: 200 } }, signal }))).items,
    enabled,
    staleTime: 5 * 60_000,
  });
}

export interface AssigneeOption {
  value: string;
  label: string;
}

/**
 * Who a case can go to: the caller first, then (for user managers) every
 * active reviewer and lead of the markets, otherwise the people already seen
 * holding cases. The server checks the choice (400 invalid_assignee).
 */
export function useAssigneeOptions(markets: readonly string[], seen: readonly (UserRef | null | undefined)[]): AssigneeOption[] {
  const me = useMe();
  const canList = hasAnyPermission(me.permissions, ['user.manage']);
  const users = useAssignableUsers(canList);
  const options: AssigneeOption[] = [];
  const taken = new Set<number>();
  const add = (id: number, label: string) => {
    if (taken.has(id)) return;
    taken.add(id);
    options.push({ value: String(id), label });
  };
  if (me.user) add(me.user.id, `Me (${me.user.name})`);
  for (const user of users.data ?? []) if (mayHoldCasesIn(user, markets)) add(user.id, `${user.name} · ${user.email}`);
  for (const user of seen) if (user) add(user.id, `${user.name} · ${user.email}`);
  return options;
}

interface AssigneePickerProps {
  value: number | null;
  onChange: (id: number | null) => void;
  /** The markets of the cases being assigned (narrows the list for user managers). */
  markets: readonly string[];
  /** People already seen holding cases, offered by name. */
  seen?: readonly (UserRef | null | undefined)[];
  error?: string | undefined;
}

/** A person by name (from what the caller can see), or any user id typed in. */
export function AssigneePicker({ value, onChange, markets, seen = [], error }: AssigneePickerProps) {
  const options = useAssigneeOptions(markets, seen);
  const selected = value !== null && options.some((option) => option.value === String(value)) ? String(value) : null;
  return (
    <Stack gap="xs">
      <Select
        label="Assign to"
        placeholder="Pick a person"
        data={options}
        value={selected}
        onChange={(next) => onChange(next ? Number(next) : null)}
        searchable
        clearable
        comboboxProps={{ withinPortal: true }}
        error={selected === null ? undefined : error}
        data-autofocus
      />
      <NumberInput
        label="…or their user id"
        placeholder="e.g. 12"
        min={1}
        allowDecimal={false}
        allowNegative={false}
        value={value ?? ''}
        onChange={(next) => onChange(typeof next === 'number' && next > 0 ? next : null)}
        error={selected === null ? error : undefined}
      />
    </Stack>
  );
}
