import { describe, expect, it } from 'vitest';
import {
  CASE_REFRESH_DELAY_MS,
  groupSummary,
  invalidationsFor,
  noticeFor,
  parseStreamEvent,
  QUEUE_COUNTS_DELAY_MS,
  type StreamEvent,
} from './streamEvents';

const caseData = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ case_id: 42, market: 'VN', status: 'in_review', version: 7, by: 'lead@demo.docket.test', event: 'assign', severity: 'high', emergency: false, ...extra });

describe('parseStreamEvent', () => {
  it('reads the case events the server sends', () => {
    expect(parseStreamEvent('case.updated', caseData())).toEqual({
      type: 'case.updated',
      data: { case_id: 42, market: 'VN', status: 'in_review', version: 7, by: 'lead@demo.docket.test', event: 'assign', severity: 'high', emergency: false },
    });
    expect(parseStreamEvent('emergency.declared', caseData({ emergency: true }))).toMatchObject({ type: 'emergency.declared', data: { case_id: 42, emergency: true } });
  });

  it('reads queue count hints and notifications', () => {
    expect(parseStreamEvent('queue.counts_changed', '{"markets":["TH","VN"]}')).toEqual({ type: 'queue.counts_changed', data: { markets: ['TH', 'VN'] } });
    expect(parseStreamEvent('notification', '{"id":3,"kind":"sla.breached","case_id":9,"market":"TH","title":"Case #9 breached its SLA","body":"Due 10:00"}')).toEqual({
      type: 'notification',
      data: { id: 3, kind: 'sla.breached', case_id: 9, market: 'TH', title: 'Case #9 breached its SLA', body: 'Due 10:00' },
    });
  });

  it.each([
    ['case.updated', 'not json'],
    ['case.updated', '[1,2]'],
    ['case.updated', '{"market":"VN"}'],
    ['case.updated', '{"case_id":-1}'],
    ['notification', '{"id":1,"kind":"x"}'],
    ['something.new', caseData()],
  ])('ignores %s with data %s', (type, raw) => {
    expect(parseStreamEvent(type, raw)).toBeNull();
  });

  it('tolerates missing optional fields', () => {
    expect(parseStreamEvent('case.updated', '{"case_id":5}')).toEqual({
      type: 'case.updated',
      data: { case_id: 5, market: '', status: undefined, version: undefined, by: undefined, event: undefined, severity: undefined, emergency: undefined },
    });
    expect(parseStreamEvent('queue.counts_changed', '{}')).toEqual({ type: 'queue.counts_changed', data: { markets: [] } });
  });
});

const event = (type: StreamEvent['type'], raw: string) => parseStreamEvent(type, raw)!;
const keysOf = (e: StreamEvent) => invalidationsFor(e).map((i) => JSON.stringify(i.queryKey));

describe('invalidationsFor', () => {
  it('a changed case refreshes its page and timeline, every case list, the console, reviewers, subjects and (later) the queue counts', () => {
    const invalidations = invalidationsFor(event('case.updated', caseData()));
    expect(invalidations).toEqual([
      { queryKey: ['cases', 'detail', 42], delayMs: CASE_REFRESH_DELAY_MS },
      { queryKey: ['cases', 'events', 42], delayMs: CASE_REFRESH_DELAY_MS },
      { queryKey: ['cases', 'list'], delayMs: CASE_REFRESH_DELAY_MS },
      { queryKey: ['cases', 'mine'], delayMs: CASE_REFRESH_DELAY_MS },
      { queryKey: ['cases', 'console'], delayMs: CASE_REFRESH_DELAY_MS },
      { queryKey: ['reviewers'], delayMs: CASE_REFRESH_DELAY_MS },
      { queryKey: ['subjects'], delayMs: CASE_REFRESH_DELAY_MS },
      { queryKey: ['queues', 'list'], delayMs: QUEUE_COUNTS_DELAY_MS },
    ]);
    expect(QUEUE_COUNTS_DELAY_MS).toBeGreaterThan(CASE_REFRESH_DELAY_MS);
  });

  it.each(['case.assigned', 'emergency.declared', 'emergency.cleared'] as const)('%s refreshes the same as case.updated', (type) => {
    expect(keysOf(event(type, caseData()))).toEqual(keysOf(event('case.updated', caseData())));
  });

  it('queue.counts_changed refreshes only the queue counts, after the debounce', () => {
    expect(invalidationsFor(event('queue.counts_changed', '{"markets":["VN"]}'))).toEqual([{ queryKey: ['queues', 'list'], delayMs: QUEUE_COUNTS_DELAY_MS }]);
  });

  it('a notification refreshes the bell and the lead console', () => {
    expect(keysOf(event('notification', '{"id":1,"kind":"sla.breached","case_id":9,"title":"t"}'))).toEqual([
      JSON.stringify(['notifications']),
      JSON.stringify(['cases', 'console']),
    ]);
  });

  it('never touches another case’s page', () => {
    const keys = keysOf(event('case.updated', caseData({ case_id: 8 })));
    expect(keys).toContain(JSON.stringify(['cases', 'detail', 8]));
    expect(keys).not.toContain(JSON.stringify(['cases', 'detail', 42]));
  });
});

describe('noticeFor', () => {
  const viewer = { email: 'reviewer@demo.docket.test' };

  it('tells the assignee about a case handed to them, with the case to open', () => {
    expect(noticeFor(event('case.assigned', caseData()), viewer)).toEqual({
      dedupeKey: 'assigned:42:7',
      color: 'blue',
      title: 'Case #42 is assigned to you',
      message: 'lead@demo.docket.test gave you a high-severity case in VN. Your claim lease is running.',
      caseId: 42,
      group: 'assigned',
      autoClose: 15_000,
    });
    expect(groupSummary('assigned', 12)).toEqual({
      title: '12 cases are assigned to you',
      message: 'They are under My cases on the Queues page, with their claim leases running.',
    });
  });

  it('announces an emergency in red to everyone but the person who declared it', () => {
    const declared = event('emergency.declared', caseData({ emergency: true }));
    expect(noticeFor(declared, viewer)).toMatchObject({ dedupeKey: 'emergency:42', color: 'red', title: 'Emergency on case #42 (VN)', caseId: 42 });
    expect(noticeFor(declared, { email: 'lead@demo.docket.test' })).toBeNull();
  });

  it('shows a lead’s notifications; an emergency notification shares the broadcast’s key so it shows once', () => {
    const emergency = event('notification', '{"id":5,"kind":"emergency.declared","case_id":42,"market":"VN","title":"Emergency on case #42 (counterfeit, VN)","body":"Declared by x."}');
    expect(noticeFor(emergency, viewer)).toMatchObject({ dedupeKey: 'emergency:42', color: 'red', title: 'Emergency on case #42 (counterfeit, VN)', message: 'Declared by x.' });
    const breach = event('notification', '{"id":6,"kind":"sla.breached","case_id":9,"title":"Case #9 breached its SLA"}');
    expect(noticeFor(breach, viewer)).toMatchObject({ dedupeKey: 'breach:9', color: 'orange', message: '' });
    const other = event('notification', '{"id":7,"kind":"digest","title":"Weekly digest"}');
    expect(noticeFor(other, viewer)).toMatchObject({ dedupeKey: 'notification:7', color: 'blue', caseId: undefined });
  });

  it.each([
    ['case.updated', caseData()],
    ['emergency.cleared', caseData()],
    ['queue.counts_changed', '{"markets":["VN"]}'],
  ] as const)('%s only refreshes, no toast', (type, raw) => {
    expect(noticeFor(event(type, raw), viewer)).toBeNull();
  });
});
