// Compression stockings worn: History's editor and line, and the clinician's columns (Today puts them on and
// takes them off with one tap each).

import { hoursBetween, text, timeCell, whenColumn } from '../logic/entryColumns';
import { formatTime, fromLocalInput } from '../logic/time';
import { strings } from '../strings';
import { Choice, Select, TextField } from '../ui/form';
import { SIDES, localOf, opts, type Data, type FieldsProps, type Kind } from './kind';

const S = strings;
const H = strings.history;
const C = strings.clinician;

export const GARMENTS = opts(S.garment, ['knee', 'thigh', 'pantyhose']);
export const PRESSURES = opts(S.pressure, ['15-20', '20-30', '30-40', '40-50']);

export interface CompressionForm {
  started: string;
  /** '' while still worn. */
  ended: string;
  pressure_class: string;
  garment: string;
  legs: string;
}

function fromData(d: Data): CompressionForm {
  return {
    started: localOf(d.started_at),
    ended: typeof d.ended_at === 'string' && d.ended_at ? localOf(d.ended_at) : '',
    pressure_class: String(d.pressure_class ?? '15-20'),
    garment: String(d.garment ?? 'knee'),
    legs: String(d.legs ?? 'both'),
  };
}

function toBody(f: CompressionForm): Data {
  return {
    started_at: fromLocalInput(f.started),
    ended_at: f.ended ? fromLocalInput(f.ended) : null,
    pressure_class: f.pressure_class,
    garment: f.garment,
    legs: f.legs,
  };
}

function CompressionFields(p: FieldsProps<CompressionForm>) {
  const v = p.value;
  const set = (patch: Partial<CompressionForm>) => p.onChange((prev) => ({ ...prev, ...patch }));
  return (
    <>
      <TextField label={S.fields.started} name="started_at" type="datetime-local" value={v.started} onValue={(started) => set({ started })} errors={p.errors} />
      <TextField label={S.fields.ended} name="ended_at" type="datetime-local" value={v.ended} onValue={(ended) => set({ ended })} errors={p.errors} hint={S.fields.stillWearing + ': ' + S.optional} />
      <Select label={S.fields.pressureClass} name="pressure_class" value={v.pressure_class} options={PRESSURES} onValue={(pressure_class) => set({ pressure_class })} errors={p.errors} />
      <Select label={S.fields.garment} name="garment" value={v.garment} options={GARMENTS} onValue={(garment) => set({ garment })} errors={p.errors} />
      <Choice legend={S.fields.legs} name="legs" options={SIDES} value={v.legs} onValue={(legs) => set({ legs })} errors={p.errors} columns={3} />
    </>
  );
}

function describe(d: Data): string {
  return H.compressionSummary(
    S.garment[String(d.garment)] ?? String(d.garment),
    S.pressure[String(d.pressure_class)] ?? String(d.pressure_class),
    d.ended_at ? H.compressionUntil(formatTime(String(d.ended_at))) : H.compressionOpen,
  );
}

export const compression: Kind<CompressionForm> = {
  collection: 'compression',
  name: H.kinds.compression,
  filterName: H.filterKinds.compression,
  tableName: C.kinds.compression,
  fromData,
  toBody,
  EditFields: CompressionFields,
  describe,
  columns: [
    whenColumn('started_at'),
    { key: 'ended_at', head: C.colUntil, zoned: true, cell: (r, locale, timeZone) => timeCell(r.ended_at, locale, timeZone, r.timezone) ?? C.stillOn },
    { key: 'hours', head: C.colWorn, cell: (r) => hoursBetween(r.started_at, r.ended_at) },
    { key: 'garment', head: C.colGarment, cell: (r) => S.garment[String(r.garment)] ?? text(r.garment) },
    { key: 'pressure_class', head: C.colPressure, cell: (r) => S.pressure[String(r.pressure_class)] ?? text(r.pressure_class) },
    { key: 'legs', head: C.colLegs, cell: (r) => S.side[String(r.legs)] ?? text(r.legs) },
  ],
};
