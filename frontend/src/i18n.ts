// The app's words in its language: English (the source, strings.ts), German or Spanish, each a catalogue of
// the same shape loaded on demand. The language is chosen before the app's modules run (main.tsx), so a
// label taken at a module's top level is already in it; changing the language reloads the page.

import { isLanguage, language, setLanguage, type Language } from './locale';
import { strings, type Strings } from './strings';

/** Each language's own name, as the picker shows it whatever the app's language. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', es: 'Español' };

const STORAGE_KEY = 'crampwise.language';

/** The first of the browser's languages the app speaks ("de-AT" is German), else English. */
export function browserLanguage(preferred: readonly string[] = navigatorLanguages()): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function navigatorLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The language to start in: the profile's, as this phone last saw it, else the browser's. */
export function startingLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // storage blocked (private mode): the browser's language
  }
  return browserLanguage();
}

/** Remembers the profile's language for the next start; true when it differs from the one showing. */
export function rememberLanguage(chosen: Language): boolean {
  try {
    localStorage.setItem(STORAGE_KEY, chosen);
  } catch {
    // storage blocked: this start only
  }
  return chosen !== language();
}

const catalogues: Record<Exclude<Language, 'en'>, () => Promise<Strings>> = {
  de: () => import('./locales/de').then((m) => m.de),
  es: () => import('./locales/es').then((m) => m.es),
};

const RELOADED_KEY = 'crampwise.language-reloaded';

/** Starts again in `chosen` (remembered first) unless it is showing already; once per tab session, so a
 * catalogue that cannot load never loops. */
export function switchTo(chosen: Language): void {
  if (!rememberLanguage(chosen)) return;
  try {
    if (sessionStorage.getItem(RELOADED_KEY) === chosen) return;
    sessionStorage.setItem(RELOADED_KEY, chosen);
  } catch {
    // storage blocked: reload anyway, the choice is remembered or the browser's language stays
  }
  location.reload();
}

/** Puts the language's words into `strings` in place, so every module reading it sees them. */
export async function loadLanguage(chosen: Language): Promise<void> {
  if (chosen !== 'en') replaceInPlace(strings as unknown as Tree, (await catalogues[chosen]()) as unknown as Tree);
  setLanguage(chosen);
  if (typeof document !== 'undefined') document.documentElement.lang = chosen;
}

type Tree = { [key: string]: unknown };

function replaceInPlace(target: Tree, source: Tree): void {
  for (const [key, value] of Object.entries(source)) {
    const old = target[key];
    if (isTree(old) && isTree(value)) replaceInPlace(old, value);
    else target[key] = value;
  }
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
