// Factor entries (a tag tapped on Today, "Coffee" at 08:10): History's editor and line, and the clinician's
// columns. The entry names its tag by id; the names come from the tags on screen (data/tagNames.ts).

import { tagName, tagNames } from '../data/tagNames';
import { text, whenColumn } from '../logic/entryColumns';
import { fromLocalInput } from '../logic/time';
import { useStore } from '../store';
import { strings } from '../strings';
import { Select, TextArea, TextField } from '../ui/form';
import { localOf, type BodyMode, type Data, type FieldsProps, type Kind } from './kind';

const S = strings;
const H = strings.history;
const C = strings.clinician;

export interface FactorEntryForm {
  occurred: string;
  factor: string;
  notes: string;
}

function fromData(d: Data): FactorEntryForm {
  return { occurred: localOf(d.occurred_at), factor: typeof d.factor === 'string' ? d.factor : '', notes: typeof d.notes === 'string' ? d.notes : '' };
}

export function factorEntryToBody(f: FactorEntryForm, mode: BodyMode = 'new'): Data {
  const body: Data = { occurred_at: fromLocalInput(f.occurred), factor: f.factor };
  if (f.notes.trim() || mode === 'edit') body.notes = f.notes.trim();
  return body;
}

function FactorEntryFields(p: FieldsProps<FactorEntryForm>) {
  const v = p.value;
  const { names } = useStore(tagNames);
  const set = (patch: Partial<FactorEntryForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  const options = Object.entries(names)
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  // A tag since deleted or not on this phone stays chosen under a plain word rather than vanish from the box.
  if (v.factor && !names[v.factor]) options.unshift({ value: v.factor, label: C.unknownFactor });
  return (
    <>
      <Select label={C.colFactor} name="factor" value={v.factor} options={options} onValue={(factor) => set({ factor })} errors={p.errors} />
      <TextField label={S.fields.when} name="occurred_at" type="datetime-local" value={v.occurred} onValue={(occurred) => set({ occurred })} errors={p.errors} />
      <TextArea label={S.fields.notes} name="notes" value={v.notes} onValue={(notes) => set({ notes })} errors={p.errors} />
    </>
  );
}

export const factorEntry: Kind<FactorEntryForm> = {
  collection: 'factor-entries',
  name: H.kinds['factor-entries'],
  filterName: H.filterKinds['factor-entries'],
  tableName: C.kinds['factor-entries'],
  fromData,
  toBody: factorEntryToBody,
  EditFields: FactorEntryFields,
  describe: (d) => H.factorSummary(tagName(d.factor)),
  columns: [
    whenColumn('occurred_at'),
    { key: 'factor', head: C.colFactor, cell: (r) => tagName(r.factor) ?? C.unknownFactor },
    { key: 'notes', head: C.colNotes, cell: (r) => text(r.notes) },
  ],
};
