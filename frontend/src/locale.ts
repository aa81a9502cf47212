// The app's language as Intl sees it: which one is showing, its locale, and its numbers and plurals.
// Kept apart from the catalogues (i18n.ts) so strings.ts and every translation can use it.

export const LANGUAGES = ['en', 'de', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

// The locale Intl formats dates, times and numbers with: 24-hour clocks in all three; "2.000" in German.
const LOCALES: Record<Language, string> = { en: 'en-GB', de: 'de-DE', es: 'es-ES' };

let current: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function language(): Language {
  return current;
}

/** Set by i18n.loadLanguage once the language's words are in place (and by tests). */
export function setLanguage(language: Language): void {
  current = language;
}

/** The BCP 47 locale Intl formats with for the app's language. */
export function locale(): string {
  return LOCALES[current];
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number as the app's language writes it: "2,000" in English, "2.000" in German, "2000" in Spanish. */
export function num(n: number, maximumFractionDigits = 1): string {
  const key = `${current}:${maximumFractionDigits}`;
  let f = numberFormats.get(key);
  if (!f) {
    // Each locale's own grouping: "2,000" (en), "2.000" (de); Spanish leaves four digits ungrouped ("2000").
    f = new Intl.NumberFormat(locale(), { maximumFractionDigits });
    numberFormats.set(key, f);
  }
  return f.format(n);
}

const pluralRules = new Map<Language, Intl.PluralRules>();

/** A count with its noun in the app's language's plural: plural(1, 'Tag', 'Tage') is "1 Tag", plural(3, …) "3 Tage". */
export function plural(n: number, one: string, other: string): string {
  let rules = pluralRules.get(current);
  if (!rules) {
    rules = new Intl.PluralRules(locale());
    pluralRules.set(current, rules);
  }
  return `${num(n)} ${rules.select(n) === 'one' ? one : other}`;
}
