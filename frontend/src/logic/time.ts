// Date and night rules of PRODUCT.md, mirrored from diary/nights.py, plus the app's dark-theme window and
// the patient's clock in words (zone labels, mirrored from diary/zones.py).
//
// A night belongs to the evening it starts: the night of local date D runs from 12:00 on D to 12:00 on
// D + 1, by the clock (also on daylight-saving days). A window [start, end) with start > end spans midnight.

import { strings } from '../strings';
import { locale } from '../locale';

export interface LocalParts {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** Minutes since local midnight, by the clock. */
  minutes: number;
  /** Monday = 0 … Sunday = 6. */
  weekday: number;
}

const NOON = 12 * 60;
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date, time and weekday of an instant in an IANA zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  let f: Intl.DateTimeFormat;
  try {
    f = formatter(timeZone);
  } catch {
    f = formatter('UTC');
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: hour * 60 + Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday] ?? 0,
  };
}

/** "HH:MM" or "HH:MM:SS" → minutes since midnight (NaN when malformed). */
export function parseClock(text: string | null | undefined): number {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec((text ?? '').trim());
  if (!m) return Number.NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return Number.NaN;
  return h * 60 + min;
}

export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** The night a local wall time belongs to: its date from 12:00 on, else the day before. */
export function nightOf(localDate: string, clockMinutes: number): string {
  return clockMinutes >= NOON ? localDate : addDays(localDate, -1);
}

export function nightOfInstant(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return nightOf(p.date, p.minutes);
}

/** Whether a clock time falls in [start, end); a window with start > end spans midnight; start == end: empty. */
export function inWindow(clock: number, start: number, end: number): boolean {
  if (Number.isNaN(start) || Number.isNaN(end) || start === end) return false;
  if (start < end) return start <= clock && clock < end;
  return clock >= start || clock < end;
}

export interface NightWindow {
  night_start: string;
  night_end: string;
  timezone?: string;
}

export const DEFAULT_NIGHT: NightWindow = { night_start: '22:00', night_end: '07:00' };

/** Whether an instant falls in the patient's night window, in the patient's zone. */
export function inNightWindow(instant: Date, window: NightWindow | null | undefined): boolean {
  const w = window ?? DEFAULT_NIGHT;
  const zone = w.timezone || deviceTimeZone();
  const { minutes } = localParts(instant, zone);
  return inWindow(minutes, parseClock(w.night_start), parseClock(w.night_end));
}

/** A cramp is nocturnal if it woke the patient, came while sleeping, or fell in the night window. */
export function isNocturnal(input: {
  clockMinutes: number;
  wokeFromSleep: boolean;
  activity: string;
  nightStart: string;
  nightEnd: string;
}): boolean {
  return (
    input.wokeFromSleep ||
    input.activity === 'sleeping' ||
    inWindow(input.clockMinutes, parseClock(input.nightStart), parseClock(input.nightEnd))
  );
}

/** Dark theme: the device prefers dark, or it is the patient's night (default 22:00–07:00). */
export function wantsDarkTheme(instant: Date, window: NightWindow | null | undefined, prefersDark: boolean): boolean {
  return prefersDark || inNightWindow(instant, window);
}

/** Defaults of a new cramp at this moment: asleep at night, resting by day. */
export function crampDefaults(instant: Date, window: NightWindow | null | undefined): {
  activity: 'sleeping' | 'resting';
  woke_from_sleep: boolean;
} {
  const night = inNightWindow(instant, window);
  return { activity: night ? 'sleeping' : 'resting', woke_from_sleep: night };
}

