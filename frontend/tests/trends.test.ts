// Unknown is not zero on the Trends screen (issue 14): gaps, "not enough diary yet", and the chart
// behind each insight. Both the server's 2026-12 fields and the fallback for a server without them.
import { describe, expect, it } from 'vitest';
import type { Insight } from '../src/api/types';
import {
  chartPlan,
  dayGaps,
  dayLogged,
  daySeries,
  exertionByDate,
  gapKinds,
  gapRuns,
  nightGaps,
  notEnoughDiary,
  trendsView,
  unknownCount,
  weekSeries,
  withExertion,
  type ServerDay,
  type ServerTrends,
  type ServerWeek,
} from '../src/logic/trends';
import { chartSpecs } from '../src/screens/charts';

/** A day with nothing in it, as an older server sends it (no `logged`, no `exertion_cramps`). */
function bareDay(date: string, figures: Partial<ServerDay> = {}): ServerDay {
  return {
    date,
    cramps: 0,
    nocturnal_cramps: 0,
    max_severity: null,
    cramp_minutes: 0,
    compression_hours: 0,
    elevation_minutes: 0,
    fluid_ml: null,
    swelling_max: null,
    heaviness_max: null,
    swelling_left_max: null,
    swelling_right_max: null,
    cramp_night: false,
    ...figures,
  };
}

function bareWeek(week_start: string, figures: Partial<ServerWeek> = {}): ServerWeek {
  return { week_start, days: 7, cramp_nights: 0, cramps: 0, compression_days: 0, mean_fluid_ml: null, swelling_days: 0, ...figures };
}

const dates = (first: string, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const [y, m, d] = first.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
  });

/** Two weeks from Monday 2 March 2026; `logged` says which days had something logged. */
function twoWeeks(logged: string[], extra: Partial<ServerTrends> = {}, dayFigures: Partial<ServerDay> = {}): ServerTrends {
  return {
    days: dates('2026-03-02', 14).map((date) => ({ ...bareDay(date, logged.includes(date) ? dayFigures : {}), logged: logged.includes(date), exertion_cramps: 0 })),
    weeks: [bareWeek('2026-03-02'), bareWeek('2026-03-09')],
    ...extra,
  };
}

const insight = (code: string, title = `The ${code} insight`): Insight => ({ code, level: 'advice', title, explanation: '' });

describe('a logged day', () => {
  it('is what the server says, even when every figure is zero', () => {
    expect(dayLogged({ ...bareDay('2026-03-02'), logged: true })).toBe(true);
    expect(dayLogged({ ...bareDay('2026-03-02', { cramps: 2 }), logged: false })).toBe(false);
  });

  it('falls back, on a server that does not say, to any figure that is not zero or null', () => {
    expect(dayLogged(bareDay('2026-03-02'))).toBe(false);
    expect(dayLogged(bareDay('2026-03-02', { fluid_ml: 250 }))).toBe(true);
    expect(dayLogged(bareDay('2026-03-02', { compression_hours: 9 }))).toBe(true);
    // Swelling "none" is an answer: zero that was said is not nothing.
    expect(dayLogged(bareDay('2026-03-02', { swelling_max: 0 }))).toBe(true);
    expect(dayLogged(bareDay('2026-03-02', { swelling_right_max: 0 }))).toBe(true);
  });
});

