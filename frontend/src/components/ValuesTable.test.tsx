import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/renderWithProviders';
import { flattenReadValues, formatReadValue, isRelevantValue, ValuesTable } from './ValuesTable';

// What the server records for a hit (app/rule_eval.go hitValues).
const nested = {
  velocity: { 'count("report.filed", "1h")': 3, 'sum("refund.requested", "amount", "7d")': 120.5 },
  signal: { type: 'report.filed', source: 'e2e', occurred_at: '2025-11-24T01:00:00Z', attributes: { reason: 'counterfeit', tags: ['a', 'b'], meta: { k: 1 } } },
  subject: { followers: 12000, gmv_usd: 0, strikes: 1, age_days: 3.25 },
};

describe('flattenReadValues', () => {
  it('reads nested values as expression paths, velocity calls by their own text', () => {
    expect(flattenReadValues(nested)).toEqual([
      ['count("report.filed", "1h")', 3],
      ['sum("refund.requested", "amount", "7d")', 120.5],
      ['signal.type', 'report.filed'],
      ['signal.source', 'e2e'],
      ['signal.occurred_at', '2025-11-24T01:00:00Z'],
      ['signal.attributes["reason"]', 'counterfeit'],
      ['signal.attributes["tags"]', ['a', 'b']],
      ['signal.attributes["meta"]', { k: 1 }],
      ['subject.followers', 12000],
      ['subject.gmv_usd', 0],
      ['subject.strikes', 1],
      ['subject.age_days', 3.25],
    ]);
  });

  it('takes flat maps as they are', () => {
    expect(flattenReadValues({ 'count("a", "1h")': 2, 'subject.followers': 5 })).toEqual([
      ['count("a", "1h")', 2],
      ['subject.followers', 5],
    ]);
  });
});

describe('isRelevantValue', () => {
  it('keeps velocity, and what the expression mentions', () => {
    const expression = 'signal.attributes["reason"] == "x" and subject.followers > 10 and count("report.filed", "1h") > 2';
    expect(isRelevantValue('count("report.filed", "1h")', expression)).toBe(true);
    expect(isRelevantValue('signal.attributes["reason"]', expression)).toBe(true);
    expect(isRelevantValue('signal.attributes["tags"]', expression)).toBe(false);
    expect(isRelevantValue('subject.followers', expression)).toBe(true);
    expect(isRelevantValue('subject.strikes', expression)).toBe(false);
    expect(isRelevantValue('signal.attributes["reason"]', "signal.attributes['reason'] != nil")).toBe(true);
  });

  it('without an expression: velocity and the signal’s attributes', () => {
    expect(isRelevantValue('sum("a", "b", "1h")', undefined)).toBe(true);
    expect(isRelevantValue('signal.attributes["reason"]', undefined)).toBe(true);
    expect(isRelevantValue('signal.occurred_at', undefined)).toBe(false);
    expect(isRelevantValue('subject.followers', undefined)).toBe(false);
  });
});

describe('ValuesTable', () => {
  const rows = () => within(screen.getByTestId('hit-values')).getAllByRole('row').map((row) => row.textContent);

  it('shows velocity first, then what the expression read; the rest one click away', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ValuesTable values={nested} expression={'count("report.filed", "1h") >= 3 and subject.followers > 10000'} />);
    expect(rows()).toEqual(['count("report.filed", "1h")3', 'sum("refund.requested", "amount", "7d")120.5', 'subject.followers12,000']);
    await user.click(screen.getByRole('button', { name: '+ 9 more recorded' }));
    expect(rows()).toHaveLength(12);
    expect(rows()).toContain('signal.attributes["meta"]{"k":1}');
    await user.click(screen.getByRole('button', { name: 'Show less' }));
    expect(rows()).toHaveLength(3);
  });

  it('formats values', () => {
    expect(formatReadValue(null)).toBe('nil');
    expect(formatReadValue(true)).toBe('true');
    expect(formatReadValue(1234567)).toBe('1,234,567');
    expect(formatReadValue(0.123456)).toBe('0.123');
  });
});
