// The patient's answer to an urgent warning ("I got help", "I have seen a doctor"): which warnings show in
// full and which fold to one line, and the POST that records the answer (it needs a connection: see send).

import { ApiError, api } from '../api/client';
import type { Acknowledgement, Insight } from '../api/types';
import { refreshInsights, storeInsights } from '../data/insights';
import { app } from '../state';
import { createStore } from '../store';
import { strings } from '../strings';
import { urgentForRecent, type UrgentFacts } from './urgent';

/** A warning as the banner shows it: the server's (with its acknowledgement) or this phone's own rules'. */
export type UrgentItem = Pick<Insight, 'code' | 'title' | 'explanation'> & {
  action?: string;
  last_seen?: string | null;
  acknowledged_at?: string | null;
  acknowledgement?: Acknowledgement | null;
};

function time(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? null : t;
}

export function isAcknowledged(item: UrgentItem): boolean {
  return time(item.acknowledged_at) !== null;
}

/** Raised again by a check-in recorded at `seen`: unanswered, and newer than what the server last saw. */
function raisedAgain<T extends UrgentItem>(item: T, seen: string): T {
  return { ...item, acknowledged_at: null, acknowledgement: null, last_seen: seen };
}

/**
 * The acknowledgement to show: the item's own, unless the stored insights (the latest the server sent, and
 * updated by an answer given on this phone) speak of the same check-in or a later one. So a check-in's own
 * warnings (Log) fold once answered, and a warning of an older episode never folds a newer one.
 */
export function withStoredAcknowledgement(item: UrgentItem, stored: Insight[] | null): UrgentItem {
  const known = (stored ?? []).find((s) => s.code === item.code && s.level === 'urgent');
  if (!known || known.acknowledged_at === undefined) return item;
  const mine = time(item.last_seen);
  const theirs = time(known.last_seen);
  if (mine === null && item.acknowledged_at === undefined) return item; // this phone's own fresh reading
  if (mine !== null && (theirs === null || theirs < mine)) return item;
  return { ...item, acknowledged_at: known.acknowledged_at, acknowledgement: known.acknowledgement ?? null };
}

/**
 * Today's warnings: the server's, then this phone's own reading of recent check-ins for a warning the server
 * has not seen yet (offline, unsent). A server warning answered before a check-in this phone holds that
 * raises it again shows in full at once: the server re-raises it when that check-in arrives.
 */
export function urgentForToday(
  server: UrgentItem[],
  checkins: Array<UrgentFacts & { recorded_at: string }>,
  previousDvt: boolean,
  now: Date,
): UrgentItem[] {
  const local = urgentForRecent(checkins, previousDvt, now);
  const shown = server.map((item) => {
    const answered = time(item.acknowledged_at);
    if (answered === null) return item;
    const later = checkins
      .filter((c) => (time(c.recorded_at) ?? 0) > answered)
      .sort((a, b) => (time(b.recorded_at) ?? 0) - (time(a.recorded_at) ?? 0));
    // The newest later check-in that raises this very warning on its own.
    const raising = later.find((c) => urgentForRecent([c], previousDvt, now).some((l) => l.code === item.code));
    return raising ? raisedAgain(item, raising.recorded_at) : item;
  });
  return [...shown, ...local.filter((l) => !server.some((s) => s.code === l.code))];
}

/** Full warnings first (the call and the buttons within reach), folded ones after, each in its own order. */
export function bannerOrder(items: UrgentItem[]): UrgentItem[] {
  return [...items.filter((i) => !isAcknowledged(i)), ...items.filter(isAcknowledged)];
}

/** The folded line: "Urgent: possible blood clot in the leg — you said you got help". */
export function foldedLine(item: UrgentItem): string {
  const A = strings.acknowledge;
  const what = A.short[item.code] ?? A.shortOther;
  return A.line(what, A.said[item.acknowledgement ?? ''] ?? A.said.got_help);
}

/** What the banner's buttons are doing: the code being sent, and a sentence per code when it failed. */
export const acknowledging = createStore<{
  busy: { code: string; action: Acknowledgement } | null;
  problems: Record<string, string>;
}>({
  busy: null,
  problems: {},
});

function problem(code: string, text: string | null): void {
  const problems = { ...acknowledging.get().problems };
  if (text === null) delete problems[code];
  else problems[code] = text;
  acknowledging.set({ problems });
}

/** The stored insights with the server's answer in place of its code's item (added when not there yet). */
export function replaceInsight(stored: Insight[] | null, answer: Insight): Insight[] {
  const list = stored ?? [];
  if (!list.some((i) => i.code === answer.code)) return [...list, answer];
  return list.map((i) => (i.code === answer.code ? answer : i));
}

/**
 * Records the answer. Not queued: it tells clinicians the patient acted, so it is sent now or not at all,
 * and offline the patient is told it needs a connection (with the number to call), never shown as done.
 * A 400 means the warning is no longer what the screen shows: the insights are read again.
 */
export async function acknowledge(code: string, action: Acknowledgement, emergencyNumber: string): Promise<boolean> {
  const A = strings.acknowledge;
  if (!app.get().online) {
    problem(code, A.needsConnection(emergencyNumber));
    return false;
  }
  acknowledging.set({ busy: { code, action } });
  problem(code, null);
  try {
    const answer = await api<Insight>('/api/v1/insights/acknowledge/', { method: 'POST', body: { code, action } });
    await storeInsights(replaceInsight(app.get().insights, answer));
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'offline') problem(code, A.needsConnection(emergencyNumber));
    else if (e instanceof ApiError && e.kind === 'validation') {
      problem(code, A.changed);
      await refreshInsights();
    } else problem(code, A.failed);
    return false;
  } finally {
    acknowledging.set({ busy: null });
  }
}
