import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { meFor } from '../test/fixtures';
import { emptyResponse, jsonResponse, renderApp, stubFetch, type FetchCall } from '../test/renderApp';

describe('UserMenu', () => {
  it('names the person, lists their roles per market, and logs out', async () => {
    const user = userEvent.setup();
    const log: FetchCall[] = [];
    let loggedIn = true;
    stubFetch(
      {
        '/api/v1/me': () =>
          loggedIn
            ? jsonResponse(
                meFor([{ role: 'lead', market: 'VN' }, { role: 'lead', market: 'TH' }, { role: 'qa', market: 'VN' }], {
                  name: 'Nguyen Minh Anh',
                  email: 'lead@demo.docket.test',
                }),
              )
            : jsonResponse({ code: 'unauthenticated', status: 401, title: 'Unauthorized', request_id: 'x' }, 401),
        '/api/v1/auth/logout': () => {
          loggedIn = false;
          return emptyResponse(204);
        },
      },
      { log },
    );
    const { router, queryClient } = renderApp('/cases');
    await screen.findByRole('heading', { level: 1, name: 'Cases' });

    await user.click(screen.getByTestId('user-menu'));
    expect(await screen.findByTestId('user-menu-name')).toHaveTextContent('Nguyen Minh Anh');
    expect(screen.getByTestId('user-menu-email')).toHaveTextContent('lead@demo.docket.test');
    expect(screen.getByTestId('user-menu-roles')).toHaveTextContent('lead · TH, VN');
    expect(screen.getByTestId('user-menu-roles')).toHaveTextContent('qa · VN');

    await user.click(screen.getByRole('menuitem', { name: 'Log out' }));

    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(router.state.location.pathname).toBe('/login');
    const logout = log.find((call) => call.path === '/api/v1/auth/logout');
    expect(logout?.method).toBe('POST');
    expect(logout?.headers.get('X-CSRF-Token')).toBe('csrf-test-token');
    await waitFor(() => expect(queryClient.getQueryCache().getAll()).toHaveLength(0));
  });
});
