// The trend charts (uPlot), shared by the patient's Trends and the clinician's patient page: cramp
// nights per week, swelling per day, stockings against cramp nights, and the charts an insight asks for
// (walking cramps, fluid, left against right swelling, severity). Every chart has a text description, a
// summary that counts the unknown days, and a table; its series differ by line style, not colour alone.
// Unknown is not zero: days and weeks with nothing logged are drawn as hatched gaps, weeks with no night
// recorded as dotted ones, each named in a legend under the chart (logic/trends.ts decides which).

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import type { Insight, Trends } from '../api/types';
import {
  chartPlan,
  dayGaps,
  daySeries,
  gapKinds,
  gapRuns,
  nightGaps,
  trendsView,
  unknownCount,
  weekGaps,
  weekSeries,
  type ChartId,
  type GapKind,
  type TrendsView,
} from '../logic/trends';
import { strings } from '../strings';
import { locale } from '../locale';

const T = strings.trends;
const DAY = 86400;
const WEEK = 7 * DAY;

function toSeconds(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 1000;
}

export function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

interface SeriesSpec {
  label: string;
  values: Array<number | null>;
  dash?: number[];
  bars?: boolean;
  points?: boolean;
  /** false: points only, no line between them. */
  line?: boolean;
  /** Square points tell this series from a round-pointed one without colour. */
  square?: boolean;
  stroke: string;
  /** The theme colour to draw with, read again whenever the theme changes; `stroke` is its fallback. */
  tone?: 'accent' | 'second';
}

export interface ChartProps {
  x: number[];
  pad: number;
  /** Seconds from one point to the next (a day or a week): the width of a gap band. */
  step: number;
  series: SeriesSpec[];
  yMax?: number;
  yIncrs?: number[];
  ySize?: number;
  testid: string;
  title: string;
  desc: string;
  /** The text summary: how many days or weeks are unknown. */
  summary: string;
  /** Which insight this chart shows ("This is the pattern behind: …"); empty when none asked for it. */
  because?: string;
  becauseCodes?: string[];
  gaps: Array<GapKind | null>;
  table: { head: string[]; rows: Array<Array<string | number>> };
}

/** A small tile of the gap's pattern: "/" hatching for nothing logged, dots for no night recorded. */
function gapPattern(ctx: CanvasRenderingContext2D, kind: GapKind, colour: string): CanvasPattern | null {
  const ratio = window.devicePixelRatio || 1;
  const size = Math.round(10 * ratio);
  const tile = document.createElement('canvas');
  tile.width = tile.height = size;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.strokeStyle = t.fillStyle = colour;
  if (kind === 'nothing') {
    // Thin and sparse: a gap is drawn quieter than the figures beside it, yet still seen.
    t.lineWidth = 1.25 * ratio;
    t.beginPath();
    // The diagonal and its two corner pieces, so that tiles join into unbroken lines.
    for (const [x0, y0, x1, y1] of [
      [0, size, size, 0],
      [-size / 2, size / 2, size / 2, -size / 2],
      [size / 2, size * 1.5, size * 1.5, size / 2],
    ]) {
      t.moveTo(x0, y0);
      t.lineTo(x1, y1);
    }
    t.stroke();
  } else {
    t.beginPath();
    t.arc(size / 2, size / 2, 1.8 * ratio, 0, 2 * Math.PI);
    t.fill();
  }
  return ctx.createPattern(tile, 'repeat');
}

function squarePoints(size: number): uPlot.Series.Points.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const side = size * (window.devicePixelRatio || 1);
    const path = new Path2D();
    const ys = u.data[seriesIdx];
    for (let i = idx0; i <= idx1; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      const x = u.valToPos(u.data[0][i], 'x', true);
      const y = u.valToPos(v, 'y', true);
      path.rect(x - side / 2, y - side / 2, side, side);
    }
    return { stroke: path, fill: path };
  };
}

