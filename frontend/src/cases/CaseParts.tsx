import { Badge, DataList, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowRight, IconBuildingStore, IconDeviceTv, IconFileDescription, IconPackage, IconUserStar } from '@tabler/icons-react';
import type { CaseDetail, Decision, Subject } from '../api/cases';
import { Timestamp } from '../components/Timestamp';
import { RouterAnchor } from '../routing/links';
import { RelativeTime } from './badges';
import { enforcementLabel, formatCount, outcomeColors, outcomeLabels, subjectKindLabel } from './labels';

const kindIcons = {
  seller: IconBuildingStore,
  creator: IconUserStar,
  listing: IconPackage,
  livestream: IconDeviceTv,
  content: IconFileDescription,
} as const;

function Metric({ label, value, tone }: { label: string; value: string; tone?: string | undefined }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} c={tone} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Stack>
  );
}

/** Who or what the case is about: name, kind, external id, market, reach and strikes. */
export function SubjectHeader({ subject, linkToSubject = true, as = 'h2' }: { subject: Subject; linkToSubject?: boolean; as?: 'h1' | 'h2' }) {
  const KindIcon = kindIcons[subject.kind as keyof typeof kindIcons] ?? IconFileDescription;
  const strikes = subject.strike_count;
  return (
    <Paper withBorder radius="md" p="md" data-testid="subject-header">
      <Group justify="space-between" align="flex-start" gap="md" wrap="nowrap">
        <Group gap="sm" align="flex-start" wrap="nowrap" miw={0}>
          <KindIcon size={28} stroke={1.4} color="var(--mantine-color-gray-6)" aria-hidden style={{ flex: 'none', marginTop: 2 }} />
          <Stack gap={2} miw={0}>
            <Title order={as === 'h1' ? 1 : 2} fz={as === 'h1' ? 24 : 'lg'} lh={1.25} style={{ overflowWrap: 'anywhere' }}>
              {subject.display_name}
            </Title>
            <Text size="sm" c="dimmed">
              {subjectKindLabel(subject.kind)} ·{' '}
              <Text span inherit ff="monospace" c="dark.5">
                {subject.external_id}
              </Text>{' '}
              · {subject.market}
            </Text>
          </Stack>
        </Group>
        <Group gap="lg" wrap="nowrap" align="flex-start">
          <Metric label="Followers" value={formatCount(subject.followers)} />
          <Metric label="GMV (USD)" value={subject.gmv_usd > 0 ? `$${formatCount(subject.gmv_usd)}` : '–'} />
          <Tooltip label="Violations decided against this subject" openDelay={300}>
            <div data-testid="strike-count">
              <Metric label="Strikes" value={String(strikes)} tone={strikes >= 3 ? 'red.7' : strikes > 0 ? 'orange.7' : undefined} />
            </div>
          </Tooltip>
          {linkToSubject && (
            <RouterAnchor to="/subjects/$id" params={{ id: String(subject.id) }} size="sm" mt={14} style={{ whiteSpace: 'nowrap' }}>
              <Group gap={4} wrap="nowrap">
                Subject page <IconArrowRight size={14} aria-hidden />
              </Group>
            </RouterAnchor>
          )}
        </Group>
      </Group>
    </Paper>
  );
}

