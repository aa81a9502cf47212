// The trend charts (uPlot), shared by the patient's Trends and the clinician's patient page: cramp
// nights per week, swelling per day, stockings against cramp nights. Every chart has a text description
// and a table, and its series differ by line style, not colour alone.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import type { Trends as TrendsData } from '../api/types';
import { strings } from '../strings';

const T = strings.trends;

function toSeconds(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 1000;
}

export function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
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
  stroke: string;
}

export function Chart(p: { x: number[]; pad: number; series: SeriesSpec[]; yMax?: number; testid: string; title: string; desc: string; table: { head: string[]; rows: Array<Array<string | number>> } }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !p.x.length) return;
    const text = cssVar('--fg', '#111');
    const grid = cssVar('--grid', '#ccc');
    const make = () => {
      const width = Math.max(260, el.clientWidth);
      const opts: uPlot.Options = {
        width,
        height: 220,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: {
          // Half a step of room either side, so the first and last bars are whole.
          x: { time: true, range: (_u, min, max) => [min - p.pad, max + p.pad] },
          y: { range: (_u, _min, max) => [0, Math.max(p.yMax ?? 1, max ?? 0)] },
        },
        axes: [
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font: '14px system-ui', space: 64, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })) },
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font: '14px system-ui', incrs: [1, 2, 5, 10], size: 40 },
        ],
        series: [
          {},
          ...p.series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: 2.5,
            dash: s.dash,
            fill: s.bars ? s.stroke + '55' : undefined,
            spanGaps: false,
            points: { show: s.points ?? !s.bars, size: 7, stroke: s.stroke, fill: s.stroke },
            paths: s.bars ? uPlot.paths.bars!({ size: [0.6, 40] }) : undefined,
          })),
        ],
      };
      return new uPlot(opts, [p.x, ...p.series.map((s) => s.values)] as uPlot.AlignedData, el);
    };
    let chart = make();
    const onResize = () => chart.setSize({ width: Math.max(260, el.clientWidth), height: 220 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.destroy();
      chart = null as unknown as uPlot;
    };
  }, [p.x, p.series]);
  return (
    <figure class="chart" data-testid={p.testid}>
      <figcaption>
        <h3>{p.title}</h3>
        <p class="hint">{p.desc}</p>
      </figcaption>
      <div ref={box} class="chart-canvas" aria-hidden="true" />
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

export type ChartSpec = Parameters<typeof Chart>[0];

export function chartSpecs(data: TrendsData, accent: string, second: string): ChartSpec[] {
  const weeks = data.weeks.map((w) => toSeconds(w.week_start));
  return [
    {
      testid: 'trends-chart-cramp-nights',
      title: T.crampNights,
      desc: T.crampNightsDesc,
      x: weeks,
      pad: 4 * 86400,
      series: [{ label: T.crampNights, values: data.weeks.map((w) => w.cramp_nights), bars: true, stroke: accent }],
      yMax: 7,
      table: { head: [T.weekOf, T.crampNights], rows: data.weeks.map((w) => [shortDate(w.week_start), w.cramp_nights]) },
    },
    {
      testid: 'trends-chart-swelling',
      title: T.swelling,
      desc: T.swellingDesc,
      x: data.days.map((d) => toSeconds(d.date)),
      pad: 86400,
      series: [{ label: T.swelling, values: data.days.map((d) => d.swelling_max), stroke: accent }],
      yMax: 3,
      table: {
        head: [T.date, T.swelling],
        rows: data.days
          .filter((d) => d.swelling_max !== null)
          .map((d) => [shortDate(d.date), strings.checkin.swellingWords[d.swelling_max ?? 0] ?? String(d.swelling_max)]),
      },
    },
    {
      testid: 'trends-chart-adherence',
      title: T.adherence,
      desc: T.adherenceDesc,
      x: weeks,
      pad: 2 * 86400,
      series: [
        { label: T.compressionDays, values: data.weeks.map((w) => w.compression_days), stroke: accent, points: true },
        { label: T.crampNights, values: data.weeks.map((w) => w.cramp_nights), stroke: second, dash: [8, 6], points: true },
      ],
      yMax: 7,
      table: {
        head: [T.weekOf, T.compressionDays, T.crampNights],
        rows: data.weeks.map((w) => [shortDate(w.week_start), w.compression_days, w.cramp_nights]),
      },
    },
  ];
}

export function cssVarSafe(name: string, fallback: string): string {
  try {
    return cssVar(name, fallback);
  } catch {
    return fallback;
  }
}

