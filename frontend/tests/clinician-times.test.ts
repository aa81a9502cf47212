// Times belong to the patient: zone labels (mirroring diary/zones.py), times on the patient's clock with
// the clinician's beside them, the entries table's headings and cells, the date filter, the evidence.
import { describe, expect, it } from 'vitest';
import { entriesUrl, evidenceRows } from '../src/logic/clinician';
import { ENTRY_COLUMNS } from '../src/kinds';
import { columnHead } from '../src/logic/entryColumns';
import {
  formatInZone,
  formatWithZone,
  instantInZone,
  offsetLabel,
  ownClockTime,
  patientTime,
  zoneLabel,
  zoneLabelIsFixed,
  zoneOffsetMinutes,
} from '../src/logic/time';

const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const GB = { locale: 'en-GB' };
// 03:00 on Monday 30 November 2026 in New York: 09:00 in Berlin.
const NIGHT_CRAMP = '2026-11-30T08:00:00Z';

describe('a zone in words', () => {
  it.each([
    ['America/New_York', 'New York time'],
    ['Europe/Berlin', 'Berlin time'],
    ['America/Argentina/Buenos_Aires', 'Buenos Aires time'],
    ['Asia/Ho_Chi_Minh', 'Ho Chi Minh time'],
    ['UTC', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Etc/GMT+5', 'UTC\u22125'], // the POSIX sign: five hours behind UTC
    ['Etc/GMT-14', 'UTC+14'],
  ])('%s is "%s", as the server says it', (zone, label) => {
    expect(zoneLabel(zone, new Date(NIGHT_CRAMP))).toBe(label);
  });

  it('names a zone without a city by its offset on that day', () => {
    expect(zoneLabel('EST5EDT', new Date('2026-01-15T12:00:00Z'))).toBe('UTC\u22125');
    expect(zoneLabel('EST5EDT', new Date('2026-07-15T12:00:00Z'))).toBe('UTC\u22124');
    expect(offsetLabel('Asia/Kathmandu', new Date(NIGHT_CRAMP))).toBe('UTC+5:45');
    expect(offsetLabel('Asia/Kolkata', new Date(NIGHT_CRAMP))).toBe('UTC+5:30');
    expect(offsetLabel('Not/A_Zone')).toBe('Not/A_Zone');
  });

  it('knows which labels hold all year, so a heading may carry them', () => {
    expect(zoneLabelIsFixed(NEW_YORK)).toBe(true);
    expect(zoneLabelIsFixed('UTC')).toBe(true);
    expect(zoneLabelIsFixed('Etc/GMT+5')).toBe(true);
    expect(zoneLabelIsFixed('EST5EDT')).toBe(false);
  });

  it('reads offsets across daylight saving time', () => {
    expect(zoneOffsetMinutes(NEW_YORK, new Date('2026-07-01T12:00:00Z'))).toBe(-240);
    expect(zoneOffsetMinutes(NEW_YORK, new Date(NIGHT_CRAMP))).toBe(-300);
    expect(zoneOffsetMinutes(BERLIN, new Date(NIGHT_CRAMP))).toBe(60);
  });
});

describe('a time on the patient\u2019s clock', () => {
  it('reads 03:00 for a night cramp at 03:00 New York time, wherever the clinician is', () => {
    expect(formatInZone(NIGHT_CRAMP, NEW_YORK, { ...GB, date: false })).toBe('03:00');
    expect(formatWithZone(NIGHT_CRAMP, NEW_YORK, GB)).toBe('30 Nov 2026, 03:00 New York time');
    // 24-hour whatever the locale: "03:00", never "3:00 AM".
    expect(formatInZone(NIGHT_CRAMP, NEW_YORK, { locale: 'en-US', date: false })).toBe('03:00');
  });

  it('puts the clinician\u2019s own clock beside it when it reads differently', () => {
    expect(patientTime(NIGHT_CRAMP, NEW_YORK, BERLIN, GB)).toEqual({
      text: '30 Nov 2026, 03:00 New York time',
      clock: '30 Nov 2026, 03:00',
      label: 'New York time',
      own: '09:00 your time',
    });
    // The same day on both clocks: the time is enough.
    expect(patientTime('2026-11-30T22:30:00Z', NEW_YORK, BERLIN, GB)).toMatchObject({
      text: '30 Nov 2026, 17:30 New York time',
      own: '23:30 your time',
    });
    // Already the next day on the clinician's clock: the date comes along.
    expect(patientTime('2026-12-01T02:30:00Z', NEW_YORK, BERLIN, GB)).toMatchObject({
      text: '30 Nov 2026, 21:30 New York time',
      own: '1 Dec, 03:30 your time',
    });
  });

  it('leaves the clinician\u2019s clock out when it reads the same', () => {
    expect(patientTime(NIGHT_CRAMP, NEW_YORK, NEW_YORK, GB)?.own).toBeNull();
    expect(patientTime(NIGHT_CRAMP, 'Europe/Paris', BERLIN, GB)).toMatchObject({ text: '30 Nov 2026, 09:00 Paris time', own: null });
    expect(patientTime(NIGHT_CRAMP, NEW_YORK, null, GB)?.own).toBeNull();
  });

  it('never draws a time on one clock and labels it with another', () => {
    // A zone this browser does not know is shown, and named, as UTC.
    expect(formatWithZone(NIGHT_CRAMP, 'Mars/Olympus_Mons', GB)).toBe('30 Nov 2026, 08:00 UTC');
    expect(patientTime('not a time', NEW_YORK, BERLIN)).toBeNull();
    expect(formatWithZone(null, NEW_YORK)).toBe('');
  });

  it('shows the patient their own app\u2019s times on their profile\u2019s clock, labelled only when the phone differs', () => {
    const at = '2026-12-02T12:00:00Z'; // 07:00 in New York
    expect(ownClockTime(at, NEW_YORK, NEW_YORK, { ...GB, year: false })).toBe('2 Dec, 07:00');
    expect(ownClockTime(at, NEW_YORK, BERLIN, { ...GB, year: false })).toBe('2 Dec, 07:00 New York time');
    expect(ownClockTime(at, null, BERLIN, { ...GB, year: false })).toBe('2 Dec, 13:00');
  });
});

describe('the instant of a patient\u2019s wall-clock time', () => {
  it('finds local midnight in the patient\u2019s zone', () => {
    expect(instantInZone('2026-11-30', 0, NEW_YORK).toISOString()).toBe('2026-11-30T05:00:00.000Z');
    expect(instantInZone('2026-07-01', 0, NEW_YORK).toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(instantInZone('2026-11-30', 3 * 60, BERLIN).toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  it('keeps days of 23 and 25 hours whole', () => {
    // New York: clocks go back on 1 November 2026 and forward on 8 March 2026.
    expect(instantInZone('2026-11-01', 12 * 60, NEW_YORK).toISOString()).toBe('2026-11-01T17:00:00.000Z');
    expect(instantInZone('2026-03-08', 12 * 60, NEW_YORK).toISOString()).toBe('2026-03-08T16:00:00.000Z');
  });

  it('bounds the entries by the patient\u2019s days, not the clinician\u2019s', () => {
    const url = new URL(entriesUrl('p', 'cramps', { since: '2026-11-30', until: '2026-11-30', timeZone: NEW_YORK }), 'http://x');
    expect(url.searchParams.get('since')).toBe('2026-11-30T05:00:00.000Z');
    expect(url.searchParams.get('until')).toBe('2026-12-01T04:59:59.999Z');
    // The day clocks go back is 25 hours long.
    const long = new URL(entriesUrl('p', 'cramps', { since: '2026-11-01', until: '2026-11-01', timeZone: NEW_YORK }), 'http://x');
    expect(long.searchParams.get('since')).toBe('2026-11-01T04:00:00.000Z');
    expect(long.searchParams.get('until')).toBe('2026-11-02T04:59:59.999Z');
  });
});

describe('the entries table on the patient\u2019s clock', () => {
  const cramp = { started_at: NIGHT_CRAMP, night: '2026-11-29', is_nocturnal: true };

  it('names the zone once, in the time columns\u2019 headings', () => {
    expect(columnHead(ENTRY_COLUMNS.cramps[0], NEW_YORK)).toBe('When (New York time)');
    expect(columnHead(ENTRY_COLUMNS.cramps[1], NEW_YORK)).toBe('Night of');
    const ended = ENTRY_COLUMNS.compression.find((c) => c.key === 'ended_at')!;
    expect(columnHead(ended, NEW_YORK)).toBe('Taken off (New York time)');
    expect(columnHead(ENTRY_COLUMNS.hydration[0], 'UTC')).toBe('When (UTC)');
    expect(columnHead(ENTRY_COLUMNS.cramps[0])).toBe('When');
  });

  it('shows a night cramp at 03:00 New York time as 03:00', () => {
    expect(ENTRY_COLUMNS.cramps[0].cell(cramp, 'en-GB', NEW_YORK)).toBe('30 Nov 2026, 03:00');
    const wear = { started_at: '2026-11-30T12:05:00Z', ended_at: '2026-12-01T04:30:00Z' };
    const ended = ENTRY_COLUMNS.compression.find((c) => c.key === 'ended_at')!;
    expect(ended.cell(wear, 'en-GB', NEW_YORK)).toBe('30 Nov 2026, 23:30');
    expect(ended.cell({ ...wear, ended_at: null }, 'en-GB', NEW_YORK)).toBe('Still on');
  });

  it('labels each cell instead when the zone\u2019s label changes with the season', () => {
    expect(columnHead(ENTRY_COLUMNS.cramps[0], 'EST5EDT')).toBe('When');
    expect(ENTRY_COLUMNS.cramps[0].cell(cramp, 'en-GB', 'EST5EDT')).toBe('30 Nov 2026, 03:00 UTC\u22125');
    const summer = { started_at: '2026-07-01T07:00:00Z' };
    expect(ENTRY_COLUMNS.cramps[0].cell(summer, 'en-GB', 'EST5EDT')).toBe('1 Jul 2026, 03:00 UTC\u22124');
  });
});

describe('insight evidence on the patient\u2019s clock', () => {
  it('shows a check-in\u2019s time as the patient lived it, labelled', () => {
    const rows = evidenceRows(
      { date: '2026-11-29', recorded_at: '2026-11-30T04:30:00Z', claudication_answered_at: '2026-12-03T07:30:00Z' },
      'en-GB',
      'America/Los_Angeles',
    );
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    expect(byKey.recorded_at).toBe('29 Nov 2026, 20:30 Los Angeles time');
    // 23:30 on 2 December in Los Angeles, though 3 December in UTC.
    expect(byKey.claudication_answered_at).toBe('2 Dec 2026, 23:30 Los Angeles time');
    expect(byKey.date).toBe('29 Nov 2026'); // a date is the patient's already (the server's)
  });
});

describe('insight evidence from a check-in logged in another zone', () => {
  it('reads its moment on the clock it was logged on, labelled, and lists no bare zone row', () => {
    const rows = evidenceRows(
      { checkins: 1, date: '2026-11-29', recorded_at: '2026-11-29T19:00:00Z', timezone: 'Europe/Berlin' },
      'en-GB',
      'Asia/Tokyo', // the patient's zone now, after the move
    );
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    expect(byKey.recorded_at).toBe('29 Nov 2026, 20:00 Berlin time'); // not 04:00 the next day in Tokyo
    expect(rows.map((r) => r.key)).not.toContain('timezone');
  });
});
