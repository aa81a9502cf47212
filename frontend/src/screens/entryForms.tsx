// The fields of each kind of diary entry, shared by the logging screens and the History editor.
// Each kind has: a form state, `fromData` (record → form), `toBody` (form → request body) and the fields.

import type { Collection } from '../api/types';
import { fromLocalInput, toLocalInput } from '../logic/time';
import { strings } from '../strings';
import { Checkbox, Choice, Select, TextArea, TextField, type FieldErrors, type Option } from '../ui/form';

const S = strings;
type Data = Record<string, unknown>;

function opts<T extends string>(map: Record<string, string>, keys: T[]): Array<Option<T>> {
  return keys.map((k) => ({ value: k, label: map[k] }));
}

export const SIDES = opts(S.side, ['left', 'right', 'both']);
export const MUSCLES = opts(S.muscle, ['calf', 'foot', 'thigh', 'shin', 'other']);
export const ACTIVITIES = opts(S.activity, ['sleeping', 'resting', 'sitting', 'standing', 'walking', 'exercising']);
export const GARMENTS = opts(S.garment, ['knee', 'thigh', 'pantyhose']);
export const PRESSURES = opts(S.pressure, ['15-20', '20-30', '30-40', '40-50']);

function localOf(iso: unknown): string {
  if (typeof iso !== 'string' || !iso) return toLocalInput(new Date());
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? toLocalInput(new Date()) : toLocalInput(d);
}

