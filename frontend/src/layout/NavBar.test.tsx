import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/auth';
import { meFor } from '../test/fixtures';
import { jsonResponse, renderApp, stubFetch } from '../test/renderApp';

function navLabels(): string[] {
  const workspaces = screen.getByRole('navigation', { name: 'Workspaces' });
  return within(workspaces)
    .queryAllByRole('link')
    .map((link) => link.textContent ?? '');
}

const asUser = (grants: Grant[]) => stubFetch({ '/api/v1/me': () => jsonResponse(meFor(grants)) });

describe('NavBar follows the permissions in /me', () => {
  // The six demo accounts, and two edge cases.
  it.each<[string, Grant[], string[]]>([
    ['admin in *', [{ role: 'admin', market: '*' }], ['Queues', 'Rules', 'Audit', 'Admin']],
    ['lead in VN and TH', [{ role: 'lead', market: 'TH' }, { role: 'lead', market: 'VN' }], ['Queues', 'Cases', 'Rules', 'Dashboards', 'Admin']],
    ['reviewer in VN', [{ role: 'reviewer', market: 'VN' }], ['Queues', 'Cases']],
    ['analyst in *', [{ role: 'analyst', market: '*' }], ['Queues', 'Cases', 'Rules', 'Dashboards']],
    ['auditor in *', [{ role: 'auditor', market: '*' }], ['Queues', 'Cases', 'Rules', 'Dashboards', 'Audit']],
    ['qa in VN and TH', [{ role: 'qa', market: 'TH' }, { role: 'qa', market: 'VN' }], ['Queues', 'Cases']],
    ['reviewer in VN plus auditor in TH', [{ role: 'reviewer', market: 'VN' }, { role: 'auditor', market: 'TH' }], ['Queues', 'Cases', 'Rules', 'Dashboards', 'Audit']],
    ['no roles at all', [], []],
  ])('%s sees exactly the allowed workspaces (and System status)', async (_who, grants, expected) => {
    asUser(grants);
    renderApp('/status');
    await screen.findByRole('heading', { level: 1, name: 'System status' });

    expect(navLabels()).toEqual(expected);
    const system = screen.getByRole('navigation', { name: 'System' });
    expect(within(system).getByRole('link', { name: 'System status' })).toHaveAttribute('href', '/status');
  });

  it('links every workspace to its path when all are allowed', async () => {
    stubFetch({});
    renderApp('/queues');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });

    const workspaces = screen.getByRole('navigation', { name: 'Workspaces' });
    expect(within(workspaces).getAllByRole('link').map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Queues', '/queues'],
      ['Cases', '/cases'],
      ['Rules', '/rules'],
      ['Dashboards', '/dashboards'],
      ['Audit', '/audit'],
      ['Admin', '/admin'],
    ]);
  });

  it('marks only the current workspace as active', async () => {
    stubFetch({});
    renderApp('/rules');
    await screen.findByRole('heading', { level: 1, name: 'Rules' });

    const current = screen.getAllByRole('link').filter((link) => link.getAttribute('aria-current') === 'page');
    expect(current.map((link) => link.textContent)).toEqual(['Rules']);
    expect(current[0]).toHaveAttribute('data-active');
  });

  it('navigates client-side: the URL, the heading and the active link follow a click', async () => {
    const user = userEvent.setup();
    stubFetch({ '/api/v1/audit/verify': () => jsonResponse({ ok: true, entries_checked: 0, verified_at: '2025-11-24T10:00:00Z' }), '/api/v1/audit': () => jsonResponse({ items: [], next_cursor: null }) });
    const { router } = renderApp('/queues');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });

    await user.click(screen.getByRole('link', { name: 'Dashboards' }));

    await screen.findByRole('heading', { level: 1, name: 'Dashboards' });
    expect(router.state.location.pathname).toBe('/dashboards');
    expect(screen.getByRole('link', { name: 'Dashboards' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: 'Queues' })).not.toHaveAttribute('aria-current');
    await waitFor(() => expect(document.title).toBe('Dashboards · Docket'));
  });
});

describe('route guards', () => {
  it.each([
    ['/admin', [{ role: 'reviewer', market: 'VN' }]],
    ['/admin/users', [{ role: 'reviewer', market: 'VN' }]],
    ['/audit', [{ role: 'lead', market: 'VN' }]],
    ['/cases', [{ role: 'admin', market: '*' }]],
    ['/dashboards', [{ role: 'qa', market: 'VN' }]],
  ] as [string, Grant[]][])('a direct visit to %s without the permission shows the access-denied panel in the shell', async (path, grants) => {
    const calls = stubFetch({ '/api/v1/me': () => jsonResponse(meFor(grants)) });
    const { router } = renderApp(path);

    const denied = await screen.findByTestId('access-denied');
    expect(denied).toHaveTextContent("You don't have access to this page");
    expect(router.state.location.pathname).toBe(path);
    // Still in the shell, and the forbidden page never asked the API for its data
    // (the header's notification bell asks for its unread count on every page).
    expect(screen.getByRole('navigation', { name: 'Workspaces' })).toBeInTheDocument();
    expect(calls.filter((p) => p !== '/api/v1/me' && p !== '/api/v1/notifications')).toEqual([]);
  });

  it('the access-denied panel offers the way to the person’s own workspace', async () => {
    stubFetch({ '/api/v1/me': () => jsonResponse(meFor([{ role: 'admin', market: '*' }])) });
    renderApp('/cases');
    await screen.findByTestId('access-denied');
    expect(screen.getByRole('link', { name: 'Go to your workspace' })).toHaveAttribute('href', '/queues');
  });
});