/** One decision and, for high-impact ones, its review. */
export function DecisionItem({ decision, now, highImpactActions = [] }: { decision: Decision; now: Date; highImpactActions?: readonly string[] }) {
  const review = decision.review;
  return (
    <Stack gap={6} data-testid="decision-item" data-outcome={decision.outcome}>
      <Group gap={6} wrap="wrap">
        <Badge color={outcomeColors[decision.outcome]} variant={decision.outcome === 'violation' ? 'filled' : 'light'} size="sm">
          {outcomeLabels[decision.outcome]}
        </Badge>
        {decision.actions.map((action) => (
          <Badge key={action} size="sm" variant="light" color={highImpactActions.includes(action) ? 'red' : 'gray'}>
            {enforcementLabel(action)}
          </Badge>
        ))}
        {decision.high_impact && (
          <Badge size="sm" variant="outline" color="violet">
            High impact
          </Badge>
        )}
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {decision.rationale}
      </Text>
      <Text size="xs" c="dimmed">
        {decision.decided_by} · <RelativeTime value={decision.decided_at} now={now} size="xs" />
      </Text>
      {review ? (
        <Group gap={6} wrap="wrap" pl="xs" style={{ borderLeft: `2px solid var(--mantine-color-${review.verdict === 'approved' ? 'teal' : 'red'}-4)` }}>
          <Badge size="xs" variant="light" color={review.verdict === 'approved' ? 'teal' : 'red'}>
            {review.verdict === 'approved' ? 'Approved' : 'Rejected'}
          </Badge>
          <Text size="xs" c="dimmed">
            by {review.reviewer} · <RelativeTime value={review.reviewed_at} now={now} size="xs" />
          </Text>
          {review.note && (
            <Text size="sm" w="100%" style={{ whiteSpace: 'pre-wrap' }}>
              {review.note}
            </Text>
          )}
        </Group>
      ) : (
        decision.high_impact && (
          <Text size="xs" c="violet.7">
            Waiting for approval
          </Text>
        )
      )}
    </Stack>
  );
}

/** Every decision on the case, newest first. */
export function DecisionsSection({ c, now }: { c: CaseDetail; now: Date }) {
  const decisions = [...c.decisions].reverse();
  return (
    <Paper withBorder radius="md" p="md" data-testid="decisions-section">
      <Title order={2} fz="md" mb="sm">
        Decisions{' '}
        <Text span c="dimmed" fw={400}>
          {decisions.length > 0 && decisions.length}
        </Text>
      </Title>
      {decisions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No decision yet.
        </Text>
      ) : (
        <Stack gap="md">
          {decisions.map((decision) => (
            <DecisionItem key={decision.id} decision={decision} now={now} highImpactActions={c.policy_detail.high_impact_actions} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** The case's facts, for the side column. */
export function CaseFacts({ c, now }: { c: CaseDetail; now: Date }) {
  return (
    <DataList size="sm" gap={6} labelWidth={96} data-testid="case-facts">
      <DataList.Item>
        <DataList.ItemLabel>Assignee</DataList.ItemLabel>
        <DataList.ItemValue>
          {c.assignee ? (
            <Text size="sm" title={c.assignee.email}>
              {c.assignee.name}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              Unassigned
            </Text>
          )}
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Policy</DataList.ItemLabel>
        <DataList.ItemValue>{c.policy_name}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Market</DataList.ItemLabel>
        <DataList.ItemValue>{c.market}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Queue</DataList.ItemLabel>
        <DataList.ItemValue>{c.queue ?? <Text span size="sm" c="dimmed">None</Text>}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Priority</DataList.ItemLabel>
        <DataList.ItemValue style={{ fontVariantNumeric: 'tabular-nums' }}>{c.priority.toLocaleString('en')}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>SLA due</DataList.ItemLabel>
        <DataList.ItemValue>
          <Timestamp value={c.sla_due_at} />
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Opened</DataList.ItemLabel>
        <DataList.ItemValue>
          <Timestamp value={c.created_at} />
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Updated</DataList.ItemLabel>
        <DataList.ItemValue>
          <RelativeTime value={c.updated_at} now={now} />
        </DataList.ItemValue>
      </DataList.Item>
      {c.resolved_at && (
        <DataList.Item>
          <DataList.ItemLabel>Resolved</DataList.ItemLabel>
          <DataList.ItemValue>
            <Timestamp value={c.resolved_at} />
          </DataList.ItemValue>
        </DataList.Item>
      )}
      <DataList.Item>
        <DataList.ItemLabel>Version</DataList.ItemLabel>
        <DataList.ItemValue>{c.version}</DataList.ItemValue>
      </DataList.Item>
    </DataList>
  );
}
