// Issue 14: History shows the whole diary. Paging the five kinds as one list without skipping or
// misordering, grouping by the patient's day, and a check-in's red flags.

import { describe, expect, it } from 'vitest';
import { completeDownTo, groupByDay, kindsToFetch, redFlags, relativeDay, shownEntries, type KindPages } from '../src/logic/history';

const at = (day: number, hour = 12) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

describe('how far down alice’s merged diary is complete', () => {
  it('stops at the newest “oldest loaded” of the kinds with more on the server', () => {
    // 150 cramps, 30 loaded down to 20 Nov; 3 water entries, all loaded (the oldest on 1 Nov).
    const kinds: KindPages[] = [
      { collection: 'cramps', oldest: at(20), more: true },
      { collection: 'hydration', oldest: at(1), more: false },
    ];
    expect(completeDownTo(kinds)).toBe(at(20));
    expect(kindsToFetch(kinds)).toEqual(['cramps']);
  });

  it('never shows a kind’s old entries before another kind’s newer ones not yet loaded', () => {
    const kinds: KindPages[] = [
      { collection: 'cramps', oldest: at(20), more: true },
      { collection: 'checkins', oldest: at(10), more: true },
    ];
    const entries = [{ at: at(25) }, { at: at(15) }, { at: at(11) }, { at: at(20) }];
    // Check-ins are loaded down to the 10th, but cramps only to the 20th: below the 20th a cramp may be missing.
    expect(shownEntries(entries, completeDownTo(kinds)).map((e) => e.at)).toEqual([at(25), at(20)]);
    expect(kindsToFetch(kinds)).toEqual(['cramps']);
  });

  it('fetches every kind that stops at the same instant', () => {
    const kinds: KindPages[] = [
      { collection: 'cramps', oldest: at(20), more: true },
      { collection: 'checkins', oldest: at(20), more: true },
      { collection: 'hydration', oldest: at(22), more: false },
    ];
    expect(kindsToFetch(kinds)).toEqual(['cramps', 'checkins']);
  });

  it('is the whole diary once no kind has more, shown newest first', () => {
    const kinds: KindPages[] = [
      { collection: 'cramps', oldest: at(1), more: false },
      { collection: 'checkins', oldest: '', more: false },
    ];
    expect(completeDownTo(kinds)).toBeNull();
    expect(kindsToFetch(kinds)).toEqual([]);
    expect(shownEntries([{ at: at(2) }, { at: at(9) }], null).map((e) => e.at)).toEqual([at(9), at(2)]);
  });

  it('keeps entries at the cut-off instant itself (the next page starts there too)', () => {
    expect(shownEntries([{ at: at(20) }, { at: at(19) }], at(20)).map((e) => e.at)).toEqual([at(20)]);
  });
});

describe('days of the diary', () => {
  it('group by the patient’s local day, not UTC’s', () => {
    // 23:30 UTC on 30 Nov is 00:30 on 1 Dec in Berlin and 18:30 on 30 Nov in New York.
    const entries = [{ at: '2026-11-30T23:30:00Z' }, { at: '2026-11-30T20:00:00Z' }];
    expect(groupByDay(entries, 'Europe/Berlin').map((g) => [g.date, g.entries.length])).toEqual([
      ['2026-12-01', 1],
      ['2026-11-30', 1],
    ]);
    expect(groupByDay(entries, 'America/New_York').map((g) => [g.date, g.entries.length])).toEqual([['2026-11-30', 2]]);
  });

  it('are headed today and yesterday on the patient’s clock', () => {
    const now = new Date('2026-12-01T00:30:00Z'); // 01:30 on 1 Dec in Berlin, 19:30 on 30 Nov in New York
    expect(relativeDay('2026-12-01', now, 'Europe/Berlin')).toBe('today');
    expect(relativeDay('2026-11-30', now, 'Europe/Berlin')).toBe('yesterday');
    expect(relativeDay('2026-11-30', now, 'America/New_York')).toBe('today');
    expect(relativeDay('2026-11-28', now, 'Europe/Berlin')).toBeNull();
  });
});

