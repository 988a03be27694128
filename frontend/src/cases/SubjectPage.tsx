import { Center, Code, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft } from '@tabler/icons-react';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { usePolicies, useSubject, type CaseSummary } from '../api/cases';
import { ProblemAlert } from '../components/ProblemAlert';
import { RouterAnchor } from '../routing/links';
import { useNow } from '../status/useNow';
import { DecisionItem, SubjectHeader } from './CaseParts';
import { CasesTable } from './CasesTable';
import { humanize } from './labels';
import { lastListSearch } from './listMemory';

const route = getRouteApi('/shell/subjects/$id');

const attributeLabels: Record<string, string> = { gmv_usd: 'GMV (USD)', followers: 'Followers', rating: 'Rating', category: 'Category' };

function formatAttribute(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return value.toLocaleString('en');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** /subjects/$id: a seller, creator, listing, livestream or piece of content, with its strikes, every case and every decision. */
export function SubjectPage() {
  const { id: rawId } = route.useParams();
  const id = /^[1-9]\d{0,15}$/.test(rawId) ? Number(rawId) : 0;
  const subject = useSubject(id);
  const policies = usePolicies();
  const navigate = useNavigate();
  const now = useNow(30_000);
  useDocumentTitle(subject.data ? `${subject.data.subject.display_name} · Docket` : 'Subject · Docket');

  const slaHours = useMemo(() => {
    const byCode = new Map((policies.data ?? []).map((policy) => [policy.code, policy.sla_hours]));
    return (c: CaseSummary) => byCode.get(c.policy)?.[c.severity];
  }, [policies.data]);

  const back = (
    <RouterAnchor to="/cases" search={lastListSearch()} size="sm" c="dimmed">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden /> Cases
      </Group>
    </RouterAnchor>
  );

  if (id === 0 || subject.error?.status === 404) {
    return (
      <Stack gap="md" maw={640}>
        {back}
        <Paper withBorder radius="md" p="xl" data-testid="subject-not-found">
          <Title order={1} fz={24} mb="xs">
            Subject not found
          </Title>
          <Text size="sm">There is no subject #{rawId} in the markets you work in.</Text>
        </Paper>
      </Stack>
    );
  }
  if (subject.error) {
    return (
      <Stack gap="md">
        {back}
        <ProblemAlert error={subject.error} heading="The subject could not be loaded" />
      </Stack>
    );
  }
  if (!subject.data) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Loading the subject" />
      </Center>
    );
  }

  const { subject: s, cases, decisions } = subject.data;
  const attributes = Object.entries(s.attributes ?? {});
  const sortedDecisions = [...decisions].sort((a, b) => b.decided_at.localeCompare(a.decided_at));
  const openCases = cases.filter((c) => c.status !== 'resolved').length;

  return (
    <Stack gap="md" data-testid="subject-page">
      {back}
      <SubjectHeader subject={s} linkToSubject={false} as="h1" />

      {attributes.length > 0 && (
        <Paper withBorder radius="md" p="md">
          <Title order={2} fz="md" mb="xs">
            Attributes
          </Title>
          <Group gap="xl" wrap="wrap">
            {attributes.map(([key, value]) => (
              <Stack key={key} gap={0}>
                <Text size="xs" c="dimmed">
                  {attributeLabels[key] ?? humanize(key)}
                </Text>
                {typeof value === 'object' && value !== null ? (
                  <Code fz="xs">{formatAttribute(value)}</Code>
                ) : (
                  <Text size="sm" fw={500}>
                    {formatAttribute(value)}
                  </Text>
                )}
              </Stack>
            ))}
          </Group>
        </Paper>
      )}

      <Paper withBorder radius="md">
        <Group justify="space-between" px="md" pt="md" pb="xs">
          <Title order={2} fz="md">
            Cases{' '}
            <Text span c="dimmed" fw={400}>
              {cases.length} · {openCases} open
            </Text>
          </Title>
        </Group>
        {cases.length === 0 ? (
          <Text size="sm" c="dimmed" px="md" pb="md">
            No cases in your markets.
          </Text>
        ) : (
          <CasesTable
            cases={cases}
            now={now}
            slaHoursOf={slaHours}
            onOpen={(caseId) => void navigate({ to: '/cases/$id', params: { id: String(caseId) } })}
            testId="subject-cases"
            hideSubject
          />
        )}
      </Paper>

      <Paper withBorder radius="md" p="md" data-testid="subject-decisions">
        <Title order={2} fz="md" mb="sm">
          Decisions{' '}
          <Text span c="dimmed" fw={400}>
            {decisions.length}
          </Text>
        </Title>
        {sortedDecisions.length === 0 ? (
          <Text size="sm" c="dimmed">
            No decisions yet.
          </Text>
        ) : (
          <Table verticalSpacing="sm">
            <Table.Tbody>
              {sortedDecisions.map((decision) => (
                <Table.Tr key={decision.id}>
                  <Table.Td w={90} style={{ verticalAlign: 'top' }}>
                    <RouterAnchor to="/cases/$id" params={{ id: String(decision.case_id) }} size="sm" ff="monospace" fw={600}>
                      #{decision.case_id}
                    </RouterAnchor>
                  </Table.Td>
                  <Table.Td>
                    <DecisionItem decision={decision} now={now} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
