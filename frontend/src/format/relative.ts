/**
 * A span of time for countdowns and "ago" labels, two units at most and
 * never below a minute: "45 min", "3 h 12 min", "2 d 4 h", "under 1 min".
 */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (!Number.isFinite(abs)) return '–';
  const minutes = Math.floor(abs / 60_000);
  if (minutes < 1) return 'under 1 min';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/**
 * A time relative to now, one unit: "just now", "5 min ago", "3 h ago",
 * "2 d ago", "in 20 min". Older than 30 days: the date.
 */
export function formatRelative(iso: string, now: Date, locale?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const diff = now.getTime() - at.getTime();
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
  const minutes = Math.round(abs / 60_000);
  const hours = Math.round(abs / 3_600_000);
  const days = Math.round(abs / 86_400_000);
  let span: string;
  if (minutes < 60) span = `${Math.max(1, minutes)} min`;
  else if (hours < 24) span = `${hours} h`;
  else if (days <= 30) span = `${days} d`;
  else return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
  return diff >= 0 ? `${span} ago` : `in ${span}`;
}
