import { describe, expect, it } from 'vitest';
import { formatLatency, formatUptime } from './duration';

describe('formatUptime', () => {
  it.each([
    [0, '0 s'],
    [42, '42 s'],
    [59.9, '59 s'],
    [60, '1 min'],
    [12 * 60 + 59, '12 min'],
    [3600, '1 h'],
    [3 * 3600 + 12 * 60 + 5, '3 h 12 min'],
    [86_400, '1 d'],
    [2 * 86_400 + 4 * 3600 + 59 * 60, '2 d 4 h'],
    [400 * 86_400, '400 d'],
  ])('%s seconds reads "%s"', (seconds, expected) => {
    expect(formatUptime(seconds)).toBe(expected);
  });

  it('treats nonsense as zero', () => {
    expect(formatUptime(-5)).toBe('0 s');
    expect(formatUptime(Number.NaN)).toBe('0 s');
  });
});

describe('formatLatency', () => {
  it.each([
    [0, '0 ms'],
    [0.42, '0.42 ms'],
    [3, '3 ms'],
    [3.1, '3.1 ms'],
    [12.04, '12 ms'],
    [12.5, '12.5 ms'],
    [250.4, '250 ms'],
    [1500, '1.5 s'],
  ])('%s ms reads "%s"', (ms, expected) => {
    expect(formatLatency(ms)).toBe(expected);
  });
});
