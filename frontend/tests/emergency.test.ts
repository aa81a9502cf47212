// Tap-to-call in the urgent banner: the number of the patient's country as a tel: link, and 112 and 911
// spelled out when the country is unknown; the country select's names and its "not said".
import { afterEach, describe, expect, it, vi } from 'vitest';

// ui/widgets reaches the router, which reads the address when loaded.
vi.hoisted(() => {
  (globalThis as { location?: unknown }).location ??= new URL('https://crampwise.test/');
});

import type { ComponentChild, VNode } from 'preact';
import type { Profile } from '../src/api/types';
import { callLinks, countryName, countryOptions } from '../src/logic/emergency';
import { app } from '../src/state';
import { UrgentBanner } from '../src/ui/widgets';

// No DOM here: the banner's hook reads the store as it is now, and the tree is expanded by hand.
vi.mock('../src/store', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/store')>()),
  useStore: <T extends object>(store: { get(): T }) => store.get(),
}));

const alice: Profile = {
  id: 'a1',
  email: 'alice@example.com',
  display_name: 'Alice',
  role: 'patient',
  timezone: 'Europe/Berlin',
  night_start: '22:00',
  night_end: '07:00',
  quiet_start: null,
  quiet_end: null,
  fluid_target_ml: 2000,
  compression_class: null,
  takes_diuretics: false,
  previous_dvt: false,
  theme: 'auto',
  country: null,
  emergency_number: null,
};

const chestPain = [{ code: 'emergency_warning', title: 'Chest pain or breathlessness: call for help now', explanation: '…' }];

/** Every <a> of a rendered tree, with function components (hook-free here) expanded. */
function links(node: ComponentChild): Array<{ href: string; text: string }> {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(links);
  const v = node as VNode<Record<string, unknown>>;
  if (typeof v.type === 'function') return links((v.type as (p: unknown) => ComponentChild)(v.props));
  const children = v.props.children as ComponentChild;
  if (v.type === 'a') return [{ href: String(v.props.href), text: textOf(children).replace(/\s+/g, ' ').trim() }];
  return links(children);
}

function textOf(node: ComponentChild): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node !== 'object') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  return textOf((node as VNode<{ children?: ComponentChild }>).props.children);
}

function bannerFor(profile: Profile | null, compact: boolean) {
  app.set({ profile });
  return links(UrgentBanner({ insights: chestPain, compact }));
}

afterEach(() => app.set({ profile: null }));

describe('the urgent banner calls the emergency number of the patient’s country', () => {
  it.each([
    ['DE', '112'],
    ['US', '911'],
    ['GB', '999'],
    ['AU', '000'],
  ])('%s: one big link, tel:%s', (country, number) => {
    const profile = { ...alice, country, emergency_number: number };
    for (const compact of [true, false]) {
      expect(bannerFor(profile, compact)).toEqual([{ href: `tel:${number}`, text: `Call ${number}` }]);
    }
  });

  it('spells out 112 and 911 when the country is not said', () => {
    const expected = [
      { href: 'tel:112', text: 'Call 112 (Europe and most countries)' },
      { href: 'tel:911', text: 'Call 911 (US and Canada)' },
    ];
    expect(bannerFor(alice, true)).toEqual(expected);
    expect(bannerFor(alice, false)).toEqual(expected);
  });

  it('spells out both for a country with no number in the table, and for a profile stored before countries', () => {
    expect(callLinks({ emergency_number: null }).map((l) => l.href)).toEqual(['tel:112', 'tel:911']);
    const { country: _c, emergency_number: _n, ...older } = alice;
    expect(bannerFor(older, true).map((l) => l.href)).toEqual(['tel:112', 'tel:911']);
    expect(bannerFor(null, true).map((l) => l.href)).toEqual(['tel:112', 'tel:911']);
  });

  it('shows nothing, not even a number, when there is no urgent warning', () => {
    app.set({ profile: { ...alice, country: 'AU', emergency_number: '000' } });
    expect(UrgentBanner({ insights: [], compact: true })).toBeNull();
  });
});

describe('the country select', () => {
  const countries = [
    { code: 'DE', name: 'Germany', emergency_number: '112' },
    { code: 'GB', name: 'Britain (UK)', emergency_number: '999' },
    { code: 'AU', name: 'Australia', emergency_number: '000' },
  ];

  it('names countries in the reader’s language, "not said" first, then by name', () => {
    const options = countryOptions(countries, null, ['en']);
    expect(options[0]).toEqual({ value: '', label: 'Not said (the app offers 112 and 911)' });
    expect(options.slice(1).map((o) => o.value)).toEqual(['AU', 'DE', 'GB']);
    expect(options.find((o) => o.value === 'GB')?.label).toBe('United Kingdom');
    expect(countryOptions(countries, null, ['de']).find((o) => o.value === 'DE')?.label).toBe('Deutschland');
  });

  it('keeps the chosen country listed while the list has not come (offline)', () => {
    expect(countryOptions([], 'AU', ['en']).map((o) => o.value)).toEqual(['', 'AU']);
  });

  it('falls back to the server’s name, then the code, without Intl.DisplayNames', () => {
    const intl = Intl as { DisplayNames?: unknown };
    const real = intl.DisplayNames;
    intl.DisplayNames = undefined; // an old browser
    try {
      expect(countryName('GB', 'Britain (UK)')).toBe('Britain (UK)');
      expect(countryName('GB')).toBe('GB');
    } finally {
      intl.DisplayNames = real;
    }
  });
});
