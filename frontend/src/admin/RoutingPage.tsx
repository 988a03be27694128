import { ActionIcon, Center, Group, Loader, Paper, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useMe } from '../api/auth';
import { usePolicies, type Policy } from '../api/cases';
import { notifyFailure, notifySuccess } from '../api/notify';
import { useQueues, type Queue } from '../api/queues';
import { useRoutes, useSetRoute, type Route, type RouteInput } from '../api/rules';
import { useMarketList, type Market } from '../api/system';
import { marketsWith } from '../auth/access';
import { ProblemAlert } from '../components/ProblemAlert';

/** The markets to show: those the caller manages queues in (every market for `*`), plus any the routes mention. */
export function routingMarkets(managed: readonly string[], markets: readonly Market[], routes: readonly Route[]): string[] {
  const codes = new Set<string>(managed.includes('*') ? markets.map((market) => market.code) : managed.filter((code) => code !== '*'));
  for (const route of routes) codes.add(route.market);
  return [...codes].sort();
}

/** A market's routes: the default first, then per policy by policy name. */
export function marketRoutes(market: string, routes: readonly Route[], policyName: (code: string) => string): { defaultRoute: Route | null; policyRoutes: Route[] } {
  const mine = routes.filter((route) => route.market === market && route.queue_id !== null);
  return {
    defaultRoute: mine.find((route) => route.policy === null) ?? null,
    policyRoutes: mine.filter((route) => route.policy !== null).sort((a, b) => policyName(a.policy ?? '').localeCompare(policyName(b.policy ?? ''))),
  };
}

/** Review queues that take cases of the market. */
function queuesFor(market: string, queues: readonly Queue[]): { value: string; label: string }[] {
  return queues
    .filter((queue) => queue.kind === 'review' && (queue.markets.length === 0 || queue.markets.includes(market)))
    .map((queue) => ({ value: String(queue.id), label: queue.name }));
}

interface RowProps {
  market: string;
  policy: string | null;
  label: React.ReactNode;
  route: Route | null;
  queueOptions: { value: string; label: string }[];
  busy: boolean;
  onSet: (input: RouteInput, done: string) => void;
}

