import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTimeInZone, utcOffsetLabel } from './time';

// 2025-01-15 03:05 UTC was a Wednesday.
const instant = new Date('2025-01-15T03:05:00Z');

describe('formatTimeInZone', () => {
  it.each([
    ['Asia/Ho_Chi_Minh', 'Wed 10:05 (UTC+7)'],
    ['Asia/Jakarta', 'Wed 10:05 (UTC+7)'],
    ['Asia/Singapore', 'Wed 11:05 (UTC+8)'],
    ['Asia/Manila', 'Wed 11:05 (UTC+8)'],
    ['UTC', 'Wed 03:05 (UTC)'],
  ])('shows the wall clock in %s', (zone, expected) => {
    expect(formatTimeInZone(instant, zone, 'en-GB')).toBe(expected);
  });

  it('crosses midnight into the next day', () => {
    expect(formatTimeInZone(new Date('2025-01-15T20:30:00Z'), 'Asia/Bangkok', 'en-GB')).toBe('Thu 03:30 (UTC+7)');
  });

  it('returns null for a zone the browser does not know', () => {
    expect(formatTimeInZone(instant, 'Mars/Olympus_Mons', 'en-GB')).toBeNull();
    expect(utcOffsetLabel(instant, 'Mars/Olympus_Mons', 'en-GB')).toBeNull();
  });
});

describe('formatDateTime', () => {
  it('names the offset as UTC±h', () => {
    expect(formatDateTime('2025-11-24T08:00:00Z', 'en-GB', 'Asia/Bangkok')).toBe('24 Nov 2025, 15:00:00 UTC+7');
    expect(formatDateTime('2025-11-24T08:00:00Z', 'en-GB', 'UTC')).toBe('24 Nov 2025, 08:00:00 UTC');
  });

  it('returns input it cannot parse unchanged', () => {
    expect(formatDateTime('yesterday-ish', 'en-GB')).toBe('yesterday-ish');
  });
});
