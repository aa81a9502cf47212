// The queue as the page runs it: IndexedDB store, fetch with CSRF, a cross-tab lock, retry timers and
// the triggers (the `online` event, app start, the page becoming visible, Background Sync).

import { csrfToken, notifyAuthRequired } from '../api/client';
import { idbLeaseStore, idbQueueStore, storeSentRecord } from '../db/db';
import { app, bumpRecords, serverReached, toast } from '../state';
import { strings } from '../strings';
import { httpSend } from './http';
import { SyncQueue, leaseLock, webLock, type EnqueueInput, type Lock, type QueueItem, type SyncReport } from './queue';

const SYNC_TAG = 'crampwise-sync';
const channel: BroadcastChannel | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('crampwise');

function pickLock(): Lock {
  const locks = (navigator as Navigator & { locks?: unknown }).locks;
  if (locks) return webLock(locks as Parameters<typeof webLock>[0], 'crampwise-sync');
  return leaseLock(idbLeaseStore());
}

export const queue = new SyncQueue({
  store: idbQueueStore(),
  send: httpSend({ fetch: (input, init) => fetch(input, init), csrf: csrfToken }),
  lock: pickLock(),
  owner: () => app.get().user?.id,
});

export type ItemResult =
  | { kind: 'sent'; body: unknown }
  | { kind: 'failed' | 'conflict'; item: QueueItem }
  | { kind: 'waiting' };
const waiters = new Map<string, (result: ItemResult) => void>();

function settle(key: string, result: ItemResult): void {
  waiters.get(key)?.(result);
  waiters.delete(key);
}
let retryTimer: ReturnType<typeof setTimeout> | undefined;

export async function refreshQueue(): Promise<QueueItem[]> {
  try {
    const items = await queue.items();
    app.set({ queue: items });
    return items;
  } catch {
    return app.get().queue;
  }
}

function announce(): void {
  channel?.postMessage({ type: 'queue-changed' });
}

/** Stores an entry (create, edit or delete) in the queue, then tries to send it at once; resolves with
 * what became of it within `timeoutMs` (sent, failed, conflict, or still waiting). */
export async function submit(
  input: Omit<EnqueueInput, 'owner'>,
  timeoutMs = 4000,
): Promise<{ item: QueueItem | null; result: ItemResult }> {
  const item = await queue.enqueue({ ...input, owner: app.get().user?.id });
  await refreshQueue();
  announce();
  if (!item) return { item, result: { kind: 'sent', body: null } }; // an unsent entry discarded
  const result = waitForResult(item.key, timeoutMs);
  void syncNow(true);
  return { item, result: await result };
}

/** Edits a waiting or failed item and tries it again at once. */
export async function resubmit(key: string, changes: Record<string, unknown>, timeoutMs = 4000): Promise<ItemResult> {
  await queue.update(key, changes);
  await refreshQueue();
  announce();
  const result = waitForResult(key, timeoutMs);
  void syncNow(true);
  return result;
}

export async function discardQueued(key: string): Promise<void> {
  await queue.discard(key);
  await refreshQueue();
  announce();
}

export async function resendAsNew(key: string): Promise<void> {
  await queue.resendAsNew(key);
  await refreshQueue();
  announce();
  void syncNow(true);
}

/** One pass over the queue; the result of each sent item reaches whoever waits for it (waitForSent). */
export async function syncNow(force = false): Promise<SyncReport | null> {
  if (!app.get().user) return null;
  clearTimeout(retryTimer);
  app.set({ syncing: true });
  let report: SyncReport | null = null;
  try {
    report = await queue.sync({ force });
  } catch {
    report = null;
  } finally {
    app.set({ syncing: false });
  }
  if (report) {
    const hadWaiter = new Set(waiters.keys());
    for (const sent of report.sent) {
      await storeSentRecord(sent.item.collection, sent.item.method, sent.item.recordId, sent.body).catch(() => undefined);
      settle(sent.item.key, { kind: 'sent', body: sent.body });
    }
    for (const item of report.failed) settle(item.key, { kind: 'failed', item });
    for (const item of report.conflicts) settle(item.key, { kind: 'conflict', item });
    if (report.offline || report.authRequired || report.retryAt !== null) {
      for (const key of [...waiters.keys()]) settle(key, { kind: 'waiting' });
    }
    if (report.sent.length) bumpRecords();
    // The diary answered (it took, refused or held an entry): screens that said "Offline" read it again.
    if (report.sent.length || report.failed.length || report.conflicts.length) serverReached();
    // Entries that waited (offline, server trouble) and went now, with nobody waiting on them: say so.
    const late = report.sent.filter((s) => !hadWaiter.has(s.item.key));
    if (late.length) toast(strings.sync.sentLater(late.length));
    if (report.offline) {
      app.set({ online: navigator.onLine });
      void registerBackgroundSync();
    }
    app.set({ authRequired: report.authRequired });
    if (report.authRequired) notifyAuthRequired();
    if (report.retryAt !== null) {
      retryTimer = setTimeout(() => void syncNow(false), Math.max(500, report.retryAt - Date.now()));
      void registerBackgroundSync();
    }
    if (!report.ran) retryTimer = setTimeout(() => void syncNow(true), 2000);
  }
  await refreshQueue();
  if (report?.sent.length || report?.failed.length || report?.conflicts.length) announce();
  return report;
}

/** What became of a queued item: sent (with the server's body), failed, in conflict, or still waiting
 * (offline, server trouble, or no answer within `timeoutMs`). */
export function waitForResult(key: string, timeoutMs: number): Promise<ItemResult> {
  if (!navigator.onLine) return Promise.resolve({ kind: 'waiting' });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(key);
      resolve({ kind: 'waiting' });
    }, timeoutMs);
    waiters.set(key, (result) => {
      clearTimeout(timer);
      resolve(result);
    });
  });
}

async function registerBackgroundSync(): Promise<void> {
  try {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
      sync?: { register(tag: string): Promise<void> };
    };
    await registration.sync?.register(SYNC_TAG);
  } catch {
    // Background Sync is not available everywhere; the page's own triggers remain.
  }
}

let started = false;

export function startSyncTriggers(): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => {
    app.set({ online: true });
    void syncNow(true);
  });
  window.addEventListener('offline', () => app.set({ online: false }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void syncNow(false);
  });
  channel?.addEventListener('message', () => {
    void refreshQueue();
    bumpRecords();
  });
  navigator.serviceWorker?.addEventListener('message', (event) => {
    if ((event.data as { type?: string } | null)?.type === 'queue-changed') {
      // The service worker (Background Sync) sent what waited: say so, as the page would.
      const waiting = (items: QueueItem[]) => items.filter((i) => i.status === 'pending').length;
      const before = waiting(app.get().queue);
      void refreshQueue().then((items) => {
        const sent = before - waiting(items);
        if (sent > 0) toast(strings.sync.sentLater(sent));
      });
      bumpRecords();
    }
  });
}

export function stopRetries(): void {
  clearTimeout(retryTimer);
  waiters.clear();
}
