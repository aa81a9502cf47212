// Trends (loaded on demand, with uPlot): the charts behind the insights first, each captioned with the
// insight it shows, then cramp nights per week, swelling per day, stockings against cramp nights
// (charts.tsx, shared with the clinician's patient page); "not enough diary yet" instead of charts of
// empty days; the insights beside them; the Edinburgh questionnaire when the server offers it.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ClaudicationAnswers, ClaudicationOffer, Insight, Trends as TrendsData } from '../api/types';
import { kvGet, kvSet } from '../db/db';
import { refreshInsights } from '../data/insights';
import { cachedTrends, notEnoughDiary, trendsView } from '../logic/trends';
import { app } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, Checkbox, Choice, FormError } from '../ui/form';
import { InsightCard, Page, UrgentBanner, urgentOf } from '../ui/widgets';
import { Chart, chartSpecs, cssVarSafe } from './charts';

const T = strings.trends;
const PERIOD_DAYS = 90;

export default function Trends() {
  const { online, insights } = useStore(app);
  const [data, setData] = useState<TrendsData | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    // A copy saved before this version may lack the fields the charts need: then it is as if none.
    void kvGet<unknown>('trends').then((saved) => {
      const cached = cachedTrends(saved);
      if (live && cached) setData((d) => d ?? cached);
    });
    api<TrendsData>(`/api/v1/trends/?days=${PERIOD_DAYS}`)
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

  const short = useMemo(() => (data && data.days.length > 0 ? notEnoughDiary(trendsView(data)) : null), [data]);

  const urgent = urgentOf(insights);
  const others = (insights ?? []).filter((i) => i.level !== 'urgent');
  const accent = cssVarSafe('--accent', '#0b4f8a');
  const second = cssVarSafe('--accent-2', '#8a3b00');
  const charts = useMemo(
    () => (data && data.weeks.length > 0 ? chartSpecs(data, accent, second, { insights, enough: !short }) : null),
    [data, accent, second, insights, short],
  );

  return (
    <Page title={strings.titles.trends} intro={T.intro}>
      <UrgentBanner insights={urgent} />
      {stale && data && <p class="note">{T.offlineNote}</p>}
      {!data && error ? <FormError error={error} /> : null}
      {!data && !error && <p>{strings.loading}</p>}
      <div class="trends-layout">
        <div class="charts">
          {data && data.weeks.length === 0 && <p>{T.noData}</p>}
          {short && <NotEnoughDiary logged={short.logged} more={short.more} period={short.period} />}
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

/** Fewer than 7 logged days: how many, and what to log, instead of weeks of empty charts. */
function NotEnoughDiary({ logged, more, period }: { logged: number; more: number; period: number }) {
  return (
    <section class="card not-enough" data-testid="trends-not-enough" aria-labelledby="not-enough-title">
      <h2 id="not-enough-title">{T.notEnoughTitle}</h2>
      <p>{T.notEnough(logged, period)}</p>
      <p>{T.notEnoughMore(more)}</p>
      <h3>{T.whatToLog}</h3>
      <ul>
        {T.toLog.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

/** Where walking hurts: the server's choices, which the words in strings.claudication.locations are keyed by. */
type Location = NonNullable<ClaudicationAnswers['locations']>[number];

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
            {(Object.entries(C.locations) as Array<[Location, string]>).map(([key, label]) => (
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
