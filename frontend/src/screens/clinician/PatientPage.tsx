// One patient (/clinician/patients/<id>?days=): the name, "self-reported", the period, the exports, the
// trend charts (the patient's own chart code), the insights with their evidence, and the entries table.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorMessage, listAll } from '../../api/client';
import type { Insight, Link, Trends } from '../../api/types';
import {
  evidenceRows,
  exportUrl,
  insightLabel,
  insightsUrl,
  isTwoFactorRequired,
  RANGES,
  rangeDays,
  rangeFromDays,
  rangeLabel,
  trendsUrl,
  type ExportFormat,
  type RangeKey,
} from '../../logic/clinician';
import { navigate, useRoute } from '../../router';
import { strings } from '../../strings';
import { Button, Select } from '../../ui/form';
import { A, Page } from '../../ui/widgets';
import { Chart, chartSpecs, cssVarSafe } from '../charts';
import { notEnoughDiary, trendsView } from '../../logic/trends';
import { Entries } from './Entries';
import { clockZone, formatWithZone, zoneLabel } from '../../logic/time';
import { LevelBadge, PatientClock, TwoFactorNeeded, knownPatient, useViewerZone } from './shared';
import { useApi, type ApiState } from './useApi';

const C = strings.clinician;

export function PatientPage({ id }: { id: string }) {
  const { path, query } = useRoute();
  const range: RangeKey = rangeFromDays(query.get('days'));
  const days = rangeDays(range);
  const link = useLink(id);
  const trends = useApi<Trends>(trendsUrl(id, days));
  const insights = useApi<Insight[]>(insightsUrl(id));

  const fromList = knownPatient(id);
  const name = fromList?.display_name || link?.patient_name || fromList?.email || (link === null ? C.patient : '');
  // Whose clock the page's times are on: the patient's. Until the link says (a page opened directly),
  // the times wait rather than flash up on another clock; with no link found they are UTC, so labelled.
  const zone = fromList?.timezone || link?.patient_timezone || (link === undefined ? undefined : 'UTC');
  const viewerZone = useViewerZone();
  const blocked = [trends.error, insights.error].some(isTwoFactorRequired);
  const notShared = [trends.error, insights.error].some((e) => e instanceof ApiError && e.kind === 'notfound');

  const setRange = (key: RangeKey) => {
    const q = new URLSearchParams(query);
    q.set('days', String(rangeDays(key)));
    navigate(`${path}?${q.toString()}`, { replace: true });
  };

  return (
    <Page
      title={notShared ? C.notFoundTitle : name || strings.loading}
      titleTestid="patient-name"
      testid="patient-page"
      lead={
        <p class="back">
          <A href="/clinician">
            <span aria-hidden="true" class="back-arrow">
              ‹
            </span>
            {C.back}
          </A>
        </p>
      }
    >
      {blocked ? (
        <TwoFactorNeeded />
      ) : notShared ? (
        <p class="note">{C.notFound}</p>
      ) : (
        <>
          {fromList?.display_name && <p class="patient-email">{fromList.email}</p>}
          {zone && (
            <p class="hint patient-zone" data-testid="patient-zone">
              {C.patientZone(zoneLabel(clockZone(zone)), clockZone(zone))}
            </p>
          )}
          <UrgentSummary insights={insights.data} zone={zone} viewerZone={viewerZone} />
          <p class="self-reported" data-testid="self-reported">
            <span aria-hidden="true">ℹ </span>
            {C.selfReported}
          </p>
          <div class="patient-toolbar">
            <div class="range">
              <Select
                label={C.range}
                name="days"
                value={range}
                options={RANGES.map((r) => ({ value: r.key, label: rangeLabel(r.key) }))}
                onValue={setRange}
                testid="range-select"
              />
            </div>
            <Exports id={id} days={days} range={range} />
          </div>
          <div class="patient-layout">
            <section class="charts" aria-labelledby="trends-title">
              <h2 id="trends-title">{C.trends}</h2>
              <p class="hint">{C.rangeIntro(rangeLabel(range))}</p>
              <TrendCharts state={trends} insights={insights} />
            </section>
            <section class="insights" aria-labelledby="insights-title">
              <h2 id="insights-title">{C.insights}</h2>
              <p class="hint">{C.insightsIntro}</p>
              <Insights state={insights} zone={zone} />
            </section>
          </div>
          <Entries id={id} zone={zone} />
        </>
      )}
    </Page>
  );
}

/**
 * An urgent patient's page says so at the top, before the charts: what, and when it was reported, on
 * the patient's clock, with the clinician's beside it (how long ago it was, where the clinician is).
 */
