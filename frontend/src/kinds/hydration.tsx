// Drinks: History's editor and line, and the clinician's columns (Today logs a glass with a tap).

import { text, whenColumn } from '../logic/entryColumns';
import { fromLocalInput } from '../logic/time';
import { strings } from '../strings';
import { TextField } from '../ui/form';
import { localOf, type Data, type FieldsProps, type Kind } from './kind';

const S = strings;
const H = strings.history;
const C = strings.clinician;

export interface HydrationForm {
  taken: string;
  volume_ml: number;
}

function fromData(d: Data): HydrationForm {
  return { taken: localOf(d.taken_at), volume_ml: Number(d.volume_ml ?? 250) };
}

function toBody(f: HydrationForm): Data {
  return { taken_at: fromLocalInput(f.taken), volume_ml: Number(f.volume_ml) };
}

function HydrationFields(p: FieldsProps<HydrationForm>) {
  const v = p.value;
  const set = (patch: Partial<HydrationForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  return (
    <>
      <TextField label={S.fields.when} name="taken_at" type="datetime-local" value={v.taken} onValue={(taken) => set({ taken })} errors={p.errors} />
      <TextField label={S.fields.volume} name="volume_ml" type="number" inputMode="numeric" min={1} max={3000} value={String(v.volume_ml)} onValue={(x) => set({ volume_ml: Number(x) })} errors={p.errors} />
    </>
  );
}

export const hydration: Kind<HydrationForm> = {
  collection: 'hydration',
  name: H.kinds.hydration,
  filterName: H.filterKinds.hydration,
  tableName: C.kinds.hydration,
  fromData,
  toBody,
  EditFields: HydrationFields,
  describe: (d) => H.hydrationSummary(Number(d.volume_ml ?? 0)),
  columns: [whenColumn('taken_at'), { key: 'volume_ml', head: C.colVolume, cell: (r) => text(r.volume_ml) }],
};
