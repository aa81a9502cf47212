// A reminder card's state → buttons (src/logic/reminderCard.ts): Done and Snooze only once it fired and is
// not done; a weekly summary's "Read" once it came; the rest behind "Change"; and the weekly summary's link
// from a push message (src/sw/actions.ts urlFor).
import { describe, expect, it } from 'vitest';
import type { Delivery, Reminder } from '../src/api/types';
import { FIRED_RECENTLY_HOURS, reminderCard } from '../src/logic/reminderCard';
import { urlFor } from '../src/sw/actions';

const NOW = new Date('2026-10-18T17:30:00Z'); // Sunday 19:30 in Berlin
const BERLIN = 'Europe/Berlin';
const stockings: Pick<Reminder, 'id' | 'kind' | 'enabled'> = { id: 'r1', kind: 'compression_on', enabled: true };
const weekly: Pick<Reminder, 'id' | 'kind' | 'enabled'> = { id: 'w1', kind: 'weekly_summary', enabled: true };

function delivery(reminder: string, scheduled_for: string, status: Delivery['status'], done_at: string | null = null) {
  return { reminder, scheduled_for, status, done_at };
}

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe('a reminder card shows only what fits its state', () => {
  it('offers no Done or Snooze on a reminder that has never fired: only Change', () => {
    const view = reminderCard(stockings, [], NOW, BERLIN);
    expect(view.state).toBe('waiting');
    expect(view.actions).toEqual([]);
    expect(view.change).toEqual(['edit', 'turn-off', 'delete']);
  });

  it('offers Done and Snooze for the occurrence that fired an hour ago and is not done', () => {
    const at = hoursAgo(1);
    const view = reminderCard(stockings, [delivery('r1', at, 'sent')], NOW, BERLIN);
    expect(view.state).toBe('due');
    expect(view.actions).toEqual(['done', 'snooze']);
    expect(view.occurrence).toBe(at);
  });

  it('counts an occurrence still being sent as fired, over any of its channels', () => {
    const at = hoursAgo(0.1);
    const view = reminderCard(stockings, [delivery('r1', at, 'failed'), delivery('r1', at, 'pending')], NOW, BERLIN);
    expect(view.state).toBe('due');
  });

  it('says done, with nothing to tap, once the occurrence was marked done on any channel', () => {
    const at = hoursAgo(1);
    const view = reminderCard(stockings, [delivery('r1', at, 'sent'), delivery('r1', at, 'sent', hoursAgo(0.5))], NOW, BERLIN);
    expect(view.state).toBe('done');
    expect(view.actions).toEqual([]);
  });

  it('drops Done and Snooze when it fired too long ago, was skipped, or never reached the phone', () => {
    expect(reminderCard(stockings, [delivery('r1', hoursAgo(FIRED_RECENTLY_HOURS + 1), 'sent')], NOW, BERLIN).state).toBe('waiting');
    expect(reminderCard(stockings, [delivery('r1', hoursAgo(1), 'skipped')], NOW, BERLIN).state).toBe('waiting');
    expect(reminderCard(stockings, [delivery('r1', hoursAgo(1), 'failed')], NOW, BERLIN).state).toBe('waiting');
  });

  it('reads the latest occurrence: a newer skipped one hides the older one that fired', () => {
    const view = reminderCard(stockings, [delivery('r1', hoursAgo(5), 'sent'), delivery('r1', hoursAgo(1), 'skipped')], NOW, BERLIN);
    expect(view.state).toBe('waiting');
  });

  it("ignores other reminders' deliveries and occurrences still to come", () => {
    expect(reminderCard(stockings, [delivery('other', hoursAgo(1), 'sent')], NOW, BERLIN).state).toBe('waiting');
    expect(reminderCard(stockings, [delivery('r1', hoursAgo(-1), 'pending')], NOW, BERLIN).state).toBe('waiting');
  });

  it('offers Turn on, and no Done, on a reminder that is off', () => {
    const view = reminderCard({ ...stockings, enabled: false }, [delivery('r1', hoursAgo(1), 'sent')], NOW, BERLIN);
    expect(view.state).toBe('off');
    expect(view.actions).toEqual([]);
    expect(view.change).toEqual(['edit', 'turn-on', 'delete']);
  });
});

describe("the weekly summary's card", () => {
  it('never offers Done or Snooze, and offers Read once the summary came, for its week on the patient\'s calendar', () => {
    const waiting = reminderCard(weekly, [], NOW, BERLIN);
    expect(waiting.actions).toEqual([]);
    const came = reminderCard(weekly, [delivery('w1', '2026-10-18T17:00:00Z', 'sent')], NOW, BERLIN);
    expect(came.state).toBe('summary-ready');
    expect(came.actions).toEqual(['read-summary']);
    expect(came.summaryWeek).toBe('2026-10-18');
    // 22:30 UTC on Saturday is already Sunday 00:30 in Berlin: the week is named on the Berlin calendar.
    const early = reminderCard(weekly, [delivery('w1', '2026-10-17T22:30:00Z', 'sent')], NOW, BERLIN);
    expect(early.summaryWeek).toBe('2026-10-18');
    expect(reminderCard(weekly, [delivery('w1', '2026-10-17T22:30:00Z', 'sent')], NOW, 'UTC').summaryWeek).toBe('2026-10-17');
  });

  it('has nothing to read when the summary was skipped (nothing to say) or is a week old', () => {
    expect(reminderCard(weekly, [delivery('w1', hoursAgo(1), 'skipped')], NOW, BERLIN).state).toBe('waiting');
    expect(reminderCard(weekly, [delivery('w1', hoursAgo(8 * 24), 'sent')], NOW, BERLIN).state).toBe('waiting');
  });
});

describe('the weekly summary from a push message', () => {
  it("opens the summary's page for its week, and nothing else a message names", () => {
    expect(urlFor({ kind: 'weekly_summary', url: '/summary/weekly?week=2026-10-18' })).toBe('/summary/weekly?week=2026-10-18');
    expect(urlFor({ url: '/summary/weekly?week=2026-10-18&next=//evil.example' })).toBe('/');
    expect(urlFor({ url: '/summary/weekly/../../admin/?week=2026-10-18' })).toBe('/');
    expect(urlFor({ url: 'https://evil.example/summary/weekly?week=2026-10-18' })).toBe('/');
  });
});
