// Push messages and their notification buttons, as plain functions (no service-worker globals), so they
// are unit-tested (tests/notification.test.ts). The payload is diary/services/deliveries.py push_payload:
// {title, body, tag, reminder, kind, occurrence, action_token, actions}; a clinician's urgent alert is
// {title, body, tag, url} (generic text, no action); a weekly summary {title, body, tag, reminder, kind,
// occurrence, url} (generic text: the words are on the page it opens).

import type { Language } from '../locale';
import { FALLBACK_WORDS } from './fallback';

export interface PushPayload {
  title: string;
  body: string;
  tag: string;
  reminder?: string;
  kind?: string;
  occurrence?: string;
  action_token?: string;
  actions?: Array<{ action: string; title: string }>;
  /** Where a tap opens the app (a clinician's alert: "/clinician"); only the app's own paths are used. */
  url?: string;
}

/** The app's own paths a push message may ask a tap to open. */
const OPENABLE_PATHS = ['/clinician'];
/** The weekly summary (diary/services/deliveries.py summary_path): its page, for one week's last day. */
const WEEKLY_SUMMARY = /^\/summary\/weekly\?week=\d{4}-\d{2}-\d{2}$/;

export const FALLBACK_TITLE = FALLBACK_WORDS.en.title;
export const FALLBACK_BODY = FALLBACK_WORDS.en.body;
export const ACTIONS_URL = '/api/v1/reminders/actions/';
export const SNOOZE_MINUTES = 30;

/** Reads a push message's JSON; anything unreadable still shows a generic, symptom-free notification, in the
 * phone's language (the server words a readable message in the person's own). */
export function parsePayload(read: () => unknown, language: Language = 'en'): PushPayload {
  const fallback = FALLBACK_WORDS[language] ?? FALLBACK_WORDS.en;
  let data: unknown;
  try {
    data = read();
  } catch {
    data = null;
  }
  const p = (data && typeof data === 'object' ? data : {}) as Partial<PushPayload>;
  return {
    ...p,
    title: typeof p.title === 'string' && p.title ? p.title : fallback.title,
    body: typeof p.body === 'string' ? p.body : fallback.body,
    tag: typeof p.tag === 'string' && p.tag ? p.tag : 'crampwise',
    actions: Array.isArray(p.actions) ? p.actions : [],
  };
}

/** The arguments of registration.showNotification: the same tag replaces a repeat of one occurrence. */
export function notificationFor(payload: PushPayload): { title: string; options: Record<string, unknown> } {
  return {
    title: payload.title,
    options: {
      body: payload.body,
      tag: payload.tag,
      renotify: false,
      data: payload,
      actions: payload.actions ?? [],
      icon: '/icon-192.png',
      badge: '/icon-192.png',
    },
  };
}

/** Where a tap on the notification itself opens the app. */
export function urlFor(payload: Partial<PushPayload> | null | undefined): string {
  if (typeof payload?.url === 'string' && (OPENABLE_PATHS.includes(payload.url) || WEEKLY_SUMMARY.test(payload.url))) {
    return payload.url;
  }
  switch (payload?.kind) {
    case 'morning_checkin':
    case 'evening_checkin':
      return '/checkin';
    default:
      return '/';
  }
}

export interface ActionDeps {
  fetch: typeof fetch;
  /** Focuses an open window of the app (navigating it to url) or opens a new one. */
  openApp: (url: string) => Promise<void>;
}

export type ActionOutcome = 'done' | 'snoozed' | 'opened' | 'failed-opened';

/**
 * A click on a notification: "done" and "snooze" call POST /api/v1/reminders/actions/ with the message's
 * signed token (no cookies: the token authorises it); anything else (or a failure) opens the app.
 */
export async function handleNotificationClick(
  action: string,
  data: Partial<PushPayload> | null | undefined,
  deps: ActionDeps,
): Promise<ActionOutcome> {
  if ((action === 'done' || action === 'snooze') && data?.action_token) {
    try {
      const response = await deps.fetch(ACTIONS_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ token: data.action_token, action, minutes: SNOOZE_MINUTES }),
        credentials: 'omit',
        cache: 'no-store',
      });
      if (response.ok) return action === 'done' ? 'done' : 'snoozed';
    } catch {
      // offline: let the person do it in the app
    }
    await deps.openApp(action === 'done' ? urlFor(data) : '/reminders');
    return 'failed-opened';
  }
  await deps.openApp(urlFor(data));
  return 'opened';
}
