// Entry point: the app's words in its language first, then the app (start.tsx), so every module that takes
// a label when it loads takes it in that language. index.html preloads start's chunk (vite.config.ts).

import { loadLanguage, startingLanguage } from './i18n';
import './styles.css';

await loadLanguage(startingLanguage()).catch(() => undefined); // offline before the catalogue was cached: English
await import('./start');