export function Chart(p: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !p.x.length) return;
    const runs = gapRuns(p.gaps);
    let muted = '#47525e';
    let card = '#f2f5f8';
    const drawGaps = (u: uPlot) => {
      if (!runs.length) return;
      const { ctx } = u;
      const { left, top, width, height } = u.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, height);
      ctx.clip();
      for (const run of runs) {
        const x0 = u.valToPos(p.x[run.from] - p.step / 2, 'x', true);
        const x1 = u.valToPos(p.x[run.to] + p.step / 2, 'x', true);
        ctx.fillStyle = card;
        ctx.fillRect(x0, top, x1 - x0, height);
        const pattern = gapPattern(ctx, run.kind, muted);
        if (pattern) {
          ctx.fillStyle = pattern;
          ctx.fillRect(x0, top, x1 - x0, height);
        }
      }
      ctx.restore();
    };
    const make = () => {
      // Colours and type size are read at each drawing: the theme turns dark at night, and the
      // axis labels follow the reader's text size (200% included).
      const text = cssVar('--fg', '#111');
      const grid = cssVar('--grid', '#ccc');
      muted = cssVar('--muted', muted);
      card = cssVar('--card', card);
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 18;
      const fontPx = Math.round(Math.min(24, Math.max(14, rem * 0.78)));
      const font = `${fontPx}px system-ui`;
      const colour = (s: SeriesSpec) => (s.tone ? cssVar(s.tone === 'accent' ? '--accent' : '--accent-2', s.stroke) : s.stroke);
      height = 200 + fontPx * 2;
      const width = Math.max(260, el.clientWidth);
      const opts: uPlot.Options = {
        width,
        height,
        // Room on the right for the last date's label, which uPlot centres on its tick.
        padding: [Math.round(fontPx * 0.7), Math.round(fontPx * 1.8), 0, 0],
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: {
          // Half a step of room either side, so the first and last bars are whole.
          x: { time: true, range: (_u, min, max) => [min - p.pad, max + p.pad] },
          // A little headroom, so that a point at the top of the scale (swelling 3, severity 10) is whole.
          y: { range: (_u, _min, max) => [0, Math.max(p.yMax ?? 1, max ?? 0) * 1.06] },
        },
        axes: [
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font, size: fontPx * 3, space: fontPx * 4.6, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleDateString(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' })) },
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font, space: fontPx * 2, incrs: p.yIncrs ?? [1, 2, 5, 10], size: Math.round(((p.ySize ?? 40) * fontPx) / 14) },
        ],
        // Behind the series: drawn after the grid, before the bars and lines.
        hooks: { drawAxes: [drawGaps] },
        series: [
          {},
          ...p.series.map((s) => ({
            label: s.label,
            stroke: colour(s),
            width: s.line === false ? 0 : 2.5,
            dash: s.dash,
            fill: s.bars ? colour(s) + '55' : undefined,
            spanGaps: false,
            points: {
              show: s.points ?? !s.bars,
              size: s.line === false ? 9 : 7,
              stroke: colour(s),
              fill: colour(s),
              ...(s.square ? { paths: squarePoints(s.line === false ? 9 : 7) } : {}),
            },
            paths: s.bars ? uPlot.paths.bars!({ size: [0.6, 40] }) : s.line === false ? () => null : undefined,
          })),
        ],
      };
      return new uPlot(opts, [p.x, ...p.series.map((s) => s.values)] as uPlot.AlignedData, el);
    };
    let height = 220;
    let chart = make();
    const onResize = () => chart.setSize({ width: Math.max(260, el.clientWidth), height });
    window.addEventListener('resize', onResize);
    // A new theme (or text size) on <html>: draw again in its colours.
    const redraw = new MutationObserver(() => {
      chart.destroy();
      chart = make();
    });
    redraw.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'style'] });
    return () => {
      redraw.disconnect();
      window.removeEventListener('resize', onResize);
      chart.destroy();
      chart = null as unknown as uPlot;
    };
  }, [p.x, p.series, p.gaps]);
  const legend = gapKinds(p.gaps);
  return (
    <figure class="chart" data-testid={p.testid} data-because={p.becauseCodes?.join(' ') || undefined}>
      <figcaption>
        {p.because && (
          <p class="chart-because" data-testid="chart-because">
            {p.because}
          </p>
        )}
        <h3>{p.title}</h3>
        <p class="hint">{p.desc}</p>
        <p class="chart-summary" data-testid="chart-summary">
          {p.summary}
        </p>
      </figcaption>
      <div ref={box} class="chart-canvas" aria-hidden="true" />
      {legend.length > 0 && (
        <ul class="gap-legend" aria-label={T.gapLegend} data-testid="gap-legend">
          {legend.map((kind) => (
            <li key={kind} data-gap={kind}>
              <span class={`gap-swatch gap-${kind}`} aria-hidden="true" />
              {T.gap[kind]}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>{T.showTable}</summary>
        <table>
          <thead>
            <tr>
              {p.table.head.map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.table.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (j === 0 ? <th scope="row" key={j}>{c}</th> : <td key={j}>{c}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export type ChartSpec = ChartProps;

function daySummary(view: TrendsView, gaps: Array<GapKind | null>): string {
  const n = unknownCount(view, 'day', gaps);
  return T.unknownDays(n.unknown, n.total, n.before, view.diaryStartedOn ? shortDate(view.diaryStartedOn) : null);
}

/** Logged days on which this figure was not given (left out of the line, counted in the summary). */
function unsaidOn(view: TrendsView, values: Array<number | null>, what: string): string {
  const n = view.days.filter((d, i) => d.logged && values[i] === null).length;
  return T.unsaid(n, T.unsaidWhat[what]);
}

const nightsOrNull = (view: TrendsView, w: number, value: number | string) => (view.weeks[w].unknown || view.weeks[w].nightsUnknown ? T.notKnown : value);

function spec(id: ChartId, view: TrendsView, accent: string, second: string): ChartSpec {
  const weeks = view.weeks.map((w) => toSeconds(w.week_start));
  const days = view.days.map((d) => toSeconds(d.date));
  const weekOf = (i: number) => shortDate(view.weeks[i].week_start);
  switch (id) {
    case 'cramp-nights': {
      const gaps = nightGaps(view);
      const values = weekSeries(view, (w) => w.cramp_nights, (w) => w.unknown || w.nightsUnknown);
      return {
        testid: 'trends-chart-cramp-nights',
        title: T.crampNights,
        desc: T.crampNightsDesc,
        summary: T.unknownNights(gaps.filter(Boolean).length, gaps.length),
        x: weeks,
        pad: 4 * DAY,
        step: WEEK,
        series: [{ label: T.crampNights, values, bars: true, stroke: accent, tone: 'accent' }],
        yMax: 7,
        gaps,
        table: { head: [T.weekOf, T.crampNights], rows: view.weeks.map((w, i) => [weekOf(i), nightsOrNull(view, i, w.week.cramp_nights)]) },
      };
    }
    case 'swelling': {
      const gaps = dayGaps(view);
      const values = daySeries(view, (d) => d.swelling_max);
      return {
        testid: 'trends-chart-swelling',
        title: T.swelling,
        desc: T.swellingDesc,
        summary: daySummary(view, gaps) + unsaidOn(view, values, 'swelling'),
        x: days,
        pad: DAY,
        step: DAY,
        series: [{ label: T.swelling, values, stroke: accent, tone: 'accent' }],
        yMax: 3,
        gaps,
        table: {
          head: [T.date, T.swelling],
          rows: view.days
            .filter((_d, i) => values[i] !== null)
            .map((d) => [shortDate(d.date), strings.checkin.swellingWords[d.day.swelling_max ?? 0] ?? String(d.day.swelling_max)]),
        },
      };
    }
    case 'adherence': {
      const gaps = nightGaps(view);
      const stockings = weekSeries(view, (w) => w.compression_days);
      const nights = weekSeries(view, (w) => w.cramp_nights, (w) => w.unknown || w.nightsUnknown);
      return {
        testid: 'trends-chart-adherence',
        title: T.adherence,
        desc: T.adherenceDesc,
        summary: T.unknownWeeks(weekGaps(view).filter(Boolean).length, gaps.length) + ' ' + T.unknownNights(gaps.filter(Boolean).length, gaps.length),
        x: weeks,
        pad: 2 * DAY,
        step: WEEK,
        series: [
          { label: T.compressionDays, values: stockings, stroke: accent, tone: 'accent', points: true },
          { label: T.crampNights, values: nights, stroke: second, tone: 'second', dash: [8, 6], points: true, square: true },
        ],
        yMax: 7,
        gaps,
        table: {
          head: [T.weekOf, T.compressionDays, T.crampNights],
          rows: view.weeks.map((w, i) => [weekOf(i), w.unknown ? T.notKnown : w.week.compression_days, nightsOrNull(view, i, w.week.cramp_nights)]),
        },
      };
    }
    case 'exertion': {
      const gaps = weekGaps(view);
      const values = weekSeries(view, (w) => w.exertion_cramps);
      return {
        testid: 'trends-chart-exertion',
        title: T.exertion,
        desc: T.exertionDesc,
        summary: T.unknownWeeks(gaps.filter(Boolean).length, gaps.length),
        x: weeks,
        pad: 4 * DAY,
        step: WEEK,
        series: [{ label: T.exertion, values, bars: true, stroke: accent, tone: 'accent' }],
        yMax: 3,
        gaps,
        table: { head: [T.weekOf, T.exertion], rows: view.weeks.map((w, i) => [weekOf(i), w.unknown ? T.notKnown : w.week.exertion_cramps]) },
      };
    }
    case 'fluid': {
      const gaps = dayGaps(view);
      const values = daySeries(view, (d) => d.fluid_ml);
      return {
        testid: 'trends-chart-fluid',
        title: T.fluid,
        desc: T.fluidDesc,
        summary: daySummary(view, gaps) + unsaidOn(view, values, 'fluid'),
        x: days,
        pad: DAY,
        step: DAY,
        series: [{ label: T.fluidMl, values, bars: true, stroke: accent, tone: 'accent' }],
        yMax: 2000,
        yIncrs: [250, 500, 1000, 2000],
        ySize: 56,
        gaps,
        table: { head: [T.date, T.fluidMl], rows: view.days.filter((_d, i) => values[i] !== null).map((d) => [shortDate(d.date), d.day.fluid_ml ?? '']) },
      };
    }
    case 'swelling-sides': {
      const gaps = dayGaps(view);
      const left = daySeries(view, (d) => d.swelling_left_max);
      const right = daySeries(view, (d) => d.swelling_right_max);
      const word = (v: number | null) => (v === null ? T.notKnown : (strings.checkin.swellingWords[v] ?? String(v)));
      return {
        testid: 'trends-chart-swelling-sides',
        title: T.sides,
        desc: T.sidesDesc,
        summary: daySummary(view, gaps) + unsaidOn(view, left.map((l, i) => l ?? right[i]), 'swelling'),
        x: days,
        pad: DAY,
        step: DAY,
        series: [
          { label: T.left, values: left, stroke: accent, tone: 'accent' },
          { label: T.right, values: right, stroke: second, tone: 'second', dash: [8, 6], square: true },
        ],
        yMax: 3,
        gaps,
        table: {
          head: [T.date, T.left, T.right],
          rows: view.days.filter((_d, i) => left[i] !== null || right[i] !== null).map((d, _i) => [shortDate(d.date), word(d.day.swelling_left_max), word(d.day.swelling_right_max)]),
        },
      };
    }
    case 'severity': {
      const gaps = dayGaps(view);
      const values = daySeries(view, (d) => d.max_severity);
      const unrated = view.days.filter((d, i) => d.logged && d.day.cramps > 0 && values[i] === null).length;
      return {
        testid: 'trends-chart-severity',
        title: T.severity,
        desc: T.severityDesc,
        summary: daySummary(view, gaps) + T.unsaid(unrated, T.unsaidWhat.severity),
        x: days,
        pad: DAY,
        step: DAY,
        series: [{ label: T.severity, values, stroke: accent, tone: 'accent', points: true, line: false }],
        yMax: 10,
        gaps,
        table: { head: [T.date, T.severity], rows: view.days.filter((_d, i) => values[i] !== null).map((d) => [shortDate(d.date), d.day.max_severity ?? '']) },
      };
    }
  }
}

/**
 * The charts in the order to show them: first those behind the insights (with the caption naming
 * them), then the standing ones. `enough: false` (not enough diary yet) keeps only those behind an
 * insight. Without insights (none yet, or they could not be loaded), the three standing charts.
 */
export function chartSpecs(data: Trends, accent: string, second: string, options: { insights?: Insight[] | null; enough?: boolean } = {}): ChartSpec[] {
  const view = trendsView(data);
  const out: ChartSpec[] = [];
  for (const { id, because } of chartPlan(options.insights, options.enough ?? true)) {
    const chart = spec(id, view, accent, second);
    if (because.length) {
      chart.because = T.because(because.map((i) => i.title || strings.insightLabels[i.code] || i.code));
      chart.becauseCodes = because.map((i) => i.code);
    }
    out.push(chart);
  }
  return out;
}

export function cssVarSafe(name: string, fallback: string): string {
  try {
    return cssVar(name, fallback);
  } catch {
    return fallback;
  }
}
