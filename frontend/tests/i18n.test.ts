// The catalogues: German and Spanish have every key and function of the English source, no English text
// left where a translation belongs, and no function drops an argument the English shows (issue #20).
import { afterEach, describe, expect, it } from 'vitest';
import { browserLanguage } from '../src/i18n';
import { setLanguage, num, plural } from '../src/locale';
import { de } from '../src/locales/de';
import { es } from '../src/locales/es';
import { strings } from '../src/strings';

type Tree = Record<string, unknown>;
const catalogues = { de, es } as unknown as Record<'de' | 'es', Tree>;
const english = strings as unknown as Tree;

/** Every leaf of a catalogue by its path ("nav.today", "about.0"). */
function leaves(tree: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (tree !== null && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree as Tree)) {
      for (const [p, leaf] of leaves(v, path ? `${path}.${k}` : k)) out.set(p, leaf);
    }
  } else {
    out.set(path, tree);
  }
  return out;
}

// Words the same in every language: the app's name, units, numbers, codes and names of languages.
const SAME_EVERYWHERE = /^(Crampwise|[\d\s.,:–\-+/%()]*(mmHg|ml|cm|min|s|h|kg|°C)?[\d\s.,:–\-+/%()]*|[A-Z]{2,}|English|Deutsch|Español|…|·|—|OK)$/;

// Words that are the same in that language ("Alcohol", "Factor" in Spanish), looked at one by one.
const SAME_WORD: Record<'de' | 'es', Set<string>> = {
  de: new Set([
    'nav.trends',
    'titles.trends',
    'optional',
    'trends.level.info',
    'drugClass.magnesium',
    'clinics.roles.admin',
    'clinics.colName',
    'clinician.colPatient',
    'clinician.patient',
    'clinician.trends',
  ]),
  es: new Set(['factors.suggested.1', 'clinician.colFactor']),
};

// Marker arguments: distinct numbers (7, 11, 13 …) or strings («a0» …), so that each can be found in the output.
function markers(n: number, asText: boolean): unknown[] {
  const primes = [7, 11, 13, 17, 19];
  return Array.from({ length: n }, (_, i) => (asText ? `«a${i}»` : primes[i]));
}

function call(fn: (...args: unknown[]) => unknown, args: unknown[]): string | null {
  try {
    const out = fn(...args);
    return typeof out === 'string' ? out : JSON.stringify(out);
  } catch {
    return null;
  }
}

describe.each(['de', 'es'] as const)('the %s catalogue', (lang) => {
  afterEach(() => setLanguage('en'));
  const theirs = leaves(catalogues[lang]);
  const ours = leaves(english);

  it('has every key of the English, and no key the English lacks', () => {
    expect([...theirs.keys()].filter((k) => !ours.has(k))).toEqual([]);
    expect([...ours.keys()].filter((k) => !theirs.has(k))).toEqual([]);
  });

  it('gives each leaf the same kind: text for text, a function with the same arguments for a function', () => {
    const wrong = [...ours].filter(([k, v]) => typeof v !== typeof theirs.get(k)).map(([k]) => k);
    expect(wrong).toEqual([]);
  });

  it('leaves no English sentence untranslated', () => {
    const same = [...ours]
      .filter(([k, v]) => typeof v === 'string' && v.length > 3 && theirs.get(k) === v && !SAME_EVERYWHERE.test(v))
      .filter(([k]) => !SAME_WORD[lang].has(k))
      .map(([k, v]) => `${k}: ${v}`);
    expect(same).toEqual([]);
  });

  it('keeps every argument the English shows, whichever number it is', () => {
    const dropped: string[] = [];
    for (const [key, fn] of ours) {
      if (typeof fn !== 'function') continue;
      const translated = theirs.get(key) as (...args: unknown[]) => unknown;
      // Numbers first (varying the first, which picks a plural), text where the English needs text.
      const asText = call(fn as (...a: unknown[]) => unknown, markers(Math.max(fn.length, 1), false)) === null;
      for (const first of asText ? [null] : [1, 2, 7]) {
        {
          const args = markers(Math.max(fn.length, 1), asText);
          if (first !== null) args[0] = first;
          const en = call(fn as (...a: unknown[]) => unknown, args);
          if (en === null) continue;
          setLanguage(lang);
          const out = call(translated, args);
          setLanguage('en');
          if (out === null) {
            dropped.push(`${key}(${args.join(', ')}): throws`);
            continue;
          }
          for (const a of args) {
            const shown = String(a);
            if (en.includes(shown) && !out.includes(shown)) dropped.push(`${key}(${args.join(', ')}): drops ${shown}`);
          }
        }
      }
    }
    expect(dropped).toEqual([]);
  });
});

describe('the language and its numbers', () => {
  afterEach(() => setLanguage('en'));

  it('takes the first of the browser languages the app speaks', () => {
    expect(browserLanguage(['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(browserLanguage(['es-MX'])).toBe('es');
    expect(browserLanguage(['fr', 'it'])).toBe('en');
    expect(browserLanguage([])).toBe('en');
  });

  it('writes numbers and plurals the way each language does', () => {
    expect(num(2000)).toBe('2,000');
    expect(plural(1, 'day', 'days')).toBe('1 day');
    setLanguage('de');
    expect(num(2000)).toBe('2.000');
    expect(num(1.5)).toBe('1,5');
    expect(plural(1, 'Tag', 'Tage')).toBe('1 Tag');
    expect(plural(0, 'Tag', 'Tage')).toBe('0 Tage');
    setLanguage('es');
    expect(plural(2, 'día', 'días')).toBe('2 días');
  });
});
