// Every record kind, one module each: to add a kind, write its module, list it here and in segments.ts
// (its URL segment and time field), and give it its words in strings.ts.

import type { Column } from '../logic/entryColumns';
import { checkin } from './checkin';
import { compression } from './compression';
import { cramp } from './cramp';
import { elevation } from './elevation';
import { factorEntry } from './factorEntry';
import { hydration } from './hydration';
import type { Data, Kind } from './kind';
import { medication } from './medication';
import { COLLECTIONS, type Collection } from './segments';

// Each kind's form type is its own; a caller holds the form it got from the same kind it gives it back to.
export type AnyKind = Kind<any>;

/** Every kind by its segment; `satisfies` makes a kind missing here an error (tests/kinds.test.ts: under its own). */
export const KIND = {
  cramps: cramp,
  compression,
  elevations: elevation,
  hydration,
  checkins: checkin,
  medications: medication,
  'factor-entries': factorEntry,
} satisfies Record<Collection, AnyKind>;

export function kindOf(collection: Collection): AnyKind {
  return KIND[collection];
}

/** One line of plain words for a diary entry (History, the waiting list). */
export function describe(collection: Collection, data: Data): string {
  return kindOf(collection).describe(data);
}

/** The clinician's entries table, per kind. */
export const ENTRY_COLUMNS: Record<Collection, Column[]> = Object.fromEntries(COLLECTIONS.map((c) => [c, KIND[c].columns])) as Record<
  Collection,
  Column[]
>;

export type { BodyMode, Data, FieldsProps, Kind } from './kind';
export { COLLECTIONS, DATED_BY_DAY, TIME_FIELD, type Collection, type Segment } from './segments';
