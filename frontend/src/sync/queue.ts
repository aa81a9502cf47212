// The offline queue: entries wait here (in IndexedDB in the app) until the diary accepts them.
//
// Pure-ish: storage, the HTTP call, the lock and the clock are injected, so the rules are unit-tested
// (tests/queue.test.ts). Rules:
// - A create carries its client UUID (`id`) and is POSTed with it; the server's idempotent create makes a
//   replay harmless (200 with the record, nothing created), so "send again after a doubt" is safe.
// - 2xx: sent, removed. 409: a conflict, kept aside (status "conflict"), never retried.
// - 401/403: the sign-in has ended; the item stays pending and the pass stops (the app asks to sign in).
// - 408/425/429, 5xx, network errors: retried later with exponential backoff (2 s, 4 s, 8 s … capped at
//   5 min; Retry-After is honoured); the pass stops there so entries keep their order.
// - Any other 4xx: the entry is wrong as it stands (status "failed", with the field messages); it is not
//   retried until the person edits it (or discards it).
// - Only one pass runs at a time, across tabs and the service worker (the injected Lock), and within one
//   context concurrent calls share the running pass.

import type { Segment } from '../api/types';

export type Method = 'POST' | 'PATCH' | 'DELETE';
export type ItemStatus = 'pending' | 'failed' | 'conflict';

export interface ItemError {
  status: number;
  detail?: string;
  fields: Record<string, string[]>;
}

export interface QueueItem {
  /** Queue key: the record id for a create, a fresh UUID for an update or delete. */
  key: string;
  collection: Segment;
  method: Method;
  recordId: string;
  body: Record<string, unknown>;
  createdAt: number;
  /** Bumped on every local edit, so an edit made while the item was in flight is not lost. */
  rev: number;
  status: ItemStatus;
  attempts: number;
  nextAttemptAt: number;
  error?: ItemError;
  /** Who made it: the queue is only ever sent for the person signed in. */
  owner?: string;
}

export interface SendResult {
  status: number;
  body: unknown;
  retryAfterSeconds?: number | null;
}

/** Sends one item; throws (any error) when the network fails. */
export type Send = (item: QueueItem) => Promise<SendResult>;

export interface QueueStore {
  list(): Promise<QueueItem[]>;
  get(key: string): Promise<QueueItem | undefined>;
  put(item: QueueItem): Promise<void>;
  delete(key: string): Promise<void>;
}

export type LockResult<T> = { ran: true; value: T } | { ran: false };

export interface Lock {
  /** Runs fn if the lock is free, else returns { ran: false } at once. */
  tryRun<T>(fn: () => Promise<T>): Promise<LockResult<T>>;
}

export interface SentEntry {
  item: QueueItem;
  status: number;
  body: unknown;
}

export interface SyncReport {
  /** False when another pass (another tab, the service worker) held the lock. */
  ran: boolean;
  sent: SentEntry[];
  failed: QueueItem[];
  conflicts: QueueItem[];
  authRequired: boolean;
  /** The network failed during this pass. */
  offline: boolean;
  /** When the next automatic try is due; null when nothing waits for a retry. */
  retryAt: number | null;
}

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** Delay before retry number `attempts` (1 → 2 s, 2 → 4 s, 3 → 8 s …), capped at 5 minutes. */
export function backoffDelay(attempts: number): number {
  const n = Math.max(1, attempts);
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(n - 1, 30));
}

export type Outcome = 'done' | 'conflict' | 'failed' | 'auth' | 'retry';

export function classify(status: number, method: Method): Outcome {
  if (status >= 200 && status < 300) return 'done';
  if (method === 'DELETE' && (status === 404 || status === 410)) return 'done'; // already gone
  if (status === 409) return 'conflict';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 425 || status === 429) return 'retry';
  if (status >= 400 && status < 500) return 'failed';
  return 'retry';
}

/** DRF error bodies: {field: [messages]}, {detail: "..."}, {non_field_errors: [...]}. */
export function parseErrorBody(status: number, body: unknown): ItemError {
  const fields: Record<string, string[]> = {};
  let detail: string | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      const messages = flattenMessages(value);
      if (name === 'detail' || name === 'non_field_errors') detail = messages.join(' ');
      else if (messages.length) fields[name] = messages;
    }
  } else if (typeof body === 'string' && body.trim() && body.length < 300) {
    detail = body.trim();
  }
  return { status, detail, fields };
}

