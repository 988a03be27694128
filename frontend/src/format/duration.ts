/**
 * Formats a duration in whole seconds the way people read uptime:
 * "42 s", "12 min", "3 h 12 min", "2 d 4 h". Two units at most; the smaller
 * one is dropped when it is zero. Negative or non-finite input reads "0 s".
 */
export function formatUptime(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '0 s';
  const seconds = Math.floor(totalSeconds);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);

  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return `${minutes} min`;
  return `${seconds} s`;
}

/** Formats a latency in milliseconds: "0.42 ms", "3.1 ms", "120 ms", "1.5 s". */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1).replace(/\.0$/, '')} ms`;
  return `${ms.toFixed(2).replace(/\.?0+$/, '') || '0'} ms`;
}