describe('gaps by day', () => {
  it('are the days with nothing logged, and a logged zero stays a zero', () => {
    const view = trendsView(twoWeeks(['2026-03-03'], {}, { elevation_minutes: 0, compression_hours: 0 }));
    const values = daySeries(view, (d) => d.compression_hours);
    expect(values[0]).toBeNull();
    expect(values[1]).toBe(0);
    expect(dayGaps(view).filter(Boolean)).toHaveLength(13);
  });

  it('count the days before the diary began when the server says when it began', () => {
    const view = trendsView(twoWeeks(['2026-03-10', '2026-03-11'], { diary_started_on: '2026-03-10' }));
    expect(view.days.filter((d) => d.beforeDiary).map((d) => d.date)).toEqual(dates('2026-03-02', 8));
    expect(unknownCount(view, 'day', dayGaps(view))).toEqual({ unknown: 12, before: 8, total: 14 });
  });

  it('claim no diary start the server did not give: the first logged day of the period may not be it', () => {
    const view = trendsView(twoWeeks(['2026-03-10']));
    expect(view.diaryStartedOn).toBeUndefined();
    expect(view.days.some((d) => d.beforeDiary)).toBe(false);
  });

  it('are every day, before the diary, for a patient who never logged anything', () => {
    const view = trendsView(twoWeeks([], { diary_started_on: null }));
    expect(view.days.every((d) => d.beforeDiary && !d.logged)).toBe(true);
    expect(daySeries(view, (d) => d.cramps).every((v) => v === null)).toBe(true);
  });
});

describe('gaps by week', () => {
  it('leave out a week with nothing logged, and a week with no night observed for cramp nights', () => {
    const data = twoWeeks(['2026-03-03']);
    data.weeks = [bareWeek('2026-03-02', { logged_days: 1, observed_nights: 0, compression_days: 0 }), bareWeek('2026-03-09', { logged_days: 0, observed_nights: 0 })];
    const view = trendsView(data);
    expect(weekSeries(view, (w) => w.compression_days)).toEqual([0, null]);
    expect(weekSeries(view, (w) => w.cramp_nights, (w) => w.unknown || w.nightsUnknown)).toEqual([null, null]);
    expect(nightGaps(view)).toEqual(['night', 'nothing']);
    expect(gapKinds(nightGaps(view))).toEqual(['nothing', 'night']);
  });

  it('keep zero cramp nights as zero in a week whose nights were observed', () => {
    const data = twoWeeks(['2026-03-03']);
    data.weeks = [bareWeek('2026-03-02', { logged_days: 1, observed_nights: 3 }), bareWeek('2026-03-09', { logged_days: 0, observed_nights: 0 })];
    expect(weekSeries(trendsView(data), (w) => w.cramp_nights, (w) => w.unknown || w.nightsUnknown)).toEqual([0, null]);
  });

  it('on a server without observed_nights or logged_days, read them from the days', () => {
    const data = twoWeeks(['2026-03-04', '2026-03-05']);
    data.weeks = [bareWeek('2026-03-02'), bareWeek('2026-03-09', { cramp_nights: 1 })];
    const view = trendsView(data);
    expect(view.weeks.map((w) => w.loggedDays)).toEqual([2, 0]);
    // A cramp night is an observed night, whatever else the week lacks.
    expect(view.weeks.map((w) => w.nightsUnknown)).toEqual([false, false]);
    expect(nightGaps(view)).toEqual([null, 'nothing']);
  });

  it('are before the diary only when the whole week is', () => {
    const view = trendsView(twoWeeks(['2026-03-08'], { diary_started_on: '2026-03-08' }));
    expect(view.weeks.map((w) => w.beforeDiary)).toEqual([false, false]);
    const later = trendsView(twoWeeks(['2026-03-09'], { diary_started_on: '2026-03-09' }));
    expect(later.weeks.map((w) => w.beforeDiary)).toEqual([true, false]);
  });
});

describe('gap bands', () => {
  it('join neighbouring gaps of one kind into one band', () => {
    expect(gapRuns([null, 'nothing', 'nothing', 'night', null, 'nothing'])).toEqual([
      { from: 1, to: 2, kind: 'nothing' },
      { from: 3, to: 3, kind: 'night' },
      { from: 5, to: 5, kind: 'nothing' },
    ]);
    expect(gapRuns([null, null])).toEqual([]);
  });
});

