// The clinician's entries table: what a column is, and the cell helpers each kind's columns use (src/kinds/);
// times on the patient's clock, the zone named once in the heading.
// Pure (tested in tests/clinician.test.ts); the table itself is in screens/clinician/Entries.tsx.

import { strings } from '../strings';
import { absoluteTime } from './clinician';
import { clockZone, formatInZone, formatWithZone, recordTime, zoneLabel, zoneLabelIsFixed } from './time';

const C = strings.clinician;

export interface Column {
  key: string;
  head: string;
  /** `timeZone`: the patient's; a time cell is then on their clock (the heading names the zone). */
  cell: (record: Record<string, unknown>, locale?: string, timeZone?: string) => string;
  /** A time column: its heading carries the patient's zone, once for the whole column. */
  zoned?: boolean;
}

/**
 * A column's heading: a time column's names the patient's zone ("When (New York time)"). For a zone
 * whose label changes with the season (EST5EDT: UTC−5, then UTC−4), each cell carries its own instead.
 */
export function columnHead(column: Column, timeZone?: string): string {
  if (!column.zoned || !timeZone || !zoneLabelIsFixed(clockZone(timeZone))) return column.head;
  return C.inZone(column.head, zoneLabel(clockZone(timeZone)));
}

/**
 * A time cell: on the patient's clock, 24-hour, labelled only when the heading cannot carry the label. A
 * record logged in another zone (`recordZone`, not the patient's now) is on that zone's clock, labelled:
 * "1 Jul 2026, 20:00 (Berlin time)" under "When (Tokyo time)".
 */
export function timeCell(value: unknown, locale?: string, timeZone?: string, recordZone?: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (!timeZone) return absoluteTime(value, locale) || null;
  const zone = clockZone(timeZone);
  const other = recordTime(value, recordZone, zone, zone, { locale });
  if (other.otherZone) return other.text || null;
  return (zoneLabelIsFixed(zone) ? formatInZone(value, zone, { locale }) : formatWithZone(value, zone, { locale })) || null;
}

export function yesNo(v: unknown): string {
  if (v === true) return C.yes;
  if (v === false) return C.no;
  return C.dash;
}

export function text(v: unknown): string {
  return v === null || v === undefined || v === '' ? C.dash : String(v);
}

export function durationText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return C.dash;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const min = Math.round(seconds / 6) / 10;
  return `${min % 1 === 0 ? min.toFixed(0) : min} min`;
}

/** A field the patient may leave unanswered: null reads "not said", never 0 or a default. */
export function saidText(v: unknown): string {
  return v === null || v === undefined || v === '' ? C.notSaid : String(v);
}

export function swellingWord(v: unknown): string {
  if (typeof v !== 'number') return C.notSaid;
  return strings.checkin.swellingWords[v] ?? String(v);
}

export function wordOrNull(v: unknown, words: Record<string, string>): string | null {
  return typeof v === 'string' && v ? (words[v] ?? v) : null;
}

/** "Left calf"; a part not said is named as such. */
export function crampWhere(record: Record<string, unknown>): string {
  const side = wordOrNull(record.side, strings.side);
  const muscle = wordOrNull(record.muscle, strings.muscle);
  if (side && muscle) return strings.history.crampWhere(side, muscle);
  if (side) return C.whereMuscleNotSaid(side);
  if (muscle) return C.whereSideNotSaid(muscle);
  return C.notSaid;
}

export function cm(v: unknown): string {
  return v === null || v === undefined || v === '' ? C.dash : String(v);
}

/** Hours between two instants, one decimal ("—" while still worn). */
export function hoursBetween(start: unknown, end: unknown): string {
  if (typeof start !== 'string' || typeof end !== 'string') return C.dash;
  const ms = new Date(end).getTime() - new Date(start).getTime();
  if (!Number.isFinite(ms) || ms < 0) return C.dash;
  return String(Math.round(ms / 360_000) / 10);
}

const SIGN_KEYS = [
  'sudden_chest_pain_or_breathlessness',
  'calf_pain_or_tenderness',
  'sudden_onset',
  'redness_or_warmth',
  'skin_changes',
  'visible_veins',
  'restless_legs',
];

/** The yes/no signs of a check-in that were reported, in words ("—" for none). */
export function checkinSigns(record: Record<string, unknown>): string {
  const on = SIGN_KEYS.filter((k) => record[k] === true).map((k) => C.signs[k] ?? k);
  return on.length ? on.join(', ') : C.dash;
}

/** The column of a record's own time, on the patient's clock. */
export const whenColumn = (field: string): Column => ({
  key: field,
  head: C.colWhen,
  zoned: true,
  cell: (r, locale, timeZone) => timeCell(r[field], locale, timeZone, r.timezone) ?? C.dash,
});
