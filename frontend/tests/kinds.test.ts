import { describe, expect, it } from 'vitest';
import { COLLECTIONS, DATED_BY_DAY, KIND, TIME_FIELD, kindOf } from '../src/kinds';

describe('the record kinds', () => {
  it('list each kind under its own URL segment', () => {
    for (const c of COLLECTIONS) expect(kindOf(c).collection).toBe(c);
    expect(Object.keys(KIND).sort()).toEqual([...COLLECTIONS].sort());
  });

  it('give every kind a name, a filter choice, a table choice and a time column first', () => {
    for (const c of COLLECTIONS) {
      const kind = kindOf(c);
      expect([kind.name, kind.filterName, kind.tableName].every((s) => typeof s === 'string' && s.length > 0)).toBe(true);
      expect(kind.columns[0].key).toBe(TIME_FIELD[c]);
    }
  });

  it("send an edit's body back dated by the kind's own time field", () => {
    const at = '2026-03-03T07:30:00Z';
    for (const c of COLLECTIONS) {
      const kind = kindOf(c);
      if (DATED_BY_DAY.includes(c)) {
        // A day stays that day: no instant, so no zone can move it.
        expect(kind.toBody(kind.fromData({ [TIME_FIELD[c]]: '2026-03-03' }), 'edit')[TIME_FIELD[c]]).toBe('2026-03-03');
        continue;
      }
      const body = kind.toBody(kind.fromData({ [TIME_FIELD[c]]: at }), 'edit');
      expect(new Date(String(body[TIME_FIELD[c]])).toISOString()).toBe('2026-03-03T07:30:00.000Z');
    }
  });
});
