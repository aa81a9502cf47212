// Mirrors tests/test_nights.py (night of a local time, windows spanning midnight, nocturnal cramps),
// plus the app's dark-theme window and cramp defaults.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  crampDefaults,
  inNightWindow,
  inWindow,
  isNocturnal,
  localParts,
  nightOf,
  nightOfInstant,
  parseClock,
  wantsDarkTheme,
} from '../src/logic/time';

const BERLIN = 'Europe/Berlin';
const clock = (t: string) => parseClock(t);

describe('the night of a local time', () => {
  it.each([
    ['2026-03-10', '12:00', '2026-03-10'],
    ['2026-03-10', '23:59', '2026-03-10'],
    ['2026-03-11', '00:00', '2026-03-10'],
    ['2026-03-11', '11:59', '2026-03-10'],
    ['2026-03-11', '12:00', '2026-03-11'],
  ])('%s %s belongs to the night of %s (noon to noon, by the clock)', (date, time, night) => {
    expect(nightOf(date, clock(time))).toBe(night);
  });

  it('crosses month and year ends', () => {
    expect(nightOf('2026-03-01', clock('03:00'))).toBe('2026-02-28');
    expect(nightOf('2028-03-01', clock('03:00'))).toBe('2028-02-29');
    expect(nightOf('2027-01-01', clock('00:30'))).toBe('2026-12-31');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('goes by the clock on the day clocks spring forward (Berlin skips 02:00-03:00 on 29 March 2026)', () => {
    expect(nightOfInstant(new Date('2026-03-29T09:59:00Z'), BERLIN)).toBe('2026-03-28'); // 11:59 CEST
    expect(nightOfInstant(new Date('2026-03-29T10:00:00Z'), BERLIN)).toBe('2026-03-29'); // 12:00 CEST
    expect(localParts(new Date('2026-03-29T01:00:00Z'), BERLIN)).toMatchObject({ date: '2026-03-29', minutes: clock('03:00') });
  });

  it('goes by the clock on the day clocks fall back (02:30 happens twice on 25 October 2026)', () => {
    expect(nightOfInstant(new Date('2026-10-25T00:30:00Z'), BERLIN)).toBe('2026-10-24'); // first 02:30 (CEST)
    expect(nightOfInstant(new Date('2026-10-25T01:30:00Z'), BERLIN)).toBe('2026-10-24'); // second 02:30 (CET)
    expect(localParts(new Date('2026-10-25T01:30:00Z'), BERLIN).minutes).toBe(clock('02:30'));
  });

  it('uses the patient’s zone', () => {
    const instant = new Date('2026-03-10T20:00:00Z');
    expect(nightOfInstant(instant, 'Asia/Tokyo')).toBe('2026-03-10'); // 05:00 on the 11th
    expect(nightOfInstant(instant, 'America/Los_Angeles')).toBe('2026-03-10'); // 13:00 on the 10th
    // 11:00 on the 10th in Tokyo: before noon, so still the night of the 9th; 19:00 the evening before in LA.
    expect(nightOfInstant(new Date('2026-03-10T02:00:00Z'), 'Asia/Tokyo')).toBe('2026-03-09');
    expect(nightOfInstant(new Date('2026-03-10T02:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-09');
  });

  it('reports the weekday, Monday = 0', () => {
    expect(localParts(new Date('2026-03-09T12:00:00Z'), 'UTC').weekday).toBe(0); // a Monday
    expect(localParts(new Date('2026-03-15T12:00:00Z'), 'UTC').weekday).toBe(6); // a Sunday
  });
});

describe('windows', () => {
  it.each([
    ['21:59', false],
    ['22:00', true],
    ['03:00', true],
    ['06:59', true],
    ['07:00', false],
  ])('a night window 22:00-07:00 spans midnight: %s inside is %s', (time, inside) => {
    expect(inWindow(clock(time), clock('22:00'), clock('07:00'))).toBe(inside);
  });

  it('a window inside one day is plain; an empty or broken one holds nothing', () => {
    expect(inWindow(clock('14:00'), clock('13:00'), clock('15:00'))).toBe(true);
    expect(inWindow(clock('16:00'), clock('13:00'), clock('15:00'))).toBe(false);
    expect(inWindow(clock('16:00'), clock('16:00'), clock('16:00'))).toBe(false);
    expect(inWindow(clock('16:00'), parseClock('25:00'), clock('07:00'))).toBe(false);
  });

  it('parses HH:MM and HH:MM:SS', () => {
    expect(parseClock('07:30')).toBe(450);
    expect(parseClock('22:00:00')).toBe(1320);
    expect(parseClock('7:5')).toBeNaN();
  });
});

describe('nocturnal cramps', () => {
  const NIGHT = { nightStart: '22:00', nightEnd: '07:00' };
  it.each([
    ['15:00', true, 'resting', true],
    ['15:00', false, 'sleeping', true],
    ['23:30', false, 'resting', true],
    ['15:00', false, 'walking', false],
    ['07:00', false, 'standing', false],
  ])('at %s, woke %s, %s: nocturnal %s', (time, woke, activity, nocturnal) => {
    expect(isNocturnal({ clockMinutes: clock(time), wokeFromSleep: woke, activity, ...NIGHT })).toBe(nocturnal);
  });
});

describe('dark theme and night defaults', () => {
  const profile = { night_start: '22:00', night_end: '07:00', timezone: BERLIN };
  it('is dark in the patient’s night window, in their zone', () => {
    expect(wantsDarkTheme(new Date('2026-03-10T22:30:00Z'), profile, false)).toBe(true); // 23:30 Berlin
    expect(wantsDarkTheme(new Date('2026-03-11T04:00:00Z'), profile, false)).toBe(true); // 05:00
    expect(wantsDarkTheme(new Date('2026-03-11T06:00:00Z'), profile, false)).toBe(false); // 07:00: night over
    expect(wantsDarkTheme(new Date('2026-03-10T11:00:00Z'), profile, false)).toBe(false); // noon
  });

  it('is dark whenever the phone prefers dark', () => {
    expect(wantsDarkTheme(new Date('2026-03-10T11:00:00Z'), profile, true)).toBe(true);
  });

  it('follows a custom night window, and the default 22:00-07:00 without a profile', () => {
    const early = { night_start: '20:30', night_end: '05:00', timezone: 'America/New_York' };
    expect(inNightWindow(new Date('2026-03-11T00:45:00Z'), early)).toBe(true); // 20:45 New York (EDT)
    expect(inNightWindow(new Date('2026-03-11T09:30:00Z'), early)).toBe(false); // 05:30
    expect(inNightWindow(new Date('2026-03-10T23:00:00Z'), { ...profile, night_start: '22:00', night_end: '07:00', timezone: 'UTC' })).toBe(true);
  });

  it('suggests "sleeping" and "woke me" at night, "resting" by day', () => {
    expect(crampDefaults(new Date('2026-03-11T02:00:00Z'), profile)).toEqual({ activity: 'sleeping', woke_from_sleep: true });
    expect(crampDefaults(new Date('2026-03-11T13:00:00Z'), profile)).toEqual({ activity: 'resting', woke_from_sleep: false });
  });
});
