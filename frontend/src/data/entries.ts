// The diary entries a screen shows: the records last fetched from the server (cached in IndexedDB),
// overlaid with what still waits in the queue (pending, failed or in conflict).

import { listFirst } from '../api/client';
import { COLLECTIONS, TIME_FIELD, type Collection } from '../api/types';
import { allRecords, replaceRecords, type StoredRecord } from '../db/db';
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
    const state: EntryState = item.status === 'pending' ? 'pending' : item.status;
    const existing = byId.get(item.recordId);
    if (item.method === 'POST') {
      const data = { ...(existing?.data ?? {}), ...item.body };
      byId.set(item.recordId, {
        id: item.recordId,
        collection: item.collection,
        at: timeOf(item.collection, data),
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
        at: timeOf(item.collection, data),
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

/** Fetches the latest page of every collection and caches it; false when offline or refused.
 * Skipped (true) when done in the last 20 s: what the queue sends is cached as it goes. */
export async function refreshRecords(collections: Collection[] = COLLECTIONS, force = false): Promise<boolean> {
  if (!force && Date.now() - lastRefresh < FRESH_MS) return true;
  try {
    const lists = await Promise.all(
      collections.map((c) => listFirst<Record<string, unknown>>(`/api/v1/${c}/?page_size=${PAGE_SIZE}`)),
    );
    await Promise.all(
      collections.map((c, i) =>
        replaceRecords(
          c,
          lists[i].map((data) => ({ id: String(data.id), collection: c, at: timeOf(c, data), data })),
        ),
      ),
    );
    lastRefresh = Date.now();
    return true;
  } catch {
    return false;
  }
}

export function forgetRefresh(): void {
  lastRefresh = 0;
}

export async function loadEntries(items: QueueItem[]): Promise<Entry[]> {
  return mergeEntries(await allRecords().catch(() => []), items);
}
