// What a reminder's card offers, from its state: Done and Snooze only for an occurrence that fired recently
// and is not done yet; a weekly summary's "Read it" once it has come; editing, turning off and deleting
// behind one "Change" control. Pure, so the state → buttons table is unit-tested (tests/reminder-card.test.ts).

import type { Delivery, Reminder } from '../api/types';
import { localParts } from './time';

/** Done and Snooze stay on the card this long after the reminder fired (a morning's stockings at noon). */
export const FIRED_RECENTLY_HOURS = 12;
/** A weekly summary can be opened from its card until the next one comes. */
export const SUMMARY_READABLE_DAYS = 7;

export type CardState =
  /** Not fired recently (or never): nothing to do now but wait. */
  | 'waiting'
  /** Fired within FIRED_RECENTLY_HOURS and not done: Done and Snooze. */
  | 'due'
  /** Fired recently and already done. */
  | 'done'
  /** A weekly summary came in the last week: it can be read. */
  | 'summary-ready'
  /** Turned off. */
  | 'off';

export type CardAction = 'done' | 'snooze' | 'read-summary';
export type ChangeAction = 'edit' | 'turn-off' | 'turn-on' | 'delete';

export interface CardView {
  state: CardState;
  /** Shown on the card itself, in this order. */
  actions: CardAction[];
  /** Behind the one "Change" control, in this order. */
  change: ChangeAction[];
  /** The occurrence Done and Snooze act on, or the weekly summary that came ('due', 'done', 'summary-ready'). */
  occurrence: string | null;
  /** For 'summary-ready': the local date (patient's zone) whose week the summary sums up. */
  summaryWeek: string | null;
}

type CardDelivery = Pick<Delivery, 'reminder' | 'scheduled_for' | 'status' | 'done_at'>;

const HOUR = 3_600_000;
/** The statuses of an occurrence that reached the person (or is reaching them): it fired. */
const FIRED = new Set<Delivery['status']>(['sent', 'pending']);

interface Occurrence {
  at: string;
  time: number;
  fired: boolean;
  done: boolean;
}

/** The reminder's latest occurrence due by `now`, over all its channels; null when none is known. */
export function latestOccurrence(reminderId: string, deliveries: CardDelivery[], now: Date): Occurrence | null {
  const byTime = new Map<number, Occurrence>();
  for (const d of deliveries) {
    if (d.reminder !== reminderId) continue;
    const time = Date.parse(d.scheduled_for);
    if (!Number.isFinite(time) || time > now.getTime()) continue;
    const o = byTime.get(time) ?? { at: d.scheduled_for, time, fired: false, done: false };
    o.fired ||= FIRED.has(d.status);
    o.done ||= Boolean(d.done_at);
    byTime.set(time, o);
  }
  let latest: Occurrence | null = null;
  for (const o of byTime.values()) if (!latest || o.time > latest.time) latest = o;
  return latest;
}

export function reminderCard(
  reminder: Pick<Reminder, 'id' | 'kind' | 'enabled'>,
  deliveries: CardDelivery[],
  now: Date,
  zone: string,
): CardView {
  const change: ChangeAction[] = ['edit', reminder.enabled ? 'turn-off' : 'turn-on', 'delete'];
  const view = (state: CardState, actions: CardAction[] = [], occurrence: string | null = null, summaryWeek: string | null = null): CardView => ({
    state,
    actions,
    change,
    occurrence,
    summaryWeek,
  });
  const latest = latestOccurrence(reminder.id, deliveries, now);
  const age = latest ? now.getTime() - latest.time : Infinity;

  if (reminder.kind === 'weekly_summary') {
    // Read it whether the reminder is on or off now: it came, and its week stays as it was.
    if (latest?.fired && age <= SUMMARY_READABLE_DAYS * 24 * HOUR) {
      return view('summary-ready', ['read-summary'], latest.at, localParts(new Date(latest.time), zone).date);
    }
    return view(reminder.enabled ? 'waiting' : 'off');
  }
  if (!reminder.enabled) return view('off');
  if (!latest || !latest.fired || age > FIRED_RECENTLY_HOURS * HOUR) return view('waiting');
  if (latest.done) return view('done', [], latest.at);
  return view('due', ['done', 'snooze'], latest.at);
}