function numOrNull(text: string): number | null {
  if (!text.trim()) return null;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

// --- Not said ---
// A question the patient did not answer is `null` in the form: nothing is chosen when a form opens, a new
// entry's body leaves it out (the server stores "not said"), and an edit sends `null` so a cleared answer is
// cleared. Defaults would be answers nobody gave (issue 14).

/** "new": leave unanswered fields out of the body; "edit": send them as null (a PATCH then clears them). */
export type BodyMode = 'new' | 'edit';

function putSaid(body: Data, said: Record<string, unknown>, mode: BodyMode): void {
  for (const [key, value] of Object.entries(said)) {
    if (value !== null || mode === 'edit') body[key] = value;
  }
}

function numberOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function choiceOrNull(x: unknown): string | null {
  return typeof x === 'string' && x ? x : null;
}

/** The 0–10 scale as a row of numbers: unlike a slider, it can show that nothing is chosen yet. */
export const SCALE: Array<Option<number>> = Array.from({ length: 11 }, (_, n) => ({ value: n, label: String(n) }));
const SCALE_COLUMNS = 4;

// --- Cramp ---

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

// --- Check-in ---

export interface CheckinForm {
  recorded: string;
  cramps_last_night: 'none' | 'some' | 'unsaid';
  swelling_left: number | null;
  swelling_right: number | null;
  circumference_left_cm: string;
  circumference_right_cm: string;
  heaviness: number | null;
  aching: number | null;
  itching: number | null;
  restless_legs: boolean;
  visible_veins: boolean;
  skin_changes: boolean;
  calf_pain_or_tenderness: boolean;
  sudden_onset: boolean;
  redness_or_warmth: boolean;
  sudden_chest_pain_or_breathlessness: boolean;
  notes: string;
}

export function checkinFromData(d: Data): CheckinForm {
  const cm = (x: unknown) => (typeof x === 'number' ? String(x) : '');
  return {
    recorded: localOf(d.recorded_at),
    cramps_last_night: d.cramps_last_night === 'none' || d.cramps_last_night === 'some' ? d.cramps_last_night : 'unsaid',
    swelling_left: numberOrNull(d.swelling_left),
    swelling_right: numberOrNull(d.swelling_right),
    circumference_left_cm: cm(d.circumference_left_cm),
    circumference_right_cm: cm(d.circumference_right_cm),
    heaviness: numberOrNull(d.heaviness),
    aching: numberOrNull(d.aching),
    itching: numberOrNull(d.itching),
    restless_legs: d.restless_legs === true,
    visible_veins: d.visible_veins === true,
    skin_changes: d.skin_changes === true,
    calf_pain_or_tenderness: d.calf_pain_or_tenderness === true,
    sudden_onset: d.sudden_onset === true,
    redness_or_warmth: d.redness_or_warmth === true,
    sudden_chest_pain_or_breathlessness: d.sudden_chest_pain_or_breathlessness === true,
    notes: String(d.notes ?? ''),
  };
}

export function checkinToBody(f: CheckinForm, mode: BodyMode = 'new'): Data {
  const body: Data = { recorded_at: fromLocalInput(f.recorded) ?? new Date().toISOString() };
  putSaid(body, { swelling_left: f.swelling_left, swelling_right: f.swelling_right }, mode);
  Object.assign(body, {
    circumference_left_cm: numOrNull(f.circumference_left_cm),
    circumference_right_cm: numOrNull(f.circumference_right_cm),
  });
  putSaid(body, { heaviness: f.heaviness, aching: f.aching, itching: f.itching }, mode);
  // The yes/no signs keep their contract default: unticked is "no", and the form says so.
  Object.assign(body, {
    restless_legs: f.restless_legs,
    visible_veins: f.visible_veins,
    skin_changes: f.skin_changes,
    calf_pain_or_tenderness: f.calf_pain_or_tenderness,
    sudden_onset: f.sudden_onset,
    redness_or_warmth: f.redness_or_warmth,
    sudden_chest_pain_or_breathlessness: f.sudden_chest_pain_or_breathlessness,
    cramps_last_night: f.cramps_last_night === 'unsaid' ? null : f.cramps_last_night,
  });
  if (f.notes.trim()) body.notes = f.notes.trim();
  return body;
}

const SWELLING = S.checkin.swellingWords.map((label, value) => ({ value, label }));

export function CheckinFields(p: {
  value: CheckinForm;
  onChange: (update: (prev: CheckinForm) => CheckinForm) => void;
  errors: FieldErrors;
  showTime?: boolean;
}) {
  const v = p.value;
  const c = S.checkin;
  const set = (patch: Partial<CheckinForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  const clear = (key: 'swelling_left' | 'swelling_right' | 'heaviness' | 'aching' | 'itching') => ({ label: S.clearAnswer, onClear: () => set({ [key]: null }) });
  return (
    <>
      <Choice
        legend={c.crampsLastNight}
        name="cramps_last_night"
        options={[
          { value: 'none' as const, label: S.today.none },
          { value: 'some' as const, label: S.today.some },
          { value: 'unsaid' as const, label: S.notSaid },
        ]}
        value={v.cramps_last_night}
        onValue={(cramps_last_night) => set({ cramps_last_night })}
        errors={p.errors}
        columns={3}
      />
      <p class="hint not-said-hint">{S.leaveBlank}</p>
      <Choice legend={c.swellingLeft} name="swelling_left" options={SWELLING} value={v.swelling_left} onValue={(swelling_left) => set({ swelling_left })} errors={p.errors} columns={2} testid="swelling-left" clear={clear('swelling_left')} />
      <Choice legend={c.swellingRight} name="swelling_right" options={SWELLING} value={v.swelling_right} onValue={(swelling_right) => set({ swelling_right })} errors={p.errors} columns={2} testid="swelling-right" clear={clear('swelling_right')} />
      <fieldset class="group">
        <legend>{c.warningSigns}</legend>
        <p class="hint">{c.untickedMeans}</p>
        <Checkbox label={c.calfPain} name="calf_pain_or_tenderness" checked={v.calf_pain_or_tenderness} onValue={(x) => set({ calf_pain_or_tenderness: x })} errors={p.errors} />
        <Checkbox label={c.suddenOnset} name="sudden_onset" checked={v.sudden_onset} onValue={(x) => set({ sudden_onset: x })} errors={p.errors} />
        <Checkbox label={c.rednessWarmth} name="redness_or_warmth" checked={v.redness_or_warmth} onValue={(x) => set({ redness_or_warmth: x })} errors={p.errors} />
        <Checkbox
          label={c.chestPain}
          name="sudden_chest_pain_or_breathlessness"
          checked={v.sudden_chest_pain_or_breathlessness}
          onValue={(x) => set({ sudden_chest_pain_or_breathlessness: x })}
          errors={p.errors}
        />
        {v.sudden_chest_pain_or_breathlessness && (
          <p class="inline-alert" role="alert">
            <span aria-hidden="true">⚠ </span>
            {c.chestPainNow}
          </p>
        )}
      </fieldset>
      <fieldset class="group">
        <legend>{c.symptoms}</legend>
        <p class="hint">{c.symptomsHint}</p>
        <Choice legend={c.heaviness} name="heaviness" options={SCALE} value={v.heaviness} onValue={(heaviness) => set({ heaviness })} errors={p.errors} columns={SCALE_COLUMNS} compact testid="checkin-heaviness" clear={clear('heaviness')} />
        <Choice legend={c.aching} name="aching" options={SCALE} value={v.aching} onValue={(aching) => set({ aching })} errors={p.errors} columns={SCALE_COLUMNS} compact testid="checkin-aching" clear={clear('aching')} />
        <Choice legend={c.itching} name="itching" options={SCALE} value={v.itching} onValue={(itching) => set({ itching })} errors={p.errors} columns={SCALE_COLUMNS} compact testid="checkin-itching" clear={clear('itching')} />
      </fieldset>
      <fieldset class="group">
        <legend>{c.signs}</legend>
        <p class="hint">{c.untickedMeans}</p>
        <Checkbox label={c.restlessLegs} name="restless_legs" checked={v.restless_legs} onValue={(x) => set({ restless_legs: x })} errors={p.errors} />
        <Checkbox label={c.visibleVeins} name="visible_veins" checked={v.visible_veins} onValue={(x) => set({ visible_veins: x })} errors={p.errors} />
        <Checkbox label={c.skinChanges} name="skin_changes" checked={v.skin_changes} onValue={(x) => set({ skin_changes: x })} errors={p.errors} />
      </fieldset>
      <fieldset class="group">
        <legend>{c.circumferences}</legend>
        <p class="hint">{c.circumferenceHint}</p>
        <TextField label={c.circumferenceLeft} name="circumference_left_cm" type="number" inputMode="decimal" step="0.1" min={10} max={80} value={v.circumference_left_cm} onValue={(x) => set({ circumference_left_cm: x })} errors={p.errors} />
        <TextField label={c.circumferenceRight} name="circumference_right_cm" type="number" inputMode="decimal" step="0.1" min={10} max={80} value={v.circumference_right_cm} onValue={(x) => set({ circumference_right_cm: x })} errors={p.errors} />
      </fieldset>
      {p.showTime && <TextField label={S.fields.when} name="recorded_at" type="datetime-local" value={v.recorded} onValue={(recorded) => set({ recorded })} errors={p.errors} />}
      <TextArea label={S.fields.notes} name="notes" value={v.notes} onValue={(notes) => set({ notes })} errors={p.errors} />
    </>
  );
}

// --- Compression, elevation, hydration (History editor) ---

export interface SimpleForm {
  [key: string]: string | number | boolean;
}

export function simpleFromData(collection: Collection, d: Data): SimpleForm {
  switch (collection) {
    case 'compression':
      return {
        started: localOf(d.started_at),
        ended: typeof d.ended_at === 'string' && d.ended_at ? localOf(d.ended_at) : '',
        pressure_class: String(d.pressure_class ?? '15-20'),
        garment: String(d.garment ?? 'knee'),
        legs: String(d.legs ?? 'both'),
      };
    case 'elevations':
      return { started: localOf(d.started_at), duration_minutes: Number(d.duration_minutes ?? 15), above_heart: d.above_heart === true };
    default:
      return { taken: localOf(d.taken_at), volume_ml: Number(d.volume_ml ?? 250) };
  }
}

export function simpleToBody(collection: Collection, f: SimpleForm): Data {
  switch (collection) {
    case 'compression':
      return {
        started_at: fromLocalInput(String(f.started)),
        ended_at: f.ended ? fromLocalInput(String(f.ended)) : null,
        pressure_class: f.pressure_class,
        garment: f.garment,
        legs: f.legs,
      };
    case 'elevations':
      return { started_at: fromLocalInput(String(f.started)), duration_minutes: Number(f.duration_minutes), above_heart: f.above_heart === true };
    default:
      return { taken_at: fromLocalInput(String(f.taken)), volume_ml: Number(f.volume_ml) };
  }
}

export function SimpleFields(p: {
  collection: Collection;
  value: SimpleForm;
  onChange: (update: (prev: SimpleForm) => SimpleForm) => void;
  errors: FieldErrors;
}) {
  const v = p.value;
  const set = (patch: SimpleForm) => p.onChange((prev) => ({ ...prev, ...patch }));
  if (p.collection === 'compression') {
    return (
      <>
        <TextField label={S.fields.started} name="started_at" type="datetime-local" value={String(v.started)} onValue={(started) => set({ started })} errors={p.errors} />
        <TextField label={S.fields.ended} name="ended_at" type="datetime-local" value={String(v.ended)} onValue={(ended) => set({ ended })} errors={p.errors} hint={S.fields.stillWearing + ': ' + S.optional} />
        <Select label={S.fields.pressureClass} name="pressure_class" value={String(v.pressure_class)} options={PRESSURES} onValue={(pressure_class) => set({ pressure_class })} errors={p.errors} />
        <Select label={S.fields.garment} name="garment" value={String(v.garment)} options={GARMENTS} onValue={(garment) => set({ garment })} errors={p.errors} />
        <Choice legend={S.fields.legs} name="legs" options={SIDES} value={String(v.legs)} onValue={(legs) => set({ legs })} errors={p.errors} columns={3} />
      </>
    );
  }
  if (p.collection === 'elevations') {
    return (
      <>
        <TextField label={S.fields.started} name="started_at" type="datetime-local" value={String(v.started)} onValue={(started) => set({ started })} errors={p.errors} />
        <TextField label={S.fields.durationMinutes} name="duration_minutes" type="number" inputMode="numeric" min={1} max={240} value={String(v.duration_minutes)} onValue={(x) => set({ duration_minutes: Number(x) })} errors={p.errors} />
        <Checkbox label={S.fields.aboveHeart} name="above_heart" checked={v.above_heart === true} onValue={(above_heart) => set({ above_heart })} errors={p.errors} />
      </>
    );
  }
  return (
    <>
      <TextField label={S.fields.when} name="taken_at" type="datetime-local" value={String(v.taken)} onValue={(taken) => set({ taken })} errors={p.errors} />
      <TextField label={S.fields.volume} name="volume_ml" type="number" inputMode="numeric" min={1} max={3000} value={String(v.volume_ml)} onValue={(x) => set({ volume_ml: Number(x) })} errors={p.errors} />
    </>
  );
}
