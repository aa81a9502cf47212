// The app's shared state: who is signed in, their profile, the connection, the offline queue, messages.

import type { Insight, Profile, User } from './api/types';
import type { QueueItem } from './sync/queue';
import { createStore } from './store';

export interface Toast {
  id: number;
  text: string;
  /** A button in the toast, e.g. Undo. */
  action?: { label: string; run: () => void };
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
});

let toastId = 0;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** A short message in the polite live region (also read by screen readers). */
export function toast(text: string, ms = 4500, action?: Toast['action']): void {
  clearTimeout(toastTimer);
  app.set({ toast: { id: ++toastId, text, action } });
  toastTimer = setTimeout(() => app.set({ toast: null }), ms);
}

export function dismissToast(): void {
  clearTimeout(toastTimer);
  app.set({ toast: null });
}

export function bumpRecords(): void {
  app.set((s) => ({ recordsVersion: s.recordsVersion + 1 }));
}
