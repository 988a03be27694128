import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { auditKeys } from './auditKeys';
import { api, unwrap, type Schemas } from './client';
import type { ApiError } from './errors';
import { fetchAllMarkets, systemKeys, type Market } from './system';

/** A market with how its SLA clocks run: `sla_clock`, and for business hours the ISO weekdays (1 = Monday … 7 = Sunday) and "HH:MM" hours in its time zone. */
export type MarketSla = Market;
export type SlaClock = Market['sla_clock'];
/** `PUT /api/v1/markets/{code}`: business-hours fields left out keep their stored values. */
export type MarketSlaInput = Schemas['MarketSettings'];

export const marketKeys = {
  settings: ['markets', 'settings'] as const,
};

/** Markets with their SLA settings, for the admin's Markets tab. */
export function useMarketSettings() {
  return useQuery<MarketSla[], ApiError>({
    queryKey: marketKeys.settings,
    queryFn: ({ signal }) => fetchAllMarkets(signal),
  });
}

export function useUpdateMarketSla(code: string) {
  const queryClient = useQueryClient();
  return useMutation<MarketSla, ApiError, MarketSlaInput>({
    mutationFn: (body) => unwrap(api.PUT('/api/v1/markets/{code}', { params: { path: { code } }, body })),
    onSuccess: (market) => {
      queryClient.setQueryData<MarketSla[]>(marketKeys.settings, (markets) =>
        markets?.map((m) => (m.code === market.code ? market : m)),
      );
      void queryClient.invalidateQueries({ queryKey: marketKeys.settings });
      void queryClient.invalidateQueries({ queryKey: systemKeys.markets });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

export const weekdays: readonly { value: number; short: string; long: string }[] = [
  { value: 1, short: 'Mon', long: 'Monday' },
  { value: 2, short: 'Tue', long: 'Tuesday' },
  { value: 3, short: 'Wed', long: 'Wednesday' },
  { value: 4, short: 'Thu', long: 'Thursday' },
  { value: 5, short: 'Fri', long: 'Friday' },
  { value: 6, short: 'Sat', long: 'Saturday' },
  { value: 7, short: 'Sun', long: 'Sunday' },
];

const shortDay = (day: number) => weekdays.find((w) => w.value === day)?.short ?? String(day);

/**
 * Business days in a few characters: runs of three or more days as a range
 * ("Mon–Fri", "Mon–Fri, Sun"), shorter runs listed ("Sat, Sun"), all seven
 * "Every day", none "No days".
 */
export function formatBusinessDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 0) return 'No days';
  if (sorted.length === 7) return 'Every day';
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]! + 1) continue;
    const run = sorted.slice(start, i);
    if (run.length >= 3) parts.push(`${shortDay(run[0]!)}–${shortDay(run[run.length - 1]!)}`);
    else parts.push(...run.map(shortDay));
    start = i;
  }
  return parts.join(', ');
}

/** "Mon–Fri 09:00–18:00". */
export function formatBusinessHours(market: Pick<MarketSla, 'business_days' | 'business_start' | 'business_end'>): string {
  return `${formatBusinessDays(market.business_days)} ${market.business_start}–${market.business_end}`;
}

/** "Calendar hours (24/7)" or "Business hours, Mon–Fri 09:00–18:00". */
export function formatSlaClock(market: Pick<MarketSla, 'sla_clock' | 'business_days' | 'business_start' | 'business_end'>): string {
  return market.sla_clock === 'business' ? `Business hours, ${formatBusinessHours(market)}` : 'Calendar hours (24/7)';
}

const timeOfDay = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The request for a chosen clock. Calendar hours send only the clock, so the
 * stored business hours stay for the day someone switches back.
 */
export function marketSlaInput(form: { clock: SlaClock; days: readonly number[]; start: string; end: string; version: number }): MarketSlaInput {
  if (form.clock !== 'business') return { sla_clock: 'calendar', version: form.version };
  return {
    sla_clock: 'business',
    business_days: [...new Set(form.days)].sort((a, b) => a - b),
    business_start: form.start.trim(),
    business_end: form.end.trim(),
    version: form.version,
  };
}

/** Problems the form can see before asking the server (which checks again). Only business hours need checking. */
export function checkMarketSla(input: MarketSlaInput): Record<string, string> {
  const problems: Record<string, string> = {};
  if (input.sla_clock !== 'business') return problems;
  const start = input.business_start ?? '';
  const end = input.business_end ?? '';
  if ((input.business_days ?? []).length === 0) problems.business_days = 'Pick at least one business day';
  if (!timeOfDay.test(start)) problems.business_start = 'A time of day, HH:MM (00:00 to 23:59)';
  if (!timeOfDay.test(end) && end !== '24:00') problems.business_end = 'A time of day, HH:MM (up to 24:00)';
  if (!problems.business_start && !problems.business_end && end <= start) problems.business_end = 'After the start of the day';
  return problems;
}
