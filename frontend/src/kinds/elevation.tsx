// Legs raised: History's editor and line, and the clinician's columns (Today logs one with a tap).

import { text, whenColumn, yesNo } from '../logic/entryColumns';
import { fromLocalInput } from '../logic/time';
import { strings } from '../strings';
import { Checkbox, TextField } from '../ui/form';
import { localOf, type Data, type FieldsProps, type Kind } from './kind';

const S = strings;
const H = strings.history;
const C = strings.clinician;

export interface ElevationForm {
  started: string;
  duration_minutes: number;
  above_heart: boolean;
}

function fromData(d: Data): ElevationForm {
  return { started: localOf(d.started_at), duration_minutes: Number(d.duration_minutes ?? 15), above_heart: d.above_heart === true };
}

function toBody(f: ElevationForm): Data {
  return { started_at: fromLocalInput(f.started), duration_minutes: Number(f.duration_minutes), above_heart: f.above_heart === true };
}

function ElevationFields(p: FieldsProps<ElevationForm>) {
  const v = p.value;
  const set = (patch: Partial<ElevationForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  return (
    <>
      <TextField label={S.fields.started} name="started_at" type="datetime-local" value={v.started} onValue={(started) => set({ started })} errors={p.errors} />
      <TextField label={S.fields.durationMinutes} name="duration_minutes" type="number" inputMode="numeric" min={1} max={240} value={String(v.duration_minutes)} onValue={(x) => set({ duration_minutes: Number(x) })} errors={p.errors} />
      <Checkbox label={S.fields.aboveHeart} name="above_heart" checked={v.above_heart === true} onValue={(above_heart) => set({ above_heart })} errors={p.errors} />
    </>
  );
}

export const elevation: Kind<ElevationForm> = {
  collection: 'elevations',
  name: H.kinds.elevations,
  filterName: H.filterKinds.elevations,
  tableName: C.kinds.elevations,
  fromData,
  toBody,
  EditFields: ElevationFields,
  describe: (d) => H.elevationSummary(Number(d.duration_minutes ?? 0), d.above_heart === true),
  columns: [
    whenColumn('started_at'),
    { key: 'duration_minutes', head: C.colMinutes, cell: (r) => text(r.duration_minutes) },
    { key: 'above_heart', head: C.colAboveHeart, cell: (r) => yesNo(r.above_heart) },
  ],
};
