// Formatting of the numbers, durations and times the dashboard shows; every missing or non-finite
// value becomes the dash, so fields a gateway does not report yet render gracefully.

/** What is shown for a value the gateway did not report. */
export const DASH = '–';

/** Whether a value is a finite number. */
export const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** A string or number as display text, or the dash. */
export const asText = (v) => (typeof v === 'string' && v !== '' ? v : isNum(v) ? String(v) : DASH);

/** An integer count with thousands separators. */
export const formatCount = (v) => (isNum(v) ? Math.round(v).toLocaleString('en-US') : DASH);

/** A wall-clock time as HH:MM:SS (local time). */
export const formatClock = (date) => (date === null ? DASH : date.toLocaleTimeString('en-GB', { hour12: false }));

/** Milliseconds with a unit: one decimal under 100 ms, seconds from 1,000 ms. */
export function formatMs(v) {
  if (!isNum(v)) return DASH;
  if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
  if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
  return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ms';
}

/** A latency in ms; 0 is how the gateway reports "nothing observed yet", so it shows as the dash. */
export const formatLatency = (v) => (isNum(v) && v > 0 ? formatMs(v) : DASH);

/** A per-second rate with three significant digits at most. */
export function formatRate(v) {
  if (!isNum(v)) return DASH;
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** A duration in seconds as its two largest units (`2h 05m`, `4m 10s`, `12s`). */
export function formatDuration(seconds) {
  if (!isNum(seconds)) return DASH;
  const s = Math.max(0, Math.floor(seconds));
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return m > 0 ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A time from an ISO string (or epoch seconds or milliseconds) as a Date, or null. */
export function parseTime(v) {
  const date = typeof v === 'string' && v !== '' ? new Date(v) : isNum(v) ? new Date(v < 1e12 ? v * 1000 : v) : null;
  return date === null || Number.isNaN(date.getTime()) ? null : date;
}

/** A time still to come as `HH:MM:SS (in 25s)`; past or missing times are the dash. */
export function formatUntil(v) {
  const until = parseTime(v);
  if (until === null) return DASH;
  const left = (until.getTime() - Date.now()) / 1000;
  return left > 0 ? `${formatClock(until)} (in ${formatDuration(left)})` : DASH;
}

/** A part of a whole as a percentage with one decimal. */
export function formatPercent(part, whole) {
  return isNum(part) && isNum(whole) && whole > 0 ? ((part / whole) * 100).toFixed(1) + '%' : DASH;
}
