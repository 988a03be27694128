import { Badge, type BadgeProps } from '@mantine/core';
import type { RuleStatus } from '../api/rules';

/** In lifecycle order. */
export const ruleStatuses: readonly RuleStatus[] = ['draft', 'shadow', 'live', 'disabled'];

export const ruleStatusLabels: Record<RuleStatus, string> = {
  draft: 'Draft',
  shadow: 'Shadow',
  live: 'Live',
  disabled: 'Disabled',
};

export const ruleStatusColors: Record<RuleStatus, string> = {
  draft: 'gray',
  shadow: 'violet',
  live: 'green',
  disabled: 'dark',
};

/** What each state means, for tooltips and the editor. */
export const ruleStatusDescriptions: Record<RuleStatus, string> = {
  draft: 'Not evaluated: being written.',
  shadow: 'Evaluated on every signal and its hits recorded, but it opens no cases.',
  live: 'Evaluated on every signal; its hits open or join cases.',
  disabled: 'Not evaluated any more.',
};

const whole = { maxWidth: 'none', minWidth: 'max-content', flex: 'none' } as const;

export function RuleStatusBadge({ status, size = 'sm' }: { status: RuleStatus; size?: BadgeProps['size'] }) {
  return (
    <Badge color={ruleStatusColors[status]} variant={status === 'disabled' ? 'outline' : 'light'} size={size} data-status={status} style={whole}>
      {ruleStatusLabels[status]}
    </Badge>
  );
}

export function HitModeBadge({ mode }: { mode: 'live' | 'shadow' }) {
  return (
    <Badge color={ruleStatusColors[mode]} variant="light" size="xs" style={whole}>
      {ruleStatusLabels[mode]}
    </Badge>
  );
}

/** A share as a whole percentage ("83 %"), or a dash when unknown. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const percent = value * 100;
  return `${percent > 0 && percent < 1 ? '<1' : Math.round(percent)} %`;
}

/** Hours as the largest sensible unit: "45 min", "5.5 h", "3.2 d". */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return '–';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} d`;
}

/** A rate with one decimal below ten ("2.5", "14"). */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value < 10 ? String(Math.round(value * 10) / 10) : new Intl.NumberFormat('en').format(Math.round(value));
}
