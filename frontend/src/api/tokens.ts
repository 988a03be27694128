import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { auditKeys } from './auditKeys';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';

export type Token = Schemas['Token'];
export type TokenList = Schemas['TokenList'];
export type CreateTokenRequest = Schemas['CreateTokenRequest'];
export type CreatedToken = Schemas['CreatedToken'];
export type TokenScope = Token['scopes'][number];

export const tokenScopes: { value: TokenScope; label: string; description: string }[] = [
  { value: 'signals:write', label: 'signals:write', description: 'Push risk signals' },
  { value: 'appeals:write', label: 'appeals:write', description: 'File appeals' },
  { value: 'cases:read', label: 'cases:read', description: 'Read cases, subjects and decisions' },
  { value: 'audit:read', label: 'audit:read', description: 'Read the audit log' },
];

export const tokenKeys = {
  all: ['tokens'] as const,
};

const PAGE_SIZE = 50;

export function useTokens() {
  return useInfiniteQuery<TokenList, ApiError, { pages: TokenList[] }, typeof tokenKeys.all, string | undefined>({
    queryKey: tokenKeys.all,
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/v1/tokens', { params: { query: { cursor: pageParam, limit: PAGE_SIZE } }, signal })),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation<CreatedToken, ApiError, CreateTokenRequest>({
    mutationFn: (body) => unwrap(api.POST('/api/v1/tokens', { body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation<void, ApiError, Token>({
    mutationFn: async (token) => {
      await unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: token.id } } }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

export type TokenStatus = 'active' | 'revoked' | 'expired';

/** Why a token does or does not work right now. */
export function tokenStatus(token: Token, now: Date = new Date()): TokenStatus {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at && new Date(token.expires_at).getTime() <= now.getTime()) return 'expired';
  return token.active ? 'active' : 'revoked';
}
