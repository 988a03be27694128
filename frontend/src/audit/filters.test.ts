import { describe, expect, it } from 'vitest';
import { parsePlainSearch, stringifyPlainSearch } from '../routing/search';
import { auditExportHref, fromDateTimeLocal, parseAuditSearch, toDateTimeLocal, type AuditFilters } from './filters';
import { changedArrayItems, changedTopLevelKeys } from './jsonDiff';

const full: AuditFilters = {
  actor: 'user:42',
  action: 'user.create',
  object_type: 'user',
  object_id: '1007',
  market: 'VN',
  since: '2025-11-01T00:00:00Z',
  until: '2025-11-24T17:30:00Z',
};

describe('audit filters in the URL', () => {
  it.each<[string, AuditFilters]>([
    ['every filter', full],
    ['none', {}],
    ['numbers and booleans stay strings', { object_id: '42', action: 'true' }],
    ['characters that need escaping', { actor: 'system:sla & co', object_id: 'a/b?c=d#e' }],
  ])('round-trip: %s', (_name, filters) => {
    const url = stringifyPlainSearch({ ...filters });
    expect(parseAuditSearch(parsePlainSearch(url))).toEqual(filters);
  });

  it('writes readable URLs, exactly the API’s parameter names', () => {
    expect(stringifyPlainSearch({ actor: 'user:42', object_id: '1007' })).toBe('?actor=user%3A42&object_id=1007');
  });

  it('drops unknown keys, empty values and times that are not RFC 3339', () => {
    expect(parseAuditSearch({ actor: ' ', action: 'user.create', bogus: 'x', since: 'yesterday', until: '2025-11-24T00:00:00Z' })).toEqual({
      action: 'user.create',
      until: '2025-11-24T00:00:00Z',
    });
  });

  it('the CSV export link carries the same filters', () => {
    expect(auditExportHref({ actor: 'user:42', market: 'VN' })).toBe('/api/v1/audit/export.csv?actor=user%3A42&market=VN');
    expect(auditExportHref({})).toBe('/api/v1/audit/export.csv');
  });

  it('datetime-local values (viewer’s zone) and UTC instants convert both ways', () => {
    const local = toDateTimeLocal('2025-11-24T10:05:00Z');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromDateTimeLocal(local)).toBe('2025-11-24T10:05:00Z');
    expect(fromDateTimeLocal('')).toBeUndefined();
    expect(toDateTimeLocal(undefined)).toBe('');
  });
});

describe('changedTopLevelKeys', () => {
  it('finds changed, added and removed keys, ignoring key order in nested objects', () => {
    const before = { name: 'Linh', active: true, grants: [{ role: 'reviewer', market: 'VN' }], meta: { a: 1, b: 2 }, gone: 1 };
    const after = { name: 'Linh Tran', active: true, grants: [{ role: 'reviewer', market: 'VN' }], meta: { b: 2, a: 1 }, added: 2 };
    expect([...changedTopLevelKeys(before, after)].sort()).toEqual(['added', 'gone', 'name']);
  });

  it('a creation (no before) changes every key of after', () => {
    expect([...changedTopLevelKeys(null, { id: 1, email: 'x' })].sort()).toEqual(['email', 'id']);
  });
});

describe('changedArrayItems', () => {
  it('marks the grant added and the grant removed, by value', () => {
    const before = [{ market: 'TH', role: 'lead' }, { market: 'VN', role: 'qa' }];
    const after = [{ role: 'lead', market: 'TH' }, { market: 'VN', role: 'lead' }];
    const { removed, added } = changedArrayItems(before, after);
    expect([...removed]).toEqual([1]);
    expect([...added]).toEqual([1]);
  });
});
