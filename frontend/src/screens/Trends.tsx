// Trends (loaded on demand, with uPlot): cramp nights per week, swelling per day, stockings against
// cramp nights; the insights beside them; the Edinburgh questionnaire when the server offers it.
// Every chart has a text description and a table, and its series differ by line style, not colour alone.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ClaudicationAnswers, ClaudicationOffer, Insight, Trends as TrendsData } from '../api/types';
import { kvGet, kvSet } from '../db/db';
import { refreshInsights } from '../data/hooks';
import { app } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, Checkbox, Choice, FormError } from '../ui/form';
import { InsightCard, Page, UrgentBanner, urgentOf } from '../ui/widgets';

const T = strings.trends;

function toSeconds(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 1000;
}

function shortDate(date: string): string {
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

function Chart(p: { x: number[]; pad: number; series: SeriesSpec[]; yMax?: number; testid: string; title: string; desc: string; table: { head: string[]; rows: Array<Array<string | number>> } }) {
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
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font: '14px system-ui', values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })) },
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

export default function Trends() {
  const { online, insights } = useStore(app);
  const [data, setData] = useState<TrendsData | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    void kvGet<TrendsData>('trends').then((cached) => live && cached && setData((d) => d ?? cached));
    api<TrendsData>('/api/v1/trends/?days=90')
      .then((t) => {
        if (!live) return;
        setData(t);
        setStale(false);
        void kvSet('trends', t);
      })
      .catch((e) => {
        if (!live) return;
        setStale(true);
        setError(e);
      });
    void refreshInsights();
    return () => {
      live = false;
    };
  }, [online]);

  const urgent = urgentOf(insights);
  const others = (insights ?? []).filter((i) => i.level !== 'urgent');
  const accent = cssVarSafe('--accent', '#0b4f8a');
  const second = cssVarSafe('--accent-2', '#8a3b00');
  const charts = useMemo(() => (data && data.weeks.length > 0 ? chartSpecs(data, accent, second) : null), [data, accent, second]);

  return (
    <Page title={strings.titles.trends} intro={T.intro}>
      <UrgentBanner insights={urgent} />
      {stale && data && <p class="note">{T.offlineNote}</p>}
      {!data && error ? <FormError error={error} /> : null}
      {!data && !error && <p>{strings.loading}</p>}
      <div class="trends-layout">
        <div class="charts">
          {data && data.weeks.length === 0 && <p>{T.noData}</p>}
          {charts && charts.map((c) => <Chart key={c.testid} {...c} />)}
        </div>
        <aside class="insights" aria-labelledby="insights-title">
          <h2 id="insights-title">{T.insights}</h2>
          {others.length === 0 && urgent.length === 0 ? <p>{T.noInsights}</p> : null}
          {others.map((i: Insight) => (
            <InsightCard insight={i} key={i.code} />
          ))}
          <Claudication />
        </aside>
      </div>
    </Page>
  );
}

type ChartSpec = Parameters<typeof Chart>[0];

function chartSpecs(data: TrendsData, accent: string, second: string): ChartSpec[] {
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

function cssVarSafe(name: string, fallback: string): string {
  try {
    return cssVar(name, fallback);
  } catch {
    return fallback;
  }
}

function Claudication() {
  const [offer, setOffer] = useState<ClaudicationOffer | null>(null);
  const [answers, setAnswers] = useState<ClaudicationAnswers>({ walking_pain: 'yes', locations: [] });
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<ClaudicationOffer>('/api/v1/claudication/offer/')
      .then(setOffer)
      .catch(() => setOffer(null));
  }, []);
  if (result) {
    return (
      <div class="card" role="status">
        <p>{strings.claudication.thanks}</p>
        <p>{strings.claudication.result[result] ?? ''}</p>
      </div>
    );
  }
  if (!offer?.offered) return null;
  const q = offer.questions;
  const C = strings.claudication;
  const a = C.answers;
  const set = (patch: Partial<ClaudicationAnswers>) => setAnswers({ ...answers, ...patch });
  const yesNo = [
    { value: 'yes' as const, label: a.yes },
    { value: 'no' as const, label: a.no },
  ];
  const bool = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : null);
  const walks = answers.walking_pain === 'yes';
  const send = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: ClaudicationAnswers = walks ? answers : { walking_pain: answers.walking_pain };
      const saved = await api<{ result: string }>('/api/v1/claudication/', { method: 'POST', body });
      setResult(saved.result);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card claudication" onSubmit={send} aria-labelledby="claud-title" noValidate>
      <h2 id="claud-title">{C.title}</h2>
      <p>{C.intro}</p>
      {error ? <FormError error={error} /> : null}
      <Choice
        legend={q.walking_pain ?? ''}
        name="walking_pain"
        options={[...yesNo, { value: 'unable_to_walk' as const, label: a.unable_to_walk }]}
        value={answers.walking_pain}
        onValue={(walking_pain) => set({ walking_pain })}
      />
      {walks && (
        <>
          <Choice legend={q.pain_starts_at_rest ?? ''} name="pain_starts_at_rest" options={yesNo} value={bool(answers.pain_starts_at_rest)} onValue={(v) => set({ pain_starts_at_rest: v === 'yes' })} columns={2} />
          <Choice
            legend={q.pain_uphill_or_hurrying ?? ''}
            name="pain_uphill_or_hurrying"
            options={[...yesNo, { value: 'never_uphill_or_hurry' as const, label: a.never_uphill_or_hurry }]}
            value={answers.pain_uphill_or_hurrying || null}
            onValue={(pain_uphill_or_hurrying) => set({ pain_uphill_or_hurrying })}
          />
          <Choice legend={q.pain_ordinary_pace ?? ''} name="pain_ordinary_pace" options={yesNo} value={bool(answers.pain_ordinary_pace)} onValue={(v) => set({ pain_ordinary_pace: v === 'yes' })} columns={2} />
          <Choice
            legend={q.pain_when_standing_still ?? ''}
            name="pain_when_standing_still"
            options={[
              { value: 'gone_within_10_min' as const, label: a.gone_within_10_min },
              { value: 'continues_over_10_min' as const, label: a.continues_over_10_min },
            ]}
            value={answers.pain_when_standing_still || null}
            onValue={(pain_when_standing_still) => set({ pain_when_standing_still })}
          />
          <fieldset class="group">
            <legend>{q.locations ?? ''}</legend>
            {Object.entries(C.locations).map(([key, label]) => (
              <Checkbox
                key={key}
                label={label}
                name={`loc-${key}`}
                checked={answers.locations?.includes(key) ?? false}
                onValue={(on) => set({ locations: on ? [...(answers.locations ?? []), key] : (answers.locations ?? []).filter((l) => l !== key) })}
              />
            ))}
          </fieldset>
        </>
      )}
      <Button type="submit" kind="primary" busy={busy}>
        {C.submit}
      </Button>
    </form>
  );
}
