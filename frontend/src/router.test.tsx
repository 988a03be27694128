import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { meFor } from './test/fixtures';
import { jsonResponse, renderApp, stubFetch } from './test/renderApp';

describe('routes', () => {
  it('sends / to the first workspace the person may use', async () => {
    stubFetch({ '/api/v1/queues': () => jsonResponse({ items: [], next_cursor: null }) });
    const { router } = renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Queues' });
    expect(router.state.location.pathname).toBe('/queues');
    expect(await screen.findByText('No queues yet')).toBeInTheDocument();
  });

  it('sends someone with no roles from / to the status page', async () => {
    stubFetch({
      '/api/v1/me': () => jsonResponse(meFor([])),
      '/api/v1/system/status': () => jsonResponse({}),
    });
    const { router } = renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'System status' });
    expect(router.state.location.pathname).toBe('/status');
  });

  it('sends /admin to the users tab for a user manager', async () => {
    stubFetch({ '/api/v1/users': () => jsonResponse({ items: [], next_cursor: null }) });
    const { router } = renderApp('/admin');
    await screen.findByRole('tab', { name: 'Users' });
    expect(router.state.location.pathname).toBe('/admin/users');
  });

  it('renders the not-found page inside the shell for an unknown path', async () => {
    stubFetch({});
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
  ])('%s has a header and an honest empty state', async (path, title, empty) => {
    stubFetch({
      '/api/v1/cases': () => jsonResponse({ items: [], next_cursor: null }),
      '/api/v1/rules': () => jsonResponse({ items: [], next_cursor: null }),
      '/api/v1/policies': () => jsonResponse({ items: [] }),
      '/api/v1/markets': () => jsonResponse({ items: [], next_cursor: null }),
    });
    renderApp(path);
    await screen.findByRole('heading', { level: 1, name: title });
    expect(await screen.findByText(empty)).toBeInTheDocument();
  });
});
