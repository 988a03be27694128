import { Text, Tooltip } from '@mantine/core';
import { formatCompactDateTime, formatDateTime, formatUtc } from '../format/time';

interface TimestampProps {
  value: string | null | undefined;
  /** What to say when there is no time (e.g. "Never"). */
  empty?: string;
  /** With seconds and the UTC offset, for the audit log. */
  precise?: boolean;
}

/** A time in the viewer's zone; hovering shows it in UTC. */
export function Timestamp({ value, empty = '—', precise = false }: TimestampProps) {
  if (!value) {
    return (
      <Text span size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Tooltip label={formatUtc(value)} openDelay={250} withArrow>
      <Text span size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
        <time dateTime={value}>{precise ? formatDateTime(value) : formatCompactDateTime(value)}</time>
      </Text>
    </Tooltip>
  );
}
