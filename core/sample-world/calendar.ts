/**
 * Dates for the sample world: the fixed period it covers, local days in the brand's time zone
 * (cut once per day through `Intl`, so daylight-saving shifts are real), and the seasonality
 * every volume is multiplied by. Never reads the wall clock.
 */

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;
/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;

/** Returns the UTC midnight of a `YYYY-MM-DD` date in epoch milliseconds. */
export function dateToUtcMs(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`invalid date "${date}" (expected YYYY-MM-DD)`);
  return ms;
}

/** Returns the `YYYY-MM-DD` of a UTC epoch-millisecond instant. */
export function utcDateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Returns the date `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  return utcDateOf(dateToUtcMs(date) + days * DAY_MS);
}

/** Returns the whole days from date `from` to date `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateToUtcMs(to) - dateToUtcMs(from)) / DAY_MS);
}

/** Formats an epoch-millisecond instant as an ISO-8601 UTC timestamp with second precision. */
export function toIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
// Building an Intl formatter costs far more than using one, and the fakes ask for offsets per record.
function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    wallClockFormats.set(timeZone, format);
  }
  return format;
}

/** Returns the offset of `timeZone` from UTC, in minutes, at an instant (New York in summer: −240). */
export function utcOffsetMinutes(timeZone: string, atMs: number): number {
  const parts = wallClockFormat(timeZone).formatToParts(new Date(atMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(atMs / 1000) * 1000) / MINUTE_MS);
}

/** The period a world covers, with each local day's start instant and demand multiplier. */
export interface Calendar {
  /** First local day (`YYYY-MM-DD`). */
  start: string;
  /** Last local day, included. */
  end: string;
  /** IANA time zone the days are cut in. */
  timeZone: string;
  /** Every local day of the period, in order. */
  dates: string[];
  /** UTC instant of each local day's midnight. */
  dayStartMs: number[];
  /** Demand multiplier of each day (weekday × month × retail peaks), around 1. */
  seasonality: number[];
}

// Outdoor retail: strong November–December, soft January–February, a spring/summer hump.
const MONTH_FACTOR = [0.8, 0.82, 0.95, 1.0, 1.05, 1.02, 0.97, 0.95, 1.0, 1.05, 1.2, 1.35];
const WEEKDAY_FACTOR = [0.92, 1.02, 1.0, 1.0, 1.02, 1.05, 0.88]; // Sunday first

/** Returns Black Friday (the day after the fourth Thursday of November) of a year. */
export function blackFriday(year: number): string {
  const first = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - first + 7) % 7);
  return utcDateOf(Date.UTC(year, 10, firstThursday + 21 + 1));
}

function retailPeak(date: string): number {
  const year = Number(date.slice(0, 4));
  const bf = blackFriday(year);
  const fromBf = daysBetween(bf, date);
  if (fromBf === 0) return 2.6;
  if (fromBf === 3) return 2.1; // Cyber Monday
  if (fromBf >= 1 && fromBf <= 2) return 1.6;
  const md = date.slice(5);
  if (md >= '12-10' && md <= '12-20') return 1.3;
  if (md === '12-25') return 0.5;
  return 1;
}

/** Builds the calendar of `days` local days from `start` in `timeZone`. */
export function buildCalendar(start: string, days: number, timeZone: string): Calendar {
  if (!Number.isInteger(days) || days < 1) throw new Error(`days must be a positive integer, got ${days}`);
  const dates: string[] = [];
  const dayStartMs: number[] = [];
  const seasonality: number[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(start, i);
    const utcMidnight = dateToUtcMs(date);
    // The offset at local noon is the offset at local midnight except on a few DST days; good enough.
    const offset = utcOffsetMinutes(timeZone, utcMidnight + 12 * HOUR_MS);
    dates.push(date);
    dayStartMs.push(utcMidnight - offset * MINUTE_MS);
    const d = new Date(utcMidnight);
    seasonality.push((MONTH_FACTOR[d.getUTCMonth()] ?? 1) * (WEEKDAY_FACTOR[d.getUTCDay()] ?? 1) * retailPeak(date));
  }
  return { start, end: dates[dates.length - 1] ?? start, timeZone, dates, dayStartMs, seasonality };
}

/** Returns the index of the local day holding an instant, clamped to the calendar. */
export function localDayIndex(calendar: Calendar, atMs: number): number {
  const starts = calendar.dayStartMs;
  let i = Math.floor((atMs - (starts[0] ?? 0)) / DAY_MS);
  if (i < 0) return 0;
  if (i >= starts.length) return starts.length - 1;
  while (i > 0 && atMs < (starts[i] ?? 0)) i--;
  while (i + 1 < starts.length && atMs >= (starts[i + 1] ?? Infinity)) i++;
  return i;
}

/** Returns the end instant (exclusive) of the calendar's last local day. */
export function calendarEndMs(calendar: Calendar): number {
  return (calendar.dayStartMs[calendar.dayStartMs.length - 1] ?? 0) + DAY_MS;
}

// Share of activity in each local hour: quiet nights, lunch bump, evening peak (drives midnight edges).
const HOURLY_WEIGHTS = [1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.2, 2.4, 3.6, 4.3, 4.8, 5.2, 5.8, 5.5, 5.0, 4.8, 4.9, 5.3, 6.0, 6.6, 7.0, 6.6, 4.6, 2.6];
const HOURLY_CUMULATIVE = (() => {
  const total = HOURLY_WEIGHTS.reduce((a, b) => a + b, 0);
  let acc = 0;
  return HOURLY_WEIGHTS.map((w) => (acc += w / total));
})();

/** Maps a uniform draw in [0, 1) to a millisecond offset into a local day with a realistic hourly shape. */
export function localTimeOfDayMs(uniformHour: number, uniformWithinHour: number): number {
  let hour = 0;
  while (hour < 23 && uniformHour >= (HOURLY_CUMULATIVE[hour] ?? 1)) hour++;
  return hour * HOUR_MS + Math.floor(uniformWithinHour * HOUR_MS);
}
