/** The Trends screen's rules, pure: which days and weeks are unknown, the series with gaps, "not enough diary yet", and the charts each insight asks for. */

import type { Insight, TrendDay, TrendWeek } from '../api/types';
import { localParts } from './time';

/** Fewer logged days than this in the period: a message instead of charts of empty days. */
export const ENOUGH_DAYS = 7;

/**
 * The trends as a server may send them: one without the 2026-12 fields (logged, exertion_cramps,
 * observed_nights, logged_days, diary_started_on) is still read, by the fallbacks below.
 */
export type ServerDay = Omit<TrendDay, 'logged' | 'exertion_cramps'> & Partial<Pick<TrendDay, 'logged' | 'exertion_cramps'>>;
export type ServerWeek = Omit<TrendWeek, 'observed_nights' | 'logged_days' | 'exertion_cramps'> &
  Partial<Pick<TrendWeek, 'observed_nights' | 'logged_days' | 'exertion_cramps'>>;
export interface ServerTrends {
  days: ServerDay[];
  weeks: ServerWeek[];
  diary_started_on?: string | null;
}

/** Why a point has no value: nothing logged that day or week, or no night recorded that week. */
export type GapKind = 'nothing' | 'night';

export interface DayView {
  date: string;
  day: ServerDay;
  logged: boolean;
  /** Before the first day the patient ever logged (only when the server said when that was). */
  beforeDiary: boolean;
}

export interface WeekView {
  week_start: string;
  week: ServerWeek;
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
  /** undefined: the server did not say (an older server); null: nothing logged yet. */
  diaryStartedOn: string | null | undefined;
  loggedDays: number;
  /** The server counts walking and exercise cramps (or the fallback filled them in). */
  hasExertion: boolean;
}

/**
 * Anything logged that day. An older server does not say; then any figure that is not zero or null
 * means something was logged. (A check-in with every score left unanswered has no figure, so that
 * fallback misses it; the server's `logged` does not.)
 */
export function dayLogged(day: ServerDay): boolean {
  if (typeof day.logged === 'boolean') return day.logged;
  const counts = [day.cramps, day.nocturnal_cramps, day.compression_hours, day.elevation_minutes];
  const said = [day.max_severity, day.fluid_ml, day.swelling_max, day.heaviness_max, day.swelling_left_max ?? null, day.swelling_right_max ?? null];
  return counts.some((n) => (n ?? 0) > 0) || said.some((v) => v !== null && v !== undefined);
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function inWeek(date: string, weekStart: string): boolean {
  return date >= weekStart && date < addDays(weekStart, 7);
}

export function trendsView(data: ServerTrends): TrendsView {
  const start = data.diary_started_on;
  const days: DayView[] = data.days.map((day) => ({
    date: day.date,
    day,
    logged: dayLogged(day),
    // Only the server knows when the diary began: the first logged day of the period may not be it.
    beforeDiary: start === undefined ? false : start === null || day.date < start,
  }));
  const weeks: WeekView[] = data.weeks.map((week) => {
    const mine = days.filter((d) => inWeek(d.date, week.week_start));
    const loggedDays = week.logged_days ?? mine.filter((d) => d.logged).length;
    // An older server does not count observed nights: a week with a cramp night or a logged day is
    // taken as observed (its "none" answers cannot be told from silence there).
    const nightsUnknown = week.observed_nights !== undefined ? week.observed_nights === 0 : week.cramp_nights === 0 && loggedDays === 0;
    return {
      week_start: week.week_start,
      week,
      loggedDays,
      unknown: loggedDays === 0,
      nightsUnknown,
      beforeDiary: start === undefined ? false : start === null || addDays(week.week_start, 6) < start,
    };
  });
  return {
    days,
    weeks,
    diaryStartedOn: start,
    loggedDays: days.filter((d) => d.logged).length,
    hasExertion: data.days.length > 0 && data.days.every((d) => typeof d.exertion_cramps === 'number'),
  };
}

/** Fewer than ENOUGH_DAYS logged days in the period: how many there are, and how many more are needed. */
export function notEnoughDiary(view: TrendsView): { logged: number; more: number; period: number } | null {
  if (view.loggedDays >= ENOUGH_DAYS) return null;
  return { logged: view.loggedDays, more: ENOUGH_DAYS - view.loggedDays, period: view.days.length };
}

// --- series: null where unknown (uPlot draws null as a gap) ---

export function daySeries(view: TrendsView, pick: (day: ServerDay) => number | null | undefined): Array<number | null> {
  return view.days.map((d) => (d.logged ? (pick(d.day) ?? null) : null));
}

export function weekSeries(
  view: TrendsView,
  pick: (week: ServerWeek) => number | null | undefined,
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

// --- walking and exercise cramps from the cramp records (a server without exertion_cramps) ---

export interface CrampRecord {
  started_at: string;
  activity: string | null;
}

/** Cramps said to be while walking or exercising, per local date in the patient's zone. */
export function exertionByDate(cramps: CrampRecord[], zone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of cramps) {
    if (c.activity !== 'walking' && c.activity !== 'exercising') continue;
    const instant = new Date(c.started_at);
    if (Number.isNaN(instant.getTime())) continue;
    const date = localParts(instant, zone).date;
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return counts;
}

/** The trends with exertion_cramps per day and week from those counts; a server's own figures are kept. */
export function withExertion<T extends ServerTrends>(data: T, counts: Map<string, number>): T {
  if (data.days.every((d) => typeof d.exertion_cramps === 'number')) return data;
  const days = data.days.map((d) => ({ ...d, exertion_cramps: counts.get(d.date) ?? 0 }));
  const weeks = data.weeks.map((w) => ({
    ...w,
    exertion_cramps: days.filter((d) => inWeek(d.date, w.week_start)).reduce((sum, d) => sum + d.exertion_cramps, 0),
  }));
  return { ...data, days, weeks };
}
