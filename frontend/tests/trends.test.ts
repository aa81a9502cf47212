// Unknown is not zero on the Trends screen (issue 14): gaps, "not enough diary yet", and the chart
// behind each insight, from the server's trends (CONTRACT.md, "Additions (2026-12)"); and a copy kept
// on the phone from before those fields, which is not drawn.
import { describe, expect, it } from 'vitest';
import type { Insight, TrendDay, Trends, TrendWeek } from '../src/api/types';
import {
  cachedTrends,
  chartPlan,
  dayGaps,
  daySeries,
  gapKinds,
  gapRuns,
  nightGaps,
  notEnoughDiary,
  trendsView,
  unknownCount,
  weekSeries,
} from '../src/logic/trends';
import { chartSpecs } from '../src/screens/charts';

/** A day with nothing logged, as the server sends it; `figures` fill it in. */
function bareDay(date: string, figures: Partial<TrendDay> = {}): TrendDay {
  return {
    date,
    logged: false,
    night_observed: false,
    exertion_cramps: 0,
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
    circumference_left_cm: null,
    circumference_right_cm: null,
    cramp_night: false,
    factors: null,
    ...figures,
  };
}

function bareWeek(week_start: string, figures: Partial<TrendWeek> = {}): TrendWeek {
  return {
    week_start,
    days: 7,
    logged_days: 0,
    observed_nights: 0,
    cramp_nights: 0,
    cramps: 0,
    exertion_cramps: 0,
    compression_days: 0,
    mean_fluid_ml: null,
    swelling_days: 0,
    ...figures,
  };
}

const dates = (first: string, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const [y, m, d] = first.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
  });

/**
 * Two weeks from Monday 2 March 2026, of a diary begun in January; `logged` says which days had
 * something logged (each week's logged_days counts them; no night observed unless a test says so).
 */
function twoWeeks(logged: string[], extra: Partial<Trends> = {}, dayFigures: Partial<TrendDay> = {}): Trends {
  const loggedIn = (start: string) => dates(start, 7).filter((d) => logged.includes(d)).length;
  return {
    days: dates('2026-03-02', 14).map((date) => (logged.includes(date) ? bareDay(date, { ...dayFigures, logged: true }) : bareDay(date))),
    weeks: [bareWeek('2026-03-02', { logged_days: loggedIn('2026-03-02') }), bareWeek('2026-03-09', { logged_days: loggedIn('2026-03-09') })],
    diary_started_on: '2026-01-05',
    last_entry_at: null,
    associations: { compression: { groups: {} }, hydration: { groups: {} } },
    medications: [],
    ...extra,
  };
}

const insight = (code: string, title = `The ${code} insight`): Insight => ({
  code,
  level: 'advice',
  title,
  explanation: '',
  evidence: {},
  first_seen: null,
  last_seen: null,
  acknowledged_at: null,
  acknowledgement: null,
});

describe('a logged day', () => {
  it('is what the server says, even when every figure is zero or not said', () => {
    const view = trendsView(twoWeeks(['2026-03-03']));
    expect(view.days.map((d) => d.logged).indexOf(true)).toBe(1);
    expect(view.loggedDays).toBe(1);
    // Figures on a day the server calls not logged are not read as a logged day.
    const data = twoWeeks([]);
    data.days[0] = bareDay('2026-03-02', { swelling_max: 0 });
    expect(trendsView(data).loggedDays).toBe(0);
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

  it('count the days before the diary began, on the date the server gives', () => {
    const view = trendsView(twoWeeks(['2026-03-10', '2026-03-11'], { diary_started_on: '2026-03-10' }));
    expect(view.days.filter((d) => d.beforeDiary).map((d) => d.date)).toEqual(dates('2026-03-02', 8));
    expect(unknownCount(view, 'day', dayGaps(view))).toEqual({ unknown: 12, before: 8, total: 14 });
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

  it('write a week with nothing logged as not known in the walking chart, and a logged week without such cramps as 0', () => {
    const data = twoWeeks(['2026-03-03']);
    const walking = chartSpecs(data, '#00f', '#f80', { insights: [arterial], enough: false })[0];
    expect(walking.testid).toBe('trends-chart-exertion');
    expect(walking.series[0].values).toEqual([0, null]);
    expect(walking.table.rows.map((r) => r[1])).toEqual([0, 'not known']);
    expect(walking.summary).toBe('1 of 2 weeks unknown: nothing logged that week.');
  });

  it('keep only the charts behind an insight when there is not enough diary yet', () => {
    const data = twoWeeks(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(chartSpecs(data, '#00f', '#f80', { insights: [], enough: false })).toEqual([]);
    expect(chartSpecs(data, '#00f', '#f80', { insights: [arterial], enough: false }).map((c) => c.testid)).toEqual(['trends-chart-exertion']);
  });

  it('say how many days are unknown, write "not known" in the table, and legend both kinds of gap', () => {
    const data = twoWeeks(['2026-03-10', '2026-03-11'], { diary_started_on: '2026-03-10' }, { swelling_max: 1, swelling_left_max: 1 });
    const charts = Object.fromEntries(chartSpecs(data, '#00f', '#f80').map((c) => [c.testid, c]));
    const swelling = charts['trends-chart-swelling'];
    expect(swelling.summary).toMatch(/^12 of 14 days unknown: nothing logged, 8 of them before the diary began on /);
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

describe('the copy of the trends kept on the phone', () => {
  it("is drawn when it is the server's answer as it is now", () => {
    const saved = twoWeeks(['2026-03-03']);
    expect(cachedTrends(saved)).toBe(saved);
    expect(cachedTrends({ ...saved, diary_started_on: null })).not.toBeNull();
  });

  it('is not drawn when saved before the server said when the diary began (its days lack `logged`)', () => {
    const { diary_started_on: _started, last_entry_at: _last, ...before } = twoWeeks(['2026-03-03']);
    const old = { ...before, days: before.days.map(({ logged: _l, night_observed: _n, exertion_cramps: _e, ...day }) => day) };
    expect(cachedTrends(old)).toBeNull();
  });

  it('is not drawn when there is none, or it is not trends at all', () => {
    expect(cachedTrends(undefined)).toBeNull();
    expect(cachedTrends('trends')).toBeNull();
    expect(cachedTrends({ diary_started_on: '2026-03-02' })).toBeNull();
  });
});
