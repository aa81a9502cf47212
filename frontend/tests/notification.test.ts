// The service worker's push and notification-click handling (src/sw/actions.ts).
import { describe, expect, it, vi } from 'vitest';
import { ACTIONS_URL, handleNotificationClick, notificationFor, parsePayload, urlFor, type PushPayload } from '../src/sw/actions';

const payload: PushPayload = {
  title: 'Crampwise',
  body: 'Time for your legs',
  tag: 'reminder-42-2026-03-20T07:00:00+00:00',
  reminder: '42',
  kind: 'compression_on',
  occurrence: '2026-03-20T07:00:00+00:00',
  action_token: 'signed:token',
  actions: [
    { action: 'done', title: 'Done' },
    { action: 'snooze', title: 'Snooze 30 min' },
  ],
};

function deps(status = 200) {
  return {
    fetch: vi.fn(async () => new Response(JSON.stringify({ reminder: {}, logged: null }), { status })),
    openApp: vi.fn(async () => undefined),
  };
}

describe('push', () => {
  it('shows the payload with its tag (a repeat replaces, never renotifies), its buttons and its data', () => {
    const { title, options } = notificationFor(parsePayload(() => payload));
    expect(title).toBe('Crampwise');
    expect(options).toMatchObject({ body: 'Time for your legs', tag: payload.tag, renotify: false, data: payload, actions: payload.actions });
  });

  it('falls back to generic, symptom-free text when the message cannot be read', () => {
    const parsed = parsePayload(() => {
      throw new SyntaxError('bad json');
    });
    expect(parsed).toMatchObject({ title: 'Crampwise', body: 'Time for your legs', actions: [] });
  });

  it('words that fallback in the phone language, and a readable message as the server sent it', () => {
    const unreadable = () => {
      throw new SyntaxError('bad json');
    };
    expect(parsePayload(unreadable, 'de').body).toBe('Zeit für Ihre Beine');
    expect(parsePayload(unreadable, 'es').body).toBe('Es hora de cuidar sus piernas');
    expect(parsePayload(() => ({ ...payload, body: 'Zeit für die Strümpfe' }), 'es').body).toBe('Zeit für die Strümpfe');
  });
});

describe('notification buttons', () => {
  it.each([
    ['done', 'done'],
    ['snooze', 'snoozed'],
  ])('"%s" posts the action with the message token, without cookies', async (action, outcome) => {
    const d = deps();
    expect(await handleNotificationClick(action, payload, d)).toBe(outcome);
    expect(d.fetch).toHaveBeenCalledTimes(1);
    const [url, init] = d.fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(ACTIONS_URL);
    expect(url).toBe('/api/v1/reminders/actions/');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('omit');
    expect(JSON.parse(String(init.body))).toEqual({ token: 'signed:token', action, minutes: 30 });
    expect(d.openApp).not.toHaveBeenCalled();
  });

  it('opens the app when the action fails (expired token, offline)', async () => {
    const expired = deps(400);
    expect(await handleNotificationClick('snooze', payload, expired)).toBe('failed-opened');
    expect(expired.openApp).toHaveBeenCalledWith('/reminders');

    const offline = { fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))), openApp: vi.fn(async () => undefined) };
    expect(await handleNotificationClick('done', payload, offline)).toBe('failed-opened');
    expect(offline.openApp).toHaveBeenCalledTimes(1);
  });

  it('a tap on the notification itself opens (or focuses) the app where it helps', async () => {
    const d = deps();
    expect(await handleNotificationClick('', { ...payload, kind: 'morning_checkin' }, d)).toBe('opened');
    expect(d.fetch).not.toHaveBeenCalled();
    expect(d.openApp).toHaveBeenCalledWith('/checkin');
    expect(urlFor({ kind: 'hydration' })).toBe('/');
    expect(urlFor(null)).toBe('/');
  });

  it("opens a clinician's alert at the triage list, and no address a message names outside the app's list", () => {
    expect(urlFor({ url: '/clinician' })).toBe('/clinician');
    expect(urlFor({ url: 'https://evil.example/clinician' })).toBe('/');
    expect(urlFor({ url: '//evil.example' })).toBe('/');
    expect(urlFor({ url: '/clinician/../admin/' })).toBe('/');
  });

  it('does not call the API without a token', async () => {
    const d = deps();
    expect(await handleNotificationClick('done', { ...payload, action_token: undefined }, d)).toBe('opened');
    expect(d.fetch).not.toHaveBeenCalled();
  });
});
