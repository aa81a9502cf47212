// Issue 18 part 2 on the phone: a medicine's body and checks (no default start), its day in History, the
// factor tags (the list with the queue, suggestions, names, a refused delete) and their trip through the queue.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FACTORS_KEY, idbQueueStore, kvGet, kvSet, storeSentRecord, wipeDb } from '../src/db/db';
import { setTagNames } from '../src/data/tagNames';
import { describe as describeEntry, kindOf } from '../src/kinds';
import { medicationFromData, medicationProblems, medicationToBody, stoppedToday } from '../src/kinds/medication';
import { deleteRefusal, factorEntryBody, mergeTags, nameProblem, suggestedTags } from '../src/logic/factors';
import { groupByDay } from '../src/logic/history';
import { formatLocalDate } from '../src/logic/time';
import { itemUrl } from '../src/sync/http';
import { SyncQueue, memoryLock, type QueueItem, type SendResult } from '../src/sync/queue';

const SUGGESTED = ['Coffee', 'Alcohol', 'Long standing', 'A long walk'];

const bendro = {
  name: 'Bendroflumethiazide',
  drug_class: 'diuretic',
  dose: '2.5 mg',
  schedule: 'regular',
  started_on: '2026-11-03',
  stopped_on: null,
  notes: '',
};

describe('alice adding a medicine', () => {
  it('starts from a blank form: no start date, no kind and no schedule chosen for her', () => {
    const blank = medicationFromData({});
    expect(blank).toMatchObject({ started_on: '', drug_class: null, schedule: null, stopped_on: '' });
    expect(Object.keys(medicationProblems(blank, '2026-11-20')).sort()).toEqual(['drug_class', 'name', 'schedule', 'started_on']);
  });

  it('leaves out of a new body what she did not say (dose, notes, a stop)', () => {
    const form = { ...medicationFromData(bendro), dose: '  ', notes: '' };
    expect(medicationToBody(form, 'new')).toEqual({ name: 'Bendroflumethiazide', drug_class: 'diuretic', schedule: 'regular', started_on: '2026-11-03' });
  });

  it('clears on an edit what she emptied, and a stop taken back is sent as null', () => {
    const form = { ...medicationFromData({ ...bendro, stopped_on: '2026-11-10', dose: '2.5 mg' }), dose: '', stopped_on: '' };
    expect(medicationToBody(form, 'edit')).toMatchObject({ dose: '', stopped_on: null, notes: '' });
  });

  it('refuses a start after her today, and a stop before the start or after today', () => {
    const ok = medicationFromData(bendro);
    expect(medicationProblems(ok, '2026-11-20')).toEqual({});
    expect(medicationProblems({ ...ok, started_on: '2026-11-21' }, '2026-11-20')).toHaveProperty('started_on');
    expect(medicationProblems({ ...ok, stopped_on: '2026-11-02' }, '2026-11-20')).toHaveProperty('stopped_on');
    expect(medicationProblems({ ...ok, stopped_on: '2026-11-21' }, '2026-11-20')).toHaveProperty('stopped_on');
    expect(medicationProblems({ ...ok, stopped_on: '2026-11-03' }, '2026-11-20')).toEqual({});
  });

  it('"Stopped taking it" puts in her today, in her zone, not the phone\'s or UTC', () => {
    const lateEvening = new Date('2026-11-04T03:30:00Z'); // 22:30 on the 3rd in New York, the 4th in Berlin
    const form = medicationFromData(bendro);
    expect(stoppedToday(form, lateEvening, 'America/New_York').stopped_on).toBe('2026-11-03');
    expect(stoppedToday(form, lateEvening, 'Europe/Berlin').stopped_on).toBe('2026-11-04');
  });

  it('reads in History as the medicine, its kind in plain words, and since when', () => {
    // The dates in the device's own words ("3 Nov 2026", "Nov 3, 2026"), never shifted a day by a zone.
    const nov3 = formatLocalDate('2026-11-03');
    expect(nov3).toMatch(/\b3\b/);
    expect(describeEntry('medications', bendro)).toBe(`Bendroflumethiazide 2.5 mg: Water tablet (diuretic), regularly, since ${nov3}`);
    expect(describeEntry('medications', { ...bendro, dose: '', stopped_on: '2026-12-01' })).toBe(
      `Bendroflumethiazide: Water tablet (diuretic), regularly, from ${nov3} to ${formatLocalDate('2026-12-01')}`,
    );
  });

  it('sits in History on the day she started it, wherever she lives (a day is not UTC midnight)', () => {
    const entries = [{ at: '2026-11-03T15:00:00Z' }, { at: '2026-11-03' }];
    expect(groupByDay(entries, 'America/New_York').map((g) => [g.date, g.entries.length])).toEqual([['2026-11-03', 2]]);
  });

  it('shows the clinician its start as a date, unzoned, and "Still taken" while no stop is set', () => {
    const cols = kindOf('medications').columns;
    expect(cols[0].cell(bendro, 'en-GB', 'America/New_York')).toBe('3 Nov 2026');
    expect(cols.find((c) => c.key === 'stopped_on')!.cell(bendro)).toBe('Still taken');
  });
});

