// The clinician's home (/clinician): the urgent alerts to review (above everything), the triage table of
// linked patients in the API's order (open alerts, urgent, then advice, then the most recent evidence;
// never re-sorted here) with each one's date of birth, clinic reference, open alerts, clinic and assignee,
// a debounced search (?search=), "Assigned to me" (?assigned=me, for a member of a clinic), pages (?page=),
// and "Add patient" with the patient's one-time sharing code (RedeemWithClinic: a member of clinics is
// asked "For <clinic>" or "Just me", nothing preselected; a 403's reason is shown, not a sign-out).

import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api/client';
import type { Alert, ClinicianPatient, Paginated } from '../../api/types';
import {
  adherenceText,
  insightLabel,
  isTwoFactorRequired,
  LIST_PAGE_SIZE,
  listHref,
  pageCount,
  patientPath,
  patientsUrl,
  relativeTime,
} from '../../logic/clinician';
import { alertsUrl, assignedText, dateOfBirthText, openAlertsText, referenceText } from '../../logic/alerts';
import { navigate, useRoute } from '../../router';
import { app } from '../../state';
import { strings } from '../../strings';
import { Button, Checkbox, TextField } from '../../ui/form';
import { A, Page } from '../../ui/widgets';
import { AlertsSection } from './Alerts';
import { RedeemWithClinic } from './Clinic';
import { LevelBadge, PatientClock, TwoFactorNeeded, rememberPatients, useMyClinics, useViewerZone } from './shared';
import { useApi, type ApiState } from './useApi';

const C = strings.clinician;
const SEARCH_DELAY_MS = 300;

