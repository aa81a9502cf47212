// The diary entries a screen shows: the records last fetched from the server (cached in IndexedDB),
// overlaid with what still waits in the queue (pending, failed or in conflict).

import { api, toPath } from '../api/client';
import { COLLECTIONS, TIME_FIELD, type Collection } from '../api/types';
import { allRecords, kvGet, kvSet, replaceSpan, trimRecords, type StoredRecord } from '../db/db';
import { serverReached } from '../state';
import type { ItemError, QueueItem } from '../sync/queue';

export type EntryState = 'synced' | 'pending' | 'failed' | 'conflict';

export interface Entry {
  id: string;
  collection: Collection;
  at: string;
  data: Record<string, unknown>;
  state: EntryState;
  /** The queue item that holds this entry's unsent change, if any. */
  queueKey?: string;
  queueMethod?: QueueItem['method'];
  error?: ItemError;
}

export const PAGE_SIZE = 30;

function timeOf(collection: Collection, data: Record<string, unknown>): string {
  return String(data[TIME_FIELD[collection]] ?? '');
}

export function mergeEntries(records: StoredRecord[], items: QueueItem[]): Entry[] {
  const byId = new Map<string, Entry>();
  for (const r of records) {
    byId.set(r.id, { id: r.id, collection: r.collection, at: r.at || timeOf(r.collection, r.data), data: r.data, state: 'synced' });
  }
  const ordered = [...items].sort((a, b) => a.createdAt - b.createdAt);
  for (const item of ordered) {
    // The factor tags wait in the same queue but are not diary entries (logic/factors.ts shows them).
    if (item.collection === 'factors') continue;
    const collection = item.collection;
    const state: EntryState = item.status === 'pending' ? 'pending' : item.status;
    const existing = byId.get(item.recordId);
    if (item.method === 'POST') {
      const data = { ...(existing?.data ?? {}), ...item.body };
      byId.set(item.recordId, {
        id: item.recordId,
        collection,
        at: timeOf(collection, data),
        data,
        state,
        queueKey: item.key,
        queueMethod: 'POST',
        error: item.error,
      });
    } else if (item.method === 'PATCH' && existing) {
      const data = { ...existing.data, ...item.body };
      byId.set(item.recordId, {
        ...existing,
        data,
        at: timeOf(collection, data),
        state,
        queueKey: item.key,
        queueMethod: 'PATCH',
        error: item.error,
      });
    } else if (item.method === 'DELETE' && existing) {
      if (item.status === 'pending') byId.delete(item.recordId);
      else byId.set(item.recordId, { ...existing, state, queueKey: item.key, queueMethod: 'DELETE', error: item.error });
    }
  }
  return [...byId.values()].sort((a, b) => b.at.localeCompare(a.at));
}

const FRESH_MS = 20_000;
let lastRefresh = 0;

/** How far down each kind's cached records match the server: complete from now down to `downTo`, and
 * whether the server has older ones. History pages below it on demand (docs: History in README). */
export interface Extent {
  downTo: string;
  more: boolean;
}
export type Extents = Partial<Record<Collection, Extent>>;
const EXTENTS_KEY = 'records.extents';
/** The most entries of one kind the phone keeps for offline (the oldest beyond it are dropped). */
export const MAX_KEPT = 1000;
export const OLDER_PAGE = 50;

interface ListPage {
  results: Record<string, unknown>[];
  next: string | null;
}

export async function readExtents(): Promise<Extents> {
  return ((await kvGet<Extents>(EXTENTS_KEY).catch(() => undefined)) ?? {}) as Extents;
}

function stored(c: Collection, results: Record<string, unknown>[]): StoredRecord[] {
  return results.map((data) => ({ id: String(data.id), collection: c, at: timeOf(c, data), data }));
}

/**
 * Fetches the latest page of every collection and caches it; false when offline or refused. Skipped
 * (true) when done in the last 20 s: what the queue sends is cached as it goes. Older pages History
 * fetched stay cached and still count as complete, unless `fresh` (History's first look this session,
 * so entries deleted or back-dated on another device since are not taken on trust).
 */
export async function refreshRecords(collections: Collection[] = COLLECTIONS, force = false, fresh = false): Promise<boolean> {
  if (!force && Date.now() - lastRefresh < FRESH_MS) return true;
  try {
    const pages = await Promise.all(collections.map((c) => api<ListPage>(`/api/v1/${c}/?page_size=${PAGE_SIZE}`)));
    const extents = await readExtents();
    for (const [i, c] of collections.entries()) {
      const records = stored(c, pages[i].results);
      // Newest first: the page speaks for everything from its oldest entry up to now (all of it if empty).
      const from = records.length ? records[records.length - 1].at : '';
      await replaceSpan(c, records, from, null);
      const before = extents[c];
      const joined = !fresh && before && before.downTo <= from;
      extents[c] = joined ? before : { downTo: from, more: pages[i].next !== null };
    }
    await kvSet(EXTENTS_KEY, extents);
    lastRefresh = Date.now();
    serverReached();
    return true;
  } catch {
    return false;
  }
}

/**
 * The next older page of each kind given (History's "Show older"): `until` the oldest time cached as
 * complete, so an entry deleted meanwhile shifts nothing (page numbers would skip one). Caps what is
 * kept at MAX_KEPT per kind. Throws when offline.
 */
export async function loadOlder(collections: Collection[]): Promise<void> {
  const extents = await readExtents();
  for (const c of collections) {
    const extent = extents[c];
    if (!extent || !extent.more) continue;
    let path: string | null = `/api/v1/${c}/?until=${encodeURIComponent(extent.downTo)}&page_size=${OLDER_PAGE}`;
    const records: StoredRecord[] = [];
    let more = true;
    // `until` includes its own time: a page all at that one instant moves on by its page links.
    while (path) {
      const page: ListPage = await api<ListPage>(path);
      records.push(...stored(c, page.results));
      more = page.next !== null;
      const stuck = records.length > 0 && records[records.length - 1].at === extent.downTo;
      path = more && stuck && page.next ? toPath(page.next) : null;
    }
    const downTo = records.length ? records[records.length - 1].at : '';
    await replaceSpan(c, records, downTo, extent.downTo);
    const trimmed = await trimRecords(c, MAX_KEPT);
    extents[c] = trimmed === null ? { downTo, more } : { downTo: trimmed, more: true };
  }
  await kvSet(EXTENTS_KEY, extents);
}

export function forgetRefresh(): void {
  lastRefresh = 0;
}

export async function loadEntries(items: QueueItem[]): Promise<Entry[]> {
  return mergeEntries(await allRecords().catch(() => []), items);
}
