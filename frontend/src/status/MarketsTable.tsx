import { Table, Text } from '@mantine/core';
import type { Market } from '../api/system';
import { timeInZone } from '../format/time';
import { useNow } from './useNow';

/** The markets this server knows, with the local time in each right now. */
export function MarketsTable({ markets }: { markets: Market[] }) {
  const now = useNow(30_000);

  if (markets.length === 0) {
    return (
      <Text c="dimmed" size="sm" py="md">
        No markets are configured on this server. Load them with <code>docket demo</code> or add them as an admin.
      </Text>
    );
  }

  return (
    <Table.ScrollContainer minWidth={320}>
      <Table striped highlightOnHover data-testid="markets-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={72}>Code</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th visibleFrom="sm">Time zone</Table.Th>
            <Table.Th>Local time</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {markets.map((market) => {
            const localTime = timeInZone(now, market.timezone);
            return (
              <Table.Tr key={market.code} data-market={market.code}>
                <Table.Td>
                  <Text fw={700} size="sm" style={{ letterSpacing: '0.04em' }}>
                    {market.code}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {market.name}
                  <Text hiddenFrom="sm" size="xs" c="dimmed">
                    {market.timezone}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">{market.timezone}</Table.Td>
                <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {localTime ? (
                    <>
                      <span style={{ whiteSpace: 'nowrap' }}>{localTime.time}</span>{' '}
                      <Text span size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        ({localTime.offset})
                      </Text>
                    </>
                  ) : (
                    <Text span size="sm" c="red">
                      Unknown time zone
                    </Text>
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