export function PatientList() {
  const { query } = useRoute();
  const search = query.get('search') ?? '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const mine = query.get('assigned') === 'me';
  const [typed, setTyped] = useState(search);
  const list = useApi<Paginated<ClinicianPatient>>(patientsUrl(search, page, mine));
  // "Assigned to me" is for a member of a clinic: a clinician whose patients share with them alone has
  // nobody assigned (they are all theirs), and is not offered a filter that would always be empty.
  const clinics = useMyClinics();
  const alerts = useApi<Paginated<Alert>>(alertsUrl());
  const inClinic = (clinics.clinics?.length ?? 0) > 0 || mine;

  // Typing: the URL (and so the request) follows after a short pause.
  useEffect(() => {
    if (typed.trim() === search.trim()) return;
    const t = setTimeout(() => navigate(listHref(typed, 1, mine), { replace: true }), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [typed]);
  // Back/forward to another search: the box shows it.
  useEffect(() => {
    if (search.trim() !== typed.trim()) setTyped(search);
  }, [search]);
  useEffect(() => {
    if (list.data) rememberPatients(list.data.results);
  }, [list.data]);

  const blocked = isTwoFactorRequired(list.error);
  // The page is drawn once both first answers are in (they come in parallel): drawn piece by piece, the
  // alerts and the clinic's filter pushed the list down as they arrived (Lighthouse: a layout shift of
  // 0.64, where 0.1 is the limit of "good").
  const firstAnswers =
    (list.data || list.error) && (clinics.clinics || clinics.error) && (alerts.data || alerts.error);
  return (
    <Page title={C.listTitle} intro={C.listIntro}>
      {blocked ? (
        <TwoFactorNeeded />
      ) : !firstAnswers ? (
        <p>{strings.loading}</p>
      ) : (
        <>
          <AlertsSection state={alerts} patients={list.data?.results ?? []} onReviewed={list.reload} />
          <div class="clinician-toolbar">
            <form role="search" class="search-box" onSubmit={(e) => e.preventDefault()} aria-label={C.search}>
              <TextField
                label={C.search}
                name="search"
                type="search"
                value={typed}
                onValue={setTyped}
                hint={C.searchHint}
                autocomplete="off"
                spellcheck={false}
                testid="clinician-search"
              />
            </form>
            {inClinic && (
              <div class="assigned-filter">
                <Checkbox
                  label={C.assignedToMe}
                  name="assigned"
                  checked={mine}
                  onValue={(on) => navigate(listHref(search, 1, on))}
                  hint={C.assignedToMeHint}
                  testid="assigned-to-me"
                />
              </div>
            )}
            {clinics.clinics ? (
              <RedeemWithClinic
                clinics={clinics.clinics}
                onAdded={() => (search || page > 1 || mine ? navigate('/clinician', { replace: true }) : list.reload())}
              />
            ) : (
              // Until the clinics are known the form is not offered: without them it would add the
              // patient for "just me" without asking a member of a clinic.
              <div class="card redeem" data-testid="clinic-redeem-waiting">
                <h2>{C.addTitle}</h2>
                {clinics.error ? (
                  <div class="form-error" role="alert">
                    <p>{errorMessage(clinics.error)}</p>
                    <Button onClick={clinics.reload}>{strings.retry}</Button>
                  </div>
                ) : (
                  <p>{strings.loading}</p>
                )}
              </div>
            )}
          </div>
          <Table state={list} search={search} page={page} mine={mine} />
        </>
      )}
    </Page>
  );
}

function Table({
  state,
  search,
  page,
  mine,
}: {
  state: ApiState<Paginated<ClinicianPatient>>;
  search: string;
  page: number;
  mine: boolean;
}) {
  const now = new Date();
  const me = app.get().user?.id ?? null;
  const viewerZone = useViewerZone();
  const { data, error, loading } = state;
  if (!data && error) {
    return (
      <div class="form-error" role="alert">
        <p>{C.loadFailed}</p>
        <p>{errorMessage(error)}</p>
        <Button onClick={state.reload}>{strings.retry}</Button>
      </div>
    );
  }
  if (!data) return <p>{strings.loading}</p>;
  const caption = search ? C.captionSearch(data.count, search) : mine ? C.captionAssigned(data.count) : C.caption(data.count);
  const pages = pageCount(data.count, LIST_PAGE_SIZE);
  return (
    <>
      <p class="visually-hidden" role="status">
        {loading ? strings.loading : caption}
      </p>
      {data.results.length === 0 ? (
        <p class="empty-state">{search ? C.emptySearch : mine ? C.emptyAssigned : C.empty}</p>
      ) : (
        <div class="table-wrap" role="region" aria-labelledby="triage-caption" tabIndex={0}>
          <table class="data-table triage" data-testid="clinician-list" aria-busy={loading ? true : undefined}>
            <caption id="triage-caption">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{C.colPatient}</th>
                <th scope="col">{C.colLevel}</th>
                <th scope="col">{C.colInsights}</th>
                <th scope="col" class="num">
                  {C.colCrampNights}
                </th>
                <th scope="col" class="num">
                  {C.colCompression}
                </th>
                <th scope="col">{C.colLastEntry}</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((p) => (
                <Row patient={p} now={now} viewerZone={viewerZone} me={me} key={p.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav class="pagination" aria-label={C.pagination} data-testid="clinician-pagination">
          {page > 1 ? <A href={listHref(search, page - 1, mine)} class="btn btn-secondary">{`‹ ${C.previous}`}</A> : <span />}
          <span aria-current="page">{C.page(page, pages)}</span>
          {page < pages ? <A href={listHref(search, page + 1, mine)} class="btn btn-secondary">{`${C.next} ›`}</A> : <span />}
        </nav>
      )}
    </>
  );
}

function Row({ patient: p, now, viewerZone, me }: { patient: ClinicianPatient; now: Date; viewerZone: string; me: string | null }) {
  const assigned = assignedText(p, me);
  const name = p.display_name || p.email || C.unnamed;
  const level = p.highest_level ?? 'none';
  const codes = p.insight_codes ?? [];
  const openAlerts = openAlertsText(p.open_alerts);
  return (
    <tr class={`level-${level}`} data-testid="clinician-row" data-level={level} data-patient-id={p.id}>
      <th scope="row" class="who">
        <A href={patientPath(p.id)} class="patient-link">
          {level === 'urgent' && (
            <span aria-hidden="true" class="urgent-mark">
              ⚠
            </span>
          )}
          {name}
        </A>
        {p.display_name && <span class="email">{p.email}</span>}
        <span class="identity" data-testid="patient-identity">
          <span>
            {C.born} <span data-testid="patient-dob">{dateOfBirthText(p.date_of_birth)}</span>
          </span>
          <span>
            {C.clinicRef} <span data-testid="patient-reference">{referenceText(p.clinic_reference)}</span>
          </span>
          {p.clinic_name && (
            <span>
              {C.clinicLabel} <span data-testid="patient-clinic">{p.clinic_name}</span>
            </span>
          )}
          {assigned && (
            <span>
              {C.assignedLabel}{' '}
              <span data-testid="patient-assigned" class={p.assigned_to ? undefined : 'muted'}>
                {assigned}
              </span>
            </span>
          )}
        </span>
        {openAlerts && (
          <span class="open-alerts-badge" data-testid="open-alerts">
            <span aria-hidden="true">⚠ </span>
            {openAlerts}
          </span>
        )}
      </th>
      <td>
        <LevelBadge level={p.highest_level} />
      </td>
      <td>
        {codes.length === 0 ? (
          <span class="muted">{C.noInsights}</span>
        ) : (
          <ul class="codes">
            {codes.map((c) => (
              <li key={c} data-code={c} class={c === 'emergency_warning' || c === 'urgent_dvt_warning' ? 'code-urgent' : undefined}>
                {insightLabel(c)}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td class="num">{p.cramp_nights_28d}</td>
      <td class="num">{adherenceText(p.compression_days_28d)}</td>
      <td class="last-entry">
        {p.last_entry_at ? (
          <>
            <span class="relative-time">{relativeTime(p.last_entry_at, now)}</span>
            {/* On the patient's clock (a 3 a.m. cramp reads 03:00 from anywhere), the clinician's beside it. */}
            <span class="abs-date">
              <PatientClock iso={p.last_entry_at} zone={p.timezone ?? 'UTC'} viewerZone={viewerZone} testid="last-entry-time" />
            </span>
          </>
        ) : (
          <span class="muted">{C.never}</span>
        )}
      </td>
    </tr>
  );
}
