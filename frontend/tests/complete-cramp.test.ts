// Issue 14: the morning after a quick-logged night cramp, Today offers to complete it, one tap per question,
// and says nothing once answered or dismissed. Which cramps qualify, and what each tap would store.

import { describe, expect, it } from 'vitest';
import {
  DURATION_CHOICES,
  SEVERITY_CHOICES,
  answerBody,
  crampsToComplete,
  declineAll,
  nightCrampLogged,
  notSaid,
  pruneDeclined,
  skipQuestion,
  type CrampLike,
  type PatientClock,
} from '../src/logic/completeCramp';

const BERLIN: PatientClock = { night_start: '22:00', night_end: '07:00', timezone: 'Europe/Berlin' };
const NEW_YORK: PatientClock = { ...BERLIN, timezone: 'America/New_York' };

// 11 March 2026: Berlin is UTC+1, New York already UTC−4 (its clocks went forward on 8 March).
const AT_0310_BERLIN = '2026-03-11T02:10:00Z';
const at = (iso: string) => new Date(iso);

let n = 0;
function cramp(started_at: string, data: Record<string, unknown> = {}, extra: Partial<CrampLike> = {}): CrampLike {
  n += 1;
  return { id: `c${n}`, at: started_at, data: { started_at, ...data }, state: 'synced', ...extra };
}

const ids = (list: { id: string }[]) => list.map((c) => c.id);

describe('which of alice’s cramps Today offers to complete', () => {
  const quick = cramp(AT_0310_BERLIN);

  it('offers a two-tap cramp of last night the next morning, with all three questions', () => {
    const out = crampsToComplete([quick], at('2026-03-11T07:00:00Z'), BERLIN); // 08:00 Berlin
    expect(out).toEqual([{ id: quick.id, at: AT_0310_BERLIN, night: '2026-03-10', questions: ['side', 'severity', 'duration_seconds'] }]);
  });

  it('asks nothing while the night is still going (03:30, 06:59), and starts when the window ends (07:00)', () => {
    expect(crampsToComplete([quick], at('2026-03-11T02:30:00Z'), BERLIN)).toEqual([]);
    expect(crampsToComplete([quick], at('2026-03-11T05:59:00Z'), BERLIN)).toEqual([]);
    expect(ids(crampsToComplete([quick], at('2026-03-11T06:00:00Z'), BERLIN))).toEqual([quick.id]);
  });

  it('keeps offering through the day, and stops when the next night begins and after it', () => {
    expect(ids(crampsToComplete([quick], at('2026-03-11T20:59:00Z'), BERLIN))).toEqual([quick.id]); // 21:59
    expect(crampsToComplete([quick], at('2026-03-11T21:00:00Z'), BERLIN)).toEqual([]); // 22:00, the next night
    expect(crampsToComplete([quick], at('2026-03-12T08:00:00Z'), BERLIN)).toEqual([]); // the morning after that
  });

  it('follows the patient’s own night window', () => {
    const lateRiser = { ...BERLIN, night_start: '23:30', night_end: '09:30' };
    expect(crampsToComplete([quick], at('2026-03-11T07:00:00Z'), lateRiser)).toEqual([]); // 08:00: still her night
    expect(ids(crampsToComplete([quick], at('2026-03-11T08:30:00Z'), lateRiser))).toEqual([quick.id]);
  });

  it('reads the night on the patient’s clock, not the phone’s', () => {
    // 05:00 UTC is 06:00 in Berlin and 01:00 in New York; at 06:30 UTC Berlin's night is over, New York's is not.
    const c = cramp('2026-03-11T05:00:00Z');
    const now = at('2026-03-11T06:30:00Z');
    expect(ids(crampsToComplete([c], now, BERLIN))).toEqual([c.id]);
    expect(crampsToComplete([c], now, NEW_YORK)).toEqual([]);
    expect(ids(crampsToComplete([c], at('2026-03-11T12:00:00Z'), NEW_YORK))).toEqual([c.id]); // 08:00 New York
  });

  it('leaves out day cramps, even ones of last night’s date', () => {
    const afternoon = cramp('2026-03-10T14:00:00Z'); // 15:00 Berlin on the 10th: night of the 10th, not nocturnal
    expect(crampsToComplete([afternoon], at('2026-03-11T07:00:00Z'), BERLIN)).toEqual([]);
  });

  it('counts a cramp that woke her outside the window as last night’s (computed offline, like the server)', () => {
    const woke = cramp('2026-03-11T06:30:00Z', { woke_from_sleep: true }); // 07:30 Berlin, before noon
    expect(ids(crampsToComplete([woke], at('2026-03-11T09:00:00Z'), BERLIN))).toEqual([woke.id]);
  });

  it('trusts the record’s own night and is_nocturnal when the server sent them', () => {
    const saidDay = cramp(AT_0310_BERLIN, { night: '2026-03-10', is_nocturnal: false });
    const otherNight = cramp(AT_0310_BERLIN, { night: '2026-03-09', is_nocturnal: true });
    const saidNight = cramp('2026-03-11T08:00:00Z', { night: '2026-03-10', is_nocturnal: true }); // 09:00, woke her
    expect(ids(crampsToComplete([saidDay, otherNight, saidNight], at('2026-03-11T10:00:00Z'), BERLIN))).toEqual([saidNight.id]);
  });

  it('asks only what is still not said, and a said 0 severity is an answer', () => {
    const sideSaid = cramp(AT_0310_BERLIN, { side: 'left', severity: null });
    const painless = cramp(AT_0310_BERLIN, { severity: 0, duration_seconds: 30 });
    const full = cramp(AT_0310_BERLIN, { side: 'both', severity: 8, duration_seconds: 600 });
    const out = crampsToComplete([sideSaid, painless, full], at('2026-03-11T07:00:00Z'), BERLIN);
    expect(out.map((c) => [c.id, c.questions])).toEqual([
      [sideSaid.id, ['severity', 'duration_seconds']],
      [painless.id, ['side']],
    ]);
    expect(notSaid({ side: 'right', severity: 0, duration_seconds: 1 })).toEqual([]);
  });

  it('says nothing once dismissed with "Not now", and skips a skipped question', () => {
    const now = at('2026-03-11T07:00:00Z');
    const [offer] = crampsToComplete([quick], now, BERLIN);
    expect(crampsToComplete([quick], now, BERLIN, declineAll({}, [offer]))).toEqual([]);
    const skipped = skipQuestion({}, offer, 'severity');
    expect(crampsToComplete([quick], now, BERLIN, skipped)[0].questions).toEqual(['side', 'duration_seconds']);
    const allSkipped = ['side', 'duration_seconds'].reduce((d, q) => skipQuestion(d, offer, q as 'side'), skipped);
    expect(crampsToComplete([quick], now, BERLIN, allSkipped)).toEqual([]);
  });

  it('"Not now" declines every cramp on the card, and only those', () => {
    const now = at('2026-03-11T07:00:00Z');
    const second = cramp('2026-03-11T04:20:00Z');
    const offers = crampsToComplete([second, quick], now, BERLIN);
    expect(ids(offers)).toEqual([quick.id, second.id]); // earliest first
    const declined = declineAll({}, offers);
    expect(Object.keys(declined).sort()).toEqual([quick.id, second.id].sort());
    const later = cramp('2026-03-11T05:10:00Z');
    expect(ids(crampsToComplete([quick, second, later], now, BERLIN, declined))).toEqual([later.id]);
  });

  it('forgets dismissals of older nights, keeps last night’s', () => {
    const declined = { old: { night: '2026-03-08', all: true }, last: { night: '2026-03-10', all: true } };
    expect(Object.keys(pruneDeclined(declined, at('2026-03-11T07:00:00Z'), 'Europe/Berlin'))).toEqual(['last']);
  });

  it('offers an unsent quick cramp, but not one in conflict, failed, or being deleted', () => {
    const now = at('2026-03-11T07:00:00Z');
    const pending = cramp(AT_0310_BERLIN, {}, { state: 'pending', queueMethod: 'POST' });
    const conflict = cramp(AT_0310_BERLIN, {}, { state: 'conflict' });
    const failed = cramp(AT_0310_BERLIN, {}, { state: 'failed', queueMethod: 'POST' });
    const deleting = cramp(AT_0310_BERLIN, {}, { state: 'failed', queueMethod: 'DELETE' });
    expect(ids(crampsToComplete([pending, conflict, failed, deleting], now, BERLIN))).toEqual([pending.id]);
  });
});

