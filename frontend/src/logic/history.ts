/** History's rules, pure: how far down the merged diary is complete, grouping by the patient's day, and a check-in's red flags. */

import type { Collection } from '../api/types';
import { addDays, localParts } from './time';

/** What the phone holds of one kind: its entries' times, and whether the server has older ones. */
export interface KindPages {
  collection: Collection;
  /** The oldest time loaded of this kind ('' when none is). */
  oldest: string;
  /** The server has entries of this kind older than `oldest`. */
  more: boolean;
}

/**
 * The time down to which the merged diary is complete: entries at or after it are all on the phone,
 * of every kind shown. It is the newest of the "oldest loaded" times of the kinds that have more on the
 * server; below it a kind with more could still have entries the phone has not seen, so showing them
 * would put one kind's old entries before another's newer ones. null: everything is loaded.
 */
export function completeDownTo(kinds: KindPages[]): string | null {
  let cut: string | null = null;
  for (const k of kinds) {
    if (!k.more) continue;
    if (cut === null || k.oldest > cut) cut = k.oldest;
  }
  return cut;
}

/** The kinds whose next page moves the cut-off: those with more whose oldest loaded time is the cut-off. */
export function kindsToFetch(kinds: KindPages[]): Collection[] {
  const cut = completeDownTo(kinds);
  if (cut === null) return [];
  return kinds.filter((k) => k.more && k.oldest === cut).map((k) => k.collection);
}

/** The entries to show: those at or after the cut-off (all, when everything is loaded), newest first. */
export function shownEntries<T extends { at: string }>(entries: T[], cut: string | null): T[] {
  const shown = cut === null ? entries : entries.filter((e) => e.at >= cut);
  return [...shown].sort((a, b) => b.at.localeCompare(a.at));
}

export interface DayGroup<T> {
  /** The patient's local date, YYYY-MM-DD. */
  date: string;
  entries: T[];
}

/** The patient's local day of an entry's time: an instant's day in the zone, or a day itself (a medicine's
 * `started_on` is already the patient's date: read as an instant it would be UTC midnight, the day before
 * anywhere west of Greenwich). */
export function localDayOf(at: string, zone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  const instant = new Date(at);
  return Number.isNaN(instant.getTime()) ? '' : localParts(instant, zone).date;
}

/** Entries (newest first) in groups by the patient's local day, newest day first; `zoneOf` gives the zone
 * an entry was lived in, when it names one (its day is the day there, as the server dates it). */
export function groupByDay<T extends { at: string }>(entries: T[], zone: string, zoneOf?: (entry: T) => string): DayGroup<T>[] {
  const groups: DayGroup<T>[] = [];
  for (const e of entries) {
    const date = localDayOf(e.at, zoneOf ? zoneOf(e) : zone);
    const last = groups[groups.length - 1];
    if (last && last.date === date) last.entries.push(e);
    else groups.push({ date, entries: [e] });
  }
  return groups;
}

/** "today", "yesterday", or null for an older day (headed by its weekday and date). */
export function relativeDay(date: string, now: Date, zone: string): 'today' | 'yesterday' | null {
  const today = localParts(now, zone).date;
  if (date === today) return 'today';
  if (date === addDays(today, -1)) return 'yesterday';
  return null;
}

export type RedFlag = 'chest' | 'calf_pain' | 'sudden_onset' | 'redness' | 'skin_changes';

const FLAGS: RedFlag[] = ['chest', 'calf_pain', 'sudden_onset', 'redness', 'skin_changes'];
const FIELD: Record<RedFlag, string> = {
  chest: 'sudden_chest_pain_or_breathlessness',
  calf_pain: 'calf_pain_or_tenderness',
  sudden_onset: 'sudden_onset',
  redness: 'redness_or_warmth',
  skin_changes: 'skin_changes',
};

/**
 * The signs a check-in reported that need attention, chest pain or breathlessness first (urgent on its
 * own). Only what was ticked: an unticked box is not a sign. Whether signs together make the urgent
 * DVT pattern is the rules' call (diary/insights.py), shown in the urgent banner, not guessed here.
 */
export function redFlags(d: Record<string, unknown>): { flag: RedFlag; urgent: boolean }[] {
  return FLAGS.filter((flag) => d[FIELD[flag]] === true).map((flag) => ({ flag, urgent: flag === 'chest' }));
}
