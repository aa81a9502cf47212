// The clinician workspace's pure rules: code labels, periods, URLs, relative dates, evidence in words,
// the entries table's cells, the redeem messages.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import {
  adherenceText,
  clinicianView,
  dateRuns,
  datesText,
  entriesUrl,
  evidenceRows,
  exportUrl,
  insightLabel,
  isTwoFactorRequired,
  levelLabel,
  pageCount,
  patientsUrl,
  rangeDays,
  rangeFromDays,
  redeemErrorText,
  relativeTime,
  trendsUrl,
} from '../src/logic/clinician';
import { ENTRY_COLUMNS } from '../src/kinds';
import { checkinSigns, durationText, hoursBetween } from '../src/logic/entryColumns';
import { strings } from '../src/strings';

const ID = '1937cc01-4abd-4f6a-83a9-b6e812078d3d';

describe('insight codes in plain words', () => {
  it('labels every contract code', () => {
    expect(insightLabel('emergency_warning')).toBe('Emergency: chest pain or breathlessness');
    expect(insightLabel('urgent_dvt_warning')).toBe('Possible DVT');
    expect(insightLabel('venous_evaluation')).toBe('Vein evaluation advised');
    expect(insightLabel('arterial_evaluation')).toBe('Artery (circulation) check advised');
    expect(insightLabel('frequent_severe_cramps')).toBe('Frequent or severe cramps');
    expect(insightLabel('skin_changes')).toBe('Skin changes');
    expect(insightLabel('medication_review')).toBe('Medication review');
    expect(insightLabel('low_hydration_pattern')).toBe('Low fluid and cramps');
    expect(insightLabel('compression_association')).toBe('Stockings and cramps');
  });

  it('keeps a code it does not know readable', () => {
    expect(insightLabel('new_rule_here')).toBe('New rule here');
  });

  it('names levels in words, and "None" before insights exist', () => {
    expect(levelLabel('urgent')).toBe('Urgent');
    expect(levelLabel('advice')).toBe('Advice');
    expect(levelLabel('info')).toBe('Information');
    expect(levelLabel(null)).toBe('None');
  });

  it('writes stocking adherence as n/28 days, within bounds', () => {
    expect(adherenceText(21)).toBe('21/28 days');
    expect(adherenceText(0)).toBe('0/28 days');
    expect(adherenceText(null)).toBe('0/28 days');
    expect(adherenceText(40)).toBe('28/28 days');
  });
});

describe('the period of the patient page', () => {
  it('maps each period to days', () => {
    expect(['4w', '12w', '6m', '1y'].map(rangeDays)).toEqual([28, 84, 182, 365]);
    expect(rangeDays('nonsense')).toBe(84);
    expect(rangeDays(null)).toBe(84);
  });

  it('reads a period back from ?days=, else the default', () => {
    expect(rangeFromDays('28')).toBe('4w');
    expect(rangeFromDays(365)).toBe('1y');
    expect(rangeFromDays('30')).toBe('12w');
    expect(rangeFromDays(null)).toBe('12w');
  });
});

describe('API and app URLs', () => {
  it('builds the list query (search, page, page size)', () => {
    expect(patientsUrl('', 1)).toBe('/api/v1/clinician/patients/?page_size=25');
    expect(patientsUrl(' erin ', 2)).toBe('/api/v1/clinician/patients/?search=erin&page=2&page_size=25');
  });

  it('builds trends and export URLs with the chosen days', () => {
    expect(trendsUrl(ID, 182)).toBe(`/api/v1/clinician/patients/${ID}/trends/?days=182`);
    expect(exportUrl(ID, 'pdf', 28)).toBe(`/api/v1/clinician/patients/${ID}/export/?format=pdf&days=28`);
    expect(exportUrl(ID, 'fhir', 365)).toBe(`/api/v1/clinician/patients/${ID}/export/?format=fhir&days=365`);
    expect(exportUrl(ID, 'csv', 84)).toBe(`/api/v1/clinician/patients/${ID}/export/?format=csv&days=84`);
  });

  it('bounds entries by whole local days (since at 00:00, until at 23:59:59.999)', () => {
    const url = new URL(entriesUrl(ID, 'checkins', { since: '2026-11-01', until: '2026-11-07', page: 2 }), 'http://x');
    expect(url.pathname).toBe(`/api/v1/clinician/patients/${ID}/checkins/`);
    expect(new Date(url.searchParams.get('since')!).getTime()).toBe(new Date('2026-11-01T00:00:00').getTime());
    expect(new Date(url.searchParams.get('until')!).getTime()).toBe(new Date('2026-11-07T23:59:59.999').getTime());
    expect(url.searchParams.get('page')).toBe('2');
    expect(entriesUrl(ID, 'cramps', {})).toBe(`/api/v1/clinician/patients/${ID}/cramps/?page_size=25`);
  });

  it('counts pages', () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
  });

  it('routes the workspace paths', () => {
    expect(clinicianView('/clinician')).toEqual({ view: 'list' });
    expect(clinicianView(`/clinician/patients/${ID}`)).toEqual({ view: 'patient', id: ID });
    expect(clinicianView('/profile')).toEqual({ view: 'profile' });
    expect(clinicianView('/')).toEqual({ view: 'other' });
    expect(clinicianView('/clinician/patients/../x')).toEqual({ view: 'other' });
  });
});

