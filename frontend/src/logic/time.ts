// Date and night rules of PRODUCT.md, mirrored from diary/nights.py, plus the app's dark-theme window.
//
// A night belongs to the evening it starts: the night of local date D runs from 12:00 on D to 12:00 on
// D + 1, by the clock (also on daylight-saving days). A window [start, end) with start > end spans midnight.

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