describe('not enough diary yet', () => {
  it('says so below seven logged days, with the count and how many more', () => {
    const three = trendsView(twoWeeks(['2026-03-02', '2026-03-05', '2026-03-09']));
    expect(notEnoughDiary(three)).toEqual({ logged: 3, more: 4, period: 14 });
  });

  it('is over at seven logged days', () => {
    expect(notEnoughDiary(trendsView(twoWeeks(dates('2026-03-02', 7))))).toBeNull();
  });

  it('counts days by the fallback on a server without `logged`', () => {
    const data: ServerTrends = { days: dates('2026-03-02', 14).map((d, i) => bareDay(d, i < 6 ? { cramps: 1 } : {})), weeks: [bareWeek('2026-03-02'), bareWeek('2026-03-09')] };
    expect(notEnoughDiary(trendsView(data))).toEqual({ logged: 6, more: 1, period: 14 });
  });
});

describe('the charts each insight asks for', () => {
  it('puts walking and exercise cramps first for the arterial advice, then the standing charts', () => {
    expect(chartPlan([insight('arterial_evaluation')]).map((p) => p.id)).toEqual(['exertion', 'cramp-nights', 'swelling', 'adherence']);
  });

  it('maps every insight with a pattern to its chart', () => {
    const first = (code: string) => chartPlan([insight(code)], false).map((p) => p.id);
    expect(first('venous_evaluation')).toEqual(['cramp-nights', 'swelling']);
    expect(first('low_hydration_pattern')).toEqual(['fluid']);
    expect(first('compression_association')).toEqual(['adherence']);
    expect(first('urgent_dvt_warning')).toEqual(['swelling-sides']);
    expect(first('frequent_severe_cramps')).toEqual(['severity']);
    expect(first('skin_changes')).toEqual([]);
    expect(first('emergency_warning')).toEqual([]);
  });

  it('follows the insights order (most urgent first) and names each insight behind a shared chart once', () => {
    const plan = chartPlan([insight('urgent_dvt_warning'), insight('venous_evaluation'), insight('compression_association'), insight('venous_evaluation')]);
    expect(plan.map((p) => p.id)).toEqual(['swelling-sides', 'cramp-nights', 'swelling', 'adherence']);
    expect(plan[1].because.map((i) => i.code)).toEqual(['venous_evaluation']);
  });

  it('shows only the standing charts, uncaptioned, when there is no insight', () => {
    const plan = chartPlan(null);
    expect(plan.map((p) => p.id)).toEqual(['cramp-nights', 'swelling', 'adherence']);
    expect(plan.every((p) => p.because.length === 0)).toBe(true);
  });
});

describe('walking and exercise cramps from the records (a server without exertion_cramps)', () => {
  it('counts only cramps said to be while walking or exercising, on the local date of the patient', () => {
    const counts = exertionByDate(
      [
        { started_at: '2026-03-03T23:30:00Z', activity: 'walking' }, // 00:30 on 4 March in Berlin
        { started_at: '2026-03-04T10:00:00Z', activity: 'exercising' },
        { started_at: '2026-03-04T11:00:00Z', activity: 'resting' },
        { started_at: '2026-03-04T12:00:00Z', activity: null },
      ],
      'Europe/Berlin',
    );
    expect([...counts.entries()]).toEqual([['2026-03-04', 2]]);
  });

  it('fills days and weeks, and keeps a server that counts them itself', () => {
    const older: ServerTrends = { days: dates('2026-03-02', 14).map((d) => bareDay(d)), weeks: [bareWeek('2026-03-02'), bareWeek('2026-03-09')] };
    expect(trendsView(older).hasExertion).toBe(false);
    const filled = withExertion(older, new Map([['2026-03-04', 2], ['2026-03-10', 1], ['2026-02-20', 5]]));
    expect(filled.weeks.map((w) => w.exertion_cramps)).toEqual([2, 1]);
    expect(trendsView(filled).hasExertion).toBe(true);
    const newer = twoWeeks([]);
    expect(withExertion(newer, new Map([['2026-03-04', 9]]))).toBe(newer);
  });
});

