// The app's start, once its language is in place (main.tsx): the router, the theme, the service worker and
// the sync triggers, then the app.

import { render } from 'preact';
import { App } from './app';
import { kvSet } from './db/db';
import { language } from './locale';
import { registerServiceWorker } from './pwa';
import { startRouter } from './router';
import { boot } from './session';
import { startSyncTriggers } from './sync/runtime';
import { startTheme } from './theme';

startRouter();
startTheme();
registerServiceWorker();
startSyncTriggers();
render(<App />, document.getElementById('app')!);
// The service worker words a push it cannot read in the app's language (src/sw/fallback.ts).
void kvSet('language', language()).catch(() => undefined);
void boot();
