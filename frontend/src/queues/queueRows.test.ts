import { describe, expect, it } from 'vitest';
import { meFor } from '../test/fixtures';
import { queue, thReview, vnEscalations } from '../test/queueFixtures';
import { canClaimFrom, claimTarget, moveSelection, oldestWaiting, queueRows } from './queueRows';

const reviewerVN = meFor([{ role: 'reviewer', market: 'VN' }]).permissions;
const auditor = meFor([{ role: 'auditor', market: '*' }]).permissions;

describe('canClaimFrom', () => {
  it('needs a review queue and case.claim in one of its markets', () => {
    expect(canClaimFrom(queue(), reviewerVN)).toBe(true);
    expect(canClaimFrom(thReview(), reviewerVN)).toBe(false);
    expect(canClaimFrom(vnEscalations(), reviewerVN)).toBe(false);
    expect(canClaimFrom(queue(), auditor)).toBe(false);
    expect(canClaimFrom(queue({ markets: ['TH', 'VN'] }), reviewerVN)).toBe(true);
    expect(canClaimFrom(thReview(), meFor([{ role: 'lead', market: '*' }]).permissions)).toBe(true);
  });
});

describe('queueRows', () => {
  it('puts the queues the caller can claim from first, then other review queues, then escalations', () => {
    const rows = queueRows([thReview(), vnEscalations(), queue()], reviewerVN);
    expect(rows.map((row) => [row.queue.name, row.claimable])).toEqual([
      ['Vietnam review', true],
      ['Thailand review', false],
      ['Vietnam escalations', false],
    ]);
  });

  it('keeps the server order within a group', () => {
    const lead = meFor([{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }]).permissions;
    expect(queueRows([vnEscalations(), thReview(), queue()], lead).map((row) => row.queue.name)).toEqual(['Thailand review', 'Vietnam review', 'Vietnam escalations']);
  });
});

describe('claimTarget', () => {
  const rows = queueRows([queue(), thReview(), vnEscalations()], meFor([{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }]).permissions);
  it('claims from the selected queue when it can, otherwise from the first claimable one', () => {
    expect(claimTarget(rows, 9)?.queue.name).toBe('Thailand review');
    expect(claimTarget(rows, 12)?.queue.name).toBe('Vietnam review');
    expect(claimTarget(rows, null)?.queue.name).toBe('Vietnam review');
    expect(claimTarget(queueRows([vnEscalations()], reviewerVN), null)).toBeNull();
  });
});

describe('moveSelection', () => {
  const rows = queueRows([queue(), thReview(), vnEscalations()], reviewerVN);
  it('moves within the list and starts at an end when nothing is selected', () => {
    expect(moveSelection(rows, null, 1)).toBe(11);
    expect(moveSelection(rows, null, -1)).toBe(12);
    expect(moveSelection(rows, 11, 1)).toBe(9);
    expect(moveSelection(rows, 12, 1)).toBe(12);
    expect(moveSelection(rows, 11, -1)).toBe(11);
    expect(moveSelection([], null, 1)).toBeNull();
  });
});

describe('oldestWaiting', () => {
  const now = new Date('2025-11-24T10:12:00Z');
  it('counts from the oldest case’s creation, so it keeps growing between refreshes', () => {
    expect(oldestWaiting(queue(), now)).toBe('3 h 12 min');
    expect(oldestWaiting(queue({ counts: { total: 0, unassigned: 0, breached: 0, at_risk: 0, oldest_created_at: null }, oldest_age_seconds: null }), now)).toBeNull();
    expect(oldestWaiting(queue({ counts: { total: 1, unassigned: 1, breached: 0, at_risk: 0, oldest_created_at: null }, oldest_age_seconds: 600 }), now)).toBe('10 min');
  });
});