describe('the chart specs', () => {
  const arterial = insight('arterial_evaluation', 'Leg pain when walking: ask about the circulation in your legs');

  it('put the walking chart first, captioned with the insight it shows', () => {
    const data = twoWeeks(dates('2026-03-02', 10));
    data.weeks = [bareWeek('2026-03-02', { logged_days: 7, observed_nights: 7, exertion_cramps: 3 }), bareWeek('2026-03-09', { logged_days: 3, observed_nights: 3, exertion_cramps: 1 })];
    const [first, ...rest] = chartSpecs(data, '#00f', '#f80', { insights: [arterial] });
    expect(first.testid).toBe('trends-chart-exertion');
    expect(first.because).toBe('This is the pattern behind: “Leg pain when walking: ask about the circulation in your legs”');
    expect(first.becauseCodes).toEqual(['arterial_evaluation']);
    expect(first.series[0].values).toEqual([3, 1]);
    expect(rest.map((c) => c.testid)).toEqual(['trends-chart-cramp-nights', 'trends-chart-swelling', 'trends-chart-adherence']);
    expect(rest.every((c) => c.because === undefined)).toBe(true);
  });

  it('leave the walking chart out rather than draw it empty when nobody counted those cramps', () => {
    const older: ServerTrends = { days: dates('2026-03-02', 14).map((d) => bareDay(d, { cramps: 1 })), weeks: [bareWeek('2026-03-02'), bareWeek('2026-03-09')] };
    expect(chartSpecs(older, '#00f', '#f80', { insights: [arterial] }).map((c) => c.testid)).not.toContain('trends-chart-exertion');
  });

  it('keep only the charts behind an insight when there is not enough diary yet', () => {
    const data = twoWeeks(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(chartSpecs(data, '#00f', '#f80', { insights: [], enough: false })).toEqual([]);
    expect(chartSpecs(data, '#00f', '#f80', { insights: [arterial], enough: false }).map((c) => c.testid)).toEqual(['trends-chart-exertion']);
  });

  it('say how many days are unknown, write "not known" in the table, and legend both kinds of gap', () => {
    const data = twoWeeks(['2026-03-10', '2026-03-11'], { diary_started_on: '2026-03-10' }, { swelling_max: 1, swelling_left_max: 1 });
    data.weeks = [bareWeek('2026-03-02', { logged_days: 0, observed_nights: 0 }), bareWeek('2026-03-09', { logged_days: 2, observed_nights: 0 })];
    const charts = Object.fromEntries(chartSpecs(data, '#00f', '#f80').map((c) => [c.testid, c]));
    const swelling = charts['trends-chart-swelling'];
    expect(swelling.summary).toMatch(/^12 of 14 days unknown: nothing logged, 8 of them before your diary began on /);
    expect(gapKinds(swelling.gaps)).toEqual(['nothing']);
    const nights = charts['trends-chart-cramp-nights'];
    expect(nights.summary).toBe('2 of 2 weeks with no night recorded: their cramp nights are unknown, not zero.');
    expect(nights.series[0].values).toEqual([null, null]);
    expect(nights.table.rows.map((r) => r[1])).toEqual(['not known', 'not known']);
    expect(gapKinds(nights.gaps)).toEqual(['nothing', 'night']);
    const adherence = charts['trends-chart-adherence'];
    expect(adherence.series[0].values).toEqual([null, 0]);
    expect(adherence.table.rows.map((r) => r[1])).toEqual(['not known', 0]);
  });

  it('count the logged days on which a figure was not given', () => {
    const data = twoWeeks(dates('2026-03-02', 7), {}, { cramps: 1 });
    data.days[0].swelling_max = 2;
    const swelling = chartSpecs(data, '#00f', '#f80').find((c) => c.testid === 'trends-chart-swelling')!;
    expect(swelling.summary).toBe('7 of 14 days unknown: nothing logged. Swelling not given on 6 logged days.');
    expect(swelling.table.rows).toHaveLength(1);
  });
});
