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

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, location.origin);
  if (url.pathname + url.search === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', url.pathname + url.search + url.hash);
  else history.pushState(null, '', url.pathname + url.search + url.hash);
  routeStore.set({ route: current() });
  window.scrollTo(0, 0);
}

export function startRouter(): void {
  window.addEventListener('popstate', () => routeStore.set({ route: current() }));
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
