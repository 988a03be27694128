import { optionalString } from '../routing/search';

/** /admin/users?q=…&active=true|false: the search box and the status filter live in the URL. */
export interface UsersSearch {
  q?: string;
  active?: boolean;
}

export function parseUsersSearch(search: Record<string, unknown>): UsersSearch {
  const result: UsersSearch = {};
  const q = optionalString(search.q);
  if (q) result.q = q;
  const active = optionalString(search.active);
  if (active === 'true') result.active = true;
  if (active === 'false') result.active = false;
  return result;
}
