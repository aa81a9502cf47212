/** Which of last night's quick-logged cramps Today offers to complete, and what each one-tap answer stores. */

import type { Side } from '../api/types';
import { addDays, inNightWindow, isNocturnal, localParts, nightOfInstant, type NightWindow } from './time';

/** The three questions of issue 14, in the order they are asked. Muscle is left to the full form. */
export type Question = 'side' | 'severity' | 'duration_seconds';
export const QUESTIONS: Question[] = ['side', 'severity', 'duration_seconds'];

export type Answer<Q extends Question = Question> = Q extends 'side' ? Side : number;

/**
 * The one-tap choices and the value each stores. Severity: the usual bands of a 0–10 pain scale (mild
 * 1–3, moderate 4–6, severe 7–10) stored as the middle of each band, so "Severe" (8) counts as severe
 * for frequent_severe_cramps (said severity >= 7) and "Moderate" (5) does not. Duration: the middle of
 * each range, 30 s and 10 min being the quick form's own chips.
 */
export const SEVERITY_CHOICES = [
  { key: 'mild', value: 2 },
  { key: 'moderate', value: 5 },
  { key: 'severe', value: 8 },
] as const;
export const DURATION_CHOICES = [
  { key: 'underMinute', value: 30 },
  { key: 'oneToFive', value: 180 },
  { key: 'longer', value: 600 },
] as const;
export const SIDE_CHOICES: Side[] = ['left', 'right', 'both'];

/** What the patient turned down on this phone: a whole cramp ("Not now") or single questions ("Skip"). */
export interface Declined {
  [crampId: string]: { night: string; all?: boolean; skipped?: Question[] };
}

export interface CrampLike {
  id: string;
  at: string;
  data: Record<string, unknown>;
  state?: string;
  queueMethod?: string;
}

export interface CrampToComplete {
  id: string;
  at: string;
  night: string;
  /** The questions still not said and not skipped, in asking order. */
  questions: Question[];
}

export interface PatientClock extends NightWindow {
  timezone: string;
}

/** The questions of a record still not said (null or missing). A said 0 severity is an answer. */
export function notSaid(data: Record<string, unknown>): Question[] {
  return QUESTIONS.filter((q) => data[q] === null || data[q] === undefined);
}

/** The night a cramp belongs to and whether it was nocturnal: the server's fields when the record has them. */
function nightFacts(c: CrampLike, clock: PatientClock): { night: string; nocturnal: boolean } {
  const at = new Date(c.at);
  const night = typeof c.data.night === 'string' ? c.data.night : nightOfInstant(at, clock.timezone);
  const nocturnal =
    typeof c.data.is_nocturnal === 'boolean'
      ? c.data.is_nocturnal
      : isNocturnal({
          clockMinutes: localParts(at, clock.timezone).minutes,
          wokeFromSleep: c.data.woke_from_sleep === true,
          activity: typeof c.data.activity === 'string' ? c.data.activity : '',
          nightStart: clock.night_start,
          nightEnd: clock.night_end,
        });
  return { night, nocturnal };
}

/** Whether a nocturnal cramp of last night (the night whose morning is today) is in the diary: the
 * morning's "Cramps last night?" is then answered already, and "None" would contradict it. */
export function nightCrampLogged(cramps: CrampLike[], now: Date, clock: PatientClock): boolean {
  const lastNight = addDays(localParts(now, clock.timezone).date, -1);
  return cramps.some((c) => {
    if (c.queueMethod === 'DELETE' || Number.isNaN(new Date(c.at).getTime())) return false;
    const { night, nocturnal } = nightFacts(c, clock);
    return nocturnal && night === lastNight;
  });
}

/**
 * Last night's nocturnal cramps with a question still open, earliest first. "Last night" is the night
 * whose morning is today (the patient's zone); nothing is offered while the patient's night window is
 * on (at 03:00 they are logging, and by the evening the next night has begun), the same rule that
 * keeps the "Cramps last night?" question to the day.
 */
export function crampsToComplete(cramps: CrampLike[], now: Date, clock: PatientClock, declined: Declined = {}): CrampToComplete[] {
  if (inNightWindow(now, clock)) return [];
  const lastNight = addDays(localParts(now, clock.timezone).date, -1);
  const out: CrampToComplete[] = [];
  for (const c of cramps) {
    // A failed or conflicting change, or an unsent delete, is the queue list's to settle first.
    if (c.state === 'failed' || c.state === 'conflict' || c.queueMethod === 'DELETE') continue;
    if (Number.isNaN(new Date(c.at).getTime()) || new Date(c.at) > now) continue;
    const { night, nocturnal } = nightFacts(c, clock);
    if (night !== lastNight || !nocturnal) continue;
    const no = declined[c.id];
    if (no?.all) continue;
    const questions = notSaid(c.data).filter((q) => !no?.skipped?.includes(q));
    if (questions.length) out.push({ id: c.id, at: c.at, night, questions });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The PATCH body of one answer: that field alone. */
export function answerBody<Q extends Question>(question: Q, value: Answer<Q>): Record<string, unknown> {
  return { [question]: value };
}

/** "Not now": every cramp on the card is declined on this phone (nothing is sent). */
export function declineAll(declined: Declined, cramps: CrampToComplete[]): Declined {
  const next = { ...declined };
  for (const c of cramps) next[c.id] = { ...next[c.id], night: c.night, all: true };
  return next;
}

/** "Skip": this question of this cramp is not asked again on this phone (nothing is sent). */
export function skipQuestion(declined: Declined, cramp: CrampToComplete, question: Question): Declined {
  const was = declined[cramp.id];
  const skipped = [...(was?.skipped ?? []), question];
  return { ...declined, [cramp.id]: { ...was, night: cramp.night, skipped } };
}

/** Forgets what was declined for nights before last night: those cramps are never offered again anyway. */
export function pruneDeclined(declined: Declined, now: Date, timezone: string): Declined {
  const lastNight = addDays(localParts(now, timezone).date, -1);
  const next: Declined = {};
  for (const [id, d] of Object.entries(declined)) if (d && typeof d.night === 'string' && d.night >= lastNight) next[id] = d;
  return next;
}