describe('a check-in’s red flags', () => {
  it('put chest pain or breathlessness first, as urgent', () => {
    expect(redFlags({ skin_changes: true, sudden_chest_pain_or_breathlessness: true })).toEqual([
      { flag: 'chest', urgent: true },
      { flag: 'skin_changes', urgent: false },
    ]);
  });

  it('list each sign ticked, and nothing for unticked or missing boxes', () => {
    expect(redFlags({ calf_pain_or_tenderness: true, sudden_onset: true, redness_or_warmth: false }).map((f) => f.flag)).toEqual([
      'calf_pain',
      'sudden_onset',
    ]);
    expect(redFlags({ swelling_left: 3, calf_pain_or_tenderness: false })).toEqual([]);
    expect(redFlags({})).toEqual([]);
  });
});

// --- paging against a fake server, on fake-indexeddb: every entry once, in order, whatever happens between pages ---

import { afterEach, beforeEach, vi } from 'vitest';
import type { Collection } from '../src/api/types';
import { allRecords, wipeDb } from '../src/db/db';
import { loadOlder, readExtents, refreshRecords } from '../src/data/entries';

type Row = { id: string; at: string };
const TIME: Record<string, string> = { cramps: 'started_at', hydration: 'taken_at', checkins: 'recorded_at', compression: 'started_at', elevations: 'started_at' };

function fakeServer(rows: Record<string, Row[]>) {
  // Newest first, `until` inclusive, page-number pages: as diary/api/records.py answers.
  return vi.fn(async (url: string) => {
    const u = new URL(url, 'http://app');
    const kind = u.pathname.split('/')[3];
    const until = u.searchParams.get('until');
    const size = Number(u.searchParams.get('page_size') ?? 50);
    const page = Number(u.searchParams.get('page') ?? 1);
    const all = (rows[kind] ?? []).filter((r) => !until || r.at <= until).sort((a, b) => b.at.localeCompare(a.at));
    const results = all.slice((page - 1) * size, page * size).map((r) => ({ id: r.id, [TIME[kind]]: r.at }));
    u.searchParams.set('page', String(page + 1));
    const next = page * size < all.length ? u.toString() : null;
    return new Response(JSON.stringify({ count: all.length, next, previous: null, results }), { status: 200 });
  });
}

const minutes = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();

async function pageToTheEnd(kinds: Collection[]) {
  for (let i = 0; i < 50; i += 1) {
    const extents = await readExtents();
    const pages = kinds.map((c) => ({ collection: c, oldest: extents[c]?.downTo ?? '', more: extents[c]?.more ?? true }));
    const fetch = kindsToFetch(pages);
    if (!fetch.length) return;
    await loadOlder(fetch);
  }
  throw new Error('paging did not end');
}

describe('alice’s History paging through 150 cramps and 3 drinks', () => {
  const kinds: Collection[] = ['cramps', 'hydration'];
  let rows: Record<string, Row[]>;

  beforeEach(async () => {
    await wipeDb();
    rows = {
      cramps: Array.from({ length: 150 }, (_, i) => ({ id: `c${i}`, at: minutes(i * 60) })),
      hydration: [0, 1, 2].map((i) => ({ id: `h${i}`, at: minutes(i * 3000 + 7) })),
    };
    vi.stubGlobal('fetch', fakeServer(rows));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('loads every entry exactly once, down to the start of the diary', async () => {
    await refreshRecords(kinds, true, true);
    await pageToTheEnd(kinds);
    const ids = (await allRecords()).map((r) => r.id).sort();
    expect(ids).toEqual([...rows.cramps, ...rows.hydration].map((r) => r.id).sort());
    const extents = await readExtents();
    expect(extents.cramps?.more).toBe(false);
    expect(completeDownTo(kinds.map((c) => ({ collection: c, oldest: extents[c]!.downTo, more: extents[c]!.more })))).toBeNull();
  });

  it('skips nothing when an entry is deleted on another phone between two pages', async () => {
    await refreshRecords(kinds, true, true);
    rows.cramps.splice(140, 1); // one of the 30 already loaded goes: page numbers would now skip one
    await pageToTheEnd(kinds);
    const ids = new Set((await allRecords()).map((r) => r.id));
    for (const r of rows.cramps) expect(ids.has(r.id)).toBe(true);
  });

  it('pages past fifty entries logged at one and the same instant', async () => {
    rows.cramps = Array.from({ length: 120 }, (_, i) => ({ id: `s${i}`, at: i < 80 ? minutes(10) : minutes(100 + i) }));
    vi.stubGlobal('fetch', fakeServer(rows));
    await refreshRecords(kinds, true, true);
    await pageToTheEnd(kinds);
    expect((await allRecords()).filter((r) => r.collection === 'cramps')).toHaveLength(120);
  });
});
