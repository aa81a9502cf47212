// The clinician's urgent alerts, above the patient list: open ones first (who, their date of birth and
// clinic reference, what, when on the patient's clock, what the patient answered, "Mark reviewed" with
// an optional note), then the recently reviewed ones (who reviewed, when, the note). A clinic's alert
// names the clinic; any member reviews it once, and every member then sees who did.

import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, errorMessage, ApiError } from '../../api/client';
import type { Alert, ClinicianPatient, Paginated } from '../../api/types';
import {
  acknowledgementText,
  alertTime,
  dateOfBirthText,
  NOTE_MAX,
  noteProblem,
  referenceText,
  reportedText,
  reviewBody,
  reviewedText,
  reviewUrl,
  splitAlerts,
  withReviewed,
} from '../../logic/alerts';
import { insightLabel, isTwoFactorRequired, patientPath } from '../../logic/clinician';
import { strings } from '../../strings';
import { Button } from '../../ui/form';
import { A } from '../../ui/widgets';
import { LevelBadge, knownPatient } from './shared';
import type { ApiState } from './useApi';

const C = strings.clinician;

/** The open alerts above the list: `state` is the list's own request of `alertsUrl()`, asked by the page
 * so that it draws once with everything (nothing pushed down as answers arrive). */
export function AlertsSection({
  state,
  patients,
  onReviewed,
}: {
  state: ApiState<Paginated<Alert>>;
  patients: ClinicianPatient[];
  onReviewed: () => void;
}) {
  const [items, setItems] = useState<Alert[] | null>(null);
  const [said, setSaid] = useState('');
  // Reviewed here and now: the card stays where it was, showing the review, until the next visit.
  const [justReviewed, setJustReviewed] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (state.data) setItems(state.data.results);
  }, [state.data]);
  // Two-factor sign-in missing: the list below says so once.
  if (isTwoFactorRequired(state.error)) return null;
  const byId = new Map(patients.map((p) => [p.id, p]));
  const identity = (id: string) => byId.get(id) ?? knownPatient(id);

  const reviewed = (answer: Alert) => {
    setItems((list) => withReviewed(list ?? [], answer));
    setJustReviewed((ids) => new Set(ids).add(answer.id));
    setSaid(C.reviewed);
    onReviewed();
  };

  let body;
  if (!items && state.error) {
    body = (
      <div class="form-error" role="alert">
        <p>{C.alertsFailed}</p>
        <p>{errorMessage(state.error)}</p>
        <Button onClick={state.reload}>{strings.retry}</Button>
      </div>
    );
  } else if (!items) {
    body = <p>{strings.loading}</p>;
  } else {
    const split = splitAlerts(items);
    const open = items.filter((a) => !a.reviewed_at || justReviewed.has(a.id));
    const done = split.reviewed.filter((a) => !justReviewed.has(a.id));
    const count = state.data?.count ?? items.length;
    body = (
      <>
        {split.open.length === 0 && (
          <p class="alerts-none" data-testid="alerts-none">
            <span aria-hidden="true">✓ </span>
            {C.alertsNone}
          </p>
        )}
        {open.length > 0 && (
          <ol class="alert-list" aria-label={C.alertsOpenCaption(split.open.length)} data-testid="alerts-open">
            {open.map((a) => (
              <li key={a.id}>
                <AlertCard alert={a} patient={identity(a.patient)} onReviewed={reviewed} />
              </li>
            ))}
          </ol>
        )}
        {count > items.length && <p class="hint">{C.alertsMore(items.length, count)}</p>}
        {done.length > 0 && (
          <details class="alerts-reviewed" data-testid="alerts-reviewed">
            <summary>
              {C.reviewedTitle} ({done.length})
            </summary>
            <ol class="alert-list">
              {done.map((a) => (
                <li key={a.id}>
                  <AlertCard alert={a} patient={identity(a.patient)} onReviewed={reviewed} />
                </li>
              ))}
            </ol>
          </details>
        )}
      </>
    );
  }
  return (
    <section class="alerts" aria-labelledby="alerts-title" data-testid="alerts" aria-busy={state.loading ? true : undefined}>
      <h2 id="alerts-title">{C.alertsTitle}</h2>
      <p class="hint">{C.alertsIntro}</p>
      {body}
      <p class="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
    </section>
  );
}

