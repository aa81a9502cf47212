/** The Trends screen's rules, pure: which days and weeks are unknown, the series with gaps, "not enough diary yet", and the charts each insight asks for. */

import type { Insight, Trends, TrendDay, TrendWeek } from '../api/types';

/** Fewer logged days than this in the period: a message instead of charts of empty days. */
export const ENOUGH_DAYS = 7;

/** Why a point has no value: nothing logged that day or week, or no night recorded that week. */
export type GapKind = 'nothing' | 'night';

export interface DayView {
  date: string;
  day: TrendDay;
  logged: boolean;
  /** Before the first day the patient ever logged. */
  beforeDiary: boolean;
}

export interface WeekView {
  week_start: string;
  week: TrendWeek;
  loggedDays: number;
  /** Nothing logged in the week: each of its figures is unknown, not zero. */
  unknown: boolean;
  /** No night observed in the week: its cramp nights are unknown, not zero. */
  nightsUnknown: boolean;
  beforeDiary: boolean;
}

export interface TrendsView {
  days: DayView[];
  weeks: WeekView[];
  /** null: nothing logged yet. */
  diaryStartedOn: string | null;
  loggedDays: number;
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * A copy of the trends kept on the phone, if it can be drawn: one saved before the server sent
 * `diary_started_on` (and with it `logged`, `observed_nights`, `exertion_cramps`) would draw every day
 * as unknown, so it is treated as no copy at all. The server's own answer is always whole.
 */
export function cachedTrends(cached: unknown): Trends | null {
  if (!cached || typeof cached !== 'object') return null;
  const copy = cached as Partial<Trends>;
  const started = copy.diary_started_on;
  if ((typeof started !== 'string' && started !== null) || !Array.isArray(copy.days) || !Array.isArray(copy.weeks)) return null;
  return copy as Trends;
}

export function trendsView(data: Trends): TrendsView {
  const start = data.diary_started_on;
  const days: DayView[] = data.days.map((day) => ({
    date: day.date,
    day,
    logged: day.logged,
    beforeDiary: start === null || day.date < start,
  }));
  const weeks: WeekView[] = data.weeks.map((week) => ({
    week_start: week.week_start,
    week,
    loggedDays: week.logged_days,
    unknown: week.logged_days === 0,
    nightsUnknown: week.observed_nights === 0,
    beforeDiary: start === null || addDays(week.week_start, 6) < start,
  }));
  return { days, weeks, diaryStartedOn: start, loggedDays: days.filter((d) => d.logged).length };
}

/** Fewer than ENOUGH_DAYS logged days in the period: how many there are, and how many more are needed. */
export function notEnoughDiary(view: TrendsView): { logged: number; more: number; period: number } | null {
  if (view.loggedDays >= ENOUGH_DAYS) return null;
  return { logged: view.loggedDays, more: ENOUGH_DAYS - view.loggedDays, period: view.days.length };
}

// --- series: null where unknown (uPlot draws null as a gap) ---

export function daySeries(view: TrendsView, pick: (day: TrendDay) => number | null | undefined): Array<number | null> {
  return view.days.map((d) => (d.logged ? (pick(d.day) ?? null) : null));
}

export function weekSeries(
  view: TrendsView,
  pick: (week: TrendWeek) => number | null | undefined,
  unknown: (week: WeekView) => boolean = (w) => w.unknown,
): Array<number | null> {
  return view.weeks.map((w) => (unknown(w) ? null : (pick(w.week) ?? null)));
}

export const dayGaps = (view: TrendsView): Array<GapKind | null> => view.days.map((d) => (d.logged ? null : 'nothing'));
export const weekGaps = (view: TrendsView): Array<GapKind | null> => view.weeks.map((w) => (w.unknown ? 'nothing' : null));
/** For charts of cramp nights: a week with nothing logged, else a week with no night recorded. */
export const nightGaps = (view: TrendsView): Array<GapKind | null> =>
  view.weeks.map((w) => (w.unknown ? 'nothing' : w.nightsUnknown ? 'night' : null));

/** Consecutive points with the same kind of gap, as index ranges (drawn as one hatched band). */
export function gapRuns(gaps: Array<GapKind | null>): Array<{ from: number; to: number; kind: GapKind }> {
  const runs: Array<{ from: number; to: number; kind: GapKind }> = [];
  gaps.forEach((kind, i) => {
    if (!kind) return;
    const last = runs[runs.length - 1];
    if (last && last.kind === kind && last.to === i - 1) last.to = i;
    else runs.push({ from: i, to: i, kind });
  });
  return runs;
}

/** The kinds of gap a chart has, in legend order. */
export function gapKinds(gaps: Array<GapKind | null>): GapKind[] {
  return (['nothing', 'night'] as GapKind[]).filter((k) => gaps.includes(k));
}

/** How many points are unknown, and how many of those fall before the diary began. */
export function unknownCount(view: TrendsView, per: 'day' | 'week', gaps: Array<GapKind | null>): { unknown: number; before: number; total: number } {
  const items = per === 'day' ? view.days : view.weeks;
  let unknown = 0;
  let before = 0;
  gaps.forEach((g, i) => {
    if (!g) return;
    unknown += 1;
    if (items[i]?.beforeDiary) before += 1;
  });
  return { unknown, before, total: gaps.length };
}

// --- which charts, in which order ---

export type ChartId = 'cramp-nights' | 'swelling' | 'adherence' | 'exertion' | 'fluid' | 'swelling-sides' | 'severity';

/** The charts that show each insight's pattern (the codes of diary/insights.py). */
export const CHARTS_FOR: Record<string, ChartId[]> = {
  arterial_evaluation: ['exertion'],
  venous_evaluation: ['cramp-nights', 'swelling'],
  low_hydration_pattern: ['fluid'],
  compression_association: ['adherence'],
  urgent_dvt_warning: ['swelling-sides'],
  swollen_painful_leg: ['swelling-sides'],
  both_legs_swollen: ['swelling-sides'],
  frequent_severe_cramps: ['severity'],
};

/** Shown whether or not an insight asks; the others only for the insight they explain. */
export const STANDING_CHARTS: ChartId[] = ['cramp-nights', 'swelling', 'adherence'];

/**
 * The charts to draw, first those the insights ask for (in the insights' order, most urgent first),
 * each with the insights it shows; then the standing charts no insight asked for. `enough`: false when
 * there is not enough diary yet, so only the charts behind an insight are drawn.
 */
export function chartPlan(insights: Insight[] | null | undefined, enough = true): Array<{ id: ChartId; because: Insight[] }> {
  const plan: Array<{ id: ChartId; because: Insight[] }> = [];
  for (const insight of insights ?? []) {
    for (const id of CHARTS_FOR[insight.code] ?? []) {
      const known = plan.find((p) => p.id === id);
      if (known) {
        if (!known.because.some((b) => b.code === insight.code)) known.because.push(insight);
      } else plan.push({ id, because: [insight] });
    }
  }
  if (enough) {
    for (const id of STANDING_CHARTS) if (!plan.some((p) => p.id === id)) plan.push({ id, because: [] });
  }
  return plan;
}
