import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { auditKeys } from './auditKeys';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';

export type User = Schemas['User'];
export type UserList = Schemas['UserList'];
export type CreateUserRequest = Schemas['CreateUserRequest'];
export type Grant = Schemas['Grant'];
export type RoleInfo = Schemas['Role'];
export type Session = Schemas['Session'];
export type SessionList = Schemas['SessionList'];

export interface UserFilters {
  q?: string | undefined;
  active?: boolean | undefined;
}

export const PAGE_SIZE = 50;

export const userKeys = {
  all: ['users'] as const,
  list: (filters: UserFilters) => ['users', 'list', { q: filters.q ?? '', active: filters.active ?? null }] as const,
  detail: (id: number) => ['users', 'detail', id] as const,
  roles: ['roles'] as const,
  sessions: (userId: number) => ['sessions', { userId }] as const,
  allSessions: ['sessions'] as const,
};

export function useUsers(filters: UserFilters) {
  return useInfiniteQuery<UserList, ApiError, { pages: UserList[] }, ReturnType<typeof userKeys.list>, string | undefined>({
    queryKey: userKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/users', {
          params: { query: { q: filters.q, active: filters.active, cursor: pageParam, limit: PAGE_SIZE } },
          signal,
        }),
      ),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // Typing in the search box keeps the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: number) {
  return useQuery<User, ApiError>({
    queryKey: userKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id } }, signal })),
    enabled: id > 0,
  });
}

export function useRoles() {
  return useQuery<RoleInfo[], ApiError>({
    queryKey: userKeys.roles,
    queryFn: async ({ signal }) => (await unwrap(api.GET('/api/v1/roles', { signal }))).items,
    staleTime: 5 * 60_000,
  });
}

/** After any change to a user: put the fresh copy in place and refresh lists and the audit log. */
function useUserChanged() {
  const queryClient = useQueryClient();
  return (user: User) => {
    queryClient.setQueryData(userKeys.detail(user.id), user);
    void queryClient.invalidateQueries({ queryKey: ['users', 'list'] });
    void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  };
}

export function useCreateUser() {
  const changed = useUserChanged();
  return useMutation<User, ApiError, CreateUserRequest>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: changed,
  });
}

export function useGrantRole(userId: number) {
  const changed = useUserChanged();
  return useMutation<User, ApiError, Grant>({
    mutationFn: (grant) => unwrap(api.POST('/api/v1/users/{id}/grants', { params: { path: { id: userId } }, body: grant })),
    onSuccess: changed,
  });
}

export function useRevokeRole(userId: number) {
  const changed = useUserChanged();
  return useMutation<User, ApiError, Grant>({
    mutationFn: ({ role, market }) =>
      unwrap(
        api.DELETE('/api/v1/users/{id}/grants/{role}/{market}', {
          params: { path: { id: userId, role, market } },
        }),
      ),
    onSuccess: changed,
  });
}

/** Deactivate (signs the user out everywhere and revokes their tokens) or reactivate. */
export function useSetUserActive(userId: number) {
  const changed = useUserChanged();
  const queryClient = useQueryClient();
  return useMutation<User, ApiError, boolean>({
    mutationFn: (active) =>
      unwrap(
        active
          ? api.POST('/api/v1/users/{id}/activate', { params: { path: { id: userId } } })
          : api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id: userId } } }),
      ),
    onSuccess: (user) => {
      changed(user);
      void queryClient.invalidateQueries({ queryKey: userKeys.allSessions });
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
}

export function useUserSessions(userId: number) {
  return useQuery<Session[], ApiError>({
    queryKey: userKeys.sessions(userId),
    queryFn: async ({ signal }) => {
      const sessions: Session[] = [];
      let cursor: string | undefined;
      // One person rarely has more than a handful; follow the cursor all the same.
      for (let page = 0; page < 20; page++) {
        const list = await unwrap(
          api.GET('/api/v1/sessions', { params: { query: { user_id: userId, cursor, limit: 200 } }, signal }),
        );
        sessions.push(...list.items);
        if (!list.next_cursor) break;
        cursor = list.next_cursor;
      }
      return sessions;
    },
  });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, Session>({
    mutationFn: async (session) => {
      await unwrap(api.DELETE('/api/v1/sessions/{id}', { params: { path: { id: session.id } } }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: userKeys.allSessions });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}
