// Entry point: storage, the router, the theme, the service worker and the sync triggers, then the app.

import { render } from 'preact';
import { App } from './app';
import { registerServiceWorker } from './pwa';
import { startRouter } from './router';
import { boot } from './session';
import { startSyncTriggers } from './sync/runtime';
import { startTheme } from './theme';
import './styles.css';

startRouter();
startTheme();
registerServiceWorker();
startSyncTriggers();
render(<App />, document.getElementById('app')!);
void boot();
