import type { Grant } from '../api/auth';
import type { RoleInfo } from '../api/users';
import { roleOrder } from '../auth/access';

export interface RoleOption {
  value: Grant['role'];
  label: string;
  description?: string;
}

/** Role select options in the product's order, described from GET /roles when it has answered. */
export function roleOptions(roles: readonly RoleInfo[] | undefined): RoleOption[] {
  const known = new Map((roles ?? []).map((role) => [role.role, role]));
  const names = roles ? roleOrder.filter((role) => known.has(role)) : roleOrder;
  return names.map((role) => {
    const description = known.get(role)?.description;
    return description ? { value: role, label: role, description } : { value: role, label: role };
  });
}

export function isRole(value: string | null): value is Grant['role'] {
  return value !== null && (roleOrder as readonly string[]).includes(value);
}
