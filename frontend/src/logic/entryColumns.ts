// The columns of the clinician's entries table, per kind of record: a heading and the cell's words;
// times on the patient's clock, the zone named once in the heading.
// Pure (tested in tests/clinician.test.ts); the table itself is in screens/clinician/Entries.tsx.

import type { Collection } from '../api/types';
import { strings } from '../strings';
import { absoluteTime, formatDay } from './clinician';
import { clockZone, formatInZone, formatWithZone, zoneLabel, zoneLabelIsFixed } from './time';

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

/** A time cell: on the patient's clock, 24-hour, labelled only when the heading cannot carry the label. */
function timeCell(value: unknown, locale?: string, timeZone?: string): string | null {
  if (typeof value !== 'string') return null;
  if (!timeZone) return absoluteTime(value, locale) || null;
  const zone = clockZone(timeZone);
  return (zoneLabelIsFixed(zone) ? formatInZone(value, zone, { locale }) : formatWithZone(value, zone, { locale })) || null;
}

function yesNo(v: unknown): string {
  if (v === true) return C.yes;
  if (v === false) return C.no;
  return C.dash;
}

function text(v: unknown): string {
  return v === null || v === undefined || v === '' ? C.dash : String(v);
}

export function durationText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return C.dash;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const min = Math.round(seconds / 6) / 10;
  return `${min % 1 === 0 ? min.toFixed(0) : min} min`;
}

/** A field the patient may leave unanswered: null reads "not said", never 0 or a default. */
function saidText(v: unknown): string {
  return v === null || v === undefined || v === '' ? C.notSaid : String(v);
}

function swellingWord(v: unknown): string {
  if (typeof v !== 'number') return C.notSaid;
  return strings.checkin.swellingWords[v] ?? String(v);
}

function wordOrNull(v: unknown, words: Record<string, string>): string | null {
  return typeof v === 'string' && v ? (words[v] ?? v) : null;
}

/** "Left calf"; a part not said is named as such. */
export function crampWhere(record: Record<string, unknown>): string {
  const side = wordOrNull(record.side, strings.side);
  const muscle = wordOrNull(record.muscle, strings.muscle);
  if (side && muscle) return `${side} ${muscle.toLowerCase()}`;
  if (side) return C.whereMuscleNotSaid(side);
  if (muscle) return C.whereSideNotSaid(muscle);
  return C.notSaid;
}

function cm(v: unknown): string {
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

const when = (field: string): Column => ({
  key: field,
  head: C.colWhen,
  zoned: true,
  cell: (r, locale, timeZone) => timeCell(r[field], locale, timeZone) ?? C.dash,
});

export const ENTRY_COLUMNS: Record<Collection, Column[]> = {
  cramps: [
    when('started_at'),
    {
      key: 'night',
      head: C.colNight,
      cell: (r, locale) => (typeof r.night === 'string' ? formatDay(r.night, { locale }) : C.dash) + (r.is_nocturnal === true ? '' : ` (${C.daytime})`),
    },
    {
      key: 'where',
      head: C.colSideMuscle,
      cell: (r) => crampWhere(r),
    },
    { key: 'severity', head: C.colSeverity, cell: (r) => (typeof r.severity === 'number' ? `${r.severity}/10` : C.notSaid) },
    { key: 'duration_seconds', head: C.colDuration, cell: (r) => (typeof r.duration_seconds === 'number' ? durationText(r.duration_seconds) : C.notSaid) },
    { key: 'activity', head: C.colActivity, cell: (r) => wordOrNull(r.activity, strings.activity) ?? C.notSaid },
    { key: 'woke_from_sleep', head: C.colWoke, cell: (r) => yesNo(r.woke_from_sleep) },
    { key: 'relieved_by_rest', head: C.colRelieved, cell: (r) => yesNo(r.relieved_by_rest) },
    { key: 'notes', head: C.colNotes, cell: (r) => text(r.notes) },
  ],
  compression: [
    when('started_at'),
    { key: 'ended_at', head: C.colUntil, zoned: true, cell: (r, locale, timeZone) => timeCell(r.ended_at, locale, timeZone) ?? C.stillOn },
    { key: 'hours', head: C.colWorn, cell: (r) => hoursBetween(r.started_at, r.ended_at) },
    { key: 'garment', head: C.colGarment, cell: (r) => strings.garment[String(r.garment)] ?? text(r.garment) },
    { key: 'pressure_class', head: C.colPressure, cell: (r) => strings.pressure[String(r.pressure_class)] ?? text(r.pressure_class) },
    { key: 'legs', head: C.colLegs, cell: (r) => strings.side[String(r.legs)] ?? text(r.legs) },
  ],
  elevations: [
    when('started_at'),
    { key: 'duration_minutes', head: C.colMinutes, cell: (r) => text(r.duration_minutes) },
    { key: 'above_heart', head: C.colAboveHeart, cell: (r) => yesNo(r.above_heart) },
  ],
  hydration: [when('taken_at'), { key: 'volume_ml', head: C.colVolume, cell: (r) => text(r.volume_ml) }],
  checkins: [
    when('recorded_at'),
    {
      key: 'cramps_last_night',
      head: C.colCrampsLastNight,
      cell: (r) => (r.cramps_last_night === 'some' ? C.yes : r.cramps_last_night === 'none' ? C.no : C.dash),
    },
    { key: 'swelling', head: C.colSwelling, cell: (r) => `${swellingWord(r.swelling_left)} / ${swellingWord(r.swelling_right)}` },
    {
      key: 'circumference',
      head: C.colCircumference,
      cell: (r) =>
        r.circumference_left_cm == null && r.circumference_right_cm == null ? C.dash : `${cm(r.circumference_left_cm)} / ${cm(r.circumference_right_cm)}`,
    },
    { key: 'symptoms', head: C.colSymptoms, cell: (r) => `${saidText(r.heaviness)} / ${saidText(r.aching)} / ${saidText(r.itching)}` },
    { key: 'signs', head: C.colSigns, cell: (r) => checkinSigns(r) },
    { key: 'notes', head: C.colNotes, cell: (r) => text(r.notes) },
  ],
};
