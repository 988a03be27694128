import type { CaseStatus } from '../api/cases';
import { formatSpan } from '../format/relative';

/**
 * Where a case stands against its SLA:
 * - `ok`: open, more than a fifth of its SLA left;
 * - `at_risk`: open, 80 % of the SLA used (DESIGN.md's at-risk notice), or
 *   under two hours left when the SLA's length is unknown;
 * - `breached`: open and past due (the server's `sla_breached`, or the clock);
 * - `paused`: on hold; the server gives the held time back on resume, so a
 *   countdown would be wrong (DESIGN.md: the SLA is paused while on hold);
 * - `met` / `missed`: resolved before / after the due time.
 */
export type SlaState = 'ok' | 'at_risk' | 'breached' | 'paused' | 'met' | 'missed';

export interface SlaInput {
  status: CaseStatus;
  sla_due_at: string;
  sla_breached: boolean;
  resolved_at?: string | null | undefined;
}

export interface SlaView {
  state: SlaState;
  /** The badge's text: "3 h 12 min left", "Breached 2 h ago", "SLA met". */
  label: string;
  /** For dense tables, one unit: "3 h left", "Overdue 2 d", "Met". */
  short: string;
  color: string;
}

/** One unit, for tight spaces: "2 d", "5 h", "40 min". */
function roughSpan(ms: number): string {
  return formatSpan(ms).replace(/^(\d+ (?:d|h)) .*$/, '$1');
}

/** The share of the SLA that must remain before a case counts as at risk. */
export const AT_RISK_REMAINING = 0.2;
/** Without the SLA's length: at risk in the last two hours. */
export const AT_RISK_FALLBACK_MS = 2 * 3_600_000;

/**
 * @param slaHours the SLA's length for the case's severity (from its policy), when known.
 */
export function slaView(c: SlaInput, now: Date, slaHours?: number): SlaView {
  const due = new Date(c.sla_due_at).getTime();
  if (c.status === 'resolved') {
    const resolvedAt = c.resolved_at ? new Date(c.resolved_at).getTime() : Number.NaN;
    if (Number.isNaN(resolvedAt) || resolvedAt <= due) return { state: 'met', label: 'SLA met', short: 'Met', color: 'gray' };
    const late = resolvedAt - due;
    return { state: 'missed', label: `SLA missed by ${formatSpan(late)}`, short: `Missed ${roughSpan(late)}`, color: 'gray' };
  }
  if (c.status === 'on_hold') return { state: 'paused', label: 'SLA paused (on hold)', short: 'Paused', color: 'gray' };
  const remaining = due - now.getTime();
  if (c.sla_breached || remaining <= 0) {
    return {
      state: 'breached',
      label: remaining < 0 ? `SLA breached ${formatSpan(remaining)} ago` : 'SLA breached',
      short: remaining < 0 ? `Overdue ${roughSpan(remaining)}` : 'Overdue',
      color: 'red',
    };
  }
  const threshold = slaHours && slaHours > 0 ? slaHours * 3_600_000 * AT_RISK_REMAINING : AT_RISK_FALLBACK_MS;
  const label = `${formatSpan(remaining)} left`;
  const short = `${roughSpan(remaining)} left`;
  if (remaining <= threshold) return { state: 'at_risk', label, short, color: 'orange' };
  return { state: 'ok', label, short, color: 'gray' };
}

export type LeaseState = 'active' | 'ending' | 'expired';

/** The last minutes of a claim lease, when the reviewer should act or renew (the countdown turns orange). */
export const LEASE_ENDING_MS = 2 * 60_000;

/** A countdown on a clock face: "14:59", "00:07"; an hour or more "1:02:03". Rounds up, so it reads 00:00 only at the end. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

export interface LeaseView {
  state: LeaseState;
  /** "12:34", or "expired". */
  countdown: string;
  /** "Claim expires in 12:34" / "Claim expired". */
  label: string;
  color: string;
}

export function leaseView(expiresAt: string, now: Date): LeaseView {
  const remaining = new Date(expiresAt).getTime() - now.getTime();
  if (!(remaining > 0)) return { state: 'expired', countdown: 'expired', label: 'Claim expired', color: 'red' };
  const countdown = formatCountdown(remaining);
  const label = `Claim expires in ${countdown}`;
  return remaining <= LEASE_ENDING_MS
    ? { state: 'ending', countdown, label, color: 'orange' }
    : { state: 'active', countdown, label, color: 'blue' };
}
