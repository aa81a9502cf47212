// Medicines: the form (My medicines and History's editor), its body and checks, the line and the clinician's
// columns. Dated by `started_on`, a day of the patient's own (no clock time, no zone to shift it).

import { text } from '../logic/entryColumns';
import { deviceTimeZone, formatLocalDate, localParts } from '../logic/time';
import { app } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { Button, Choice, TextArea, TextField, type FieldErrors } from '../ui/form';
import { choiceOrNull, opts, type BodyMode, type Data, type FieldsProps, type Kind } from './kind';

const S = strings;
const M = strings.medicines;
const H = strings.history;
const C = strings.clinician;

export const DRUG_CLASSES = opts(S.drugClass, ['diuretic', 'beta_agonist', 'calcium_channel_blocker', 'statin', 'magnesium', 'quinine', 'other']);
export const SCHEDULES = opts(S.schedule, ['regular', 'as_needed']);

export interface MedicationForm {
  name: string;
  /** null: not chosen yet (never a default: "Other" would be an answer nobody gave). */
  drug_class: string | null;
  dose: string;
  schedule: string | null;
  /** YYYY-MM-DD, the patient's day; '' until the patient says (today is offered, not assumed). */
  started_on: string;
  /** '' while still taken. */
  stopped_on: string;
  notes: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayOrEmpty(x: unknown): string {
  return typeof x === 'string' && DAY.test(x) ? x : '';
}

export function medicationFromData(d: Data): MedicationForm {
  return {
    name: typeof d.name === 'string' ? d.name : '',
    drug_class: choiceOrNull(d.drug_class),
    dose: typeof d.dose === 'string' ? d.dose : '',
    schedule: choiceOrNull(d.schedule),
    started_on: dayOrEmpty(d.started_on),
    stopped_on: dayOrEmpty(d.stopped_on),
    notes: typeof d.notes === 'string' ? d.notes : '',
  };
}

/** A new medicine leaves out what was not said (dose, notes, a stop); an edit sends them, so clearing clears. */
export function medicationToBody(f: MedicationForm, mode: BodyMode = 'new'): Data {
  const body: Data = { name: f.name.trim(), started_on: f.started_on };
  if (f.drug_class !== null || mode === 'edit') body.drug_class = f.drug_class;
  if (f.schedule !== null || mode === 'edit') body.schedule = f.schedule;
  if (f.dose.trim() || mode === 'edit') body.dose = f.dose.trim();
  if (f.notes.trim() || mode === 'edit') body.notes = f.notes.trim();
  if (f.stopped_on || mode === 'edit') body.stopped_on = f.stopped_on || null;
  return body;
}

/** "Stopped taking it": today, in the patient's zone (editable before it is saved). */
export function stoppedToday(f: MedicationForm, now: Date, zone: string): MedicationForm {
  return { ...f, stopped_on: localParts(now, zone).date };
}

/** What stops the form from being saved, per field (the server checks again). `today`: the patient's date. */
export function medicationProblems(f: MedicationForm, today: string): FieldErrors {
  const P = M.problems;
  const errors: FieldErrors = {};
  if (!f.name.trim()) errors.name = [P.name];
  if (f.drug_class === null) errors.drug_class = [P.drug_class];
  if (f.schedule === null) errors.schedule = [P.schedule];
  if (!DAY.test(f.started_on)) errors.started_on = [P.started_on];
  else if (f.started_on > today) errors.started_on = [P.startedFuture];
  if (f.stopped_on && DAY.test(f.stopped_on)) {
    if (f.stopped_on > today) errors.stopped_on = [P.stoppedFuture];
    else if (DAY.test(f.started_on) && f.stopped_on < f.started_on) errors.stopped_on = [P.stoppedBefore];
  }
  return errors;
}

export function MedicationFields(p: FieldsProps<MedicationForm>) {
  const v = p.value;
  // The patient's day (data/hooks' useTimeZone, which this module cannot import: it runs the sync queue).
  const zone = useStore(app).profile?.timezone || deviceTimeZone();
  const today = localParts(new Date(), zone).date;
  const set = (patch: Partial<MedicationForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  return (
    <>
      <TextField label={M.name} hint={M.nameHint} name="name" value={v.name} onValue={(name) => set({ name })} errors={p.errors} autocapitalize="sentences" testid="medicine-name" />
      <Choice legend={M.drugClass} hint={M.drugClassHint} name="drug_class" options={DRUG_CLASSES} value={v.drug_class} onValue={(drug_class) => set({ drug_class })} errors={p.errors} columns={1} testid="medicine-class" />
      <TextField label={M.dose} hint={M.doseHint} name="dose" value={v.dose} onValue={(dose) => set({ dose })} errors={p.errors} testid="medicine-dose" />
      <Choice legend={M.schedule} name="schedule" options={SCHEDULES} value={v.schedule} onValue={(schedule) => set({ schedule })} errors={p.errors} columns={2} testid="medicine-schedule" />
      <TextField label={M.startedOn} hint={M.startedHint} name="started_on" type="date" max={today} value={v.started_on} onValue={(started_on) => set({ started_on })} errors={p.errors} testid="medicine-started" />
      {v.started_on !== today && (
        <p class="row">
          <Button onClick={() => set({ started_on: today })} testid="medicine-started-today">
            {M.useToday(formatLocalDate(today, { year: false }))}
          </Button>
        </p>
      )}
      <TextField label={M.stoppedOn} hint={M.stoppedHint} name="stopped_on" type="date" max={today} min={v.started_on || undefined} value={v.stopped_on} onValue={(stopped_on) => set({ stopped_on })} errors={p.errors} testid="medicine-stopped" />
      {v.stopped_on && (
        <p class="row">
          <Button kind="link" onClick={() => set({ stopped_on: '' })}>
            {M.stillTaking}
          </Button>
        </p>
      )}
      <TextArea label={M.notes} name="notes" value={v.notes} onValue={(notes) => set({ notes })} errors={p.errors} />
    </>
  );
}

export function describeMedication(d: Data): string {
  const started = formatLocalDate(d.started_on) || S.notSaid;
  const stopped = formatLocalDate(d.stopped_on) || null;
  return H.medicationSummary(
    text(d.name),
    typeof d.dose === 'string' ? d.dose.trim() : '',
    S.drugClass[String(d.drug_class)] ?? S.notSaid,
    S.schedule[String(d.schedule)]?.toLowerCase() ?? S.notSaid.toLowerCase(),
    H.medicationSpan(started, stopped),
  );
}

const dayCell = (v: unknown, locale?: string) => formatLocalDate(v, { locale }) || C.dash;

export const medication: Kind<MedicationForm> = {
  collection: 'medications',
  name: H.kinds.medications,
  filterName: H.filterKinds.medications,
  tableName: C.kinds.medications,
  fromData: medicationFromData,
  toBody: medicationToBody,
  EditFields: MedicationFields,
  describe: describeMedication,
  columns: [
    // A day of the patient's, not an instant: no zone in its heading.
    { key: 'started_on', head: C.colStarted, cell: (r, locale) => dayCell(r.started_on, locale) },
    { key: 'name', head: C.colMedicine, cell: (r) => text(r.name) },
    { key: 'drug_class', head: C.colDrugClass, cell: (r) => S.drugClass[String(r.drug_class)] ?? text(r.drug_class) },
    { key: 'dose', head: C.colDose, cell: (r) => text(r.dose) },
    { key: 'schedule', head: C.colSchedule, cell: (r) => S.schedule[String(r.schedule)] ?? text(r.schedule) },
    { key: 'stopped_on', head: C.colStopped, cell: (r, locale) => (r.stopped_on ? dayCell(r.stopped_on, locale) : C.stillTaken) },
    { key: 'notes', head: C.colNotes, cell: (r) => text(r.notes) },
  ],
};