describe('what a one-tap answer stores', () => {
  it('sends that one field and nothing else', () => {
    expect(answerBody('side', 'left')).toEqual({ side: 'left' });
    expect(answerBody('severity', 8)).toEqual({ severity: 8 });
  });

  it('maps "Severe" to a severe score (>= 7 for the rules) and "Moderate" below it', () => {
    const score = Object.fromEntries(SEVERITY_CHOICES.map((c) => [c.key, c.value]));
    expect(score).toEqual({ mild: 2, moderate: 5, severe: 8 });
    expect(score.severe).toBeGreaterThanOrEqual(7);
    expect(score.moderate).toBeLessThan(7);
  });

  it('maps each duration to a value inside its range and the contract’s 1–3600 s', () => {
    const seconds = Object.fromEntries(DURATION_CHOICES.map((c) => [c.key, c.value]));
    expect(seconds).toEqual({ underMinute: 30, oneToFive: 180, longer: 600 });
    expect(seconds.underMinute).toBeLessThan(60);
    expect(seconds.oneToFive).toBeGreaterThanOrEqual(60);
    expect(seconds.oneToFive).toBeLessThanOrEqual(300);
    expect(seconds.longer).toBeGreaterThan(300);
    expect(seconds.longer).toBeLessThanOrEqual(3600);
  });
});

describe('the morning question beside a logged night cramp', () => {
  const morning = at('2026-03-11T07:00:00Z'); // 08:00 Berlin

  it('is answered by a night cramp of last night, complete or not', () => {
    expect(nightCrampLogged([cramp(AT_0310_BERLIN)], morning, BERLIN)).toBe(true);
    expect(nightCrampLogged([cramp(AT_0310_BERLIN, { side: 'left', severity: 5, duration_seconds: 60 })], morning, BERLIN)).toBe(true);
  });

  it('is still asked after a day cramp, a cramp of an earlier night, or a cramp whose delete waits to be sent', () => {
    expect(nightCrampLogged([cramp('2026-03-10T12:10:00Z')], morning, BERLIN)).toBe(false); // 13:10 yesterday
    expect(nightCrampLogged([cramp('2026-03-10T02:10:00Z')], morning, BERLIN)).toBe(false); // the night before
    expect(nightCrampLogged([cramp(AT_0310_BERLIN, {}, { queueMethod: 'DELETE' })], morning, BERLIN)).toBe(false);
  });
});
