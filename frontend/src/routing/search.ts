/**
 * Search params as plain strings (`?q=lead&active=true`), not TanStack's
 * default JSON encoding (which writes `?q=%22lead%22`). Every route's
 * `validateSearch` turns the strings into what it needs, so URLs stay
 * readable, shareable and identical to what the API takes.
 */
export function parsePlainSearch(searchStr: string): Record<string, string> {
  const params = new URLSearchParams(searchStr.startsWith('?') ? searchStr.slice(1) : searchStr);
  const search: Record<string, string> = {};
  for (const [key, value] of params) search[key] = value;
  return search;
}

export function stringifyPlainSearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** A search value as a non-empty trimmed string, or undefined. */
export function optionalString(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
