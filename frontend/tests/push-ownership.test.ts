// One browser, one account's notifications: a new person signing in here stops the previous person's
// reminders, enabling notifications copes with a subscription the server keeps for another account (409),
// and the notifications screen shows the server's message about it.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import type { User } from '../src/api/types';
import { kvSet } from '../src/db/db';
import { app } from '../src/state';
import { strings } from '../src/strings';

const ENDPOINT_TAKEN =
  'Notifications in this browser are turned on for another Crampwise account. That account must turn ' +
  'them off, or sign out in this browser, before they can be turned on for yours.';

const alice: User = { id: 'a1', email: 'alice@example.com', role: 'patient' };
const carol: User = { id: 'c1', email: 'carol@example.com', role: 'patient' };
const people = [alice, carol];

// The browser's push service, as browsers behave: subscribe() hands back the subscription the browser
// already has, and a new endpoint only after unsubscribe().
interface FakeSubscription {
  endpoint: string;
  toJSON(): PushSubscriptionJSON;
  unsubscribe(): Promise<boolean>;
}
let browserSubscription: FakeSubscription | null = null;
let issued = 0;
const unsubscribed: string[] = [];

function newSubscription(): FakeSubscription {
  const n = ++issued;
  const endpoint = `https://push.example/send/${n}`;
  const sub: FakeSubscription = {
    endpoint,
    toJSON: () => ({ endpoint, keys: { p256dh: `p256dh-${n}`, auth: `auth-${n}` } }),
    unsubscribe: async () => {
      if (browserSubscription === sub) browserSubscription = null;
      unsubscribed.push(endpoint);
      return true;
    },
  };
  return sub;
}

const pushManager = {
  getSubscription: async () => browserSubscription,
  subscribe: vi.fn(async () => (browserSubscription ??= newSubscription())),
};

// The server, as far as push goes: who is signed in, and which account each endpoint is stored for.
let signedIn: User | null = null;
const owners = new Map<string, string>();
let refuseEvery = false;
const posts: { endpoint: string; status: number }[] = [];

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function server(url: string, method: string, body: Record<string, unknown> | undefined): Response {
  if (url === '/api/v1/auth/login/' && method === 'POST') {
    signedIn = people.find((p) => p.email === body?.email) ?? null;
    return signedIn ? json(200, signedIn) : json(400, { detail: 'Wrong email or password.' });
  }
  if (url === '/api/v1/profile/') return json(200, { ...signedIn, display_name: 'x', timezone: 'UTC' });
  if (url === '/api/v1/push/vapid-key/') return json(200, { public_key: 'BPublicKey_from-the-server' });
  if (url === '/api/v1/push/subscriptions/' && method === 'POST') {
    const endpoint = String(body?.endpoint);
    const owner = owners.get(endpoint);
    const status = refuseEvery || (owner !== undefined && owner !== signedIn?.id) ? 409 : 201;
    posts.push({ endpoint, status });
    if (status === 409) return json(409, { endpoint: [ENDPOINT_TAKEN] });
    owners.set(endpoint, signedIn!.id);
    return json(201, body);
  }
  return new Response(null, { status: 204 });
}

let session: typeof import('../src/session');
let push: typeof import('../src/push/subscribe');

beforeAll(async () => {
  const address = new URL('http://localhost/reminders');
  const moveTo = (_: unknown, __: string, url: string) => {
    address.href = new URL(url, address).href;
  };
  vi.stubGlobal('location', address);
  vi.stubGlobal('history', { pushState: moveTo, replaceState: moveTo });
  vi.stubGlobal('window', Object.assign(globalThis, { scrollTo: () => undefined }));
  vi.stubGlobal('PushManager', class {});
  vi.stubGlobal('Notification', { permission: 'granted', requestPermission: async () => 'granted' });
  vi.stubGlobal('navigator', { onLine: true, userAgent: 'node', serviceWorker: { ready: Promise.resolve({ pushManager }) } });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) =>
    server(url, init.method ?? 'GET', typeof init.body === 'string' ? JSON.parse(init.body) : undefined),
  );
  // The router reads the address when it loads: after the stubs.
  session = await import('../src/session');
  push = await import('../src/push/subscribe');
});

