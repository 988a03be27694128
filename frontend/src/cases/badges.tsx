import { Badge, Text, Tooltip, VisuallyHidden, type BadgeProps } from '@mantine/core';
import { IconClockHour4, IconLock } from '@tabler/icons-react';
import type { CaseStatus, Severity } from '../api/cases';
import { formatRelative } from '../format/relative';
import { formatDateTime, formatUtc } from '../format/time';
import { severityColors, severityLabels, statusColors, statusLabels } from './labels';
import { useNow } from '../status/useNow';
import { leaseView, slaView, type SlaInput } from './sla';

type Size = BadgeProps['size'];

/**
 * Badges never shorten their words: Mantine's `max-width: 100%` lets a table's
 * automatic layout squeeze them to "Awai…", which hides the one thing they say.
 */
const whole = { maxWidth: 'none', minWidth: 'max-content', flex: 'none' } as const;

export function StatusBadge({ status, size = 'sm' }: { status: CaseStatus; size?: Size }) {
  return (
    <Badge color={statusColors[status]} variant="light" size={size} data-status={status} style={whole}>
      {statusLabels[status]}
    </Badge>
  );
}

export function SeverityBadge({ severity, size = 'sm' }: { severity: Severity; size?: Size }) {
  return (
    <Badge
      color={severityColors[severity]}
      variant={severity === 'critical' ? 'filled' : 'light'}
      size={size}
      data-severity={severity}
      style={whole}
    >
      {severityLabels[severity]}
    </Badge>
  );
}

/** Time left until the SLA is due (orange when at risk, red once breached); resolved cases say whether it was met. */
export function SlaBadge({
  c,
  now,
  slaHours,
  size = 'sm',
  compact = false,
}: {
  c: SlaInput;
  now: Date;
  slaHours?: number | undefined;
  size?: Size;
  /** The table's short form ("Overdue 2 d"), without the clock icon. */
  compact?: boolean;
}) {
  const view = slaView(c, now, slaHours);
  return (
    <Tooltip label={`${view.label} · due ${formatDateTime(c.sla_due_at)}`} openDelay={250} withArrow>
      <Badge
        color={view.color}
        variant={view.state === 'breached' ? 'filled' : view.state === 'at_risk' ? 'light' : 'outline'}
        size={size}
        leftSection={compact ? undefined : <IconClockHour4 size={12} aria-hidden />}
        data-testid="sla-badge"
        data-sla={view.state}
        style={{ ...whole, fontVariantNumeric: 'tabular-nums' }}
      >
        {compact ? view.short : view.label}
      </Badge>
    </Tooltip>
  );
}

/**
 * The claim lease of an assigned case, counting down every second: blue, orange in its last 2 minutes,
 * red once expired. `compact` shows only the clock ("12:34", "expired"), for lists.
 */
export function LeaseBadge({ expiresAt, size = 'sm', compact = false }: { expiresAt: string; size?: Size; compact?: boolean }) {
  const now = useNow(1000);
  const view = leaseView(expiresAt, now);
  return (
    <Tooltip label={`${view.label} · lease ends ${formatDateTime(expiresAt)}`} openDelay={250} withArrow>
      <Badge
        color={view.color}
        variant={view.state === 'expired' ? 'filled' : 'light'}
        size={size}
        leftSection={<IconLock size={12} aria-hidden />}
        style={{ ...whole, fontVariantNumeric: 'tabular-nums' }}
        data-testid="lease-badge"
        data-lease={view.state}
      >
        {compact ? (
          <>
            <VisuallyHidden>Claim lease </VisuallyHidden>
            {view.countdown}
          </>
        ) : (
          view.label
        )}
      </Badge>
    </Tooltip>
  );
}

/** "5 min ago", with the exact time on hover. */
export function RelativeTime({ value, now, size = 'sm' }: { value: string; now: Date; size?: 'xs' | 'sm' }) {
  return (
    <Tooltip label={`${formatDateTime(value)} · ${formatUtc(value)}`} openDelay={250} withArrow>
      <Text span size={size} c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={value}>{formatRelative(value, now)}</time>
      </Text>
    </Tooltip>
  );
}
