import { queryOptions, useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';
import { setCsrfToken } from './session';

export type Me = Schemas['Me'];
export type Grant = Schemas['Grant'];
export type Role = Grant['role'];
export type LoginRequest = Schemas['LoginRequest'];

export const authKeys = {
  me: ['auth', 'me'] as const,
};

/** Who is logged in. Also refreshes the CSRF token the client sends on unsafe requests. */
export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  const me = await unwrap(api.GET('/api/v1/me', { signal }));
  setCsrfToken(me.csrf_token);
  return me;
}

export function meQueryOptions() {
  return queryOptions<Me, ApiError>({
    queryKey: authKeys.me,
    queryFn: ({ signal }) => fetchMe(signal),
    // Permissions change rarely; a focus refetch also notices an ended session.
    staleTime: 60_000,
  });
}

/**
 * The logged-in caller. Only for components inside the app shell, whose route
 * guard has already loaded it (so this never suspends there).
 */
export function useMe(): Me {
  return useSuspenseQuery(meQueryOptions()).data;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation<Me, ApiError, LoginRequest>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (me) => {
      setCsrfToken(me.csrf_token);
      // Whatever an earlier session cached is not this person's to see (the mutations stay).
      queryClient.removeQueries();
      queryClient.setQueryData(authKeys.me, me);
    },
  });
}

/** Ends the session on the server. The caller clears the cache and leaves for /login. */
export function useLogout() {
  return useMutation<void, ApiError, void>({
    mutationFn: async () => {
      try {
        await unwrap(api.POST('/api/v1/auth/logout'));
      } finally {
        setCsrfToken(null);
      }
    },
  });
}
