/// <reference lib="webworker" />
// The Crampwise service worker (built by vite-plugin-pwa, strategy injectManifest, to /sw.js, scope "/").
//
// - Precaches the app shell (the build's files) and answers navigations with index.html.
// - NEVER caches API responses: there is no route for /api/, so those requests go to the network as is.
// - `push`: shows the reminder (generic lock-screen text, in the person's language; the same tag replaces a repeat).
// - `notificationclick`: Done / Snooze 30 min through the message's signed token, or opens the app.
// - `sync` (Background Sync): sends the offline queue (src/sync/queue.ts).

import { cacheNames, clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  getCacheKeyForURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { getDb, idbLeaseStore, idbQueueStore, kvGet, kvSet, storeSentRecord } from './db/db';
import { isLanguage } from './locale';
import { httpSend } from './sync/http';
import { SyncQueue, leaseLock, webLock, type Lock } from './sync/queue';
import { handleNotificationClick, notificationFor, parsePayload } from './sw/actions';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

const manifest = self.__WB_MANIFEST;
precacheAndRoute(manifest);
cleanupOutdatedCaches();

// Every app path (/history, /reset-password?uid=…) is the same page; the server's own paths are not.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/admin/, /^\/static\//, /^\/healthz/, /^\/readyz/, /^\/media\//],
  }),
);

self.addEventListener('install', () => {
  // A first install takes over at once; an update waits until the page says so (SKIP_WAITING).
  if (!self.registration.active) void self.skipWaiting();
});
clientsClaim();

// --- the offline queue ---

function syncLock(): Lock {
  const locks = (self.navigator as WorkerNavigator & { locks?: unknown }).locks;
  if (locks) return webLock(locks as Parameters<typeof webLock>[0], 'crampwise-sync');
  return leaseLock(idbLeaseStore());
}

async function csrfToken(refresh: boolean): Promise<string | null> {
  if (refresh) {
    try {
      await fetch('/api/v1/auth/csrf/', { credentials: 'same-origin', cache: 'no-store' });
    } catch {
      // offline
    }
  }
  const store = (self as unknown as { cookieStore?: { get(name: string): Promise<{ value: string } | null> } })
    .cookieStore;
  if (store) {
    try {
      const cookie = await store.get('csrftoken');
      if (cookie?.value) {
        await kvSet('csrf', cookie.value);
        return cookie.value;
      }
    } catch {
      // fall back to the token the page saved
    }
  }
  return (await kvGet<string>('csrf')) ?? null;
}

async function runQueue(): Promise<void> {
  await getDb();
  const user = await kvGet<{ id: string }>('user');
  if (!user) return; // signed out: nothing to send
  const queue = new SyncQueue({
    store: idbQueueStore(),
    send: httpSend({ fetch: (input, init) => fetch(input, init), csrf: csrfToken }),
    lock: syncLock(),
    owner: () => user.id,
  });
  const report = await queue.sync({ force: true });
  for (const sent of report.sent) {
    await storeSentRecord(sent.item.collection, sent.item.method, sent.item.recordId, sent.body).catch(() => undefined);
  }
  const clients = await self.clients.matchAll({ type: 'window' });
  for (const client of clients) client.postMessage({ type: 'queue-changed' });
  // Let the browser try again later (with its own backoff) while something still waits on the network.
  if (report.ran && (report.offline || report.retryAt !== null)) throw new Error('queue not empty yet');
}

self.addEventListener('sync', (event: Event) => {
  const e = event as ExtendableEvent & { tag?: string };
  if (e.tag === 'crampwise-sync') e.waitUntil(runQueue());
});

// --- push and notification buttons ---

self.addEventListener('push', (event: PushEvent) => {
  const read = () => event.data?.json();
  event.waitUntil(
    (async () => {
      const language = await kvGet<string>('language').catch(() => undefined);
      const payload = parsePayload(read, isLanguage(language) ? language : 'en');
      const { title, options } = notificationFor(payload);
      await self.registration.showNotification(title, options as NotificationOptions);
    })(),
  );
});

async function openApp(url: string): Promise<void> {
  const clients = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const target = new URL(url, self.location.origin).href;
  for (const client of clients) {
    if (new URL(client.url).origin === self.location.origin) {
      await client.focus();
      if (client.url !== target) client.postMessage({ type: 'navigate', url });
      return;
    }
  }
  await self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close();
  event.waitUntil(
    handleNotificationClick(event.action, event.notification.data, {
      fetch: (input, init) => fetch(input, init),
      openApp,
    }).then(() => undefined),
  );
});

// --- messages from the page ---

async function recache(): Promise<void> {
  // After sign-out wiped every cache: put the app shell (no personal data in it) back for offline use.
  const cache = await caches.open(cacheNames.precache);
  for (const entry of manifest) {
    const url = new URL(entry.url, self.location.href).href;
    const key = getCacheKeyForURL(url) ?? url;
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (response.ok) await cache.put(key, response);
    } catch {
      // offline: the shell comes back with the next visit online
    }
  }
}

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const type = (event.data as { type?: string } | null)?.type;
  if (type === 'SKIP_WAITING') void self.skipWaiting();
  else if (type === 'RECACHE') event.waitUntil(recache());
  else if (type === 'SYNC_NOW') event.waitUntil(runQueue().catch(() => undefined));
});
