import { describe, expect, it } from 'vitest';
import { checkMarketSla, formatBusinessDays, formatSlaClock, marketSlaInput } from './markets';

describe('formatBusinessDays', () => {
  it.each([
    [[1, 2, 3, 4, 5], 'Mon–Fri'],
    [[1, 2, 3, 4, 5, 6], 'Mon–Sat'],
    [[6, 7], 'Sat, Sun'],
    [[1, 3, 5], 'Mon, Wed, Fri'],
    [[7, 1, 2, 3], 'Mon–Wed, Sun'],
    [[1, 2, 3, 4, 5, 6, 7], 'Every day'],
    [[5, 5, 4, 3], 'Wed–Fri'],
    [[], 'No days'],
  ])('%j reads %s', (days, expected) => {
    expect(formatBusinessDays(days)).toBe(expected);
  });
});

describe('formatSlaClock', () => {
  it('describes both clocks', () => {
    const hours = { business_days: [1, 2, 3, 4, 5], business_start: '09:00', business_end: '18:00' };
    expect(formatSlaClock({ sla_clock: 'calendar', ...hours })).toBe('Calendar hours (24/7)');
    expect(formatSlaClock({ sla_clock: 'business', ...hours })).toBe('Business hours, Mon–Fri 09:00–18:00');
  });
});

describe('marketSlaInput', () => {
  it('sends only the clock for calendar hours, so the stored business hours are kept', () => {
    expect(marketSlaInput({ clock: 'calendar', days: [], start: '', end: '', version: 3 })).toEqual({ sla_clock: 'calendar', version: 3 });
  });

  it('sends sorted, distinct days and the hours for business hours', () => {
    expect(marketSlaInput({ clock: 'business', days: [5, 1, 3, 1], start: ' 08:30', end: '17:00 ', version: 3 })).toEqual({
      sla_clock: 'business',
      business_days: [1, 3, 5],
      business_start: '08:30',
      business_end: '17:00',
      version: 3,
    });
  });
});

describe('checkMarketSla', () => {
  const business = { sla_clock: 'business' as const, business_days: [1, 2, 3, 4, 5], business_start: '09:00', business_end: '18:00', version: 1 };

  it('accepts calendar hours without looking at business hours', () => {
    expect(checkMarketSla({ sla_clock: 'calendar', version: 1 })).toEqual({});
  });

  it('accepts a working day, and one that ends at midnight', () => {
    expect(checkMarketSla(business)).toEqual({});
    expect(checkMarketSla({ ...business, business_start: '00:00', business_end: '24:00' })).toEqual({});
  });

  it('wants days, HH:MM times, and an end after the start', () => {
    expect(checkMarketSla({ ...business, business_days: [] })).toEqual({ business_days: 'Pick at least one business day' });
    expect(Object.keys(checkMarketSla({ ...business, business_start: '9:00', business_end: '25:00' }))).toEqual(['business_start', 'business_end']);
    expect(checkMarketSla({ ...business, business_start: '24:00' })).toHaveProperty('business_start');
    expect(checkMarketSla({ ...business, business_start: '18:00', business_end: '09:00' })).toEqual({ business_end: 'After the start of the day' });
    expect(checkMarketSla({ ...business, business_end: '09:00' })).toEqual({ business_end: 'After the start of the day' });
  });
});
