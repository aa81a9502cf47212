// The first run: the time zone search finds a zone by a few letters, and turning notifications on always
// ends within its budget with a plain reason, whichever step never answers.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { strings } from '../src/strings';

let picker: typeof import('../src/ui/TimeZonePicker');
let push: typeof import('../src/push/subscribe');
let onboarding: typeof import('../src/screens/Onboarding');

const never = <T>() => new Promise<T>(() => undefined);

// The browser, as far as push goes; each test decides which step hangs.
const subscription = {
  endpoint: 'https://push.example/send/1',
  toJSON: () => ({ endpoint: 'https://push.example/send/1', keys: { p256dh: 'p', auth: 'a' } }),
  unsubscribe: async () => true,
};
let hang: 'key' | 'permission' | 'worker' | 'subscribe' | 'save' | null = null;
let permissionAnswer: NotificationPermission = 'granted';
let keyAfterMs = 0;
const aborted: string[] = [];

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeAll(async () => {
  vi.stubGlobal('location', new URL('http://localhost/'));
  vi.stubGlobal('history', { pushState: () => undefined, replaceState: () => undefined });
  vi.stubGlobal('window', Object.assign(globalThis, { scrollTo: () => undefined }));
  vi.stubGlobal('PushManager', class {});
  vi.stubGlobal('Notification', {
    permission: 'default',
    requestPermission: () => (hang === 'permission' ? never() : Promise.resolve(permissionAnswer)),
  });
  const pushManager = {
    getSubscription: async () => null,
    subscribe: () => (hang === 'subscribe' ? never() : Promise.resolve(subscription)),
  };
  vi.stubGlobal('navigator', {
    onLine: true,
    userAgent: 'node',
    serviceWorker: {
      get ready() {
        return hang === 'worker' ? never() : Promise.resolve({ pushManager });
      },
    },
  });
  vi.stubGlobal('fetch', (url: string, init: RequestInit = {}) => {
    const step = url.includes('vapid-key') ? 'key' : url.includes('subscriptions') ? 'save' : null;
    if (step && hang === step) {
      // A request that never answers, until the caller gives up on it.
      return new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => {
          aborted.push(step);
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        });
      });
    }
    if (step === 'key') {
      const key = json(200, { public_key: 'BPublicKey_from-the-server' });
      return keyAfterMs ? new Promise<Response>((resolve) => setTimeout(() => resolve(key), keyAfterMs)) : Promise.resolve(key);
    }
    if (step === 'save') return Promise.resolve(json(201, {}));
    return Promise.resolve(json(200, {}));
  });
  picker = await import('../src/ui/TimeZonePicker');
  push = await import('../src/push/subscribe');
  onboarding = await import('../src/screens/Onboarding');
});

describe('the time zone search', () => {
  const zones = () => picker.timeZoneList();

  it('lists the browser’s own zones, and the saved one even when the browser does not know it', () => {
    expect(zones()).toContain('Europe/Berlin');
    expect(zones().length).toBeGreaterThan(300);
    expect(picker.timeZoneList(['Asia/Calcutta'])).toContain('Asia/Calcutta');
  });

  it('finds Europe/Berlin from "ber", and only zones that contain it', () => {
    const found = picker.filterTimeZones(zones(), 'ber');
    expect(found).toContain('Europe/Berlin');
    expect(found.length).toBeLessThan(15);
    for (const zone of found) expect(zone.toLowerCase()).toContain('ber');
  });

  it('puts a place that begins with the letters before one that only contains them', () => {
    const found = picker.filterTimeZones(['America/Cumberland_Bay', 'Europe/Berlin', 'Atlantic/Bermuda'], 'BER');
    expect(found).toEqual(['Europe/Berlin', 'Atlantic/Bermuda', 'America/Cumberland_Bay']);
  });

  it('reads spaces as underscores and ignores case and accents', () => {
    expect(picker.filterTimeZones(zones(), 'new york')).toEqual(['America/New_York']);
    expect(picker.filterTimeZones(zones(), 'New_Y')).toEqual(['America/New_York']);
    expect(picker.filterTimeZones(['America/Sao_Paulo'], 'são')).toEqual(['America/Sao_Paulo']);
  });

  it('offers every zone before anything is typed, and none for nonsense', () => {
    expect(picker.filterTimeZones(zones(), '  ')).toEqual(zones());
    expect(picker.filterTimeZones(zones(), 'atlantis')).toEqual([]);
  });
});

describe('turning notifications on', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    hang = null;
    permissionAnswer = 'granted';
    keyAfterMs = 0;
    aborted.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is on when every step answers', async () => {
    expect(await push.turnOnPush()).toEqual({ on: true });
  });

  it.each(['key', 'permission', 'worker', 'subscribe', 'save'] as const)(
    'ends after 15 s with a plain reason when the %s step never answers',
    async (step) => {
      hang = step;
      let outcome: Awaited<ReturnType<typeof push.turnOnPush>> | undefined;
      void push.turnOnPush().then((o) => (outcome = o));
      await vi.advanceTimersByTimeAsync(push.PUSH_BUDGET_MS - 100);
      expect(outcome).toBeUndefined(); // still within the budget
      await vi.advanceTimersByTimeAsync(200);
      expect(outcome).toEqual({ on: false, reason: strings.push.timeout[step] });
      // A request given up on is cancelled, not left open.
      if (step === 'key' || step === 'save') expect(aborted).toEqual([step]);
    },
  );

  it('shares one budget between the steps, not 15 s each', async () => {
    keyAfterMs = 10_000; // a slow server leaves 5 s for the rest
    hang = 'subscribe';
    let outcome: unknown;
    void push.turnOnPush().then((o) => (outcome = o));
    await vi.advanceTimersByTimeAsync(14_900);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(200);
    expect(outcome).toEqual({ on: false, reason: strings.push.timeout.subscribe });
  });

  it('says plainly when notifications are blocked', async () => {
    permissionAnswer = 'denied';
    expect(await push.turnOnPush()).toEqual({ on: false, reason: strings.push.reasons.denied });
  });

  it('words a timeout for the Reminders screen too', async () => {
    hang = 'worker';
    const thrown = push.enablePush().catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(push.PUSH_BUDGET_MS + 1);
    const err = await thrown;
    expect(err).toBeInstanceOf(push.PushTimeout);
    expect(push.enablePushErrorMessage(err)).toBe(strings.push.timeout.worker);
  });
});

describe('the suggested reminders', () => {
  it('suggest stockings on and off only when stockings are prescribed', () => {
    const kinds = (c: Parameters<typeof onboarding.suggestedReminders>[0]) =>
      onboarding.suggestedReminders(c).map((s) => `${s.kind} ${s.time}`);
    expect(kinds('20-30')).toEqual(['compression_on 08:00', 'compression_off 21:00', 'morning_checkin 08:30', 'stretch 21:30']);
    expect(kinds(null)).toEqual(['morning_checkin 08:30', 'stretch 21:30']);
  });
});
