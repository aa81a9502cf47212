// One patient (/clinician/patients/<id>?days=): the name, date of birth and clinic reference (set here,
// on the link), the member of the clinic they are assigned to (a clinic's link), "self-reported", the period, the exports, the trend charts (the patient's own chart
// code), the insights worded for a clinician with the patient's answer, and the entries table.

import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorMessage, listAll } from '../../api/client';
import type { ClinicianPatient, ClinicMember, Insight, Link, Trends } from '../../api/types';
import {
  acknowledgementWords,
  alertTime,
  assignBody,
  dateOfBirthText,
  linkUrl,
  REFERENCE_MAX,
  referenceBody,
  referenceProblem,
} from '../../logic/alerts';
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
import { useStore } from '../../store';
import { myClinics } from '../../logic/clinicianPaths';
import { strings } from '../../strings';
import { app, toast } from '../../state';
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
          <Identity row={fromList} link={link} />
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
      // The link a read goes through, as the server picks it: the clinician's own first, then a clinic's.
      .then((links) => {
        const hers = links.filter((l) => l.patient === id);
        if (live) setLink(hers.find((l) => !l.clinic) ?? hers[0] ?? null);
      })
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
      <p data-testid="insight-explanation">{i.clinician_explanation || i.explanation}</p>
      {i.level === 'urgent' && <PatientAnswer insight={i} zone={zone} />}
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

/** What the patient answered to an urgent warning ("I got help", when), or that they have not. */
function PatientAnswer({ insight: i, zone }: { insight: Insight; zone: string }) {
  const words = acknowledgementWords(i.acknowledgement);
  return (
    <p class={words ? 'patient-answer ack-given' : 'patient-answer muted'} data-testid="insight-ack">
      {words ? C.patientAnswered(words, alertTime(i.acknowledged_at, zone)) : C.patientNotAnswered}
    </p>
  );
}

/** Date of birth (the patient's own, "not said" when not given) and the clinic reference, set here. */
function Identity({ row, link }: { row: ClinicianPatient | undefined; link: Link | null | undefined }) {
  const linkId = link?.id ?? row?.link ?? null;
  const saved = link?.clinic_reference !== undefined ? link.clinic_reference : row?.clinic_reference;
  // The link says it too (a page opened directly, not from the list).
  const dob = link?.patient_date_of_birth !== undefined ? link.patient_date_of_birth : row?.date_of_birth;
  return (
    <section class="identity-card" aria-label={C.patient} data-testid="patient-identity">
      <dl class="alert-facts">
        <div>
          <dt>{C.dateOfBirth}</dt>
          <dd data-testid="patient-dob">{dob === undefined ? '…' : dateOfBirthText(dob)}</dd>
        </div>
      </dl>
      {linkId && saved !== undefined ? (
        <ReferenceForm linkId={linkId} saved={saved ?? null} key={linkId} />
      ) : (
        <p class="hint">{strings.loading}</p>
      )}
      {link?.clinic && (
        <AssignForm
          linkId={link.id}
          clinic={link.clinic}
          clinicName={link.clinic_name ?? ''}
          saved={link.assigned_to ?? null}
          key={link.id}
        />
      )}
      {link?.clinic && <EndClinicCare link={link} clinic={link.clinic} />}
    </section>
  );
}

/** A clinic's admin ends the clinic's care of this patient (DELETE /clinics/<id>/links/<link>/); the
 * patient's access log says who did, and they may share again. Asked twice: it cannot be undone here. */
