// Tap-to-call: the links the urgent banner offers for the profile's emergency number (112 and 911 spelled
// out when the country is unknown), and the country choices of the profile and sign-up forms.

import { api } from '../api/client';
import type { Profile } from '../api/types';
import { strings } from '../strings';

export interface CallLink {
  href: string;
  number: string;
  /** "Call 112" */
  label: string;
  /** Where the number works, when it is offered without a country: "(US and Canada)". */
  where?: string;
}

export interface Country {
  code: string;
  /** The usual English name from the server (the time zone database's iso3166.tab). */
  name: string;
  emergency_number: string | null;
}

export interface Countries {
  guess: string | null;
  countries: Country[];
}

/** The numbers to offer: the country's own, or, when it is not known, both that cover most of the world. */
export function callLinks(profile: Pick<Profile, 'emergency_number'> | null | undefined): CallLink[] {
  const number = profile?.emergency_number;
  if (number) return [{ href: `tel:${number}`, number, label: strings.urgent.call(number) }];
  return [
    { href: 'tel:112', number: '112', label: strings.urgent.call('112'), where: strings.urgent.call112Where },
    { href: 'tel:911', number: '911', label: strings.urgent.call('911'), where: strings.urgent.call911Where },
  ];
}

/** The country codes the server accepts, and its guess from this phone's time zone. */
export function fetchCountries(timezone: string): Promise<Countries> {
  return api<Countries>(`/api/v1/auth/countries/?timezone=${encodeURIComponent(timezone)}`, { public: true });
}

/** A name for a code in the reader's language (the browser's), else the server's English name, else the code. */
export function countryName(code: string, fallback?: string, locales: string[] = preferredLocales()): string {
  try {
    const names = new Intl.DisplayNames(locales, { type: 'region', fallback: 'none' });
    const name = names.of(code);
    if (name) return name;
  } catch {
    // An old browser without Intl.DisplayNames.
  }
  return fallback || code;
}

function preferredLocales(): string[] {
  const fromPage = typeof document !== 'undefined' ? document.documentElement.lang : '';
  return [fromPage || 'en'];
}

/** Options for a country select: "Not said" first, then the countries by name; a chosen code is always listed. */
export function countryOptions(countries: Country[], chosen: string | null, locales?: string[]) {
  const codes = new Map(countries.map((c) => [c.code, c.name]));
  if (chosen && !codes.has(chosen)) codes.set(chosen, chosen);
  const named = [...codes].map(([code, name]) => ({ value: code, label: countryName(code, name, locales) }));
  named.sort((a, b) => a.label.localeCompare(b.label));
  return [{ value: '', label: strings.profile.countryNotSaid }, ...named];
}
