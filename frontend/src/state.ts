// The app's shared state: who is signed in, their profile, the connection, the offline queue, messages.

import type { Insight, Profile, User } from './api/types';
import type { QueueItem } from './sync/queue';
import { createStore } from './store';

export interface ToastAction {
  label: string;
  run: () => void;
  /** Whether the action can still do anything (an undo not yet spent): such a toast may follow to the next
   * screen until its time is up. Without it, the toast stays with its screen. */
  applies?: () => boolean;
}

export interface Toast {
  id: number;
  text: string;
  /** A button in the toast, e.g. Undo. */
  action?: ToastAction;
  /** The screen it belongs to: the one showing once it was raised (null for that first moment, so a
   * "Saved." raised just before a form goes back to Today is Today's). */
  path: string | null;
}

export interface AppState {
  booted: boolean;
  user: User | null;
  profile: Profile | null;
  online: boolean;
  queue: QueueItem[];
  syncing: boolean;
  /** The server refused the queue's sign-in: entries wait until the person signs in again. */
  authRequired: boolean;
  /** Shown on the sign-in screen (session ended, signed out, account deleted). */
  notice: string | null;
  toast: Toast | null;
  updateReady: boolean;
  /** Bumped whenever the cached diary records change, so screens re-read them. */
  recordsVersion: number;
  /** The latest insights the server sent (cached for offline). */
  insights: Insight[] | null;
  /** When the diary last answered a request (0: not yet): a screen showing "Offline" reloads on it. */
  reachedAt: number;
}

export const app = createStore<AppState>({
  booted: false,
  user: null,
  profile: null,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  queue: [],
  syncing: false,
  authRequired: false,
  notice: null,
  toast: null,
  updateReady: false,
  recordsVersion: 0,
  insights: null,
  reachedAt: 0,
});

let toastId = 0;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname.replace(/\/+$/, '') || '/';
}

/** A short message in the polite live region (also read by screen readers), for the screen it is raised on. */
export function toast(text: string, ms = 4500, action?: ToastAction): void {
  clearTimeout(toastTimer);
  const id = ++toastId;
  app.set({ toast: { id, text, action, path: null } });
  // After the code that raised it has run on (a form that saves, then navigates, in the same turn).
  queueMicrotask(() => {
    const t = app.get().toast;
    if (t?.id === id && t.path === null) app.set({ toast: { ...t, path: currentPath() } });
  });
  toastTimer = setTimeout(() => app.set({ toast: null }), ms);
}

/** Whether a toast stays when the person moves to `path`: on its own screen, or with an undo that still
 * applies (until its time is up); any other message was about the screen left behind. */
export function toastStays(t: Toast | null, path: string): boolean {
  if (!t) return false;
  if (t.path === null || t.path === path) return true;
  return t.action?.applies?.() === true;
}

/** Called on every navigation (router): drops a toast that belonged to the screen left. */
export function toastOnNavigation(path: string): void {
  const t = app.get().toast;
  if (t && !toastStays(t, path)) dismissToast();
}

export function dismissToast(): void {
  clearTimeout(toastTimer);
  app.set({ toast: null });
}

/** The diary answered: the connection works, whatever the last `offline` event said. */
export function serverReached(): void {
  app.set({ reachedAt: Date.now(), online: true });
}

export function bumpRecords(): void {
  app.set((s) => ({ recordsVersion: s.recordsVersion + 1 }));
}
