import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/renderWithProviders';
import { SlaBadge } from './badges';
import { formatCountdown, leaseView, slaView, type SlaInput } from './sla';

const now = new Date('2025-11-24T10:00:00Z');
const open = (due: string, breached = false): SlaInput => ({ status: 'in_review', sla_due_at: due, sla_breached: breached });

describe('slaView', () => {
  it('is ok with more than a fifth of the SLA left', () => {
    // 24 h SLA, 10 h left.
    expect(slaView(open('2025-11-24T20:00:00Z'), now, 24)).toMatchObject({ state: 'ok', label: '10 h left', short: '10 h left', color: 'gray' });
  });

  it('is at risk once 80 % of the SLA is used', () => {
    // 24 h SLA: at risk from 4 h 48 min left.
    expect(slaView(open('2025-11-24T14:48:00Z'), now, 24).state).toBe('at_risk');
    expect(slaView(open('2025-11-24T14:49:00Z'), now, 24).state).toBe('ok');
    expect(slaView(open('2025-11-24T13:12:00Z'), now, 24)).toMatchObject({ state: 'at_risk', label: '3 h 12 min left', short: '3 h left', color: 'orange' });
  });

  it('without the SLA length, is at risk in the last two hours', () => {
    expect(slaView(open('2025-11-24T11:59:00Z'), now).state).toBe('at_risk');
    expect(slaView(open('2025-11-24T12:01:00Z'), now).state).toBe('ok');
  });

  it('is breached past the due time, or when the server says so', () => {
    expect(slaView(open('2025-11-22T08:00:00Z'), now, 24)).toMatchObject({
      state: 'breached',
      label: 'SLA breached 2 d 2 h ago',
      short: 'Overdue 2 d',
      color: 'red',
    });
    // The server's clock is the authority: breached even if ours says a minute is left.
    expect(slaView(open('2025-11-24T10:01:00Z', true), now, 24)).toMatchObject({ state: 'breached', label: 'SLA breached', short: 'Overdue' });
  });

  it('is paused while the case is on hold, whatever the clock says', () => {
    expect(slaView({ status: 'on_hold', sla_due_at: '2025-11-24T08:00:00Z', sla_breached: true }, now, 24)).toMatchObject({
      state: 'paused',
      label: 'SLA paused (on hold)',
      short: 'Paused',
    });
  });

  it('says whether a resolved case met its SLA', () => {
    const resolved = (resolvedAt: string): SlaInput => ({ status: 'resolved', sla_due_at: '2025-11-24T08:00:00Z', sla_breached: false, resolved_at: resolvedAt });
    expect(slaView(resolved('2025-11-24T07:00:00Z'), now, 24)).toMatchObject({ state: 'met', label: 'SLA met' });
    expect(slaView(resolved('2025-11-24T09:30:00Z'), now, 24)).toMatchObject({ state: 'missed', label: 'SLA missed by 1 h 30 min', short: 'Missed 1 h' });
  });
});

describe('leaseView', () => {
  it('counts the claim lease down to the second, warns in its last 2 minutes and says when it ran out', () => {
    expect(leaseView('2025-11-24T10:12:00Z', now)).toEqual({ state: 'active', countdown: '12:00', label: 'Claim expires in 12:00', color: 'blue' });
    expect(leaseView('2025-11-24T10:02:30Z', now)).toMatchObject({ state: 'active', countdown: '02:30' });
    expect(leaseView('2025-11-24T10:01:59Z', now)).toMatchObject({ state: 'ending', label: 'Claim expires in 01:59', color: 'orange' });
    expect(leaseView('2025-11-24T10:00:00.400Z', now)).toMatchObject({ state: 'ending', countdown: '00:01' });
    expect(leaseView('2025-11-24T10:00:00Z', now)).toMatchObject({ state: 'expired', countdown: 'expired', label: 'Claim expired', color: 'red' });
    expect(leaseView('2025-11-24T09:59:00Z', now)).toMatchObject({ state: 'expired' });
  });
});

describe('formatCountdown', () => {
  it.each([
    [15 * 60_000, '15:00'],
    [14 * 60_000 + 59_001, '15:00'],
    [61_000, '01:01'],
    [999, '00:01'],
    [0, '00:00'],
    [-5_000, '00:00'],
    [3_723_000, '1:02:03'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

describe('SlaBadge', () => {
  it.each([
    ['2025-11-24T20:00:00Z', false, 'ok', '10 h left'],
    ['2025-11-24T12:00:00Z', false, 'at_risk', '2 h left'],
    ['2025-11-24T07:00:00Z', true, 'breached', 'SLA breached 3 h ago'],
  ])('due %s shows state %s', (due, breached, state, text) => {
    renderWithProviders(<SlaBadge c={open(due, breached)} now={now} slaHours={24} />);
    const badge = screen.getByTestId('sla-badge');
    expect(badge).toHaveAttribute('data-sla', state);
    expect(badge).toHaveTextContent(text);
  });

  it('uses the short form in tables', () => {
    renderWithProviders(<SlaBadge c={open('2025-11-22T07:00:00Z', true)} now={now} slaHours={24} compact />);
    expect(screen.getByTestId('sla-badge')).toHaveTextContent('Overdue 2 d');
  });
});