/** A value for <input type="datetime-local"> in the device's zone. */
export function toLocalInput(instant: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}T${pad(instant.getHours())}:${pad(instant.getMinutes())}`;
}

/** <input type="datetime-local"> (device zone) → ISO 8601 in UTC; null when empty or malformed. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

// --- Whose clock: times belong to the patient ---------------------------------------------------
//
// Every time a clinician sees is on the patient's clock, labelled with the zone ("03:48 New York time"),
// the viewer's own beside it where it helps. Zone labels mirror diary/zones.py (the server's reasons).

// Names for UTC itself: no city to name, no offset worth writing.
const UTC_NAMES = new Set([
  'UTC', 'UCT', 'GMT', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich', 'Universal', 'Zulu', 'Etc/UTC', 'Etc/UCT',
  'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/Greenwich', 'Etc/Universal', 'Etc/Zulu',
]);
// A minus sign, which screen readers read as "minus" (a hyphen reads as "dash").
const MINUS = '\u2212';

/** The zone itself when this browser knows it, else UTC: a time is never drawn on one clock and labelled with another. */
export function clockZone(zone: string | null | undefined): string {
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

/** A zone's offset from UTC at an instant, in minutes, east positive (NaN for a zone this browser does not know). */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  if (!isValidTimeZone(zone) || Number.isNaN(at.getTime())) return Number.NaN;
  const p = localParts(at, zone);
  const [y, m, d] = p.date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d) + p.minutes * 60_000;
  return Math.round((wall - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** "UTC+1", "UTC+5:45", "UTC−5"; "UTC" at no offset; the name itself for a zone this browser does not know. */
export function offsetLabel(zone: string, at: Date = new Date()): string {
  const minutes = zoneOffsetMinutes(zone, at);
  if (Number.isNaN(minutes)) return zone;
  if (minutes === 0) return strings.zones.utc;
  const h = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  return `UTC${minutes > 0 ? '+' : MINUS}${h}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
}

function cityOf(zone: string): string | null {
  const slash = zone.lastIndexOf('/');
  const area = zone.slice(0, slash);
  const place = zone.slice(slash + 1);
  return slash > 0 && area !== 'Etc' && place ? place.replace(/_/g, ' ') : null;
}

/**
 * A zone as people say it: its city ("America/New_York": "New York time"), "UTC" for UTC, and for a
 * zone without a city (Etc/GMT+5, EST5EDT) its offset at `at` (default now).
 */
export function zoneLabel(zone: string, at: Date = new Date()): string {
  if (UTC_NAMES.has(zone)) return strings.zones.utc;
  const city = cityOf(zone);
  return city ? strings.zones.cityTime(city) : offsetLabel(zone, at);
}

/** Whether a zone's label is the same all year (a city, UTC, a fixed offset), so a column heading can carry it once. */
export function zoneLabelIsFixed(zone: string): boolean {
  if (UTC_NAMES.has(zone) || cityOf(zone)) return true;
  const jan = zoneOffsetMinutes(zone, new Date(Date.UTC(2026, 0, 15)));
  return jan === zoneOffsetMinutes(zone, new Date(Date.UTC(2026, 6, 15)));
}

export interface ZoneFormat {
  /** false: the clock time only ("03:48"). */
  date?: boolean;
  /** false: the day and month without the year. */
  year?: boolean;
  weekday?: boolean;
  locale?: string;
}

