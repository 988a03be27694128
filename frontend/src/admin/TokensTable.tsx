import { Badge, Button, Code, Stack, Table, Text } from '@mantine/core';
import { tokenStatus, type Token, type TokenStatus } from '../api/tokens';
import { marketLabel } from '../auth/access';
import { ActorName } from '../components/ActorName';
import { Timestamp } from '../components/Timestamp';

const statusBadge: Record<TokenStatus, { color: string; label: string }> = {
  active: { color: 'teal', label: 'Active' },
  revoked: { color: 'gray', label: 'Revoked' },
  expired: { color: 'yellow', label: 'Expired' },
};

/** Badges and codes otherwise shrink to an ellipsis when the table is tight. */
const fitContent = { minWidth: 'max-content' } as const;

interface TokensTableProps {
  tokens: readonly Token[];
  onRevoke: (token: Token) => void;
}

/** API tokens: what each may do and where, who made it, and whether it still works. Never the secret. */
export function TokensTable({ tokens, onRevoke }: TokensTableProps) {
  const now = new Date();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover data-testid="tokens-table" horizontalSpacing="sm" style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name and prefix</Table.Th>
            <Table.Th>Scopes</Table.Th>
            <Table.Th>Markets</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => {
            const status = tokenStatus(token, now);
            return (
              <Table.Tr key={token.id} data-token-name={token.name} data-status={status}>
                <Table.Td style={{ whiteSpace: 'normal', minWidth: 160 }}>
                  <Text size="sm" fw={500} c={status === 'active' ? undefined : 'dimmed'}>
                    {token.name}
                  </Text>
                  <Code fz="xs" style={fitContent}>
                    {token.prefix}…
                  </Code>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    {token.scopes.map((scope) => (
                      <Badge key={scope} variant="outline" color="gray" size="sm" radius="sm" ff="monospace" style={fitContent}>
                        {scope}
                      </Badge>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{token.markets.map(marketLabel).join(', ')}</Text>
                </Table.Td>
                <Table.Td>
                  <Timestamp value={token.created_at} />
                  <Text size="xs" c="dimmed">
                    by <ActorName actor={token.created_by} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Timestamp value={token.expires_at} empty="Never" />
                </Table.Td>
                <Table.Td>
                  <Timestamp value={token.last_used_at} empty="Never" />
                </Table.Td>
                <Table.Td>
                  <Badge color={statusBadge[status].color} variant="light" size="sm" style={fitContent}>
                    {statusBadge[status].label}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  {status === 'active' && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => onRevoke(token)}
                      aria-label={`Revoke ${token.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
