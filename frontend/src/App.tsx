import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useEffect } from 'react';
import { onSessionExpired, setCsrfToken } from './api/session';
import type { createAppRouter } from './router';
import { theme } from './theme';

type AppRouter = ReturnType<typeof createAppRouter>;

interface AppProps {
  router: AppRouter;
  queryClient: QueryClient;
  /** Tests pass "test": Mantine then skips transitions, so dropdowns open at once in jsdom. */
  mantineEnv?: 'default' | 'test';
}

/**
 * When any API answer says the session is gone (expired, revoked, logged out in
 * another tab), go to /login and come back here afterwards.
 */
function useLoginOnSessionExpiry(router: AppRouter, queryClient: QueryClient) {
  useEffect(
    () =>
      onSessionExpired(() => {
        setCsrfToken(null);
        const location = router.latestLocation;
        if (location.pathname === '/login') return;
        void router
          .navigate({ to: '/login', search: { next: location.href }, replace: true })
          // Only once the shell is gone, so no page re-renders against an empty cache.
          .then(() => queryClient.clear());
      }),
    [router, queryClient],
  );
}

/** Providers shared by the real app and by tests. */
export function App({ router, queryClient, mantineEnv = 'default' }: AppProps) {
  useLoginOnSessionExpiry(router, queryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" env={mantineEnv}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