function RouteRow({ market, policy, label, route, queueOptions, busy, onSet }: RowProps) {
  const options = [...queueOptions];
  if (route?.queue_id != null && !options.some((option) => option.value === String(route.queue_id))) {
    options.push({ value: String(route.queue_id), label: route.queue_name || `Queue #${route.queue_id}` });
  }
  const what = policy === null ? `the default route of ${market}` : `the ${market} route for this policy`;
  return (
    <Table.Tr data-market={market} data-policy={policy ?? 'default'}>
      <Table.Td>{label}</Table.Td>
      <Table.Td w={320}>
        <Select
          aria-label={policy === null ? `Default queue for ${market}` : `Queue for ${policy} in ${market}`}
          placeholder={policy === null ? 'No default: pick a queue' : 'Pick a queue'}
          data={options}
          value={route?.queue_id != null ? String(route.queue_id) : null}
          onChange={(value) => value && onSet({ market, policy, queue_id: Number(value) }, `Rule cases of ${policy === null ? 'other policies' : 'this policy'} in ${market} now go to ${options.find((o) => o.value === value)?.label ?? 'that queue'}.`)}
          allowDeselect={false}
          disabled={busy}
          size="sm"
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      <Table.Td w={48}>
        {route && (
          <Tooltip label={`Remove ${what}`} withArrow>
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${what}`} loading={busy} onClick={() => onSet({ market, policy, queue_id: null }, `Removed ${what}.`)}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AddPolicyRoute({ market, policies, taken, queueOptions, busy, onSet }: { market: string; policies: readonly Policy[]; taken: ReadonlySet<string>; queueOptions: { value: string; label: string }[]; busy: boolean; onSet: RowProps['onSet'] }) {
  const [policy, setPolicy] = useState<string | null>(null);
  const [queue, setQueue] = useState<string | null>(null);
  const available = policies.filter((p) => !taken.has(p.code));
  if (available.length === 0) return null;
  return (
    <Table.Tr data-market={market} data-add-route>
      <Table.Td>
        <Select
          aria-label={`Policy for a new route in ${market}`}
          placeholder="Add a route for a policy…"
          data={available.map((p) => ({ value: p.code, label: p.name }))}
          value={policy}
          onChange={setPolicy}
          searchable
          maw={360}
          size="sm"
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      <Table.Td>
        <Select aria-label={`Queue for a new route in ${market}`} placeholder="Queue" data={queueOptions} value={queue} onChange={setQueue} size="sm" comboboxProps={{ withinPortal: true }} />
      </Table.Td>
      <Table.Td>
        <Tooltip label="Add the route" withArrow>
          <ActionIcon
            variant="light"
            aria-label={`Add the route in ${market}`}
            disabled={!policy || !queue}
            loading={busy}
            onClick={() => {
              if (!policy || !queue) return;
              onSet({ market, policy, queue_id: Number(queue) }, `Rule cases of ${policies.find((p) => p.code === policy)?.name ?? policy} in ${market} now go to ${queueOptions.find((o) => o.value === queue)?.label ?? 'that queue'}.`);
              setPolicy(null);
              setQueue(null);
            }}
          >
            <IconPlus size={16} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}

/** /admin/routing: which queue a rule's new case goes to, by market and policy. */
export function RoutingPage() {
  const me = useMe();
  const routes = useRoutes();
  const markets = useMarketList();
  const policies = usePolicies();
  const queues = useQueues({ live: true });
  const setRoute = useSetRoute();
  const [busyKey, setBusyKey] = useState<string | null>(null);

  const policyName = (code: string) => policies.data?.find((p) => p.code === code)?.name ?? code;
  const codes = routingMarkets(marketsWith(me.permissions, 'queue.manage'), markets.data ?? [], routes.data ?? []);

  const onSet = (input: RouteInput, done: string) => {
    setBusyKey(`${input.market}:${input.policy ?? ''}`);
    setRoute.mutate(input, {
      onSuccess: () => notifySuccess(done, 'Routing saved'),
      onError: (error) => notifyFailure('Could not change the route', error),
      onSettled: () => setBusyKey(null),
    });
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={760}>
        When a live rule opens a case, it goes to the rule&apos;s own queue if the rule names one; otherwise to the queue routed here for
        its market and policy, or else to the market&apos;s default route.
      </Text>
      {routes.error && <ProblemAlert error={routes.error} heading="Routes could not be loaded" />}
      {routes.isPending || markets.isPending ? (
        <Center py="xl">
          <Loader size="sm" />
        </Center>
      ) : (
        codes.map((code) => {
          const market = markets.data?.find((m) => m.code === code);
          const { defaultRoute, policyRoutes } = marketRoutes(code, routes.data ?? [], policyName);
          const queueOptions = queuesFor(code, queues.data ?? []);
          const taken = new Set(policyRoutes.map((route) => route.policy ?? ''));
          return (
            <Paper key={code} withBorder radius="md" p="md" data-testid={`routes-${code}`}>
              <Title order={2} fz="md" mb="xs">
                {code}
                {market && (
                  <Text span c="dimmed" fw={400} inherit>
                    {' '}
                    · {market.name}
                  </Text>
                )}
              </Title>
              <Table verticalSpacing={6} data-testid="routes-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th fz="xs" c="dimmed">
                      Policy
                    </Table.Th>
                    <Table.Th fz="xs" c="dimmed">
                      Queue
                    </Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  <RouteRow
                    market={code}
                    policy={null}
                    label={
                      <div>
                        <Text size="sm" fw={600}>
                          Default
                        </Text>
                        <Text size="xs" c="dimmed">
                          Every policy without its own route
                        </Text>
                      </div>
                    }
                    route={defaultRoute}
                    queueOptions={queueOptions}
                    busy={busyKey === `${code}:`}
                    onSet={onSet}
                  />
                  {policyRoutes.map((route) => (
                    <RouteRow
                      key={route.policy}
                      market={code}
                      policy={route.policy}
                      label={<Text size="sm">{policyName(route.policy ?? '')}</Text>}
                      route={route}
                      queueOptions={queueOptions}
                      busy={busyKey === `${code}:${route.policy}`}
                      onSet={onSet}
                    />
                  ))}
                  <AddPolicyRoute market={code} policies={policies.data ?? []} taken={taken} queueOptions={queueOptions} busy={busyKey !== null && busyKey.startsWith(`${code}:`)} onSet={onSet} />
                </Table.Tbody>
              </Table>
              {queueOptions.length === 0 && (
                <Group mt="xs">
                  <Text size="xs" c="orange.8">
                    No review queue takes cases of {code} yet.
                  </Text>
                </Group>
              )}
            </Paper>
          );
        })
      )}
      {!routes.isPending && codes.length === 0 && !routes.error && (
        <Text size="sm" c="dimmed">
          You manage the queues of no market.
        </Text>
      )}
    </Stack>
  );
}
