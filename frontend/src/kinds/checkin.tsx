// Check-ins: the form (the Log screen's and History's), its body, History's line and warning signs, and the
// clinician's columns.

import { checkinSigns, cm, saidText, swellingWord, text, whenColumn } from '../logic/entryColumns';
import { redFlags } from '../logic/history';
import { fromLocalInput } from '../logic/time';
import { strings } from '../strings';
import { Checkbox, Choice, TextArea, TextField, type FieldErrors } from '../ui/form';
import { SCALE, SCALE_COLUMNS, localOf, numOrNull, numberOrNull, putSaid, type BodyMode, type Data, type Kind } from './kind';

const S = strings;
const H = strings.history;
const C = strings.clinician;

type Site = 'calf' | 'ankle';

function siteOrNull(x: unknown): Site | null {
  return x === 'calf' || x === 'ankle' ? x : null;
}

export interface CheckinForm {
  recorded: string;
  cramps_last_night: 'none' | 'some' | 'unsaid';
  swelling_left: number | null;
  swelling_right: number | null;
  circumference_left_cm: string;
  circumference_right_cm: string;
  /** Where each leg was measured; null: not said (never defaulted: a site not said compares nothing). */
  circumference_site_left: Site | null;
  circumference_site_right: Site | null;
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
    circumference_site_left: siteOrNull(d.circumference_site_left),
    circumference_site_right: siteOrNull(d.circumference_site_right),
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
  putSaid(body, { circumference_site_left: f.circumference_site_left, circumference_site_right: f.circumference_site_right }, mode);
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
const SITES: Array<{ value: Site; label: string }> = (['calf', 'ankle'] as const).map((value) => ({ value, label: S.checkin.sites[value] }));

export function CheckinFields(p: {
  value: CheckinForm;
  onChange: (update: (prev: CheckinForm) => CheckinForm) => void;
  errors: FieldErrors;
  showTime?: boolean;
}) {
  const v = p.value;
  const c = S.checkin;
  const set = (patch: Partial<CheckinForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  const clear = (
    key: 'swelling_left' | 'swelling_right' | 'heaviness' | 'aching' | 'itching' | 'circumference_site_left' | 'circumference_site_right',
  ) => ({ label: S.clearAnswer, onClear: () => set({ [key]: null }) });
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
        <p class="hint">{c.siteHint}</p>
        <TextField label={c.circumferenceLeft} name="circumference_left_cm" type="number" inputMode="decimal" step="0.1" min={10} max={80} value={v.circumference_left_cm} onValue={(x) => set({ circumference_left_cm: x })} errors={p.errors} />
        <Choice legend={c.circumferenceSiteLeft} name="circumference_site_left" options={SITES} value={v.circumference_site_left} onValue={(circumference_site_left) => set({ circumference_site_left })} errors={p.errors} columns={2} testid="site-left" clear={clear('circumference_site_left')} />
        <TextField label={c.circumferenceRight} name="circumference_right_cm" type="number" inputMode="decimal" step="0.1" min={10} max={80} value={v.circumference_right_cm} onValue={(x) => set({ circumference_right_cm: x })} errors={p.errors} />
        <Choice legend={c.circumferenceSiteRight} name="circumference_site_right" options={SITES} value={v.circumference_site_right} onValue={(circumference_site_right) => set({ circumference_site_right })} errors={p.errors} columns={2} testid="site-right" clear={clear('circumference_site_right')} />
      </fieldset>
      {p.showTime && <TextField label={S.fields.when} name="recorded_at" type="datetime-local" value={v.recorded} onValue={(recorded) => set({ recorded })} errors={p.errors} />}
      <TextArea label={S.fields.notes} name="notes" value={v.notes} onValue={(notes) => set({ notes })} errors={p.errors} />
    </>
  );
}

/** " (calf)" after a measurement whose site was said, else nothing. */
function siteWord(x: unknown): string {
  const site = siteOrNull(x);
  return site ? ` (${S.checkin.sites[site].toLowerCase()})` : '';
}

function describe(d: Data): string {
  const words = S.checkin.swellingWords;
  const swelling = (v: unknown) => H.checkinSwelling(typeof v === 'number' && words[v] ? words[v].toLowerCase() : null);
  return H.checkinSummary(swelling(d.swelling_left), swelling(d.swelling_right), H.checkinCramps[String(d.cramps_last_night)] ?? '');
}

export const checkin: Kind<CheckinForm> = {
  collection: 'checkins',
  name: H.kinds.checkins,
  filterName: H.filterKinds.checkins,
  tableName: C.kinds.checkins,
  fromData: checkinFromData,
  toBody: checkinToBody,
  EditFields: (p) => <CheckinFields {...p} showTime />,
  describe,
  redFlags,
  columns: [
    whenColumn('recorded_at'),
    {
      key: 'cramps_last_night',
      head: C.colCrampsLastNight,
      cell: (r) => (r.cramps_last_night === 'some' ? C.yes : r.cramps_last_night === 'none' ? C.no : C.dash),
    },
    { key: 'swelling', head: C.colSwelling, cell: (r) => `${swellingWord(r.swelling_left)} / ${swellingWord(r.swelling_right)}` },
    {
      key: 'circumference',
      head: C.colCircumference,
      cell: (r) =>
        r.circumference_left_cm == null && r.circumference_right_cm == null
          ? C.dash
          : `${cm(r.circumference_left_cm)}${siteWord(r.circumference_site_left)} / ${cm(r.circumference_right_cm)}${siteWord(r.circumference_site_right)}`,
    },
    { key: 'symptoms', head: C.colSymptoms, cell: (r) => `${saidText(r.heaviness)} / ${saidText(r.aching)} / ${saidText(r.itching)}` },
    { key: 'signs', head: C.colSigns, cell: (r) => checkinSigns(r) },
    { key: 'notes', head: C.colNotes, cell: (r) => text(r.notes) },
  ],
};
