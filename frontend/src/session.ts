// Signing in and out, and what the app knows at start-up (also offline).

import { api, ApiError, fetchCsrf, notifyAuthRequired, onAuthRequired, readCookie } from './api/client';
import type { Insight, Profile, User } from './api/types';
import { getDb, kvGet, kvSet, wipeDb } from './db/db';
import { disablePush } from './push/subscribe';
import { wipeCaches } from './pwa';
import { navigate } from './router';
import { app } from './state';
import { strings } from './strings';
import { deviceTimeZone } from './logic/time';
import { normalizeOtp, signInBody } from './logic/otp';
import { refreshQueue, stopRetries, syncNow } from './sync/runtime';
import { forgetRefresh } from './data/entries';
import { switchTo } from './i18n';
import { isLanguage, language } from './locale';

// '/clinic-invite': the invitation's page works signed out too (it offers the sign-in that comes back to it).
const PUBLIC_PATHS = ['/signin', '/signup', '/reset-password', '/clinic-invite'];

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.includes(path);
}

async function loadProfile(): Promise<Profile> {
  const profile = await api<Profile>('/api/v1/profile/');
  await kvSet('profile', profile);
  app.set({ profile });
  // The profile's language wins over the browser's: another phone may have changed it.
  if (isLanguage(profile.language)) switchTo(profile.language);
  return profile;
}

/** Start-up: the stored person (works offline), then the server's word when online. */
export async function boot(): Promise<void> {
  onAuthRequired(() => {
    if (app.get().user) {
      app.set({ user: null, authRequired: true, notice: strings.auth.sessionEnded });
    }
  });
  try {
    await getDb();
    const [user, profile, insights] = await Promise.all([
      kvGet<User>('user'),
      kvGet<Profile>('profile'),
      kvGet<Insight[]>('insights'),
    ]);
    app.set({ user: user ?? null, profile: profile ?? null, insights: insights ?? null });
    await refreshQueue();
  } catch {
    // IndexedDB unavailable (private mode): online only
  }
  app.set({ booted: true });
  if (!readCookie('csrftoken')) void fetchCsrf();
  // Nobody signed in on this phone: nothing to refresh (and no 401 to provoke in the console).
  if (!navigator.onLine || !app.get().user) return;
  try {
    const profile = await loadProfile();
    const user: User = { id: profile.id, email: profile.email, role: profile.role };
    await adoptUser(user);
    void syncNow(true);
  } catch (err) {
    if (err instanceof ApiError && (err.kind === 'auth' || err.kind === 'forbidden')) {
      const had = app.get().user;
      app.set({ user: null, notice: had ? strings.auth.sessionEnded : null });
    }
    // offline or server trouble: carry on with what is stored, and try the queue anyway (app start)
    if (app.get().user) void syncNow(true);
  }
}

/** Makes `user` the person of this phone; someone else's leftovers are wiped first. */
async function adoptUser(user: User): Promise<void> {
  const previous = await kvGet<User>('user').catch(() => undefined);
  if (previous && previous.id !== user.id) {
    // The previous person's session ended here without a sign-out: their reminders (with their action
    // tokens) must stop coming to this browser. Only the browser's copy can go (the session is the new
    // person's); the server drops its row once the push service answers 404/410 to it.
    await disablePush({ server: false }).catch(() => undefined);
    await wipeLocal({ keepShell: true });
    app.set({ notice: null });
    await getDb();
    app.set({ profile: null, insights: null, queue: [] });
  }
  await kvSet('user', user);
  app.set({ user, authRequired: false });
}

/** Signs in; `otp` is the one-time code when the account has two-factor sign-in on (the server asks for it). */
export async function signIn(email: string, password: string, otp: string | null = null): Promise<User> {
  const user = await api<User>('/api/v1/auth/login/', { method: 'POST', body: signInBody(email, password, otp), public: true });
  await adoptUser(user);
  app.set({ notice: null });
  try {
    await loadProfile();
  } catch {
    // shown later
  }
  void syncNow(true);
  return user;
}

