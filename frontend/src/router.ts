// Client-side routing on real paths with the History API (Django serves index.html at every app path).

import { createStore, useStore } from './store';

export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  return { path: location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) };
}

export const routeStore = createStore<{ route: Route }>({ route: current() });

/** How many of the app's own history entries lie behind this one (0: the app was opened here). */
export function historyDepth(): number {
  const depth = (history.state as { depth?: unknown } | null)?.depth;
  return typeof depth === 'number' ? depth : 0;
}

/**
 * A screen with a draft may hold a leave: it answers false when it asks first (its own dialog), and later
 * leaves by `leave()` (Discard). `how` is "back" for the browser's or phone's Back, "link" for a tap in the app.
 */
export type LeaveGuard = (to: string, how: 'back' | 'link') => boolean;
let guard: { check: LeaveGuard; url: string; state: unknown } | null = null;

/** Holds leaves from the current screen while `check` is set; null lets them go again. */
export function setLeaveGuard(check: LeaveGuard | null): void {
  guard = check ? { check, url: location.pathname + location.search + location.hash, state: history.state } : null;
}

export function navigate(to: string, options: { replace?: boolean; force?: boolean } = {}): void {
  const url = new URL(to, location.origin);
  if (url.pathname + url.search === location.pathname + location.search) return;
  if (guard && !options.force && !guard.check(url.pathname + url.search, 'link')) return;
  guard = null;
  const path = url.pathname + url.search + url.hash;
  if (options.replace) history.replaceState({ depth: historyDepth() }, '', path);
  else history.pushState({ depth: historyDepth() + 1 }, '', path);
  routeStore.set({ route: current() });
  window.scrollTo(0, 0);
}

/** Leaves the current screen as Back does, past any guard (Discard, or Cancel with nothing to lose). */
export function goBack(): void {
  guard = null;
  history.back();
}

export function startRouter(): void {
  window.addEventListener('popstate', () => {
    if (guard && !guard.check(location.pathname + location.search, 'back')) {
      // The browser has already left: put the form's entry back while the person decides.
      history.pushState(guard.state, '', guard.url);
      return;
    }
    guard = null;
    routeStore.set({ route: current() });
  });
}

export function useRoute(): Route {
  return useStore(routeStore).route;
}

/** Click handler for same-app links: plain clicks navigate in place; modified clicks behave as usual. */
export function linkClick(event: MouseEvent, href: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(href);
}

/** Where to go after signing in: the `next` query (a same-app path only), else Today. */
export function nextPath(query: URLSearchParams = new URLSearchParams(location.search)): string {
  const next = query.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/';
}
