// The page's HTTP client for /api/v1/: session cookie, X-CSRFToken on every write, no HTTP cache, and
// errors turned into one ApiError with a kind the screens can explain in plain words.

import { kvSet } from '../db/db';
import { API, readBody, retryAfterSeconds } from '../sync/http';
import { parseErrorBody } from '../sync/queue';
import { strings } from '../strings';

export type ErrorKind = 'validation' | 'auth' | 'forbidden' | 'notfound' | 'conflict' | 'throttled' | 'server' | 'offline' | 'other';

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly fields: Record<string, string[]>;
  readonly detail?: string;
  readonly retryAfterSeconds: number | null;

  constructor(kind: ErrorKind, status: number, fields: Record<string, string[]> = {}, detail?: string, retryAfter: number | null = null) {
    super(detail ?? kind);
    this.kind = kind;
    this.status = status;
    this.fields = fields;
    this.detail = detail;
    this.retryAfterSeconds = retryAfter;
  }
}

export function kindOf(status: number): ErrorKind {
  if (status === 400 || status === 422) return 'validation';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'notfound';
  if (status === 409) return 'conflict';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server';
  return 'other';
}

/**
 * The 403 a clinician endpoint gives when the deployment requires two-factor sign-in and the clinician
 * has not turned it on: not an ended session, so it must not sign anyone out.
 */
export function isTwoFactorRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && /two-factor/i.test(error.detail ?? '');
}

/** A human sentence for any error. `saved`: the entry is kept on the phone (offline-first writes). */
export function errorMessage(error: unknown, options: { saved?: boolean } = {}): string {
  const e = strings.errors;
  if (!(error instanceof ApiError)) return e.unknown;
  switch (error.kind) {
    case 'offline':
      return options.saved ? e.offline : e.offlineNoSave;
    case 'server':
      return options.saved ? e.server : e.serverNoSave;
    case 'auth':
      return e.auth;
    case 'forbidden':
      return isTwoFactorRequired(error) ? strings.twoFactor.required : e.forbidden;
    case 'notfound':
      return e.notFound;
    case 'conflict':
      return error.detail || e.conflict;
    case 'throttled': {
      if (error.retryAfterSeconds === null) return e.throttledSoon;
      return e.throttled(Math.max(1, Math.ceil(error.retryAfterSeconds / 60)));
    }
    case 'validation':
      return error.detail || e.validation;
    default:
      return error.detail || e.unknown;
  }
}

// --- CSRF ---

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

let csrfRequest: Promise<void> | null = null;

/** GET /auth/csrf/ (sets the csrftoken cookie); one request at a time. Only the cookie matters, but the
 * body is still read to its end: a body left unread keeps the connection busy, so the page never reaches
 * network idle and tools that wait for it time out. */
export function fetchCsrf(): Promise<void> {
  csrfRequest ??= fetch(`${API}/auth/csrf/`, { credentials: 'same-origin', cache: 'no-store' })
    .then((response) => response.arrayBuffer())
    .then(() => undefined)
    .catch(() => undefined)
    .finally(() => {
      csrfRequest = null;
    });
  return csrfRequest;
}

/** The CSRF token for a write; asks the server for the cookie when it is missing (or `refresh`). */
export async function csrfToken(refresh = false): Promise<string | null> {
  if (refresh || !readCookie('csrftoken')) await fetchCsrf();
  const token = readCookie('csrftoken');
  // The service worker cannot read cookies everywhere: it uses the last token the page saw.
  if (token) void kvSet('csrf', token).catch(() => undefined);
  return token;
}

// --- requests ---

type AuthListener = () => void;
const authListeners = new Set<AuthListener>();

/** Called when the server says the sign-in has ended (401/403 on a signed-in request). */
export function onAuthRequired(listener: AuthListener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

export function notifyAuthRequired(): void {
  for (const l of authListeners) l();
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Auth endpoints: a 401/403 there is about the form, not an ended session. */
  public?: boolean;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const send = async (refreshCsrf: boolean): Promise<Response> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET') {
      const token = await csrfToken(refreshCsrf);
      if (token) headers['X-CSRFToken'] = token;
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(path.startsWith('/') ? path : `${API}/${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: options.signal,
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiError('offline', 0);
    }
  };
  let response = await send(false);
  let body = await readBody(response).catch(() => null);
  if (response.status === 403 && method !== 'GET' && isCsrfFailure(body)) {
    response = await send(true);
    body = await readBody(response).catch(() => null);
  }
  if (response.ok) return body as T;
  const parsed = parseErrorBody(response.status, body);
  const error = new ApiError(
    kindOf(response.status),
    response.status,
    parsed.fields,
    parsed.detail,
    retryAfterSeconds(response.headers.get('Retry-After')),
  );
  if ((error.kind === 'auth' || error.kind === 'forbidden') && !options.public && !isTwoFactorRequired(error)) {
    notifyAuthRequired();
  }
  throw error;
}

function isCsrfFailure(body: unknown): boolean {
  const detail = body && typeof body === 'object' ? (body as { detail?: unknown }).detail : null;
  return typeof detail === 'string' && detail.toLowerCase().includes('csrf');
}

/** Every page of a paginated list, up to `max` items. */
export async function listAll<T>(path: string, max = 200): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = path;
  while (next && out.length < max) {
    const page: { results?: T[]; next?: string | null } | T[] = await api(next);
    if (Array.isArray(page)) return page.slice(0, max);
    out.push(...(page.results ?? []));
    next = page.next ? toPath(page.next) : null;
  }
  return out.slice(0, max);
}

/** A paginated list's first page (or a plain list), as an array. */
export async function listFirst<T>(path: string): Promise<T[]> {
  const page: { results?: T[] } | T[] = await api(path);
  return Array.isArray(page) ? page : (page.results ?? []);
}

/** A page link's path and query (the server's `next` is absolute; the API is same-origin). */
export function toPath(url: string): string {
  try {
    const u = new URL(url, 'http://x');
    return u.pathname + u.search;
  } catch {
    return url;
  }
}