export async function signUp(input: {
  email: string;
  password: string;
  display_name: string;
  country?: string | null;
}): Promise<User> {
  await api<User>('/api/v1/auth/register/', {
    method: 'POST',
    public: true,
    body: { ...input, role: 'patient', timezone: deviceTimeZone(), language: language() },
  });
  return signIn(input.email, input.password);
}

export async function requestPasswordReset(email: string): Promise<void> {
  await api('/api/v1/auth/password-reset/', { method: 'POST', body: { email }, public: true });
}

export async function confirmPasswordReset(uid: string, token: string, newPassword: string): Promise<void> {
  await api('/api/v1/auth/password-reset/confirm/', {
    method: 'POST',
    body: { uid, token, new_password: newPassword },
    public: true,
  });
}

/** Removes every trace of the diary from this phone: IndexedDB, every cache, local storage. */
export async function wipeLocal(options: { keepShell?: boolean } = {}): Promise<void> {
  stopRetries();
  forgetRefresh();
  await wipeDb().catch(() => undefined);
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // storage disabled
  }
  if (!options.keepShell) await wipeCaches().catch(() => undefined);
}

function afterWipe(notice: string): void {
  app.set({ user: null, profile: null, queue: [], insights: null, authRequired: false, notice });
  navigate('/signin', { replace: true });
}

export async function signOut(): Promise<void> {
  const clinician = app.get().user?.role === 'clinician';
  // Push first: removing the subscription on the server needs the session.
  await disablePush({ server: true }).catch(() => undefined);
  try {
    await api('/api/v1/auth/logout/', { method: 'POST', public: true });
  } catch {
    // offline or already signed out: the local wipe still happens
  }
  await wipeLocal();
  afterWipe(clinician ? strings.auth.signedOutClinician : strings.auth.signedOut);
}

/**
 * What erasing the account sends: the password always (an empty one too, so the server names the field),
 * the code only when the form shows the code field and it is filled.
 */
export function accountDeletionBody(password: string, otp: string | null): { password: string; otp?: string } {
  const code = otp === null ? '' : normalizeOtp(otp);
  return code ? { password, otp: code } : { password };
}

/**
 * Erases the account on the server, then every trace on this phone. `otp`: the one-time code when the
 * account has two-factor sign-in on. A refused try (wrong password or code, too many tries) throws and
 * leaves everything as it was, push reminders included.
 */
export async function deleteAccount(password: string, otp: string | null = null): Promise<void> {
  try {
    // `public`: a 403 about the password must not end the session here; a real sign-out still does.
    await api('/api/v1/account/', { method: 'DELETE', body: accountDeletionBody(password, otp), public: true });
  } catch (err) {
    if (err instanceof ApiError && (err.kind === 'auth' || err.kind === 'forbidden') && !isAboutTheForm(err)) {
      notifyAuthRequired();
    }
    throw err;
  }
  // After the erasure, not before: a refused try keeps the reminders. The server dropped the
  // subscription with the account; only the browser's copy is left.
  await disablePush({ server: false }).catch(() => undefined);
  await wipeLocal();
  afterWipe(strings.profile.deleted);
}

/**
 * The check before erasing: nothing is sent without a password, nor without a code when the code field
 * is shown (each try counts towards the server's limit). The error names the field, as the server would.
 */
export function accountDeletionProblem(password: string, otp: string | null): ApiError | null {
  if (!password) return new ApiError('validation', 400, { password: [strings.profile.deleteNeedPassword] });
  if (otp !== null && !normalizeOtp(otp)) return new ApiError('validation', 400, { otp: [strings.twoFactor.needCode] });
  return null;
}

function isAboutTheForm(error: ApiError): boolean {
  return Boolean(error.fields.password?.length || error.fields.otp?.length);
}

/** After two-factor sign-in was turned on or off: the profile says so at once. */
export async function setTwoFactor(enabled: boolean): Promise<void> {
  const profile = app.get().profile;
  if (!profile) return;
  const next = { ...profile, two_factor_enabled: enabled };
  app.set({ profile: next });
  await kvSet('profile', next).catch(() => undefined);
}

export async function saveProfile(changes: Partial<Profile>): Promise<Profile> {
  const profile = await api<Profile>('/api/v1/profile/', { method: 'PATCH', body: changes });
  await kvSet('profile', profile);
  app.set({ profile });
  return profile;
}
