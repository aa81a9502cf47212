// Erasing the account: the password (and the code) go in the body of the DELETE, a refused try erases
// nothing on the phone and signs nobody out, and only a 204 wipes the phone.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, errorMessage, onAuthRequired } from '../src/api/client';
import { kvGet, kvSet } from '../src/db/db';
import { app } from '../src/state';
import { strings } from '../src/strings';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

// No browser here: the few browser objects the session code touches (the address, history, a service
// worker with one push subscription). The network is a fetch that records each request and answers
// DELETE /api/v1/account/ with `answer`.
const sent: Sent[] = [];
let answer: () => Response = () => new Response(null, { status: 204 });
const unsubscribe = vi.fn(async () => true);
const subscription = { endpoint: 'https://push.example/abc', unsubscribe };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

let session: typeof import('../src/session');

beforeAll(async () => {
  const address = new URL('http://localhost/profile');
  const moveTo = (_: unknown, __: string, url: string) => {
    address.href = new URL(url, address).href;
  };
  vi.stubGlobal('location', address);
  vi.stubGlobal('history', { pushState: moveTo, replaceState: moveTo });
  vi.stubGlobal('window', Object.assign(globalThis, { scrollTo: () => undefined }));
  vi.stubGlobal('navigator', {
    onLine: true,
    userAgent: 'node',
    serviceWorker: { ready: Promise.resolve({ pushManager: { getSubscription: async () => subscription } }) },
  });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    sent.push({
      url,
      method,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
    });
    if (url === '/api/v1/account/' && method === 'DELETE') return answer();
    return new Response(null, { status: 204 });
  });
  // The router reads the address when it loads: after the stubs.
  session = await import('../src/session');
});

const alice = { id: 'a1', email: 'alice@example.com', role: 'patient' as const };

beforeEach(async () => {
  sent.length = 0;
  unsubscribe.mockClear();
  location.href = 'http://localhost/profile';
  await kvSet('user', alice);
  app.set({ user: alice, notice: null });
});

afterEach(() => {
  answer = () => new Response(null, { status: 204 });
});

const deletes = () => sent.filter((r) => r.url === '/api/v1/account/' && r.method === 'DELETE');

describe('erasing the account', () => {
  it('sends the password and the code in the body of the DELETE, then wipes the phone', async () => {
    await session.deleteAccount('calf-stretch-2026', ' 123 456 ');
    expect(deletes()).toHaveLength(1);
    expect(deletes()[0].body).toEqual({ password: 'calf-stretch-2026', otp: '123456' });
    expect(deletes()[0].headers['Content-Type']).toBe('application/json');

    expect(await kvGet('user')).toBeUndefined();
    expect(app.get()).toMatchObject({ user: null, notice: strings.profile.deleted });
    expect(location.pathname).toBe('/signin');
    // The server dropped the subscription with the account: only the browser's copy is removed.
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(sent.some((r) => r.url.startsWith('/api/v1/push/'))).toBe(false);
  });

  it('sends the password alone when there is no code to send', async () => {
    await session.deleteAccount('calf-stretch-2026');
    await session.deleteAccount('calf-stretch-2026', '  ');
    expect(deletes().map((r) => r.body)).toEqual([{ password: 'calf-stretch-2026' }, { password: 'calf-stretch-2026' }]);
  });

  it('erases nothing on the phone and keeps the sign-in and the reminders after a wrong password', async () => {
    answer = () => json(400, { password: ['This password is not right.'] });
    let signedOut = 0;
    const stop = onAuthRequired(() => signedOut++);
    try {
      const refused = await session.deleteAccount('wrong', null).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).fields).toEqual({ password: ['This password is not right.'] });
      expect(signedOut).toBe(0);
    } finally {
      stop();
    }
    expect(await kvGet('user')).toEqual(alice);
    expect(app.get().user).toEqual(alice);
    expect(location.pathname).toBe('/profile');
    expect(unsubscribe).not.toHaveBeenCalled();
  });

  it('keeps everything when the code is missing or wrong, and names the code field', async () => {
    answer = () => json(400, { otp: ['This code is not right or was used already.'] });
    await expect(session.deleteAccount('calf-stretch-2026', '000000')).rejects.toMatchObject({
      kind: 'validation',
      fields: { otp: ['This code is not right or was used already.'] },
    });
    expect(await kvGet('user')).toEqual(alice);
    expect(unsubscribe).not.toHaveBeenCalled();
  });

  it('does not sign out on a 403 about the password, but does when the sign-in has ended', async () => {
    let signedOut = 0;
    const stop = onAuthRequired(() => signedOut++);
    try {
      answer = () => json(403, { password: ['This password is not right.'] });
      await expect(session.deleteAccount('wrong')).rejects.toMatchObject({ status: 403 });
      expect(signedOut).toBe(0);

      answer = () => json(403, { detail: 'Authentication credentials were not provided.' });
      await expect(session.deleteAccount('calf-stretch-2026')).rejects.toMatchObject({ status: 403 });
      expect(signedOut).toBe(1);
    } finally {
      stop();
    }
  });

  it('says how long to wait after too many tries, and erases nothing', async () => {
    answer = () => json(429, { detail: 'Request was throttled.' }, { 'Retry-After': '600' });
    const refused = await session.deleteAccount('wrong').catch((err: unknown) => err);
    expect(refused).toMatchObject({ kind: 'throttled', retryAfterSeconds: 600 });
    expect(errorMessage(refused)).toBe('Too many attempts. Try again in 10 minutes.');
    expect(await kvGet('user')).toEqual(alice);
  });
});

describe('the check before erasing', () => {
  it('sends nothing without a password, nor without a code when the code field is shown', () => {
    expect(session.accountDeletionProblem('', null)?.fields).toEqual({ password: [strings.profile.deleteNeedPassword] });
    expect(session.accountDeletionProblem('calf-stretch-2026', ' ')?.fields).toEqual({ otp: [strings.twoFactor.needCode] });
    expect(session.accountDeletionProblem('calf-stretch-2026', null)).toBeNull();
    expect(session.accountDeletionProblem('calf-stretch-2026', '123456')).toBeNull();
  });

  it('puts the code in the body only when there is one', () => {
    expect(session.accountDeletionBody('pw', null)).toEqual({ password: 'pw' });
    expect(session.accountDeletionBody('pw', '12-34 56')).toEqual({ password: 'pw', otp: '123456' });
  });
});
