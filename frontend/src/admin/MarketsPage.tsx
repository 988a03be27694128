import { Badge, Button, Center, Group, Loader, Paper, Stack, Table, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import { formatBusinessHours, formatSlaClock, useMarketSettings, type MarketSla } from '../api/markets';
import { notifySuccess } from '../api/notify';
import { ProblemAlert } from '../components/ProblemAlert';
import { timeInZone } from '../format/time';
import { useNow } from '../status/useNow';
import { MarketSlaModal } from './MarketSlaModal';

/** /admin/markets: each market's time zone and how its SLA clocks run. */
export function MarketsPage() {
  const markets = useMarketSettings();
  const now = useNow(30_000);
  const [editing, setEditing] = useState<string | null>(null);
  const rows = markets.data ?? [];
  // Looked up by code, so a reload after a conflict shows the fresh copy in the open dialog.
  const editingMarket = rows.find((market) => market.code === editing) ?? null;

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={720}>
        <b>Calendar</b>: SLA clocks run around the clock. <b>Business hours</b>: SLA clocks only run on the market&apos;s
        business days and hours, in its time zone. A change applies to new and reopened cases.
      </Text>

      {markets.error && <ProblemAlert error={markets.error} heading="Markets could not be loaded" />}

      {markets.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : (
        rows.length > 0 && (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={760}>
              <Table highlightOnHover data-testid="market-settings-table" horizontalSpacing="sm" verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={72}>Code</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Time zone</Table.Th>
                    <Table.Th>SLA clock</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((market: MarketSla) => {
                    const local = timeInZone(now, market.timezone);
                    return (
                      <Table.Tr key={market.code} data-market={market.code} data-sla-clock={market.sla_clock}>
                        <Table.Td>
                          <Text fw={700} size="sm" style={{ letterSpacing: '0.04em' }}>
                            {market.code}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{market.name}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{market.timezone}</Text>
                          {local && (
                            <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                              now {local.time} ({local.offset})
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Group gap="sm" wrap="nowrap" data-testid="sla-clock">
                            <Badge variant="light" color={market.sla_clock === 'business' ? 'indigo' : 'gray'} size="sm" style={{ minWidth: 'max-content' }}>
                              {market.sla_clock === 'business' ? 'Business hours' : 'Calendar hours'}
                            </Badge>
                            <Text size="sm" c={market.sla_clock === 'business' ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                              {market.sla_clock === 'business' ? formatBusinessHours(market) : '24/7'}
                            </Text>
                          </Group>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            leftSection={<IconPencil size={14} aria-hidden />}
                            onClick={() => setEditing(market.code)}
                            aria-label={`Edit SLA clock of ${market.code}`}
                          >
                            Edit
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )
      )}

      <MarketSlaModal
        market={editingMarket}
        onClose={() => setEditing(null)}
        onReload={() => void markets.refetch()}
        onSaved={(saved) => notifySuccess(`${saved.code}: ${formatSlaClock(saved)}.`, 'SLA clock saved')}
      />
    </Stack>
  );
}
