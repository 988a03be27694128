import { describe, expect, it } from 'vitest';
import { parsePlainSearch, stringifyPlainSearch } from '../routing/search';
import { activeFilterCount, caseFiltersToQuery, caseFiltersToSearch, parseCaseSearch, withFilter, type CaseFilters } from './filters';

/** What the address bar holds for `filters`, and what reading it back gives. */
function roundTrip(filters: CaseFilters): { url: string; back: CaseFilters } {
  const url = stringifyPlainSearch(caseFiltersToSearch(filters));
  return { url, back: parseCaseSearch(parsePlainSearch(url)) };
}

describe('case filters in the URL', () => {
  it('round-trips every filter through a readable query string', () => {
    const filters: CaseFilters = {
      q: 'hàng hiệu',
      status: ['new', 'triaged', 'in_review'],
      severity: ['critical', 'high'],
      policy: 'counterfeit',
      market: 'VN',
      assignee: 'me',
      tag: 'brand-x',
      emergency: true,
      sla_breached: false,
      sort: 'due',
    };
    const { url, back } = roundTrip(filters);
    expect(url).toBe(
      '?q=h%C3%A0ng+hi%E1%BB%87u&status=new%2Ctriaged%2Cin_review&severity=critical%2Chigh&policy=counterfeit&market=VN&assignee=me&tag=brand-x&emergency=true&sla_breached=false&sort=due',
    );
    expect(back).toEqual(filters);
  });

  it('gives the empty filter set an empty query string, and the default sort no parameter', () => {
    expect(roundTrip({})).toEqual({ url: '', back: {} });
    expect(roundTrip({ sort: 'priority' })).toEqual({ url: '', back: {} });
  });

  it('puts lists in canonical order and drops duplicates and unknown values', () => {
    expect(parseCaseSearch({ status: 'resolved,bogus,new,new', severity: 'LOW,critical' })).toEqual({
      status: ['new', 'resolved'],
      severity: ['critical', 'low'],
    });
    // Same filters, same URL, whatever order someone typed them in.
    expect(caseFiltersToSearch(parseCaseSearch({ status: 'triaged,new' }))).toEqual(caseFiltersToSearch(parseCaseSearch({ status: 'new,triaged' })));
  });

  it('accepts an assignee of me, none or a user id, and nothing else', () => {
    expect(parseCaseSearch({ assignee: 'me' }).assignee).toBe('me');
    expect(parseCaseSearch({ assignee: 'NONE' }).assignee).toBe('none');
    expect(parseCaseSearch({ assignee: '42' }).assignee).toBe('42');
    expect(parseCaseSearch({ assignee: '0' }).assignee).toBeUndefined();
    expect(parseCaseSearch({ assignee: 'bob' }).assignee).toBeUndefined();
    expect(parseCaseSearch({ sort: 'random', emergency: 'maybe', market: 'vn' })).toEqual({ market: 'VN' });
  });

  it('sends the API the same names and values as the URL, with the sort spelled out', () => {
    expect(caseFiltersToQuery({ status: ['new', 'triaged'], emergency: true, assignee: 'none' })).toEqual({
      q: undefined,
      status: 'new,triaged',
      severity: undefined,
      policy: undefined,
      market: undefined,
      assignee: 'none',
      tag: undefined,
      emergency: true,
      sla_breached: undefined,
      sort: 'priority',
    });
  });

  it('sets and clears one filter at a time, and counts filters but not the sort', () => {
    let filters = withFilter({}, 'status', ['in_review', 'new']);
    expect(filters).toEqual({ status: ['new', 'in_review'] });
    filters = withFilter(filters, 'sort', 'updated');
    filters = withFilter(filters, 'q', 'shop');
    expect(activeFilterCount(filters)).toBe(2);
    filters = withFilter(filters, 'status', []);
    filters = withFilter(filters, 'q', '');
    expect(filters).toEqual({ sort: 'updated' });
    expect(activeFilterCount(filters)).toBe(0);
  });
});
