/**
 * The case list's filters as last seen, so "Back to cases" on a case page
 * returns to the same view (the list's URL is its state).
 */
let lastSearch: Record<string, string> = {};

export function rememberListSearch(search: Record<string, string | undefined>): void {
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(search)) if (value !== undefined) copy[key] = value;
  lastSearch = copy;
}

export function lastListSearch(): Record<string, string> {
  return lastSearch;
}