function AlertCard({ alert: a, patient, onReviewed }: { alert: Alert; patient?: ClinicianPatient; onReviewed: (a: Alert) => void }) {
  const zone = a.patient_timezone || patient?.timezone || 'UTC';
  const open = !a.reviewed_at;
  const ack = acknowledgementText(a.acknowledgement, a.acknowledged_by_patient_at, zone);
  const name = a.patient_name || patient?.display_name || patient?.email || C.unnamed;
  const titleId = `alert-${a.id}`;
  return (
    <article
      class={`alert-card${open ? ' alert-open' : ' alert-reviewed'}`}
      data-testid="alert-card"
      data-alert-id={a.id}
      data-patient-id={a.patient}
      data-status={open ? 'open' : 'reviewed'}
      aria-labelledby={titleId}
    >
      <header class="alert-head">
        {open ? <LevelBadge level={a.level} /> : <span class="level-badge level-reviewed">{C.reviewedBadge}</span>}
        <h3 id={titleId}>
          <A href={patientPath(a.patient)} class="patient-link" testid="alert-patient">
            {name}
          </A>
          <span class="alert-what">{a.title || insightLabel(a.code)}</span>
        </h3>
      </header>
      <dl class="alert-facts">
        {a.clinic_name && (
          <div>
            <dt>{C.alertClinic}</dt>
            <dd data-testid="alert-clinic">{a.clinic_name}</dd>
          </div>
        )}
        <div>
          <dt>{C.dateOfBirth}</dt>
          <dd data-testid="alert-dob">{patient ? dateOfBirthText(patient.date_of_birth) : '…'}</dd>
        </div>
        <div>
          <dt>{C.clinicReference}</dt>
          <dd data-testid="alert-reference">{patient ? referenceText(patient.clinic_reference) : '…'}</dd>
        </div>
        <div>
          <dt>{C.alertReported}</dt>
          <dd data-testid="alert-reported">{reportedText({ ...a, patient_timezone: zone })}</dd>
        </div>
        <div>
          <dt>{C.alertRaised}</dt>
          <dd data-testid="alert-raised">{alertTime(a.raised_at, zone)}</dd>
        </div>
        <div>
          <dt>{C.alertPatientSaid}</dt>
          <dd data-testid="alert-ack" class={ack ? 'ack-given' : 'muted'}>
            {ack ?? C.ackNone}
          </dd>
        </div>
      </dl>
      {open ? (
        <ReviewForm alert={a} onReviewed={onReviewed} />
      ) : (
        <div class="alert-review" data-testid="alert-review">
          <p class="reviewed-by">
            <span aria-hidden="true">✓ </span>
            {reviewedText({ ...a, patient_timezone: zone })}
          </p>
          {a.note && (
            <p class="review-note" data-testid="alert-note">
              <strong>{C.reviewNoteShown}</strong> {a.note}
            </p>
          )}
        </div>
      )}
    </article>
  );
}

function ReviewForm({ alert: a, onReviewed }: { alert: Alert; onReviewed: (a: Alert) => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const problem = noteProblem(note);
  const serverNote = error instanceof ApiError ? (error.fields.note ?? []).join(' ') : '';
  const fieldMessage = problem ?? (serverNote || null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (problem) {
      area.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onReviewed(await api<Alert>(reviewUrl(a.id), { method: 'POST', body: reviewBody(note) }));
    } catch (err) {
      setError(err);
      area.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  // One form, one press: the note is optional, and reviewing is never undone by mistake (it only closes
  // this alert, this clinician's or their clinic's; the patient's warning and diary stay as they are).
  return (
    <form class="review-form" onSubmit={submit} noValidate data-testid="review-form">
      <div class="field">
        <label for={`${id}-note`}>{C.reviewNote}</label>
        <p class="hint" id={`${id}-hint`}>
          {C.reviewNoteHint}
        </p>
        <textarea
          id={`${id}-note`}
          ref={area}
          name="note"
          rows={2}
          value={note}
          // One over the limit is let through so the message can say so (a paste is not cut silently).
          maxLength={NOTE_MAX + 1}
          onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
          aria-invalid={fieldMessage ? true : undefined}
          aria-describedby={fieldMessage ? `${id}-hint ${id}-err` : `${id}-hint`}
          data-testid="review-note"
        />
        {fieldMessage && (
          <p class="field-error" id={`${id}-err`}>
            <span aria-hidden="true">⚠ </span>
            {fieldMessage}
          </p>
        )}
      </div>
      {error && !serverNote ? (
        <p class="form-error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <div class="alert-actions">
        <Button type="submit" kind="primary" busy={busy} testid="mark-reviewed">
          {busy ? C.savingReview : C.markReviewed}
        </Button>
        <A href={patientPath(a.patient)} class="btn btn-secondary">
          {C.openPatient}
        </A>
      </div>
    </form>
  );
}
