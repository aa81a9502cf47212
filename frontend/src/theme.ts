// The screen colours, by the patient's theme: auto (dark in the night window, or when the phone prefers
// dark), always light, or always dark. Not clinical: the night window alone decides what is a night cramp.

import { api, ApiError } from './api/client';
import type { Profile, Theme } from './api/types';
import { kvDelete, kvGet, kvSet } from './db/db';
import { type NightWindow, wantsDarkTheme } from './logic/time';
import { app } from './state';

const LIGHT_BAR = '#0b4f8a';
const DARK_BAR = '#0e1116';
export const THEMES: readonly Theme[] = ['auto', 'light', 'dark'];
/** A theme chosen on this phone that the server has not taken yet (chosen offline, say). */
const PENDING_KEY = 'theme-pending';

let pending: Theme | null = null;
let sending: Promise<boolean> | null = null;

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/**
 * Dark or light at this instant for this choice. `auto` (or no choice stored: an older profile) is dark
 * in the patient's night window or when the phone asks for dark, as before the setting existed.
 */
export function resolveTheme(
  choice: Theme | null | undefined,
  instant: Date,
  window: NightWindow | null | undefined,
  prefersDark: boolean,
): 'dark' | 'light' {
  if (choice === 'dark') return 'dark';
  if (choice === 'light') return 'light';
  return wantsDarkTheme(instant, window, prefersDark) ? 'dark' : 'light';
}

/** The theme this phone shows: one chosen here and not yet sent wins over the stored profile's. */
export function themeChoice(profile: Profile | null = app.get().profile): Theme {
  if (pending) return pending;
  return isTheme(profile?.theme) ? profile.theme : 'auto';
}

export function applyTheme(now: Date = new Date()): void {
  const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const profile = app.get().profile;
  const theme = resolveTheme(themeChoice(profile), now, profile, prefersDark);
  const root = document.documentElement;
  if (root.dataset.theme !== theme) root.dataset.theme = theme;
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', theme === 'dark' ? DARK_BAR : LIGHT_BAR);
}

/**
 * The patient picked a theme: shown at once, kept on the phone (also offline), and sent to the server
 * now or, failing that, when the phone is back online. Resolves true once the server has it.
 */
export async function chooseTheme(theme: Theme): Promise<boolean> {
  pending = theme;
  const profile = app.get().profile;
  const next = profile ? { ...profile, theme } : null;
  if (next) app.set({ profile: next });
  applyTheme();
  await Promise.all([kvSet(PENDING_KEY, theme), next && kvSet('profile', next)]).catch(() => undefined);
  return sendPendingTheme();
}

/** Send a theme chosen on this phone; false while the server cannot take it (offline, signed out). */
export function sendPendingTheme(): Promise<boolean> {
  if (!pending) return Promise.resolve(true);
  if (!app.get().user || !app.get().online) return Promise.resolve(false);
  sending ??= sendLoop().finally(() => {
    sending = null;
  });
  return sending;
}

async function sendLoop(): Promise<boolean> {
  // A loop: a choice made while the previous one was on its way is sent after it.
  while (pending) {
    const theme = pending;
    let saved: Profile;
    try {
      saved = await api<Profile>('/api/v1/profile/', { method: 'PATCH', body: { theme } });
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'validation') {
        // The server refused this value: its word wins, nothing is left to retry.
        await forgetPending(theme);
        applyTheme();
      }
      return false;
    }
    await forgetPending(theme);
    const next = { ...saved, theme: pending ?? saved.theme };
    app.set({ profile: next });
    await kvSet('profile', next).catch(() => undefined);
  }
  return true;
}

async function forgetPending(theme: Theme): Promise<void> {
  if (pending !== theme) return;
  pending = null;
  await kvDelete(PENDING_KEY).catch(() => undefined);
}

export function startTheme(): void {
  applyTheme();
  let { online, user } = app.get();
  app.subscribe(() => {
    const state = app.get();
    // Signed out: the phone's next person does not inherit a choice still on its way.
    if (user && !state.user) pending = null;
    const backOnline = state.online && !online;
    const signedIn = Boolean(state.user) && !user;
    online = state.online;
    user = state.user;
    applyTheme();
    if (signedIn) void loadPending();
    else if (pending && backOnline) void sendPendingTheme();
  });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => applyTheme());
  setInterval(() => applyTheme(), 60_000);
  void loadPending();
}

/** A choice kept on this phone (sign-out wipes it with the rest of the phone's data). */
async function loadPending(): Promise<void> {
  const stored = await kvGet<Theme>(PENDING_KEY).catch(() => undefined);
  if (!pending && isTheme(stored)) pending = stored;
  applyTheme();
  await sendPendingTheme();
}
