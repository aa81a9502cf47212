// Web Push on this phone: the VAPID key from the server, PushManager.subscribe, and the subscription
// sent to /api/v1/push/subscriptions/, all within one time budget. On iOS, push works only from the Home
// Screen app.

import { api, ApiError, errorMessage } from '../api/client';
import { strings } from '../strings';

export type PushSupport = 'supported' | 'ios-install-first' | 'unsupported';

export function isIos(): boolean {
  const ua = navigator.userAgent;
  return /iPad|iPhone|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

export function isStandalone(): boolean {
  return (
    (navigator as Navigator & { standalone?: boolean }).standalone === true ||
    window.matchMedia?.('(display-mode: standalone)').matches === true
  );
}

export function pushSupport(): PushSupport {
  if (isIos() && !isStandalone()) return 'ios-install-first';
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  return 'supported';
}

export function permission(): NotificationPermission | 'unsupported' {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

function urlBase64ToUint8Array(base64: string): Uint8Array<ArrayBuffer> {
  const padding = '='.repeat((4 - (base64.length % 4)) % 4);
  const raw = atob((base64 + padding).replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function registration(timeoutMs = 5000): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs)),
  ]);
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  try {
    const reg = await registration(1500);
    return (await reg?.pushManager.getSubscription()) ?? null;
  } catch {
    return null;
  }
}

export type EnableResult = 'enabled' | 'denied' | 'unsupported' | 'ios-install-first' | 'push-off';

/** The whole of turning notifications on, from the server's key to the saved subscription, is bounded by
 * this: a browser or a push service that never answers must not leave "Turning on…" on the screen. */
export const PUSH_BUDGET_MS = 15_000;

/** The awaited steps of enablePush, each named in the sentence a timeout shows. */
export type PushStep = 'key' | 'permission' | 'worker' | 'subscribe' | 'save';

/** A step of enablePush did not answer within what was left of the budget. */
export class PushTimeout extends Error {
  constructor(readonly step: PushStep) {
    super(strings.push.timeout[step]);
    this.name = 'PushTimeout';
  }
}

/** `work`, or a PushTimeout once the deadline passes (aborting `abort`, so no request is left open). */
function bounded<T>(work: Promise<T>, deadline: number, step: PushStep, abort?: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      abort?.abort();
      reject(new PushTimeout(step));
    }, Math.max(0, deadline - Date.now()));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * Asks permission (only after the person tapped a button that turns notifications on) and subscribes.
 * Every await shares one budget (PUSH_BUDGET_MS): past it, a PushTimeout naming the step is thrown; the
 * server's refusals are thrown as ApiErrors. enablePushErrorMessage words either.
 */
export async function enablePush(options: { budgetMs?: number } = {}): Promise<EnableResult> {
  const support = pushSupport();
  if (support !== 'supported') return support;
  const deadline = Date.now() + (options.budgetMs ?? PUSH_BUDGET_MS);
  const call = <T,>(step: PushStep, path: string, init: Parameters<typeof api>[1] = {}) => {
    const abort = new AbortController();
    return bounded(api<T>(path, { ...init, signal: abort.signal }), deadline, step, abort);
  };
  let key: string;
  try {
    key = (await call<{ public_key: string }>('key', '/api/v1/push/vapid-key/')).public_key;
  } catch (err) {
    if (err instanceof ApiError && err.status === 503) return 'push-off';
    throw err;
  }
  const result = await bounded(Notification.requestPermission(), deadline, 'permission');
  if (result !== 'granted') return 'denied';
  const reg = await bounded(navigator.serviceWorker.ready, deadline, 'worker');
  const subscribe = () =>
    bounded(
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(key) }),
      deadline,
      'subscribe',
    );
  const sub = (await bounded(reg.pushManager.getSubscription(), deadline, 'subscribe')) ?? (await subscribe());
  const save = (s: PushSubscription) =>
    call('save', '/api/v1/push/subscriptions/', { method: 'POST', body: subscriptionBody(s) });
  try {
    await save(sub);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
    // The server keeps this endpoint for another account (its session ended here without a sign-out).
    // A new subscription gets a new endpoint; the old account's row dies when the push service answers
    // 404/410 to it. A second refusal is thrown: the screen shows the server's words.
    await bounded(sub.unsubscribe(), deadline, 'subscribe').catch((e: unknown) => {
      if (e instanceof PushTimeout) throw e;
      return false;
    });
    await save(await subscribe());
  }
  return 'enabled';
}

function subscriptionBody(sub: PushSubscription) {
  const json = sub.toJSON();
  return { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
}

/** What turning notifications on came to, for a screen to say: never thrown, always within the budget. */
export type PushOutcome = { on: true } | { on: false; reason: string };

/** enablePush, with every way it can fail turned into a plain reason ("the phone did not answer in time"). */
export async function turnOnPush(options: { budgetMs?: number } = {}): Promise<PushOutcome> {
  try {
    const result = await enablePush(options);
    if (result === 'enabled') return { on: true };
    return { on: false, reason: strings.push.reasons[result] };
  } catch (err) {
    return { on: false, reason: enablePushErrorMessage(err) };
  }
}

/**
 * What the notifications screen says when turning them on failed: the server's message about the
 * subscription (such as "turned on for another Crampwise account") rather than a generic sentence.
 */
export function enablePushErrorMessage(error: unknown): string {
  if (error instanceof PushTimeout) return error.message;
  if (error instanceof ApiError) {
    const messages = error.fields.endpoint ?? Object.values(error.fields).find((m) => m.length > 0);
    if (messages?.length) return messages.join(' ');
  }
  return errorMessage(error);
}

/** Removes this phone's subscription, on the server (when `server`) and in the browser. */
export async function disablePush(options: { server: boolean }): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  if (options.server) {
    try {
      await api('/api/v1/push/subscriptions/', { method: 'DELETE', body: { endpoint: sub.endpoint } });
    } catch {
      // best effort: the server also drops dead subscriptions (404/410) by itself
    }
  }
  try {
    await sub.unsubscribe();
  } catch {
    // already gone
  }
}
