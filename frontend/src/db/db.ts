// IndexedDB: the only place the signed-in person's data lives on the phone (never the HTTP cache or the
// service worker's caches). Shared by the page and the service worker; wiped at sign-out.
//
// Stores: `queue` (entries waiting to send, src/sync/queue.ts), `records` (the diary entries last fetched,
// to show offline), `kv` (profile, user, trends, insights, small state such as the sync lease).

import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { TIME_FIELD, type Collection, type Factor, type Segment } from '../api/types';
import type { LeaseStore, QueueItem, QueueStore } from '../sync/queue';

export const DB_NAME = 'crampwise';
const DB_VERSION = 1;

export interface StoredRecord {
  id: string;
  collection: Collection;
  /** The record's time (started_at, taken_at or recorded_at), for sorting. */
  at: string;
  data: Record<string, unknown>;
}

interface CrampwiseDB extends DBSchema {
  queue: { key: string; value: QueueItem };
  records: { key: string; value: StoredRecord; indexes: { collection: string } };
  kv: { key: string; value: unknown };
}

export type Db = IDBPDatabase<CrampwiseDB>;

let current: { name: string; db: Promise<Db> } | null = null;

export function getDb(name: string = DB_NAME): Promise<Db> {
  if (current && current.name === name) return current.db;
  const db = openDB<CrampwiseDB>(name, DB_VERSION, {
    upgrade(database) {
      if (!database.objectStoreNames.contains('queue')) database.createObjectStore('queue', { keyPath: 'key' });
      if (!database.objectStoreNames.contains('records')) {
        const records = database.createObjectStore('records', { keyPath: 'id' });
        records.createIndex('collection', 'collection');
      }
      if (!database.objectStoreNames.contains('kv')) database.createObjectStore('kv');
    },
    blocking() {
      // Another context wants to delete or upgrade the database (sign-out): let it.
      void closeDb();
    },
    terminated() {
      current = null;
    },
  });
  current = { name, db };
  return db;
}

export async function closeDb(): Promise<void> {
  const open = current;
  current = null;
  if (open) (await open.db.catch(() => null))?.close();
}

/** Removes every trace of the diary from IndexedDB (sign-out, account deletion). */
export async function wipeDb(name: string = DB_NAME): Promise<void> {
  await closeDb();
  await deleteDB(name, {
    blocked() {
      // Another tab still has it open; it closes on `versionchange` (see `blocking` above).
    },
  });
}

// --- kv ---

export async function kvGet<T>(key: string, name?: string): Promise<T | undefined> {
  return (await (await getDb(name)).get('kv', key)) as T | undefined;
}

export async function kvSet(key: string, value: unknown, name?: string): Promise<void> {
  await (await getDb(name)).put('kv', value, key);
}

export async function kvDelete(key: string, name?: string): Promise<void> {
  await (await getDb(name)).delete('kv', key);
}

// --- records ---

export async function replaceRecords(collection: Collection, records: StoredRecord[], name?: string): Promise<void> {
  const db = await getDb(name);
  const tx = db.transaction('records', 'readwrite');
  const keys = await tx.store.index('collection').getAllKeys(collection);
  for (const key of keys) await tx.store.delete(key);
  for (const record of records) await tx.store.put(record);
  await tx.done;
}

/**
 * Makes the cached records of one kind match a page the server just sent for the span of time it covers,
 * [from, to] (to null: up to now): the page's records are put, and cached ones in that span that the page
 * no longer holds (deleted elsewhere) are removed. Records outside the span (older pages) stay.
 */
export async function replaceSpan(
  collection: Collection,
  records: StoredRecord[],
  from: string,
  to: string | null,
  name?: string,
): Promise<void> {
  const db = await getDb(name);
  const tx = db.transaction('records', 'readwrite');
  const keep = new Set(records.map((r) => r.id));
  for (const cached of await tx.store.index('collection').getAll(collection)) {
    const inSpan = cached.at >= from && (to === null || cached.at <= to);
    if (inSpan && !keep.has(cached.id)) await tx.store.delete(cached.id);
  }
  for (const record of records) await tx.store.put(record);
  await tx.done;
}

