import { Badge, Center, Group, Loader, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import {
  IconAlertTriangle,
  IconAlertTriangleOff,
  IconArrowBackUp,
  IconArrowDown,
  IconArrowUp,
  IconCheck,
  IconCircleDot,
  IconClockPlay,
  IconFilePlus,
  IconHandGrab,
  IconLink,
  IconListCheck,
  IconMessage,
  IconPlayerPause,
  IconPlayerPlay,
  IconRotate,
  IconScale,
  IconSparkles,
  IconTag,
  IconTagOff,
  IconThumbDown,
  IconThumbUp,
  IconUserShare,
  type Icon,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useCaseEvents, type CaseDetail, type CaseEvent, type CaseStatus } from '../api/cases';
import { ProblemAlert } from '../components/ProblemAlert';
import { RouterAnchor } from '../routing/links';
import { RelativeTime } from './badges';
import { caseStatuses } from './filters';
import { enforcementLabel, humanize, linkLabel, outcomeLabels, severityLabels, statusLabels, type Outcome } from './labels';

interface EventLook {
  icon: Icon;
  color: string;
  title: string;
}

const looks: Record<string, EventLook> = {
  created: { icon: IconSparkles, color: 'blue', title: 'Case opened' },
  triage: { icon: IconListCheck, color: 'cyan', title: 'Triaged' },
  claim: { icon: IconHandGrab, color: 'indigo', title: 'Claimed' },
  assign: { icon: IconUserShare, color: 'indigo', title: 'Assigned' },
  release: { icon: IconArrowBackUp, color: 'gray', title: 'Released to the queue' },
  escalate: { icon: IconArrowUp, color: 'orange', title: 'Escalated' },
  deescalate: { icon: IconArrowDown, color: 'gray', title: 'De-escalated' },
  hold: { icon: IconPlayerPause, color: 'gray', title: 'Put on hold' },
  resume: { icon: IconPlayerPlay, color: 'indigo', title: 'Resumed' },
  resolve: { icon: IconCheck, color: 'teal', title: 'Resolved' },
  decision_proposed: { icon: IconScale, color: 'violet', title: 'Decision proposed' },
  decision_approved: { icon: IconThumbUp, color: 'teal', title: 'Decision approved' },
  decision_rejected: { icon: IconThumbDown, color: 'red', title: 'Decision rejected' },
  reopen: { icon: IconRotate, color: 'orange', title: 'Reopened' },
  commented: { icon: IconMessage, color: 'gray', title: 'Commented' },
  evidence_added: { icon: IconFilePlus, color: 'gray', title: 'Evidence added' },
  tag_added: { icon: IconTag, color: 'gray', title: 'Tag added' },
  tag_removed: { icon: IconTagOff, color: 'gray', title: 'Tag removed' },
  linked: { icon: IconLink, color: 'gray', title: 'Linked' },
  renew: { icon: IconClockPlay, color: 'gray', title: 'Claim renewed' },
  declare_emergency: { icon: IconAlertTriangle, color: 'red', title: 'Emergency declared' },
  clear_emergency: { icon: IconAlertTriangleOff, color: 'gray', title: 'Emergency cleared' },
};

const evidenceKinds: Record<string, string> = { text: 'Text: ', url: 'URL: ', json: 'JSON: ', file: 'File: ' };

function lookOf(type: string): EventLook {
  return looks[type] ?? { icon: IconCircleDot, color: 'gray', title: humanize(type) };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const isStatus = (value: unknown): value is CaseStatus => typeof value === 'string' && (caseStatuses as readonly string[]).includes(value);
const isOutcome = (value: unknown): value is Outcome => value === 'violation' || value === 'no_violation' || value === 'insufficient_evidence';

function Quote({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dark.4" style={{ whiteSpace: 'pre-wrap', borderLeft: '2px solid var(--mantine-color-gray-3)', paddingLeft: 8 }}>
      {children}
    </Text>
  );
}

/** What an event says beyond its title: the reason, the decision, the comment, the tag… */
function EventDetails({ event, c }: { event: CaseEvent; c: CaseDetail }) {
  const data = event.data;
  const parts: ReactNode[] = [];
  const from = data.from;
  const to = data.to;
  if (isStatus(from) && isStatus(to) && from !== to) {
    parts.push(
      <Text key="move" size="xs" c="dimmed">
        {statusLabels[from]} → {statusLabels[to]}
      </Text>,
    );
  }
  if (event.type === 'created') {
    const severity = str(data.severity);
    parts.push(
      <Text key="created" size="xs" c="dimmed">
        {c.policy_name}
        {severity && severity in severityLabels && ` · ${severityLabels[severity as keyof typeof severityLabels]}`}
      </Text>,
    );
  }
  const assigneeId = num(data.assignee_id);
  if (assigneeId !== undefined) {
    const name = c.assignee?.id === assigneeId ? c.assignee.name : `user #${assigneeId}`;
    parts.push(
      <Text key="assignee" size="xs">
        to {name}
      </Text>,
    );
  }
  if (isOutcome(data.outcome)) {
    const actions = Array.isArray(data.actions) ? data.actions.filter((a): a is string => typeof a === 'string') : [];
    parts.push(
      <Group key="decision" gap={4}>
        <Badge size="xs" variant="light" color={data.outcome === 'violation' ? 'red' : 'teal'}>
          {outcomeLabels[data.outcome]}
        </Badge>
        {actions.map((action) => (
          <Badge key={action} size="xs" variant="default">
            {enforcementLabel(action)}
          </Badge>
        ))}
      </Group>,
    );
  }
  const reason = str(data.reason);
  if (reason) parts.push(<Quote key="reason">{reason}</Quote>);
  const excerpt = str(data.excerpt);
  if (excerpt) parts.push(<Quote key="excerpt">{excerpt}</Quote>);
  const title = str(data.title);
  if (event.type === 'evidence_added' && title) {
    parts.push(
      <Text key="evidence" size="xs">
        {evidenceKinds[str(data.kind) ?? ''] ?? ''}
        {title}
      </Text>,
    );
  }
  const tag = str(data.tag);
  if (tag) {
    parts.push(
      <Badge key="tag" size="xs" variant="default">
        {tag}
      </Badge>,
    );
  }
  const other = num(data.other_case_id);
  if (event.type === 'linked' && other !== undefined) {
    const kind = data.kind === 'duplicate_of' || data.kind === 'appeal_of' ? data.kind : 'related';
    parts.push(
      <Text key="link" size="xs">
        {linkLabel(kind, true)}{' '}
        <RouterAnchor to="/cases/$id" params={{ id: String(other) }} size="xs">
          #{other}
        </RouterAnchor>
      </Text>,
    );
  }
  return parts.length > 0 ? <Stack gap={4}>{parts}</Stack> : null;
}

/** The case's history, newest first: who did what, when, and why. */
export function CaseTimeline({ c, now }: { c: CaseDetail; now: Date }) {
  const events = useCaseEvents(c.id);
  const items = [...(events.data ?? [])].reverse();

  return (
    <Paper withBorder radius="md" p="md" data-testid="case-timeline">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md">
          Timeline
        </Title>
        <Text size="xs" c="dimmed">
          Newest first
        </Text>
      </Group>
      {events.error && <ProblemAlert error={events.error} heading="The timeline could not be loaded" />}
      {events.isPending ? (
        <Center py="md">
          <Loader size="xs" aria-label="Loading the timeline" />
        </Center>
      ) : (
        <Timeline bulletSize={24} lineWidth={2}>
          {items.map((event) => {
            const look = lookOf(event.type);
            const EventIcon = look.icon;
            return (
              <Timeline.Item
                key={event.id}
                bullet={<EventIcon size={13} aria-hidden />}
                color={look.color}
                data-event-type={event.type}
                data-testid="timeline-event"
                title={
                  <Group justify="space-between" gap="xs" wrap="nowrap">
                    <Text size="sm" fw={600}>
                      {look.title}
                    </Text>
                    <RelativeTime value={event.created_at} now={now} size="xs" />
                  </Group>
                }
              >
                <Stack gap={4}>
                  <Text size="xs" c="dimmed" truncate="end">
                    {event.actor_label || event.actor}
                  </Text>
                  <EventDetails event={event} c={c} />
                </Stack>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Paper>
  );
}