function UrgentSummary({ insights, zone, viewerZone }: { insights: Insight[] | null; zone?: string; viewerZone: string }) {
  const urgent = (insights ?? []).filter((i) => i.level === 'urgent');
  if (!urgent.length) return null;
  return (
    <div class="urgent-summary" data-testid="urgent-summary">
      <LevelBadge level="urgent" />
      <ul>
        {urgent.map((i) => (
          <li key={i.code}>
            <a href={`#insight-${i.code}`}>{insightLabel(i.code)}</a>
            {i.last_seen && zone && (
              <>
                {` · ${C.reportedPrefix} `}
                <PatientClock iso={i.last_seen} zone={zone} viewerZone={viewerZone} />
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The sharing link with this patient (its name), from every page of the clinician's links; null: none found. */
function useLink(id: string): Link | null | undefined {
  const [link, setLink] = useState<Link | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    listAll<Link>('/api/v1/sharing/links/', 5000)
      .then((links) => live && setLink(links.find((l) => l.patient === id) ?? null))
      .catch(() => live && setLink(null));
    return () => {
      live = false;
    };
  }, [id]);
  return link;
}

function Exports({ id, days, range }: { id: string; days: number; range: RangeKey }) {
  const items: Array<{ format: ExportFormat; label: string; hint: string }> = [
    { format: 'pdf', label: C.exportPdf, hint: C.exportPdfHint },
    { format: 'fhir', label: C.exportFhir, hint: C.exportFhirHint },
    { format: 'csv', label: C.exportCsv, hint: C.exportCsvHint },
  ];
  return (
    <section class="exports" aria-labelledby="exports-title">
      <h2 id="exports-title">{C.exports}</h2>
      <ul class="export-links">
        {items.map((i) => (
          <li key={i.format}>
            {/* A plain same-origin link: the session cookie authenticates the GET; the server names the file. */}
            <a
              class="btn btn-secondary export-link"
              href={exportUrl(id, i.format, days)}
              download
              data-testid={`export-${i.format}`}
            >
              <span class="export-label">
                <span aria-hidden="true" class="export-icon">
                  ⤓
                </span>
                {i.label}
              </span>
              <span class="export-hint" id={`export-hint-${i.format}`}>
                {i.hint}
              </span>
            </a>
          </li>
        ))}
      </ul>
      <p class="hint">{C.exportsIntro(rangeLabel(range))}</p>
    </section>
  );
}

/**
 * The patient's charts as the patient sees them: those behind her insights first, captioned, and "not
 * enough diary yet" under 7 logged days. Drawn once the insights are in (or have failed: then the
 * standing charts), so the charts do not change order under the clinician's eyes.
 */
function TrendCharts({ state, insights }: { state: ApiState<Trends>; insights: ApiState<Insight[]> }) {
  const accent = cssVarSafe('--accent', '#0b4f8a');
  const second = cssVarSafe('--accent-2', '#8a3b00');
  const settled = insights.data !== null || !!insights.error;
  const view = useMemo(() => (state.data ? trendsView(state.data) : null), [state.data]);
  const short = useMemo(() => (view && view.days.length > 0 ? notEnoughDiary(view) : null), [view]);
  const charts = useMemo(
    () => (state.data && state.data.weeks.length > 0 && settled ? chartSpecs(state.data, accent, second, { insights: insights.data, enough: !short }) : null),
    [state.data, accent, second, insights.data, settled, short],
  );
  if (!state.data && state.error) {
    return (
      <div class="form-error" role="alert">
        <p>{C.trendsFailed}</p>
        <p>{errorMessage(state.error)}</p>
        <Button onClick={state.reload}>{strings.retry}</Button>
      </div>
    );
  }
  if (!state.data || !view || !settled) return <p>{strings.loading}</p>;
  return (
    <div aria-busy={state.loading ? true : undefined}>
      {view.loggedDays === 0 ? (
        <p>{C.noData}</p>
      ) : (
        short && (
          <section class="card not-enough" data-testid="trends-not-enough" aria-labelledby="not-enough-title">
            <h3 id="not-enough-title">{strings.trends.notEnoughTitle}</h3>
            <p>{strings.trends.notEnough(short.logged, short.period)}</p>
          </section>
        )
      )}
      {charts && charts.map((c) => <Chart key={c.testid} {...c} />)}
    </div>
  );
}

function Insights({ state, zone }: { state: ApiState<Insight[]>; zone?: string }) {
  if (!state.data && state.error) {
    return (
      <div class="form-error" role="alert">
        <p>{errorMessage(state.error)}</p>
        <Button onClick={state.reload}>{strings.retry}</Button>
      </div>
    );
  }
  if (!state.data || !zone) return <p>{strings.loading}</p>;
  if (state.data.length === 0) return <p>{C.noInsightsYet}</p>;
  return (
    <>
      {state.data.map((i) => (
        <InsightWithEvidence insight={i} zone={zone} key={i.code} />
      ))}
    </>
  );
}

function InsightWithEvidence({ insight: i, zone }: { insight: Insight; zone: string }) {
  const rows = evidenceRows(i.evidence, undefined, zone);
  const first = formatWithZone(i.first_seen, zone);
  const last = formatWithZone(i.last_seen, zone);
  return (
    <article class={`insight level-${i.level}`} data-testid="insight-card" data-code={i.code} data-level={i.level} aria-labelledby={`insight-${i.code}`}>
      <p class="insight-head">
        <LevelBadge level={i.level} />
        <span class="insight-code">{insightLabel(i.code)}</span>
      </p>
      <h3 id={`insight-${i.code}`}>{i.title}</h3>
      <p>{i.explanation}</p>
      {first && <p class="hint">{C.seen(first, last || first)}</p>}
      {rows.length > 0 && (
        <>
          <h4>{C.evidence}</h4>
          <dl class="evidence">
            {rows.map((r) => (
              <div key={r.key}>
                <dt>{r.label}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </article>
  );
}
