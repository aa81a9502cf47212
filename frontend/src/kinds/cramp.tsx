// Cramps: the form (the Log screen's and History's), its body, History's line and the clinician's columns.

import { crampWhere, durationText, text, whenColumn, wordOrNull, yesNo } from '../logic/entryColumns';
import { formatDay } from '../logic/clinician';
import { formatDuration, fromLocalInput } from '../logic/time';
import { strings } from '../strings';
import { Checkbox, Choice, TextArea, TextField, type FieldErrors, type Option } from '../ui/form';
import { SCALE, SCALE_COLUMNS, SIDES, choiceOrNull, localOf, numberOrNull, opts, putSaid, said, type BodyMode, type Data, type Kind } from './kind';

const S = strings;
const H = strings.history;
const C = strings.clinician;

export const MUSCLES = opts(S.muscle, ['calf', 'foot', 'thigh', 'shin', 'other']);
export const ACTIVITIES = opts(S.activity, ['sleeping', 'resting', 'sitting', 'standing', 'walking', 'exercising']);

export interface CrampForm {
  started: string;
  duration_seconds: number | null;
  severity: number | null;
  muscle: string | null;
  side: string | null;
  activity: string | null;
  woke_from_sleep: boolean;
  relieved_by_rest: 'yes' | 'no' | 'unsaid';
  notes: string;
}

export function crampFromData(d: Data): CrampForm {
  return {
    started: localOf(d.started_at),
    duration_seconds: numberOrNull(d.duration_seconds),
    severity: numberOrNull(d.severity),
    muscle: choiceOrNull(d.muscle),
    side: choiceOrNull(d.side),
    activity: choiceOrNull(d.activity),
    woke_from_sleep: d.woke_from_sleep === true,
    relieved_by_rest: d.relieved_by_rest === true ? 'yes' : d.relieved_by_rest === false ? 'no' : 'unsaid',
    notes: String(d.notes ?? ''),
  };
}

/** A new cramp at this moment, with nothing else chosen: what the patient does not touch is "not said". */
export function newCramp(now: Date): CrampForm {
  return crampFromData({ started_at: now.toISOString() });
}

export function crampToBody(f: CrampForm, mode: BodyMode = 'new'): Data {
  const body: Data = { started_at: fromLocalInput(f.started) ?? new Date().toISOString() };
  putSaid(
    body,
    {
      duration_seconds: f.duration_seconds === null ? null : Math.round(f.duration_seconds),
      severity: f.severity,
      muscle: f.muscle,
      side: f.side,
      activity: f.activity,
      relieved_by_rest: f.relieved_by_rest === 'unsaid' ? null : f.relieved_by_rest === 'yes',
    },
    mode,
  );
  // Unticked is the contract's default (false): a new entry need not say it.
  if (f.woke_from_sleep || mode === 'edit') body.woke_from_sleep = f.woke_from_sleep;
  if (f.notes.trim()) body.notes = f.notes.trim();
  return body;
}

/** The choices for "How long?": the usual five, and a duration given some other way (an older entry) as a sixth. */
export function durationOptions(current: number | null): Array<Option<number>> {
  const usual = S.durations.map((d) => ({ value: d.seconds, label: d.label }));
  if (current === null || usual.some((d) => d.value === current)) return usual;
  return [...usual, { value: current, label: durationLabel(current) }].sort((a, b) => a.value - b.value);
}

/** "45 s", "1.5 min": as History shows a duration (formatDuration), without the screens' widgets. */
function durationLabel(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const min = Math.round(seconds / 6) / 10;
  return `${min % 1 === 0 ? min.toFixed(0) : min} min`;
}

