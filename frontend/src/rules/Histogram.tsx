import { Group, Text } from '@mantine/core';
import classes from './rules.module.css';

export interface DayCount {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  hits: number;
}

const DAY_MS = 86_400_000;

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * Every day from the first to the last (UTC), with the hits the server
 * counted and zero for the days it did not list. `from`/`to` widen the range
 * to the whole backtest window; at most `limit` days are kept (the latest).
 */
export function fillDays(days: readonly DayCount[], from?: string, to?: string, limit = 400): DayCount[] {
  const counts = new Map(days.map((d) => [d.day, d.hits]));
  const known = days.map((d) => Date.parse(`${d.day}T00:00:00Z`)).filter((t) => Number.isFinite(t));
  const starts = [...known];
  const ends = [...known];
  if (from && Number.isFinite(Date.parse(from))) starts.push(Date.parse(`${utcDay(Date.parse(from))}T00:00:00Z`));
  // The window's end is exclusive: a window ending at midnight does not include that day.
  if (to && Number.isFinite(Date.parse(to))) ends.push(Date.parse(`${utcDay(Date.parse(to) - 1)}T00:00:00Z`));
  if (starts.length === 0 || ends.length === 0) return [];
  let first = Math.min(...starts);
  const last = Math.max(...ends);
  if (last < first) return [];
  if ((last - first) / DAY_MS + 1 > limit) first = last - (limit - 1) * DAY_MS;
  const out: DayCount[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const day = utcDay(t);
    out.push({ day, hits: counts.get(day) ?? 0 });
  }
  return out;
}

function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Hits per day as a small bar chart (SVG, no chart library); hover a bar for its day and count. */
export function Histogram({ days, from, to, height = 120 }: { days: readonly DayCount[]; from?: string; to?: string; height?: number }) {
  const filled = fillDays(days, from, to);
  if (filled.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="backtest-histogram">
        No days in the window.
      </Text>
    );
  }
  const max = Math.max(1, ...filled.map((d) => d.hits));
  const total = filled.reduce((sum, d) => sum + d.hits, 0);
  const busiest = filled.reduce((best, d) => (d.hits > best.hits ? d : best), filled[0]!);
  const barWidth = 10;
  const gap = filled.length > 60 ? 1 : 2;
  const width = filled.length * barWidth;
  return (
    <div data-testid="backtest-histogram">
      <Group justify="space-between" mb={4}>
        <Text size="xs" c="dimmed">
          Hits per day (UTC)
        </Text>
        <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
          max {max.toLocaleString('en')}
        </Text>
      </Group>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        width="100%"
        height={height}
        role="img"
        aria-label={`Hits per day: ${total.toLocaleString('en')} over ${filled.length} days, most on ${busiest.day} (${busiest.hits.toLocaleString('en')})`}
        style={{ display: 'block', background: 'var(--mantine-color-gray-0)', borderRadius: 4 }}
      >
        {filled.map((d, index) => {
          const h = d.hits === 0 ? 0 : Math.max(2, (d.hits / max) * (height - 4));
          return (
            <g key={d.day}>
              {/* A full-height invisible target, so thin bars are easy to hover. */}
              <rect x={index * barWidth} y={0} width={barWidth} height={height} fill="transparent">
                <title>{`${d.day}: ${d.hits.toLocaleString('en')} hits`}</title>
              </rect>
              <rect
                className={classes.histogramBar}
                x={index * barWidth + gap / 2}
                y={height - h}
                width={barWidth - gap}
                height={h}
                fill="var(--mantine-color-indigo-5)"
                data-day={d.day}
                data-hits={d.hits}
              >
                <title>{`${d.day}: ${d.hits.toLocaleString('en')} hits`}</title>
              </rect>
            </g>
          );
        })}
      </svg>
      <Group justify="space-between" mt={2}>
        <Text size="xs" c="dimmed">
          {shortDay(filled[0]!.day)}
        </Text>
        <Text size="xs" c="dimmed">
          {shortDay(filled[filled.length - 1]!.day)}
        </Text>
      </Group>
    </div>
  );
}