describe("alice's factor tags", () => {
  const coffee = { id: 'f-coffee', name: 'Coffee' };
  const queued = (over: Partial<QueueItem>): QueueItem => ({
    key: over.recordId ?? 'k',
    collection: 'factors',
    method: 'POST',
    recordId: 'r',
    body: {},
    createdAt: 1,
    rev: 0,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    ...over,
  });

  it('are the server\'s list with what waits in the queue: a tag made offline, a rename, a delete', () => {
    const tags = mergeTags(
      [coffee, { id: 'f-wine', name: 'Wine' }],
      [
        queued({ recordId: 'f-walk', body: { id: 'f-walk', name: 'A long walk' }, createdAt: 1 }),
        queued({ key: 'p', method: 'PATCH', recordId: 'f-coffee', body: { name: 'Strong coffee' }, createdAt: 2 }),
        queued({ key: 'd', method: 'DELETE', recordId: 'f-wine', createdAt: 3 }),
        queued({ key: 'e', collection: 'factor-entries', recordId: 'e1', body: { factor: 'f-walk' }, createdAt: 4 }),
      ],
    );
    expect(tags).toEqual([
      { id: 'f-walk', name: 'A long walk', unsent: true },
      { id: 'f-coffee', name: 'Strong coffee', unsent: false },
    ]);
  });

  it('start as suggestions for a new patient, nothing stored: the list is hers only', () => {
    expect(suggestedTags(SUGGESTED, [], []).map((s) => s.name)).toEqual(SUGGESTED);
  });

  it('stop suggesting a name she has made hers (in any case) or put away', () => {
    expect(suggestedTags(SUGGESTED, [{ id: 'x', name: 'coffee ' }], ['Alcohol']).map((s) => s.name)).toEqual(['Long standing', 'A long walk']);
  });

  it('stop suggesting at all once she has a list of her own', () => {
    const four = ['Cheese', 'Wine', 'Gardening', 'Stairs'].map((name, i) => ({ id: String(i), name }));
    expect(suggestedTags(SUGGESTED, four, [])).toEqual([]);
  });

  it('refuse an empty name, one too long, and a second "Coffee" (but a rename may keep its own name)', () => {
    expect(nameProblem('  ', [coffee])).toBe('empty');
    expect(nameProblem('x'.repeat(61), [coffee])).toBe('tooLong');
    expect(nameProblem('COFFEE', [coffee])).toBe('taken');
    expect(nameProblem('Coffee', [coffee], 'f-coffee')).toBeNull();
    expect(nameProblem('Tea', [coffee])).toBeNull();
  });

  it('log a tap now, as an instant', () => {
    expect(factorEntryBody('f-coffee', new Date('2026-11-20T08:10:00Z'))).toEqual({ factor: 'f-coffee', occurred_at: '2026-11-20T08:10:00.000Z' });
  });

  it('read in History by their name, and plainly while the name is not on the phone', () => {
    setTagNames([coffee]);
    expect(describeEntry('factor-entries', { factor: 'f-coffee', occurred_at: '2026-11-20T08:10:00Z' })).toBe('Coffee');
    expect(describeEntry('factor-entries', { factor: 'f-gone' })).toBe('A tag whose name is not on this phone yet');
  });
});

describe('deleting a tag that entries carry (409)', () => {
  it("says the server's own words and offers its count", () => {
    expect(deleteRefusal('3 entries carry this factor.', 'fallback', 1, false)).toEqual({ message: '3 entries carry this factor.', count: 3 });
  });

  it("counts the phone's entries only when the phone holds them all", () => {
    expect(deleteRefusal(undefined, 'This tag is on entries in your diary.', 2, true)).toEqual({ message: 'This tag is on entries in your diary.', count: 2 });
    expect(deleteRefusal('Entries carry this factor.', 'fallback', 2, false)).toEqual({ message: 'Entries carry this factor.', count: null });
  });
});

describe('a tag made offline and tapped, through the queue', () => {
  let dbName: string;
  let ids = 0;
  const uuid = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

  beforeEach(() => {
    dbName = `factors-${Math.random().toString(36).slice(2)}`;
  });
  afterEach(async () => {
    await wipeDb(dbName);
  });

  it('goes to /factors/ first with its own id, then the entry naming it', async () => {
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => ({ status: 201, body: item.body }));
    const q = new SyncQueue({ store: idbQueueStore(dbName), send, lock: memoryLock(), uuid });
    const tagId = '11111111-1111-4111-8111-111111111111';
    await q.enqueue({ collection: 'factors', method: 'POST', body: { id: tagId, name: 'Coffee' } });
    await q.enqueue({ collection: 'factor-entries', method: 'POST', body: factorEntryBody(tagId, new Date('2026-11-20T08:10:00Z')) });
    await q.sync();
    expect(send.mock.calls.map(([i]) => [itemUrl(i), i.body.id ?? null])).toEqual([
      ['/api/v1/factors/', tagId],
      ['/api/v1/factor-entries/', expect.any(String)],
    ]);
    expect(send.mock.calls[1][0].body.factor).toBe(tagId);
  });

  it('keeps the cached tags in step with what the server accepted', async () => {
    await kvSet(FACTORS_KEY, [{ id: 'a', name: 'Wine' }], dbName);
    await storeSentRecord('factors', 'POST', 'b', { id: 'b', name: 'Coffee' }, dbName);
    await storeSentRecord('factors', 'PATCH', 'a', { id: 'a', name: 'Red wine' }, dbName);
    expect(await kvGet(FACTORS_KEY, dbName)).toEqual([
      { id: 'b', name: 'Coffee' },
      { id: 'a', name: 'Red wine' },
    ]);
    await storeSentRecord('factors', 'DELETE', 'b', null, dbName);
    expect(await kvGet(FACTORS_KEY, dbName)).toEqual([{ id: 'a', name: 'Red wine' }]);
  });
});