function EndClinicCare({ link, clinic }: { link: Link; clinic: string }) {
  const { clinics } = useStore(myClinics);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!clinics?.some((c) => c.id === clinic && c.role === 'admin')) return null;
  const clinicName = link.clinic_name ?? '';
  const end = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/clinics/${encodeURIComponent(clinic)}/links/${encodeURIComponent(link.id)}/`, {
        method: 'DELETE',
      });
      toast(C.careEnded(link.patient_name, clinicName));
      navigate('/clinician', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <div class="end-care" data-testid="end-clinic-care">
      {asking ? (
        <div role="group" aria-label={C.endCare(clinicName)}>
          <p>{C.endCareAsk(link.patient_name, clinicName)}</p>
          <div class="actions">
            <Button kind="danger" onClick={end} busy={busy} testid="end-clinic-care-yes">
              {C.endCareYes}
            </Button>
            <Button onClick={() => setAsking(false)} testid="end-clinic-care-no">
              {C.endCareNo}
            </Button>
          </div>
        </div>
      ) : (
        <Button kind="secondary" onClick={() => setAsking(true)} testid="end-clinic-care-ask">
          {C.endCare(clinicName)}
        </Button>
      )}
      {error ? (
        <p class="form-error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

/** A clinic's patient assigned to one of its members (GET /clinics/<id>/members/), or to nobody; saved
 * on choosing. */
function AssignForm({ linkId, clinic, clinicName, saved }: { linkId: string; clinic: string; clinicName: string; saved: string | null }) {
  const members = useApi<ClinicMember[]>(`/api/v1/clinics/${encodeURIComponent(clinic)}/members/`);
  const [current, setCurrent] = useState(saved ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const me = app.get().user?.id ?? null;
  const choose = async (value: string) => {
    const before = current;
    setCurrent(value);
    setBusy(true);
    setError(null);
    try {
      const answer = await api<Link>(linkUrl(linkId), { method: 'PATCH', body: assignBody(value) });
      setCurrent(answer.assigned_to ?? '');
      toast(answer.assigned_to ? C.assignedSaved(answer.assigned_to_name || C.someone) : C.unassignedSaved);
    } catch (err) {
      setCurrent(before);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (!members.data) {
    return members.error ? (
      <p class="form-error" role="alert">
        {C.membersFailed} {errorMessage(members.error)}
      </p>
    ) : (
      <p class="hint">{strings.loading}</p>
    );
  }
  const options = [
    { value: '', label: C.assignNobody },
    ...members.data.map((m) => ({ value: m.user, label: m.user === me ? C.assignYou(m.name) : m.name })),
  ];
  const fieldErrors = error instanceof ApiError ? error.fields : undefined;
  return (
    <div class="assign-form" data-testid="assign-form" aria-busy={busy ? true : undefined}>
      <Select
        label={C.assignTitle}
        name="assigned_to"
        value={current}
        options={options}
        onValue={choose}
        hint={C.assignHint(clinicName)}
        errors={fieldErrors}
        testid="assign-select"
      />
      {error && !fieldErrors?.assigned_to ? (
        <p class="form-error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

function ReferenceForm({ linkId, saved }: { linkId: string; saved: string | null }) {
  const [value, setValue] = useState(saved ?? '');
  const [current, setCurrent] = useState(saved);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const fid = useId();
  const local = referenceProblem(value);
  const server = error instanceof ApiError ? (error.fields.clinic_reference ?? []).join(' ') : '';
  const message = local ?? (server || null);
  const changed = (value.trim() || null) !== (current ?? null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (local) {
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = referenceBody(value);
      const answer = await api<Link>(linkUrl(linkId), { method: 'PATCH', body });
      const now = answer?.clinic_reference !== undefined ? answer.clinic_reference : body.clinic_reference;
      setCurrent(now ?? null);
      setValue(now ?? '');
      toast(now ? C.referenceSaved : C.referenceCleared);
    } catch (err) {
      setError(err);
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="reference-form" onSubmit={submit} noValidate data-testid="reference-form">
      <div class="field">
        <label for={`${fid}-ref`}>{C.clinicReference}</label>
        <p class="hint" id={`${fid}-hint`}>
          {C.clinicReferenceHint}
        </p>
        <div class="redeem-row">
          <input
            id={`${fid}-ref`}
            ref={input}
            name="clinic_reference"
            type="text"
            value={value}
            // A few over the limit are let through so the message can say so (a paste is not cut silently).
            maxLength={REFERENCE_MAX + 20}
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={message ? true : undefined}
            aria-describedby={message ? `${fid}-hint ${fid}-err` : `${fid}-hint`}
            data-testid="reference-input"
          />
          <Button type="submit" kind="secondary" busy={busy} disabled={!changed && !message} testid="reference-save">
            {C.saveReference}
          </Button>
        </div>
        {message && (
          <p class="field-error" id={`${fid}-err`} data-testid="reference-error">
            <span aria-hidden="true">⚠ </span>
            {message}
          </p>
        )}
        {error && !server ? (
          <p class="form-error" role="alert">
            {errorMessage(error)}
          </p>
        ) : null}
      </div>
    </form>
  );
}
