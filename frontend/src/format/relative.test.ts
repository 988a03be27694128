import { describe, expect, it } from 'vitest';
import { formatRelative, formatSpan } from './relative';

describe('formatSpan', () => {
  it.each([
    [20_000, 'under 1 min'],
    [45 * 60_000, '45 min'],
    [3 * 3_600_000, '3 h'],
    [3 * 3_600_000 + 12 * 60_000 + 59_000, '3 h 12 min'],
    [2 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000, '2 d 4 h'],
    [-(90 * 60_000), '1 h 30 min'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
});

describe('formatRelative', () => {
  const now = new Date('2025-11-24T10:00:00Z');
  it.each([
    ['2025-11-24T09:59:40Z', 'just now'],
    ['2025-11-24T09:55:00Z', '5 min ago'],
    ['2025-11-24T07:00:00Z', '3 h ago'],
    ['2025-11-22T10:00:00Z', '2 d ago'],
    ['2025-11-24T10:20:00Z', 'in 20 min'],
  ])('%s is %s', (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });

  it('gives the date for anything older than a month, and unparseable input as it came', () => {
    expect(formatRelative('2025-09-01T10:00:00Z', now, 'en-GB')).toMatch(/^1 Sept? 2025$/);
    expect(formatRelative('not a time', now)).toBe('not a time');
  });
});
