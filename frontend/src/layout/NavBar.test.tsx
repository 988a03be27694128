import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/renderApp';

const expectedLinks = [
  ['Queues', '/queues'],
  ['Cases', '/cases'],
  ['Rules', '/rules'],
  ['Dashboards', '/dashboards'],
  ['Audit', '/audit'],
  ['Admin', '/admin'],
  ['System status', '/status'],
] as const;

describe('NavBar', () => {
  it('links every workspace to its path', async () => {
    renderApp('/queues');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });

    const workspaces = screen.getByRole('navigation', { name: 'Workspaces' });
    const system = screen.getByRole('navigation', { name: 'System' });
    const links = [...within(workspaces).getAllByRole('link'), ...within(system).getAllByRole('link')];

    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual(expectedLinks);
  });

  it('marks only the current workspace as active', async () => {
    renderApp('/rules');
    await screen.findByRole('heading', { level: 1, name: 'Rules' });

    const current = screen.getAllByRole('link').filter((link) => link.getAttribute('aria-current') === 'page');
    expect(current.map((link) => link.textContent)).toEqual(['Rules']);
    expect(current[0]).toHaveAttribute('data-active');
  });

  it('navigates client-side: the URL, the heading and the active link follow a click', async () => {
    const user = userEvent.setup();
    const { router } = renderApp('/queues');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });

    await user.click(screen.getByRole('link', { name: 'Audit' }));

    await screen.findByRole('heading', { level: 1, name: 'Audit' });
    expect(router.state.location.pathname).toBe('/audit');
    expect(screen.getByRole('link', { name: 'Audit' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: 'Queues' })).not.toHaveAttribute('aria-current');
    await waitFor(() => expect(document.title).toBe('Audit · Docket'));
  });
});
