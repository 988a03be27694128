import { Grid, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useMe } from '../api/auth';
import { useConsoleCases } from '../api/queues';
import { useMarketList } from '../api/system';
import { useSlaHoursOf } from '../cases/useSlaHours';
import { useLiveStatus } from '../live/LiveUpdates';
import { useNow } from '../status/useNow';
import { AssignmentPanel } from './AssignmentPanel';
import { consoleListSearch, consoleMarkets, consoleQueries } from './console';
import { EmergenciesPanel, EscalationsPanel, SlaBoard } from './ConsolePanels';

const route = getRouteApi('/shell/queues/console');

/** With a market filter, the /cases links carry it too. */
function withMarket(search: Record<string, string>, market: string | undefined): Record<string, string> {
  return market ? { ...search, market } : search;
}

/**
 * /queues/console: what leads watch, kept current by the event stream: emergencies, escalations, the SLA board and
 * assignment of unassigned work, for all their markets or one.
 */
export function LeadConsole() {
  const me = useMe();
  const { market } = route.useSearch();
  const navigate = route.useNavigate();
  const live = useLiveStatus() === 'live';
  const now = useNow(30_000);
  const own = consoleMarkets(me.permissions);
  const allMarkets = useMarketList();
  const markets = own ?? (allMarkets.data ?? []).map((m) => m.code);

  const options = { live, market, markets: own };
  const emergencies = useConsoleCases('emergencies', consoleQueries.emergencies, options);
  const escalations = useConsoleCases('escalations', consoleQueries.escalations, options);
  const sla = useConsoleCases('sla', consoleQueries.sla, options);
  const unassigned = useConsoleCases('unassigned', consoleQueries.unassigned, options);

  const slaHoursOf = useSlaHoursOf();

  const common = { now, slaHoursOf };

  return (
    <Stack gap="md" data-testid="lead-console">
      {markets.length > 1 && (
        <Group gap="sm">
          <Text size="sm" c="dimmed" id="console-market-label">
            Markets
          </Text>
          <SegmentedControl
            size="xs"
            aria-labelledby="console-market-label"
            value={market ?? ''}
            onChange={(value) => void navigate({ search: value ? { market: value } : {}, replace: true })}
            data={[{ value: '', label: 'All' }, ...markets.map((code) => ({ value: code, label: code }))]}
          />
        </Group>
      )}
      <EmergenciesPanel
        {...common}
        cases={emergencies.data?.items}
        error={emergencies.error}
        loading={emergencies.isPending}
        listSearch={withMarket(consoleListSearch.emergencies, market)}
      />
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, xl: 7 }}>
          <EscalationsPanel
            {...common}
            cases={escalations.data?.items}
            error={escalations.error}
            loading={escalations.isPending}
            listSearch={withMarket(consoleListSearch.escalations, market)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 5 }}>
          <SlaBoard
            {...common}
            cases={sla.data?.items}
            error={sla.error}
            loading={sla.isPending}
            listSearch={withMarket(consoleListSearch.sla, market)}
          />
        </Grid.Col>
      </Grid>
      <AssignmentPanel
        {...common}
        cases={unassigned.data?.items}
        error={unassigned.error}
        loading={unassigned.isPending}
        listSearch={withMarket(consoleListSearch.unassigned, market)}
      />
    </Stack>
  );
}
