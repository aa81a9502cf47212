// The record kinds by URL segment, with the field each is dated by (lists are filtered and sorted on it).
// Plain data, safe for the service worker; everything else about a kind is in its module here (index.ts).

export const TIME_FIELD = {
  cramps: 'started_at',
  compression: 'started_at',
  elevations: 'started_at',
  hydration: 'taken_at',
  checkins: 'recorded_at',
} as const satisfies Record<string, string>;

export type Collection = keyof typeof TIME_FIELD;

export const COLLECTIONS = Object.keys(TIME_FIELD) as Collection[];
