import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../api/notifications';
import { jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

function notification(id: number, overrides: Partial<Notification> = {}): Notification {
  return {
    id,
    kind: 'sla.breached',
    market: 'VN',
    case_id: 100 + id,
    title: `Case #${100 + id} breached its SLA (counterfeit, VN)`,
    body: 'Due 2025-11-24 09:00 UTC; escalated to the VN escalation queue.',
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    read_at: null,
    ...overrides,
  };
}

function server(initial: Notification[]) {
  let items = initial;
  const log: FetchCall[] = [];
  const reads: unknown[] = [];
  const unread = () => items.filter((n) => n.read_at === null).length;
  stubFetch(
    {
      '/api/v1/notifications': (request) => {
        const onlyUnread = new URL(request.url).searchParams.get('unread') === 'true';
        return jsonResponse({ items: onlyUnread ? items.filter((n) => n.read_at === null) : items, next_cursor: null, unread: unread() });
      },
      'POST /api/v1/notifications/read': async (request) => {
        const body = (await request.json()) as { ids?: number[]; all?: boolean };
        reads.push(body);
        items = items.map((n) => (body.all || body.ids?.includes(n.id) ? { ...n, read_at: n.read_at ?? new Date().toISOString() } : n));
        return jsonResponse({ unread: unread() });
      },
    },
    { log },
  );
  return { log, reads };
}

const bell = () => screen.findByTestId('notification-bell', {}, { timeout: 5000 });

describe('NotificationBell', { timeout: 20_000 }, () => {
  it('shows the unread count and lists the newest unread notifications', async () => {
    const user = userEvent.setup();
    const { log } = server([
      notification(2, { kind: 'emergency.declared', title: 'Emergency on case #102 (VN)', body: 'Livestream selling counterfeit goods to minors.' }),
      notification(1),
    ]);
    renderApp('/status');
    await waitFor(async () => expect(await bell()).toHaveAccessibleName('Notifications, 2 unread'));
    expect(screen.getByTestId('notification-count')).toHaveAttribute('data-count', '2');
    expect(log.find((call) => call.path === '/api/v1/notifications')?.search).toBe('?unread=true&limit=20');

    await user.click(await bell());
    const popover = await screen.findByTestId('notification-popover');
    const list = within(popover).getByTestId('notification-list');
    expect(within(list).getAllByRole('button').map((item) => item.getAttribute('data-notification-id'))).toEqual(['2', '1']);
    expect(list).toHaveTextContent('Emergency on case #102 (VN)');
    expect(list).toHaveTextContent('5 min ago · VN · case #101');
  });

  it('opening one marks it read and goes to its case', async () => {
    const user = userEvent.setup();
    const { reads } = server([notification(2), notification(1)]);
    const { router } = renderApp('/status');
    await waitFor(async () => expect(await bell()).toHaveAccessibleName('Notifications, 2 unread'));
    await user.click(await bell());
    await user.click(await screen.findByRole('button', { name: /Unread: Case #101 breached/ }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/cases/101'));
    expect(reads).toEqual([{ ids: [1] }]);
    await waitFor(async () => expect(await bell()).toHaveAccessibleName('Notifications, 1 unread'));
  });

  it('marks all read, and still shows them under All recent', async () => {
    const user = userEvent.setup();
    const { reads } = server([notification(2), notification(1)]);
    renderApp('/status');
    await waitFor(async () => expect(await bell()).toHaveAccessibleName('Notifications, 2 unread'));
    await user.click(await bell());
    const popover = await screen.findByTestId('notification-popover');
    await user.click(within(popover).getByRole('button', { name: 'Mark all read' }));

    await waitFor(async () => expect(await bell()).toHaveAccessibleName('Notifications'));
    expect(reads).toEqual([{ all: true }]);
    expect(await within(popover).findByTestId('notifications-empty')).toHaveTextContent('You are all caught up.');
    expect(within(popover).getByRole('button', { name: 'Mark all read' })).toBeDisabled();

    await user.click(within(popover).getByRole('radio', { name: 'All recent' }));
    const list = await within(popover).findByTestId('notification-list');
    expect(within(list).getAllByRole('button')).toHaveLength(2);
    expect(within(list).getAllByRole('button').every((item) => item.getAttribute('data-unread') === 'false')).toBe(true);
  });

  it('tells people without notifications what would appear here', async () => {
    const user = userEvent.setup();
    server([]);
    renderApp('/status');
    await user.click(await bell());
    expect(await screen.findByTestId('notifications-empty')).toHaveTextContent('Leads are told here about emergencies and SLA breaches in their markets.');
    expect(screen.getByTestId('notification-count')).toHaveAttribute('data-count', '0');
  });
});
