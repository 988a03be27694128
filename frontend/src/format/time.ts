/** Wall-clock time and UTC offset in an IANA zone at one instant: { time: "Tue 14:05", offset: "UTC+7" }. */
export interface ZonedTime {
  time: string;
  offset: string;
}

/** Returns null when the browser does not know the zone, so the caller can say so. */
export function timeInZone(now: Date, timeZone: string, locale?: string): ZonedTime | null {
  try {
    const time = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(now);
    return { time, offset: utcOffsetLabel(now, timeZone, locale) ?? timeZone };
  } catch {
    return null;
  }
}

/** Local wall-clock time in an IANA time zone, e.g. "Tue 14:05 (UTC+7)", or null for an unknown zone. */
export function formatTimeInZone(now: Date, timeZone: string, locale?: string): string | null {
  const zoned = timeInZone(now, timeZone, locale);
  return zoned ? `${zoned.time} (${zoned.offset})` : null;
}

/**
 * ICU names offsets "GMT+7" (and UTC itself "GMT" or "GMT+0" depending on the
 * build); Docket says "UTC+7" and "UTC" everywhere.
 */
function asUtcOffset(label: string): string {
  return label.replace(/^GMT(?=$|[+-])/, 'UTC').replace(/^UTC[+-]0$/, 'UTC');
}

/** The zone's UTC offset at that instant, e.g. "UTC+7" or "UTC+5:30". */
export function utcOffsetLabel(now: Date, timeZone: string, locale?: string): string | null {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' }).formatToParts(now);
    const label = parts.find((part) => part.type === 'timeZoneName')?.value;
    return label ? asUtcOffset(label) : null;
  } catch {
    return null;
  }
}

/**
 * A timestamp in the viewer's own zone (or `timeZone`), with the offset named:
 * "24 Nov 2025, 20:18:03 UTC+7". Unparseable input is returned as it came.
 */
export function formatDateTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(date);
  return parts.map((part) => (part.type === 'timeZoneName' ? asUtcOffset(part.value) : part.value)).join('');
}

/** "24 Nov 2025, 17:05" in the viewer's zone: for tables where the minute is enough. */
export function formatCompactDateTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/** The same instant in UTC, unambiguous: "2025-11-24 10:05:03 UTC". */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
