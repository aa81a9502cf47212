// Dark during the patient's night window (profile; default 22:00–07:00) or when the phone prefers dark.

import { wantsDarkTheme } from './logic/time';
import { app } from './state';

const LIGHT_BAR = '#0b4f8a';
const DARK_BAR = '#0e1116';

export function applyTheme(now: Date = new Date()): void {
  const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  const dark = wantsDarkTheme(now, app.get().profile, prefersDark);
  const root = document.documentElement;
  root.dataset.theme = dark ? 'dark' : 'light';
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', dark ? DARK_BAR : LIGHT_BAR);
}

export function startTheme(): void {
  applyTheme();
  app.subscribe(() => applyTheme());
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => applyTheme());
  setInterval(() => applyTheme(), 60_000);
}
