// What every record kind declares (one module per kind here, listed in index.ts), and the helpers their
// forms share: the History editor, the descriptions and the clinician's table look a kind up, never switch.

import type { JSX } from 'preact';
import type { Column } from '../logic/entryColumns';
import type { RedFlag } from '../logic/history';
import { toLocalInput } from '../logic/time';
import { strings } from '../strings';
import type { FieldErrors, Option } from '../ui/form';
import type { Collection } from './segments';

export type Data = Record<string, unknown>;

/** "new": leave unanswered fields out of the body; "edit": send them as null (a PATCH then clears them). */
export type BodyMode = 'new' | 'edit';

export interface FieldsProps<F> {
  value: F;
  onChange: (update: (prev: F) => F) => void;
  errors: FieldErrors;
}

export interface Kind<F> {
  /** The URL segment (/api/v1/<collection>/), the kind's name everywhere in the app. */
  collection: Collection;
  /** One entry's name: History's rows, the waiting list, the editor's title. */
  name: string;
  /** The History filter's choice for this kind. */
  filterName: string;
  /** The clinician's entries table's choice for this kind. */
  tableName: string;
  /** A record (as the server or the queue has it) as the form shows it. */
  fromData: (data: Data) => F;
  /** The form as a request body. */
  toBody: (form: F, mode: BodyMode) => Data;
  /** The History editor's fields. */
  EditFields: (props: FieldsProps<F>) => JSX.Element;
  /** One line of plain words for History and the waiting list. */
  describe: (data: Data) => string;
  /** The clinician's entries table. */
  columns: Column[];
  /** The warning signs History shows above an entry's description; none when a kind has none. */
  redFlags?: (data: Data) => Array<{ flag: RedFlag; urgent: boolean }>;
}

export function opts<T extends string>(map: Record<string, string>, keys: T[]): Array<Option<T>> {
  return keys.map((k) => ({ value: k, label: map[k] }));
}

export const SIDES = opts(strings.side, ['left', 'right', 'both']);

/** The 0–10 scale as a row of numbers: unlike a slider, it can show that nothing is chosen yet. */
export const SCALE: Array<Option<number>> = Array.from({ length: 11 }, (_, n) => ({ value: n, label: String(n) }));
export const SCALE_COLUMNS = 4;

/** A record's time for a datetime-local box; now when it has none. */
export function localOf(iso: unknown): string {
  if (typeof iso !== 'string' || !iso) return toLocalInput(new Date());
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? toLocalInput(new Date()) : toLocalInput(d);
}

export function numOrNull(text: string): number | null {
  if (!text.trim()) return null;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

// --- Not said ---
// A question the patient did not answer is `null` in the form: nothing is chosen when a form opens, a new
// entry's body leaves it out (the server stores "not said"), and an edit sends `null` so a cleared answer is
// cleared. Defaults would be answers nobody gave (issue 14).

export function putSaid(body: Data, said: Record<string, unknown>, mode: BodyMode): void {
  for (const [key, value] of Object.entries(said)) {
    if (value !== null || mode === 'edit') body[key] = value;
  }
}

export function numberOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

export function choiceOrNull(x: unknown): string | null {
  return typeof x === 'string' && x ? x : null;
}

/** The word for a chosen value, or null when it was not said. */
export function said(v: unknown, words: Record<string, string>): string | null {
  if (typeof v !== 'string' || !v) return null;
  return words[v] ?? v;
}
