// What History and Today show: server records overlaid with the queue's pending, failed and conflicting work.
import { describe, expect, it } from 'vitest';
import { mergeEntries } from '../src/data/entries';
import type { StoredRecord } from '../src/db/db';
import type { QueueItem } from '../src/sync/queue';

const record = (id: string, at: string, data: Record<string, unknown> = {}): StoredRecord => ({
  id,
  collection: 'cramps',
  at,
  data: { id, started_at: at, severity: 5, ...data },
});

let n = 0;
const item = (over: Partial<QueueItem>): QueueItem => ({
  key: `k${++n}`,
  collection: 'cramps',
  method: 'POST',
  recordId: `r${n}`,
  body: {},
  createdAt: n,
  rev: 0,
  status: 'pending',
  attempts: 0,
  nextAttemptAt: 0,
  ...over,
});

describe('merged entries', () => {
  it('lists every kind newest first, unsent creates marked pending', () => {
    const entries = mergeEntries(
      [record('a', '2026-03-10T02:00:00Z'), { id: 'h', collection: 'hydration', at: '2026-03-10T09:00:00Z', data: { id: 'h', taken_at: '2026-03-10T09:00:00Z', volume_ml: 250 } }],
      [item({ key: 'n', recordId: 'n', body: { id: 'n', started_at: '2026-03-11T03:00:00Z', severity: 7 } })],
    );
    expect(entries.map((e) => [e.id, e.state])).toEqual([
      ['n', 'pending'],
      ['h', 'synced'],
      ['a', 'synced'],
    ]);
  });

  it('overlays queued edits, hides pending deletes, shows failures', () => {
    const entries = mergeEntries(
      [record('a', '2026-03-10T02:00:00Z'), record('b', '2026-03-09T02:00:00Z'), record('c', '2026-03-08T02:00:00Z')],
      [
        item({ method: 'PATCH', recordId: 'a', body: { severity: 9 } }),
        item({ method: 'DELETE', recordId: 'b' }),
        item({ method: 'PATCH', recordId: 'c', body: { severity: 11 }, status: 'failed', error: { status: 400, fields: { severity: ['Too high.'] } } }),
      ],
    );
    expect(entries.map((e) => [e.id, e.state, e.data.severity])).toEqual([
      ['a', 'pending', 9],
      ['c', 'failed', 11],
    ]);
    expect(entries[1].error?.fields.severity).toEqual(['Too high.']);
  });
});
