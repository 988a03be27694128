import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from './test/renderApp';

describe('routes', () => {
  it('sends / to the queues', async () => {
    const { router } = renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });
    expect(router.state.location.pathname).toBe('/queues');
    expect(screen.getByText('No queues yet')).toBeInTheDocument();
  });

  it('renders the not-found page inside the shell for an unknown path', async () => {
    renderApp('/no-such-page');

    const notFound = await screen.findByTestId('not-found');
    expect(notFound).toHaveTextContent('Page not found');
    expect(notFound).toHaveTextContent('/no-such-page');
    // Still inside the shell: brand and navigation are there.
    expect(screen.getByRole('navigation', { name: 'Workspaces' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Queues' })).toHaveAttribute('href', '/queues');
  });

  it.each([
    ['/cases', 'Cases', 'No cases yet'],
    ['/rules', 'Rules', 'No rules yet'],
    ['/dashboards', 'Dashboards', 'No dashboard data yet'],
    ['/audit', 'Audit', 'No audit entries to show'],
    ['/admin', 'Admin', 'Nothing to manage here yet'],
  ])('%s has a header and an honest empty state', async (path, title, empty) => {
    renderApp(path);
    await screen.findByRole('heading', { level: 1, name: title });
    expect(screen.getByText(empty)).toBeInTheDocument();
  });
});