/** Drops the oldest cached records of a kind beyond `max`; the oldest time kept, or null if none was dropped. */
export async function trimRecords(collection: Collection, max: number, name?: string): Promise<string | null> {
  const db = await getDb(name);
  const tx = db.transaction('records', 'readwrite');
  const all = (await tx.store.index('collection').getAll(collection)).sort((a, b) => b.at.localeCompare(a.at));
  if (all.length <= max) {
    await tx.done;
    return null;
  }
  for (const old of all.slice(max)) await tx.store.delete(old.id);
  await tx.done;
  return all[max - 1].at;
}

export async function putRecord(record: StoredRecord, name?: string): Promise<void> {
  await (await getDb(name)).put('records', record);
}

export async function deleteRecord(id: string, name?: string): Promise<void> {
  await (await getDb(name)).delete('records', id);
}

export async function allRecords(name?: string): Promise<StoredRecord[]> {
  return (await getDb(name)).getAll('records');
}

/** The patient's factor tags as the server last sent them (a plain list, not diary records). */
export const FACTORS_KEY = 'factors.list';

async function storeSentFactor(method: string, recordId: string, body: unknown, name?: string): Promise<void> {
  const list = ((await kvGet<Factor[]>(FACTORS_KEY, name)) ?? []).filter((f) => f.id !== recordId);
  const sent = body && typeof body === 'object' ? (body as Partial<Factor>) : null;
  if (method !== 'DELETE' && sent && typeof sent.name === 'string') list.push({ id: String(sent.id ?? recordId), name: sent.name });
  await kvSet(FACTORS_KEY, list, name);
}

/** Keeps the cached records (and tags) in step with what the server just accepted from the queue. */
export async function storeSentRecord(
  collection: Segment,
  method: string,
  recordId: string,
  body: unknown,
  name?: string,
): Promise<void> {
  if (collection === 'factors') return storeSentFactor(method, recordId, body, name);
  if (method === 'DELETE') return deleteRecord(recordId, name);
  if (!body || typeof body !== 'object') return;
  const data = body as Record<string, unknown>;
  await putRecord({ id: String(data.id ?? recordId), collection, at: String(data[TIME_FIELD[collection]] ?? ''), data }, name);
}

// --- the queue's store and lease ---

export function idbQueueStore(name?: string): QueueStore {
  return {
    async list() {
      return (await getDb(name)).getAll('queue');
    },
    async get(key) {
      return (await getDb(name)).get('queue', key);
    },
    async put(item) {
      await (await getDb(name)).put('queue', item);
    },
    async delete(key) {
      await (await getDb(name)).delete('queue', key);
    },
  };
}

const LEASE_KEY = 'sync-lease';

/** The sync lease in one read-write transaction: IndexedDB serialises them, across tabs and workers. */
export function idbLeaseStore(name?: string): LeaseStore {
  return {
    async acquire(owner, until, now) {
      const db = await getDb(name);
      const tx = db.transaction('kv', 'readwrite');
      const lease = (await tx.store.get(LEASE_KEY)) as { owner: string; until: number } | undefined;
      if (lease && lease.owner !== owner && lease.until > now) {
        await tx.done;
        return false;
      }
      await tx.store.put({ owner, until }, LEASE_KEY);
      await tx.done;
      return true;
    },
    async release(owner) {
      const db = await getDb(name);
      const tx = db.transaction('kv', 'readwrite');
      const lease = (await tx.store.get(LEASE_KEY)) as { owner: string } | undefined;
      if (lease && lease.owner === owner) await tx.store.delete(LEASE_KEY);
      await tx.done;
    },
  };
}