function flattenMessages(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(flattenMessages);
  if (value && typeof value === 'object') return Object.values(value).flatMap(flattenMessages);
  return [];
}

export interface EnqueueInput {
  collection: Segment;
  method: Method;
  /** For a create: the client UUID (made here when left out). For PATCH/DELETE: the record's id. */
  recordId?: string;
  body?: Record<string, unknown>;
  owner?: string;
}

export interface SyncQueueOptions {
  store: QueueStore;
  send: Send;
  lock: Lock;
  now?: () => number;
  uuid?: () => string;
  /** Only items of this owner are sent (the person signed in); others wait untouched. */
  owner?: () => string | undefined;
  /** The zone this phone is in (IANA), which every new diary record is stamped with when made. */
  zone?: () => string;
}

/** This device's IANA zone (as logic/time.ts's deviceTimeZone; here too, for the service worker's bundle). */
export function phoneZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A create refused only for the zone the queue stamped it with. */
function unknownZoneOnly(item: QueueItem, error: ItemError): boolean {
  const fields = Object.keys(error.fields);
  return item.method === 'POST' && typeof item.body.timezone === 'string' && !error.detail && fields.length === 1 && fields[0] === 'timezone';
}

export function emptyReport(ran: boolean): SyncReport {
  return { ran, sent: [], failed: [], conflicts: [], authRequired: false, offline: false, retryAt: null };
}

export class SyncQueue {
  private readonly store: QueueStore;
  private readonly send: Send;
  private readonly lock: Lock;
  private readonly now: () => number;
  private readonly uuid: () => string;
  private readonly owner: () => string | undefined;
  private readonly zone: () => string;
  private running: Promise<SyncReport> | null = null;
  private followUp: Promise<SyncReport> | null = null;
  private followUpForce = false;
  private lastCreatedAt = 0;

  constructor(options: SyncQueueOptions) {
    this.store = options.store;
    this.send = options.send;
    this.lock = options.lock;
    this.now = options.now ?? (() => Date.now());
    this.uuid = options.uuid ?? (() => crypto.randomUUID());
    this.owner = options.owner ?? (() => undefined);
    this.zone = options.zone ?? phoneZone;
  }

  /** Items oldest first. */
  async items(): Promise<QueueItem[]> {
    const all = await this.store.list();
    return all.sort((a, b) => a.createdAt - b.createdAt || a.key.localeCompare(b.key));
  }

  private stamp(): number {
    // Strictly increasing, so two entries made in the same millisecond keep their order.
    const t = Math.max(this.now(), this.lastCreatedAt + 1);
    this.lastCreatedAt = t;
    return t;
  }

  /** Puts a create, an update or a delete in the queue. Returns the queue item (or null when a delete only
   * discarded an unsent create). */
  async enqueue(input: EnqueueInput): Promise<QueueItem | null> {
    const body = { ...(input.body ?? {}) };
    if (input.method === 'POST') {
      const recordId = input.recordId ?? (typeof body.id === 'string' ? body.id : this.uuid());
      body.id = recordId;
      // A diary record keeps the zone it was lived in: the phone's now, when it is made (not when it is
      // sent, which may be after a flight), so that its day and night stay where they were lived.
      if (input.collection !== 'factors' && body.timezone === undefined) body.timezone = this.zone();
      const item: QueueItem = {
        key: recordId,
        collection: input.collection,
        method: 'POST',
        recordId,
        body,
        createdAt: this.stamp(),
        rev: 0,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: 0,
        owner: input.owner,
      };
      await this.store.put(item);
      return item;
    }
    const recordId = input.recordId;
    if (!recordId) throw new Error('PATCH and DELETE need the record id');
    const existing = await this.items();
    const create = existing.find((i) => i.method === 'POST' && i.recordId === recordId);
    if (input.method === 'PATCH') {
      // An edit of an entry that was never sent: change the create itself.
      if (create && create.status !== 'conflict') return this.update(create.key, body);
      const patch = existing.find((i) => i.method === 'PATCH' && i.recordId === recordId && i.status === 'pending');
      if (patch) {
        const merged = { ...patch, body: { ...patch.body, ...body }, rev: patch.rev + 1 };
        await this.store.put(merged);
        return merged;
      }
    } else if (create && create.attempts === 0 && create.status !== 'conflict') {
      // Deleting an entry that never left the phone: discard it (and any edits queued after it).
      for (const i of existing) if (i.recordId === recordId) await this.store.delete(i.key);
      return null;
    } else {
      // A delete supersedes queued edits of the same record.
      for (const i of existing) {
        if (i.recordId === recordId && i.method === 'PATCH' && i.status !== 'conflict') await this.store.delete(i.key);
      }
    }
    const item: QueueItem = {
      key: this.uuid(),
      collection: input.collection,
      method: input.method,
      recordId,
      body: input.method === 'DELETE' ? {} : body,
      createdAt: this.stamp(),
      rev: 0,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      owner: input.owner,
    };
    await this.store.put(item);
    return item;
  }