describe('dates in words', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it('says how long ago', () => {
    expect(relativeTime('2026-11-22T11:59:40Z', now)).toBe('just now');
    expect(relativeTime('2026-11-22T12:00:30Z', now)).toBe('just now');
    expect(relativeTime('2026-11-22T11:15:00Z', now)).toBe('45 minutes ago');
    expect(relativeTime('2026-11-22T07:00:00Z', now)).toBe('5 hours ago');
    expect(relativeTime('2026-11-21T11:00:00Z', now)).toBe('1 day ago');
    expect(relativeTime('2026-11-15T12:00:00Z', now)).toBe('7 days ago');
    expect(relativeTime('2026-10-25T12:00:00Z', now)).toBe('4 weeks ago');
    expect(relativeTime('2026-06-01T12:00:00Z', now)).toBe('5 months ago');
    expect(relativeTime(null, now)).toBe('No entries yet');
  });

  it('joins consecutive days into runs', () => {
    expect(dateRuns(['2026-11-03', '2026-11-01', '2026-11-02', '2026-11-05', '2026-11-05'])).toEqual([
      ['2026-11-01', '2026-11-03'],
      ['2026-11-05'],
    ]);
    expect(dateRuns(['2026-12-31', '2027-01-01'])).toEqual([['2026-12-31', '2027-01-01']]);
  });

  it('writes a date list compactly, with the year only across years', () => {
    expect(datesText(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-05'], { locale: 'en-GB' })).toBe('1 Nov–3 Nov, 5 Nov');
    expect(datesText(['2026-12-30', '2027-01-02'], { locale: 'en-GB' })).toBe('30 Dec 2026, 2 Jan 2027');
    const many = Array.from({ length: 10 }, (_, i) => `2026-11-${String(2 * i + 1).padStart(2, '0')}`);
    expect(datesText(many, { locale: 'en-GB', maxRuns: 3 })).toBe('1 Nov, 3 Nov, 5 Nov, and 7 more days');
  });
});

describe('insight evidence in words', () => {
  it('shows the DVT evidence readably and hides internal ids', () => {
    const rows = evidenceRows(
      {
        checkins: 1,
        checkin_id: 'd3049b52-8620-47a6-8c6b-f4ef95d31608',
        date: '2026-11-20',
        dates: ['2026-11-20'],
        leg: 'left',
        swelling_left: 3,
        swelling_right: 0,
        circumference_left_cm: 41.5,
        circumference_right_cm: null,
        circumference_difference_cm: 4.5,
        calf_pain_or_tenderness: true,
        previous_dvt: false,
      },
      'en-GB',
    );
    const byKey = Object.fromEntries(rows.map((r) => [r.key, `${r.label}: ${r.value}`]));
    expect(byKey.checkin_id).toBeUndefined();
    expect(byKey.circumference_right_cm).toBeUndefined(); // null: left out
    expect(byKey.checkins).toBe('Check-ins: 1');
    expect(byKey.date).toBe('Check-in date: 20 Nov 2026');
    expect(byKey.dates).toBe('Dates: 20 Nov');
    expect(byKey.leg).toBe('Leg: left');
    expect(byKey.swelling_left).toBe('Swelling, left: Severe (3)');
    expect(byKey.circumference_left_cm).toBe('Left calf or ankle, cm: 41.5');
    expect(byKey.calf_pain_or_tenderness).toBe('Calf pain or tenderness: Yes');
    expect(byKey.previous_dvt).toBe('Previous DVT: No');
  });

  it('writes night rates as counts and percentages, and venous signs in words', () => {
    const rows = evidenceRows(
      {
        compression_day_hours: 8,
        worn: { nights: 10, cramp_nights: 2, rate: 0.2, first_night: '2026-11-01', last_night: '2026-11-20' },
        none: { nights: 8, cramp_nights: 6, rate: 0.75, first_night: null, last_night: null },
        rate_worn: 0.2,
        rate_none: 0.75,
        fewer_with_compression: true,
        signs: ['swelling', 'heaviness_or_aching'],
        skin_changes_dates: [],
      },
      'en-GB',
    );
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    expect(byKey.worn).toBe('2 of 10 nights (20%), 1 Nov–20 Nov');
    expect(byKey.none).toBe('6 of 8 nights (75%)');
    expect(byKey.rate_worn).toBeUndefined();
    expect(byKey.fewer_with_compression).toBe('Yes');
    expect(byKey.signs).toBe('swelling, heaviness or aching');
    expect(byKey.skin_changes_dates).toBeUndefined(); // empty list: left out
    expect(rows.find((r) => r.key === 'worn')!.label).toBe('After stocking days');
  });

  it('still shows keys it does not know', () => {
    expect(evidenceRows({ some_new_count: 3 })).toEqual([{ key: 'some_new_count', label: 'Some new count', value: '3' }]);
    expect(evidenceRows(undefined)).toEqual([]);
  });
});

describe('the entries table', () => {
  it('has columns for every kind, the time first (a medicine\'s start, a day of the patient\'s, unzoned)', () => {
    for (const [kind, cols] of Object.entries(ENTRY_COLUMNS)) {
      expect(cols.length, kind).toBeGreaterThan(1);
      if (kind === 'medications') {
        expect(cols[0].head).toBe('Started');
        expect(cols[0].zoned).toBeFalsy();
      } else expect(cols[0].head).toBe('When');
    }
  });

  it('describes a cramp', () => {
    const cramp = {
      started_at: '2026-11-20T23:48:00Z',
      night: '2026-11-20',
      is_nocturnal: true,
      side: 'left',
      muscle: 'calf',
      severity: 7,
      duration_seconds: 150,
      activity: 'sleeping',
      woke_from_sleep: true,
      relieved_by_rest: null,
      notes: '',
    };
    const cells = Object.fromEntries(ENTRY_COLUMNS.cramps.map((c) => [c.key, c.cell(cramp, 'en-GB')]));
    expect(cells.night).toBe('20 Nov 2026');
    expect(cells.where).toBe('Left calf');
    expect(cells.severity).toBe('7/10');
    expect(cells.duration_seconds).toBe('2.5 min');
    expect(cells.woke_from_sleep).toBe('Yes');
    expect(cells.relieved_by_rest).toBe('—');
    expect(cells.notes).toBe('—');
    expect(ENTRY_COLUMNS.cramps[1].cell({ ...cramp, is_nocturnal: false }, 'en-GB')).toBe('20 Nov 2026 (daytime)');
  });

  it('describes stockings, check-ins and durations', () => {
    expect(hoursBetween('2026-11-20T07:00:00Z', '2026-11-20T16:30:00Z')).toBe('9.5');
    expect(hoursBetween('2026-11-20T07:00:00Z', null)).toBe('—');
    const wear = { started_at: '2026-11-20T07:00:00Z', ended_at: null, garment: 'knee', pressure_class: '20-30', legs: 'both' };
    const cells = Object.fromEntries(ENTRY_COLUMNS.compression.map((c) => [c.key, c.cell(wear)]));
    expect(cells.ended_at).toBe('Still on');
    expect(cells.garment).toBe('Knee-high');
    expect(cells.pressure_class).toBe('20–30 mmHg');
    expect(checkinSigns({ calf_pain_or_tenderness: true, redness_or_warmth: true, visible_veins: false })).toBe('Calf pain or tenderness, Redness or warmth');
    expect(checkinSigns({})).toBe('—');
    const checkin = { swelling_left: 3, swelling_right: 0, circumference_left_cm: 41.5, circumference_right_cm: 37, heaviness: 6, aching: 4, itching: 0, cramps_last_night: 'some' };
    const c = Object.fromEntries(ENTRY_COLUMNS.checkins.map((col) => [col.key, col.cell(checkin)]));
    expect(c.swelling).toBe('Severe / None');
    expect(c.circumference).toBe('41.5 / 37');
    expect(c.symptoms).toBe('6 / 4 / 0');
    expect(c.cramps_last_night).toBe('Yes');
    expect(durationText(45)).toBe('45 s');
    expect(durationText(600)).toBe('10 min');
  });
});

describe('errors of the workspace', () => {
  it('shows the API message for a bad code, and the wait when throttled', () => {
    const bad = new ApiError('validation', 400, { code: ['This code is unknown, already used or expired. Ask the patient for a new one.'] });
    expect(redeemErrorText(bad)).toBe('This code is unknown, already used or expired. Ask the patient for a new one.');
    expect(redeemErrorText(new ApiError('throttled', 429, {}, 'Too many failed attempts.', 1500))).toBe('Too many tries. Wait 25 minutes, then try again.');
    expect(redeemErrorText(new ApiError('throttled', 429, {}, undefined, 20))).toBe('Too many tries. Wait 1 minute, then try again.');
    expect(redeemErrorText(new ApiError('throttled', 429))).toBe(strings.clinician.tooManyTriesSoon);
    expect(redeemErrorText(new ApiError('offline', 0))).toBeNull();
  });

  it('tells the two-factor 403 apart from other refusals', () => {
    const twoFactor = new ApiError('forbidden', 403, {}, "Turn on two-factor sign-in (Profile) before you open patients' diaries.");
    expect(isTwoFactorRequired(twoFactor)).toBe(true);
    expect(isTwoFactorRequired(new ApiError('forbidden', 403, {}, 'Only a clinician account can do this.'))).toBe(false);
    expect(isTwoFactorRequired(new ApiError('validation', 400, {}, 'two-factor'))).toBe(false);
  });
});
