// The clinician workspace's pure rules: insight code labels, the period → days mapping, the API URLs,
// relative dates, and the insight evidence in words (times on the patient's clock). No DOM, no fetch:
// tested in tests/clinician.test.ts and tests/clinician-times.test.ts.

import { ApiError } from '../api/client';

export { isTwoFactorRequired } from '../api/client';
import type { Collection, Level } from '../api/types';
import { strings } from '../strings';
import { addDays, formatWithZone, instantInZone } from './time';
import { locale as appLocale } from '../locale';

const C = strings.clinician;
const E = strings.evidence;

// --- insight codes and levels ---

/** A short human label for an insight code; an unknown (newer) code is still readable. */
export function insightLabel(code: string): string {
  const known = strings.insightLabels[code];
  if (known) return known;
  const words = code.replace(/_/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : code;
}

/** The level in words ("Urgent", "Advice", "Information"); no level at all is "None". */
export function levelLabel(level: Level | string | null | undefined): string {
  if (!level) return C.noLevel;
  return strings.trends.level[level] ?? level;
}

/** "n/28 days": days with at least 8 hours of stockings among the last 28. */
export function adherenceText(days: number | null | undefined): string {
  return C.adherence(Math.max(0, Math.min(28, Math.round(days ?? 0))));
}

// --- the period of the patient page ---

export const RANGES = [
  { key: '4w', days: 28 },
  { key: '12w', days: 84 },
  { key: '6m', days: 182 },
  { key: '1y', days: 365 },
] as const;

export type RangeKey = (typeof RANGES)[number]['key'];
export const DEFAULT_RANGE: RangeKey = '12w';

/** The `days` query of a period: 4 weeks 28, 12 weeks 84, 6 months 182, 1 year 365. */
export function rangeDays(key: string | null | undefined): number {
  return (RANGES.find((r) => r.key === key) ?? RANGES.find((r) => r.key === DEFAULT_RANGE)!).days;
}

/** The period a `?days=` value stands for (the default for anything else). */
export function rangeFromDays(days: string | number | null | undefined): RangeKey {
  const n = Number(days);
  return RANGES.find((r) => r.days === n)?.key ?? DEFAULT_RANGE;
}

export function rangeLabel(key: RangeKey): string {
  return C.ranges[key] ?? key;
}

// --- URLs (same origin; the session cookie authenticates) ---

const BASE = '/api/v1/clinician/patients/';
export const LIST_PAGE_SIZE = 25;
export const ENTRIES_PAGE_SIZE = 25;

function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** `assignedToMe`: only the patients a clinic of mine has assigned to me (`?assigned=me`). */
export function patientsUrl(search: string, page: number, assignedToMe = false): string {
  return withQuery(BASE, {
    search: search.trim(),
    page: page > 1 ? page : null,
    page_size: LIST_PAGE_SIZE,
    assigned: assignedToMe ? 'me' : null,
  });
}

/** The list's own address (/clinician?search=&assigned=me&page=): the filter is kept in the URL. */
export function listHref(search: string, page: number, assignedToMe = false): string {
  return withQuery('/clinician', {
    search: search.trim(),
    assigned: assignedToMe ? 'me' : null,
    page: page > 1 ? page : null,
  });
}

export function patientBase(id: string): string {
  return `${BASE}${encodeURIComponent(id)}/`;
}

export function trendsUrl(id: string, days: number): string {
  return withQuery(`${patientBase(id)}trends/`, { days });
}

export function insightsUrl(id: string): string {
  return `${patientBase(id)}insights/`;
}

export type ExportFormat = 'pdf' | 'fhir' | 'csv';

export function exportUrl(id: string, format: ExportFormat, days: number): string {
  return withQuery(`${patientBase(id)}export/`, { format, days });
}

/** `timeZone`: the patient's; the dates are then the patient's days, as the table's times are on their clock. */
export function entriesUrl(
  id: string,
  kind: Collection,
  filter: { since?: string; until?: string; page?: number; timeZone?: string },
): string {
  return withQuery(`${patientBase(id)}${kind}/`, {
    since: filter.since ? dayStartIso(filter.since, filter.timeZone) : null,
    until: filter.until ? dayEndIso(filter.until, filter.timeZone) : null,
    page: filter.page && filter.page > 1 ? filter.page : null,
    page_size: ENTRIES_PAGE_SIZE,
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The start of a local date (YYYY-MM-DD) as an ISO instant: in `timeZone`, else this browser's zone. */
export function dayStartIso(date: string, timeZone?: string): string | null {
  if (timeZone) return DATE.test(date) ? instantInZone(date, 0, timeZone).toISOString() : null;
  const d = new Date(`${date}T00:00:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The last millisecond of a local date as an ISO instant (`until` is inclusive); days of 23 or 25 hours too. */
export function dayEndIso(date: string, timeZone?: string): string | null {
  if (timeZone) {
    return DATE.test(date) ? new Date(instantInZone(addDays(date, 1), 0, timeZone).getTime() - 1).toISOString() : null;
  }
  const d = new Date(`${date}T23:59:59.999`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function pageCount(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

// --- app paths of the workspace (in their own small module: the app frame needs them at first load) ---

export { clinicianView, patientPath, type ClinicianView } from './clinicianPaths';

// --- errors ---

/** What to say after a failed redeem: the API's own message (400), the wait (429), or the general one. */
export function redeemErrorText(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.kind === 'throttled') {
    if (error.retryAfterSeconds === null) return C.tooManyTriesSoon;
    return C.tooManyTries(Math.max(1, Math.ceil(error.retryAfterSeconds / 60)));
  }
  if (error.kind === 'validation') {
    const messages = error.fields.code ?? [];
    return messages.length ? messages.join(' ') : (error.detail ?? null);
  }
  return null;
}

// --- dates in words ---

/** "3 days ago", "yesterday", "just now" (a time slightly in the future, from clock skew, too). */
export function relativeTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return C.never;
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return C.never;
  const R = strings.relative;
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  if (minutes < 1) return R.justNow;
  if (minutes < 60) return R.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return R.hours(hours);
  const days = Math.floor(hours / 24);
  if (days < 14) return R.days(days);
  if (days < 60) return R.weeks(Math.floor(days / 7));
  if (days < 365) return R.months(Math.floor(days / 30));
  return R.years(Math.floor(days / 365));
}

/** An instant as an absolute local date and time ("21 Nov 2026, 03:07"). */
export function absoluteTime(iso: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(locale ?? appLocale(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
}

/** A calendar date (YYYY-MM-DD) as "20 Nov 2026" (`year: false`: "20 Nov"). */
export function formatDay(date: string, options: { locale?: string; year?: boolean } = {}): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(options.locale ?? appLocale(), {
    day: 'numeric',
    month: 'short',
    year: options.year === false ? undefined : 'numeric',
    timeZone: 'UTC',
  });
}

/** Sorted distinct dates grouped in runs of consecutive days: [["2026-11-01","2026-11-03"], ["2026-11-05"]]. */
export function dateRuns(dates: string[]): string[][] {
  const sorted = [...new Set(dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)))].sort();
  const runs: string[][] = [];
  for (const d of sorted) {
    const last = runs[runs.length - 1];
    if (last && dayNumber(d) - dayNumber(last[last.length - 1]) === 1) last.push(d);
    else runs.push([d]);
  }
  return runs.map((r) => (r.length === 1 ? [r[0]] : [r[0], r[r.length - 1]]));
}

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/**
 * A list of dates in words, consecutive days joined: "Oct 25–Oct 27, Oct 29"; the year only when the
 * dates span more than one; a long list ends "and N more" (days).
 */
export function datesText(dates: string[], options: { locale?: string; maxRuns?: number } = {}): string {
  const runs = dateRuns(dates);
  const max = options.maxRuns ?? 6;
  const year = new Set(runs.flat().map((d) => d.slice(0, 4))).size > 1;
  const f = (d: string) => formatDay(d, { locale: options.locale, year });
  const shown = runs.slice(0, max).map((r) => (r.length === 1 ? f(r[0]) : E.between(f(r[0]), f(r[1]))));
  const rest = runs.slice(max).reduce((n, r) => n + (r.length === 1 ? 1 : dayNumber(r[1]) - dayNumber(r[0]) + 1), 0);
  const text = shown.join(', ');
  return rest > 0 ? `${text}, ${E.moreDates(rest)}` : text;
}

// --- insight evidence in words ---

export interface EvidenceRow {
  key: string;
  label: string;
  value: string;
}

const HIDDEN_KEYS = new Set(['checkin_id', 'timezone', 'rate_under', 'rate_at_or_over', 'rate_worn', 'rate_none']);
const DATE_TIME_KEYS = new Set(['recorded_at', 'claudication_answered_at']);

interface RateGroup {
  nights: number;
  cramp_nights: number;
  rate?: number | null;
  first_night?: string | null;
  last_night?: string | null;
}

function isRateGroup(v: unknown): v is RateGroup {
  return !!v && typeof v === 'object' && typeof (v as RateGroup).nights === 'number' && typeof (v as RateGroup).cramp_nights === 'number';
}

function isDateList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d));
}

function humanKey(key: string): string {
  const words = key.replace(/_/g, ' ');
  return words[0].toUpperCase() + words.slice(1);
}

function valueText(key: string, v: unknown, locale?: string, timeZone?: string): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? E.yes : E.no;
  if (typeof v === 'number' && (key === 'swelling_left' || key === 'swelling_right')) {
    const word = strings.checkin.swellingWords[v];
    return word ? `${word} (${v})` : String(v);
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10) / 10);
  if (typeof v === 'string') {
    if (DATE_TIME_KEYS.has(key)) return (timeZone ? formatWithZone(v, timeZone, { locale }) : absoluteTime(v, locale)) || v;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDay(v, { locale });
    if (key === 'leg') return (strings.side[v] ?? v).toLowerCase();
    if (key.startsWith('circumference_site')) return (strings.checkin.sites[v] ?? v).toLowerCase();
    if (key === 'claudication_result') return E.claudication[v] ?? v;
    return v;
  }
  if (isDateList(v)) return datesText(v, { locale });
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    return v.map((x) => (key === 'signs' ? (E.signWords[String(x)] ?? String(x)) : String(x))).join(', ');
  }
  if (isRateGroup(v)) {
    const percent = v.nights ? Math.round((100 * v.cramp_nights) / v.nights) : null;
    let text = E.rateGroup(v.cramp_nights, v.nights, percent);
    if (v.first_night && v.last_night) {
      text += `, ${E.between(formatDay(v.first_night, { locale, year: false }), formatDay(v.last_night, { locale, year: false }))}`;
    }
    return text;
  }
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => {
        const t = valueText(k, x, locale, timeZone);
        return t === null ? null : `${E.labels[k] ?? humanKey(k)}: ${t}`;
      })
      .filter((t): t is string => t !== null);
    return parts.length ? parts.join('; ') : null;
  }
  return String(v);
}

/**
 * The evidence of an insight as labelled rows in plain words: counts, dates (consecutive days joined),
 * yes/no, rates as "3 of 10 nights (30%)", times on the patient's clock when `timeZone` (theirs) is
 * given ("20 Nov 2026, 03:07 New York time"), or on the clock of the evidence's own `timezone` (the zone its
 * check-in was logged in) when it has one. Internal ids and duplicated rates are left out; unknown
 * keys still show, with their name made readable. Dates are the patient's already (the server's).
 */
export function evidenceRows(
  evidence: Record<string, unknown> | null | undefined,
  locale?: string,
  timeZone?: string,
): EvidenceRow[] {
  if (!evidence) return [];
  // The zone the record behind it was logged in (a check-in's): its moment is read on that clock, labelled
  // with it, not listed as a row of its own.
  const zone = typeof evidence.timezone === 'string' && evidence.timezone ? evidence.timezone : timeZone;
  const rows: EvidenceRow[] = [];
  for (const [key, v] of Object.entries(evidence)) {
    if (HIDDEN_KEYS.has(key)) continue;
    const value = valueText(key, v, locale, zone);
    if (value === null) continue;
    rows.push({ key, label: E.labels[key] ?? humanKey(key), value });
  }
  return rows;
}