  /** Edits a waiting or failed item: it becomes pending again and is tried at the next pass. */
  async update(key: string, changes: Record<string, unknown>): Promise<QueueItem | null> {
    const item = await this.store.get(key);
    if (!item) return null;
    const body = { ...item.body, ...changes };
    if (item.method === 'POST') body.id = item.recordId;
    const next: QueueItem = {
      ...item,
      body,
      rev: item.rev + 1,
      status: item.status === 'conflict' ? 'conflict' : 'pending',
      attempts: item.status === 'failed' ? 0 : item.attempts,
      nextAttemptAt: item.status === 'failed' ? 0 : item.nextAttemptAt,
      error: item.status === 'conflict' ? item.error : undefined,
    };
    await this.store.put(next);
    return next;
  }

  async discard(key: string): Promise<void> {
    await this.store.delete(key);
  }

  /** A conflicting create, sent again as a new entry with a new id. */
  async resendAsNew(key: string): Promise<QueueItem | null> {
    const item = await this.store.get(key);
    if (!item || item.method !== 'POST') return null;
    await this.store.delete(key);
    const recordId = this.uuid();
    const next: QueueItem = {
      ...item,
      key: recordId,
      recordId,
      body: { ...item.body, id: recordId },
      rev: 0,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      error: undefined,
    };
    await this.store.put(next);
    return next;
  }

  /**
   * One pass over the waiting items, oldest first. `force` ignores the backoff wait (the network just
   * came back, the app just started, Background Sync fired). Concurrent calls in this context share the
   * running pass; a pass in another context (lock held) returns { ran: false }.
   */
  sync(options: { force?: boolean } = {}): Promise<SyncReport> {
    const force = options.force ?? false;
    if (!this.running) return this.start(force);
    // A pass is running and may have listed the items before the newest one arrived: one follow-up pass
    // runs after it (shared by every caller meanwhile). It finds sent items gone, so nothing goes twice.
    this.followUpForce ||= force;
    this.followUp ??= this.running.then(() => {
      const again = this.followUpForce;
      this.followUp = null;
      this.followUpForce = false;
      return this.sync({ force: again });
    });
    return this.followUp;
  }

  private start(force: boolean): Promise<SyncReport> {
    const run: Promise<SyncReport> = this.lock
      .tryRun(() => this.pass(force))
      .then((result) => (result.ran ? result.value : emptyReport(false)))
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }

  private async pass(force: boolean): Promise<SyncReport> {
    const report = emptyReport(true);
    const owner = this.owner();
    const waiting = (await this.items()).filter(
      (i) => i.status === 'pending' && (owner === undefined || i.owner === undefined || i.owner === owner),
    );
    for (const queued of waiting) {
      if (!force && queued.nextAttemptAt > this.now()) {
        report.retryAt = queued.nextAttemptAt;
        break;
      }
      // Another context may have sent, edited or discarded it since the list was read.
      const item = await this.store.get(queued.key);
      if (!item || item.status !== 'pending') continue;

      let result: SendResult;
      try {
        result = await this.send(item);
      } catch {
        report.offline = true;
        report.retryAt = await this.later(item, null);
        break;
      }

      const outcome = classify(result.status, item.method);
      const latest = await this.store.get(item.key);
      const editedMeanwhile = latest !== undefined && latest.rev !== item.rev;

      if (outcome === 'done') {
        report.sent.push({ item, status: result.status, body: result.body });
        if (!latest) {
          // Discarded while on its way (an undo, a delete of an entry thought unsent): the diary has it
          // now, and the person wanted it gone, so a delete follows.
          if (item.method === 'POST') {
            const undo = await this.enqueue({ collection: item.collection, method: 'DELETE', recordId: item.recordId, owner: item.owner });
            if (undo) waiting.push(undo); // sent in this same pass
          }
          continue;
        }
        if (editedMeanwhile && item.method !== 'DELETE') {
          // Created or updated with the old details; the edit still has to reach the server.
          const { id: _id, ...changes } = latest.body;
          void _id;
          await this.store.put({
            ...latest,
            method: 'PATCH',
            body: changes,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: 0,
            error: undefined,
          });
        } else {
          await this.store.delete(item.key);
        }
        continue;
      }
      if (outcome === 'auth') {
        report.authRequired = true;
        break;
      }
      if (outcome === 'retry') {
        report.retryAt = await this.later(latest ?? item, result.retryAfterSeconds ?? null);
        break;
      }
      if (editedMeanwhile) continue; // the edit may fix it: leave it pending
      const error = parseErrorBody(result.status, result.body);
      if (outcome === 'failed' && unknownZoneOnly(item, error)) {
        // The server's tz database does not know this phone's zone: the entry goes again without it, and
        // is logged in the profile's zone (the server's default), rather than failing for good.
        const { timezone: _zone, ...body } = item.body;
        void _zone;
        await this.store.put({ ...item, body, status: 'pending', attempts: 0, nextAttemptAt: 0, error: undefined });
        report.retryAt = this.now();
        continue;
      }
      const kept: QueueItem = { ...(latest ?? item), status: outcome === 'conflict' ? 'conflict' : 'failed', error };
      await this.store.put(kept);
      if (outcome === 'conflict') report.conflicts.push(kept);
      else report.failed.push(kept);
    }
    if (report.retryAt === null && !report.authRequired) {
      // Anything still waiting on a backoff (e.g. skipped above) keeps a retry time.
      const rest = (await this.items()).filter((i) => i.status === 'pending' && i.attempts > 0);
      if (rest.length) report.retryAt = Math.min(...rest.map((i) => i.nextAttemptAt));
    }
    return report;
  }

  private async later(item: QueueItem, retryAfterSeconds: number | null): Promise<number> {
    const attempts = item.attempts + 1;
    const wait = Math.max(backoffDelay(attempts), (retryAfterSeconds ?? 0) * 1000);
    const nextAttemptAt = this.now() + wait;
    const current = await this.store.get(item.key);
    if (current) await this.store.put({ ...current, attempts, nextAttemptAt });
    return nextAttemptAt;
  }
}

// --- Locks ----------------------------------------------------------------------------------------

/** A lock for one JavaScript context only (tests, and the fallback of last resort). */
export function memoryLock(): Lock {
  let held = false;
  return {
    async tryRun<T>(fn: () => Promise<T>): Promise<LockResult<T>> {
      if (held) return { ran: false };
      held = true;
      try {
        return { ran: true, value: await fn() };
      } finally {
        held = false;
      }
    },
  };
}

interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** The Web Locks API: shared by every tab and the service worker, released when a page goes away. */
export function webLock(locks: LockManagerLike, name: string): Lock {
  return {
    async tryRun<T>(fn: () => Promise<T>): Promise<LockResult<T>> {
      return locks.request(name, { ifAvailable: true }, async (lock): Promise<LockResult<T>> => {
        if (!lock) return { ran: false };
        return { ran: true, value: await fn() };
      });
    },
  };
}

export interface LeaseStore {
  /** Atomically: take the lease if it is free or expired (or already ours); true if taken. */
  acquire(owner: string, until: number, now: number): Promise<boolean>;
  release(owner: string): Promise<void>;
}

/**
 * A lease kept in shared storage (IndexedDB in the app), for browsers without Web Locks. It expires, so a
 * page closed mid-pass does not block the queue for good; it is renewed while a pass runs.
 */
export function leaseLock(store: LeaseStore, options: { ttlMs?: number; now?: () => number; uuid?: () => string } = {}): Lock {
  const ttl = options.ttlMs ?? 30_000;
  const now = options.now ?? (() => Date.now());
  const uuid = options.uuid ?? (() => crypto.randomUUID());
  const local = memoryLock();
  return {
    async tryRun<T>(fn: () => Promise<T>): Promise<LockResult<T>> {
      return local
        .tryRun(async (): Promise<LockResult<T>> => {
          const owner = uuid();
          if (!(await store.acquire(owner, now() + ttl, now()))) return { ran: false };
          const renew = setInterval(() => void store.acquire(owner, now() + ttl, now()), Math.max(1000, ttl / 3));
          try {
            return { ran: true, value: await fn() };
          } finally {
            clearInterval(renew);
            await store.release(owner);
          }
        })
        .then((r) => (r.ran ? r.value : { ran: false }));
    },
  };
}
