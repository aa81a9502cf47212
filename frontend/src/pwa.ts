// Registers /sw.js (scope "/") in production builds; an update waits for the person's "Update now".

import { navigate } from './router';
import { app } from './state';

let waiting: ServiceWorker | null = null;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = async () => {
    try {
      const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      const check = () => {
        if (reg.waiting && navigator.serviceWorker.controller) {
          waiting = reg.waiting;
          app.set({ updateReady: true });
        }
      };
      check();
      reg.addEventListener('updatefound', () => {
        reg.installing?.addEventListener('statechange', check);
      });
      setInterval(() => void reg.update().catch(() => undefined), 60 * 60 * 1000);
    } catch {
      // No service worker (private mode, old browser): the app still works online.
    }
  };
  // After the page's load, so the worker's precache does not compete with it. The app starts after its
  // language is loaded (main.tsx), which may be after the load event: then at once.
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (waiting && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    const data = event.data as { type?: string; url?: string } | null;
    if (data?.type === 'navigate' && data.url) navigate(data.url);
  });
}

export function applyUpdate(): void {
  waiting?.postMessage({ type: 'SKIP_WAITING' });
}

/** Every cache of this origin (the service worker's and any other), then the app shell put back. */
export async function wipeCaches(): Promise<void> {
  if (!('caches' in window)) return;
  const keys = await caches.keys();
  await Promise.all(keys.map((k) => caches.delete(k)));
  navigator.serviceWorker?.controller?.postMessage({ type: 'RECACHE' });
}