function asDate(instant: Date | string | null | undefined): Date | null {
  if (!instant) return null;
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An instant on a zone's clock, always 24-hour: "30 Nov 2026, 03:48" (en-GB), "03:48" with date: false; '' when not a time. */
export function formatInZone(instant: Date | string | null | undefined, zone: string, o: ZoneFormat = {}): string {
  const d = asDate(instant);
  if (!d) return '';
  const day: Intl.DateTimeFormatOptions =
    o.date === false
      ? {}
      : { day: 'numeric', month: 'short', year: o.year === false ? undefined : 'numeric', weekday: o.weekday ? 'short' : undefined };
  return d.toLocaleString(o.locale ?? locale(), { ...day, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: clockZone(zone) });
}

/** An instant on a zone's clock, labelled: "30 Nov 2026, 03:48 New York time". */
export function formatWithZone(instant: Date | string | null | undefined, zone: string, o: ZoneFormat = {}): string {
  const d = asDate(instant);
  if (!d) return '';
  const z = clockZone(zone);
  return `${formatInZone(d, z, o)} ${zoneLabel(z, d)}`;
}

export interface PatientTime {
  /** On the patient's clock, labelled: "30 Nov 2026, 03:48 New York time". */
  text: string;
  /** The two parts of `text`: "30 Nov 2026, 03:48" and "New York time". */
  clock: string;
  label: string;
  /** The viewer's own clock when it reads differently ("09:48 your time", with the date when the day differs); else null. */
  own: string | null;
}

/**
 * An instant as the patient lived it, and as the viewer's clock shows it when that differs. A night
 * cramp at 03:00 New York time reads 03:00 for a clinician in Berlin, with "09:00 your time" beside it.
 */
export function patientTime(
  instant: Date | string | null | undefined,
  patientZone: string,
  viewerZone: string | null | undefined,
  o: ZoneFormat = {},
): PatientTime | null {
  const d = asDate(instant);
  if (!d) return null;
  const zone = clockZone(patientZone);
  const clock = formatInZone(d, zone, o);
  const label = zoneLabel(zone, d);
  const theirTime = { text: `${clock} ${label}`, clock, label };
  if (!viewerZone) return { ...theirTime, own: null };
  const viewer = clockZone(viewerZone);
  const theirs = localParts(d, zone);
  const mine = localParts(d, viewer);
  if (theirs.date === mine.date && theirs.minutes === mine.minutes) return { ...theirTime, own: null };
  const sameDay = theirs.date === mine.date;
  const own = formatInZone(d, viewer, { locale: o.locale, date: !sameDay, year: false });
  return { ...theirTime, own: strings.zones.yourTime(own) };
}

/** The instant a wall-clock time of a local date has in a zone (clock minutes since midnight). */
export function instantInZone(date: string, minutes: number, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const z = clockZone(zone);
  // Twice: the offset at the first guess may be the other side of a daylight-saving change.
  let t = wall - zoneOffsetMinutes(z, new Date(wall)) * 60_000;
  t = wall - zoneOffsetMinutes(z, new Date(t)) * 60_000;
  return new Date(t);
}

/**
 * A time the patient reads in their own app: on their profile's clock (the one their reminders keep),
 * labelled with the zone only when this device's clock reads differently (travelling, a wrong setting).
 */
export function ownClockTime(
  instant: Date | string | null | undefined,
  profileZone: string | null | undefined,
  deviceZone: string,
  o: ZoneFormat = {},
): string {
  const d = asDate(instant);
  if (!d) return '';
  const zone = clockZone(profileZone || deviceZone);
  const here = localParts(d, clockZone(deviceZone));
  const theirs = localParts(d, zone);
  const same = here.date === theirs.date && here.minutes === theirs.minutes;
  return same ? formatInZone(d, zone, o) : formatWithZone(d, zone, o);
}

/**
 * A diary record's time as the patient reads it: on the clock of the zone it was logged in, labelled with
 * that zone when it is not the profile's now ("20:00 (Berlin time)" after a move to Tokyo); a record
 * without a zone (not yet stamped) reads as ownClockTime does.
 */
export function recordTime(
  instant: Date | string | null | undefined,
  recordZone: unknown,
  profileZone: string | null | undefined,
  deviceZone: string,
  o: ZoneFormat = {},
): { text: string; otherZone: boolean } {
  const d = asDate(instant);
  if (!d) return { text: '', otherZone: false };
  const current = clockZone(profileZone || deviceZone);
  const lived = recordZoneOr(recordZone, current);
  if (!sameClock(lived, current, d)) {
    return { text: strings.zones.loggedIn(formatInZone(d, lived, o), zoneLabel(lived, d)), otherZone: true };
  }
  return { text: ownClockTime(d, profileZone, deviceZone, o), otherZone: false };
}

/** Whether two zones are one (or read the same clock at that instant and carry the same label: an alias). */
function sameClock(a: string, b: string, at: Date): boolean {
  return a === b || (zoneOffsetMinutes(a, at) === zoneOffsetMinutes(b, at) && zoneLabel(a, at) === zoneLabel(b, at));
}

/** The local day of a record: in the zone it was logged in when it names one, else in `zone`. */
export function recordZoneOr(recordZone: unknown, zone: string): string {
  return typeof recordZone === 'string' && isValidTimeZone(recordZone) ? recordZone : zone;
}

/** A time on the device's clock, with the date unless `withDate` is false (the waiting list, History's lines). */
export function formatTime(iso: string | null | undefined, withDate = true): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(locale(), withDate ? { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "45 s", "1.5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const min = Math.round(seconds / 6) / 10;
  return `${min % 1 === 0 ? min.toFixed(0) : min} min`;
}

/** A local date (YYYY-MM-DD, already the patient's day) as words, "3 Nov 2026"; '' when not a date. Named at
 * its noon in UTC so no zone shifts it to a neighbouring day. */
export function formatLocalDate(date: unknown, o: { locale?: string; year?: boolean; weekday?: boolean } = {}): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString(o.locale ?? locale(), {
    day: 'numeric',
    month: 'short',
    year: o.year === false ? undefined : 'numeric',
    weekday: o.weekday ? 'short' : undefined,
    timeZone: 'UTC',
  });
}
