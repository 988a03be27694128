export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stable comparison text: JSON with object keys sorted, so key order alone is not a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isJsonObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

/**
 * Top-level keys whose value differs between `before` and `after` (added,
 * removed or changed). When either side is not an object, every key of the
 * other side counts as changed.
 */
export function changedTopLevelKeys(before: unknown, after: unknown): Set<string> {
  const a = isJsonObject(before) ? before : {};
  const b = isJsonObject(after) ? after : {};
  const changed = new Set<string>();
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(key in a) || !(key in b) || canonical(a[key]) !== canonical(b[key])) changed.add(key);
  }
  return changed;
}

/**
 * For lists (e.g. a user's grants before and after a grant): which items of
 * `before` are gone from `after`, and which items of `after` are new, by value.
 */
export function changedArrayItems(before: unknown, after: unknown): { removed: Set<number>; added: Set<number> } {
  const a = Array.isArray(before) ? (before as unknown[]) : [];
  const b = Array.isArray(after) ? (after as unknown[]) : [];
  const inA = new Set(a.map(canonical));
  const inB = new Set(b.map(canonical));
  return {
    removed: new Set(a.flatMap((item, index) => (inB.has(canonical(item)) ? [] : [index]))),
    added: new Set(b.flatMap((item, index) => (inA.has(canonical(item)) ? [] : [index]))),
  };
}
