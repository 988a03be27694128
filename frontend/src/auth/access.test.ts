import { describe, expect, it } from 'vitest';
import { formatRoleMarkets, hasAnyPermission, homePath, rolesByMarket, safeNextPath } from './access';

describe('hasAnyPermission', () => {
  const permissions = { 'case.read': ['VN'], 'queue.manage': ['*'], 'rule.read': [] };
  it.each<[readonly string[], boolean]>([
    [['case.read'], true],
    [['queue.read', 'queue.manage'], true],
    [['audit.read'], false],
    [['rule.read'], false], // held in no market
    [[], true],
  ])('%j -> %s', (required, expected) => {
    expect(hasAnyPermission(permissions, required)).toBe(expected);
  });
});

describe('homePath', () => {
  it('is the first workspace in navbar order, or the status page', () => {
    expect(homePath({ 'audit.read': ['*'], 'rule.read': ['*'] })).toBe('/rules');
    expect(homePath({ 'queue.manage': ['*'] })).toBe('/queues');
    expect(homePath({})).toBe('/status');
  });
});

describe('rolesByMarket', () => {
  it('groups grants by role, in the product’s role order, with All markets first', () => {
    const roles = rolesByMarket([
      { role: 'qa', market: 'VN' },
      { role: 'lead', market: 'VN' },
      { role: 'lead', market: 'TH' },
      { role: 'qa', market: '*' },
    ]);
    expect(roles.map(formatRoleMarkets)).toEqual(['lead · TH, VN', 'qa · All markets, VN']);
  });
});

describe('safeNextPath', () => {
  it.each([
    ['/cases', '/cases'],
    ['/admin/users?q=lead', '/admin/users?q=lead'],
    ['//evil.example/x', undefined],
    ['/\\evil.example', undefined],
    ['https://evil.example', undefined],
    ['javascript:alert(1)', undefined],
    ['/login?next=/cases', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j -> %j', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});