/** The essentials first (side, muscle, severity), then the details; the screen puts Save where it stays in reach. */
export function CrampFields(p: {
  value: CrampForm;
  onChange: (update: (prev: CrampForm) => CrampForm) => void;
  errors: FieldErrors;
  onTimeTouched?: () => void;
  openDetails?: boolean;
}) {
  const v = p.value;
  const set = (patch: Partial<CrampForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  const clear = (key: 'side' | 'muscle' | 'severity' | 'duration_seconds' | 'activity') => ({ label: S.clearAnswer, onClear: () => set({ [key]: null }) });
  return (
    <>
      <p class="hint not-said-hint">{S.leaveBlank}</p>
      <Choice legend={S.fields.side} name="side" options={SIDES} value={v.side} onValue={(side) => set({ side })} errors={p.errors} columns={3} compact testid="cramp-side" clear={clear('side')} />
      <Choice legend={S.fields.muscle} name="muscle" options={MUSCLES} value={v.muscle} onValue={(muscle) => set({ muscle })} errors={p.errors} columns={3} compact testid="cramp-muscle" clear={clear('muscle')} />
      <Choice
        legend={S.fields.severity}
        name="severity"
        options={SCALE}
        value={v.severity}
        onValue={(severity) => set({ severity })}
        hint={S.fields.severityEnds}
        errors={p.errors}
        columns={SCALE_COLUMNS}
        compact
        testid="cramp-severity"
        clear={clear('severity')}
      />
      <details class="more-details" open={p.openDetails || hasDetailErrors(p.errors)}>
        <summary>{S.fields.moreDetails}</summary>
        <p class="hint not-said-hint">{S.leaveBlank}</p>
        <TextField
          label={S.fields.when}
          name="started_at"
          type="datetime-local"
          value={v.started}
          onValue={(started) => {
            p.onTimeTouched?.();
            set({ started });
          }}
          errors={p.errors}
        />
        {/* One way to say how long: a row of choices, none chosen until tapped ("not said"). A seconds box
            beside it asked the same question twice. */}
        <Choice
          legend={S.fields.duration}
          name="duration_seconds"
          options={durationOptions(v.duration_seconds)}
          value={v.duration_seconds}
          onValue={(duration_seconds) => set({ duration_seconds })}
          errors={p.errors}
          columns={5}
          testid="cramp-duration"
          clear={clear('duration_seconds')}
        />
        <Choice legend={S.fields.activity} name="activity" options={ACTIVITIES} value={v.activity} onValue={(activity) => set({ activity })} errors={p.errors} columns={2} testid="cramp-activity" clear={clear('activity')} />
        <Checkbox label={S.fields.wokeFromSleep} name="woke_from_sleep" checked={v.woke_from_sleep} onValue={(woke_from_sleep) => set({ woke_from_sleep })} errors={p.errors} hint={S.leaveUnticked} />
        <Choice
          legend={S.fields.relievedByRest}
          name="relieved_by_rest"
          options={[
            { value: 'yes' as const, label: S.yes },
            { value: 'no' as const, label: S.no },
            { value: 'unsaid' as const, label: S.notSaid },
          ]}
          value={v.relieved_by_rest}
          onValue={(relieved_by_rest) => set({ relieved_by_rest })}
          errors={p.errors}
          columns={3}
        />
        <TextArea label={S.fields.notes} name="notes" value={v.notes} onValue={(notes) => set({ notes })} errors={p.errors} />
      </details>
    </>
  );
}

function hasDetailErrors(errors: FieldErrors): boolean {
  return ['started_at', 'duration_seconds', 'activity', 'woke_from_sleep', 'relieved_by_rest', 'notes'].some((k) => errors[k]?.length);
}

function describe(d: Data): string {
  // Unanswered parts read "not said", never a number nobody gave.
  const side = said(d.side, S.side);
  const muscle = said(d.muscle, S.muscle);
  const severity = typeof d.severity === 'number' ? d.severity : null;
  const seconds = typeof d.duration_seconds === 'number' ? d.duration_seconds : null;
  if (side === null && muscle === null && severity === null && seconds === null) return H.crampNothingSaid;
  return H.crampSummary(H.crampWhere(side, muscle), H.crampSeverity(severity), H.crampDuration(seconds === null ? null : formatDuration(seconds)));
}

export const cramp: Kind<CrampForm> = {
  collection: 'cramps',
  name: H.kinds.cramps,
  filterName: H.filterKinds.cramps,
  tableName: C.kinds.cramps,
  fromData: crampFromData,
  toBody: crampToBody,
  EditFields: (p) => <CrampFields {...p} openDetails />,
  describe,
  columns: [
    whenColumn('started_at'),
    {
      key: 'night',
      head: C.colNight,
      cell: (r, locale) => (typeof r.night === 'string' ? formatDay(r.night, { locale }) : C.dash) + (r.is_nocturnal === true ? '' : ` (${C.daytime})`),
    },
    {
      key: 'where',
      head: C.colSideMuscle,
      cell: (r) => crampWhere(r),
    },
    { key: 'severity', head: C.colSeverity, cell: (r) => (typeof r.severity === 'number' ? `${r.severity}/10` : C.notSaid) },
    { key: 'duration_seconds', head: C.colDuration, cell: (r) => (typeof r.duration_seconds === 'number' ? durationText(r.duration_seconds) : C.notSaid) },
    { key: 'activity', head: C.colActivity, cell: (r) => wordOrNull(r.activity, S.activity) ?? C.notSaid },
    { key: 'woke_from_sleep', head: C.colWoke, cell: (r) => yesNo(r.woke_from_sleep) },
    { key: 'relieved_by_rest', head: C.colRelieved, cell: (r) => yesNo(r.relieved_by_rest) },
    { key: 'notes', head: C.colNotes, cell: (r) => text(r.notes) },
  ],
};
