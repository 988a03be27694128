import { describe, expect, it } from 'vitest';
import { unreadBadge } from '../layout/NotificationBell';
import { markPageRead, type Notification, type NotificationPage } from './notifications';

function notification(id: number, read = false): Notification {
  return {
    id,
    kind: 'sla.breached',
    market: 'VN',
    case_id: 100 + id,
    title: `Case #${100 + id} breached its SLA`,
    body: 'Escalated to the VN escalation queue.',
    created_at: '2025-11-24T10:00:00Z',
    read_at: read ? '2025-11-24T10:05:00Z' : null,
  };
}

const at = '2025-11-24T11:00:00Z';

describe('markPageRead', () => {
  const page: NotificationPage = { items: [notification(3), notification(2, true), notification(1)], next_cursor: null, unread: 5 };

  it('marks the given ones read in the full list and lowers the count by the newly read', () => {
    const next = markPageRead(page, { ids: [3, 2] }, at, 'all');
    expect(next.items.map((n) => n.read_at)).toEqual([at, '2025-11-24T10:05:00Z', null]);
    expect(next.unread).toBe(4);
  });

  it('drops them from the unread list', () => {
    const unreadPage = { ...page, items: [notification(3), notification(1)] };
    expect(markPageRead(unreadPage, { ids: [3] }, at, 'unread').items.map((n) => n.id)).toEqual([1]);
  });

  it('clears everything for all', () => {
    const next = markPageRead(page, { all: true }, at, 'all');
    expect(next.items.every((n) => n.read_at !== null)).toBe(true);
    expect(next.unread).toBe(0);
    expect(markPageRead(page, { all: true }, at, 'unread').items).toEqual([]);
  });
});

describe('unreadBadge', () => {
  it('stays small', () => {
    expect(unreadBadge(3)).toBe('3');
    expect(unreadBadge(9)).toBe('9');
    expect(unreadBadge(12)).toBe('9+');
  });
});
