// The HTTP call of the queue, shared by the page and the service worker (no DOM here).

import type { QueueItem, Send, SendResult } from './queue';

export const API = '/api/v1';

export function itemUrl(item: Pick<QueueItem, 'collection' | 'method' | 'recordId'>): string {
  return item.method === 'POST' ? `${API}/${item.collection}/` : `${API}/${item.collection}/${item.recordId}/`;
}

export interface HttpSendOptions {
  fetch: typeof fetch;
  /** The CSRF token (from the csrftoken cookie); `refresh` asks the server for a new one. */
  csrf: (refresh: boolean) => Promise<string | null>;
}

export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const when = Date.parse(header);
  return Number.isNaN(when) ? null : Math.max(0, Math.round((when - now) / 1000));
}

export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isCsrfFailure(status: number, body: unknown): boolean {
  if (status !== 403 || !body || typeof body !== 'object') return false;
  const detail = (body as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail.toLowerCase().includes('csrf');
}

export function httpSend(options: HttpSendOptions): Send {
  return async (item: QueueItem): Promise<SendResult> => {
    const attempt = async (refresh: boolean): Promise<SendResult> => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      const token = await options.csrf(refresh);
      if (token) headers['X-CSRFToken'] = token;
      let body: string | undefined;
      if (item.method !== 'DELETE') {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(item.body);
      }
      const response = await options.fetch(itemUrl(item), {
        method: item.method,
        headers,
        body,
        credentials: 'same-origin',
        cache: 'no-store',
      });
      return {
        status: response.status,
        body: await readBody(response),
        retryAfterSeconds: retryAfterSeconds(response.headers.get('Retry-After')),
      };
    };
    const first = await attempt(false);
    // A stale CSRF cookie (e.g. after signing in again): fetch a fresh token once and retry.
    return isCsrfFailure(first.status, first.body) ? attempt(true) : first;
  };
}
