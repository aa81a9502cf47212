// The record kinds by URL segment, with the field each is dated by (lists are filtered and sorted on it).
// Plain data, safe for the service worker; everything else about a kind is in its module here (index.ts).

export const TIME_FIELD = {
  cramps: 'started_at',
  compression: 'started_at',
  elevations: 'started_at',
  hydration: 'taken_at',
  checkins: 'recorded_at',
  medications: 'started_on',
  'factor-entries': 'occurred_at',
} as const satisfies Record<string, string>;

export type Collection = keyof typeof TIME_FIELD;

export const COLLECTIONS = Object.keys(TIME_FIELD) as Collection[];

/** Kinds dated by a day (YYYY-MM-DD, already the patient's own date), not an instant: no clock time to show. */
export const DATED_BY_DAY: readonly Collection[] = ['medications'];

/** What the offline queue sends: the record kinds, and the patient's own factor tags (/factors/, a plain list). */
export type Segment = Collection | 'factors';
