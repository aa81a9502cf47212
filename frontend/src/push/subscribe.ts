// Web Push on this phone: the VAPID key from the server, PushManager.subscribe, and the subscription
// sent to /api/v1/push/subscriptions/. On iOS, push works only from the Home Screen app.

import { api, ApiError, errorMessage } from '../api/client';

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

/** Asks permission (only after the person tapped "Enable notifications") and subscribes. */
export async function enablePush(): Promise<EnableResult> {
  const support = pushSupport();
  if (support !== 'supported') return support;
  let key: string;
  try {
    key = (await api<{ public_key: string }>('/api/v1/push/vapid-key/')).public_key;
  } catch (err) {
    if (err instanceof ApiError && err.status === 503) return 'push-off';
    throw err;
  }
  const result = await Notification.requestPermission();
  if (result !== 'granted') return 'denied';
  const reg = await registration();
  if (!reg) return 'unsupported';
  const subscribe = () =>
    reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(key) });
  const sub = (await reg.pushManager.getSubscription()) ?? (await subscribe());
  try {
    await saveSubscription(sub);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
    // The server keeps this endpoint for another account (its session ended here without a sign-out).
    // A new subscription gets a new endpoint; the old account's row dies when the push service answers
    // 404/410 to it. A second refusal is thrown: the screen shows the server's words.
    await sub.unsubscribe().catch(() => false);
    await saveSubscription(await subscribe());
  }
  return 'enabled';
}

async function saveSubscription(sub: PushSubscription): Promise<void> {
  const json = sub.toJSON();
  await api('/api/v1/push/subscriptions/', {
    method: 'POST',
    body: { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } },
  });
}

/**
 * What the notifications screen says when turning them on failed: the server's message about the
 * subscription (such as "turned on for another Crampwise account") rather than a generic sentence.
 */
export function enablePushErrorMessage(error: unknown): string {
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