/** Alice turned notifications on in this browser, then her session ended here without a sign-out. */
async function alicesSessionEndedWithNotificationsOn(): Promise<FakeSubscription> {
  signedIn = alice;
  await kvSet('user', alice);
  app.set({ user: alice });
  expect(await push.enablePush()).toBe('enabled');
  signedIn = null;
  app.set({ user: null, authRequired: true });
  posts.length = 0;
  return browserSubscription!;
}

beforeEach(() => {
  browserSubscription = null;
  unsubscribed.length = 0;
  owners.clear();
  posts.length = 0;
  refuseEvery = false;
  signedIn = null;
  pushManager.subscribe.mockClear();
  app.set({ user: null, profile: null, notice: null });
});

describe('another person signing in on this browser', () => {
  it('stops the previous account’s notifications to this browser', async () => {
    const alices = await alicesSessionEndedWithNotificationsOn();

    await session.signIn(carol.email, 'calf-stretch-2026');

    expect(unsubscribed).toEqual([alices.endpoint]);
    expect(await push.currentSubscription()).toBeNull();
  });

  it('lets the new person turn notifications on at the first try, with a browser subscription of her own', async () => {
    const alices = await alicesSessionEndedWithNotificationsOn();
    await session.signIn(carol.email, 'calf-stretch-2026');

    expect(await push.enablePush()).toBe('enabled');

    expect(posts).toHaveLength(1);
    expect(posts[0].status).toBe(201);
    expect(posts[0].endpoint).not.toBe(alices.endpoint);
    expect(owners.get(posts[0].endpoint)).toBe(carol.id);
  });

  it('keeps the notifications when the same person signs in again', async () => {
    const alices = await alicesSessionEndedWithNotificationsOn();

    await session.signIn(alice.email, 'calf-stretch-2026');

    expect(unsubscribed).toEqual([]);
    expect(browserSubscription).toBe(alices);
  });
});

describe('turning notifications on when the server keeps this browser’s endpoint for another account', () => {
  it('subscribes the browser again and sends the new endpoint', async () => {
    const alices = await alicesSessionEndedWithNotificationsOn();
    // This browser no longer knows who was here before (storage cleared): only the server's 409 tells.
    signedIn = carol;
    await kvSet('user', carol);
    app.set({ user: carol });

    expect(await push.enablePush()).toBe('enabled');

    expect(posts.map((p) => p.status)).toEqual([409, 201]);
    expect(posts[0].endpoint).toBe(alices.endpoint);
    expect(unsubscribed).toEqual([alices.endpoint]);
    expect(browserSubscription?.endpoint).toBe(posts[1].endpoint);
    expect(owners.get(posts[1].endpoint)).toBe(carol.id);
    expect(owners.get(alices.endpoint)).toBe(alice.id);
  });

  it('tries once more only, and the screen shows the server’s message when that is refused too', async () => {
    signedIn = carol;
    refuseEvery = true;

    const refused = await push.enablePush().catch((err: unknown) => err);

    expect(refused).toBeInstanceOf(ApiError);
    expect(posts.map((p) => p.status)).toEqual([409, 409]);
    expect(push.enablePushErrorMessage(refused)).toBe(ENDPOINT_TAKEN);
  });
});

describe('what the notifications screen says when turning them on failed', () => {
  it('shows the message about the subscription rather than the generic conflict sentence', () => {
    const taken = new ApiError('conflict', 409, { endpoint: [ENDPOINT_TAKEN] });
    expect(push.enablePushErrorMessage(taken)).toBe(ENDPOINT_TAKEN);
    const badKeys = new ApiError('validation', 400, { keys: ["Send the subscription's p256dh and auth keys."] });
    expect(push.enablePushErrorMessage(badKeys)).toBe("Send the subscription's p256dh and auth keys.");
  });

  it('falls back to the usual sentences when the server named no field', () => {
    expect(push.enablePushErrorMessage(new ApiError('conflict', 409))).toBe(strings.errors.conflict);
    expect(push.enablePushErrorMessage(new ApiError('offline', 0))).toBe(strings.errors.offlineNoSave);
  });
});
