// The theme: the patient's choice (auto, light, dark) decides the colours, applied at once, also offline;
// and the dark theme stays dim and readable: its colour pairs are read from styles.css and checked for AA.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Profile } from '../src/api/types';
import { kvDelete, kvGet, kvSet } from '../src/db/db';
import { app } from '../src/state';

type ThemeModule = typeof import('../src/theme');
let theme: ThemeModule;

const profile: Profile = {
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
};
const alice = { id: 'a1', email: 'alice@example.com', role: 'patient' as const };

const NOON_BERLIN = new Date('2026-03-10T11:00:00Z');
const HALF_PAST_11_PM_BERLIN = new Date('2026-03-10T22:30:00Z');

// --- the decision ---

describe('which theme a moment gets', () => {
  beforeAll(async () => {
    stubBrowser();
    theme = await import('../src/theme');
  });

  it('automatic is dark in the night window and light by day', () => {
    expect(theme.resolveTheme('auto', HALF_PAST_11_PM_BERLIN, profile, false)).toBe('dark');
    expect(theme.resolveTheme('auto', NOON_BERLIN, profile, false)).toBe('light');
  });

  it('automatic follows the phone when the phone asks for dark, as before the setting', () => {
    expect(theme.resolveTheme('auto', NOON_BERLIN, profile, true)).toBe('dark');
  });

  it('dark is dark at noon, whatever the phone says', () => {
    expect(theme.resolveTheme('dark', NOON_BERLIN, profile, false)).toBe('dark');
  });

  it('light is light at night, even when the phone asks for dark', () => {
    expect(theme.resolveTheme('light', HALF_PAST_11_PM_BERLIN, profile, true)).toBe('light');
  });

  it('a profile stored before the setting existed means automatic', () => {
    expect(theme.resolveTheme(undefined, HALF_PAST_11_PM_BERLIN, profile, false)).toBe('dark');
    expect(theme.resolveTheme(undefined, NOON_BERLIN, profile, false)).toBe('light');
    const { theme: _, ...older } = profile;
    expect(theme.themeChoice(older)).toBe('auto');
  });

  it('the night window it reads is the patient’s own, in her zone', () => {
    // 23:30 in Berlin is 17:30 in New York: not night there.
    const newYork = { ...profile, timezone: 'America/New_York' };
    expect(theme.resolveTheme('auto', HALF_PAST_11_PM_BERLIN, newYork, false)).toBe('light');
  });
});

// --- choosing, online and offline ---

interface Sent {
  url: string;
  method: string;
  body: unknown;
}
const sent: Sent[] = [];
let answer: (() => Response) | null = null; // null: no connection

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function stubBrowser(): void {
  const root = { dataset: {} as Record<string, string> };
  const bar = { content: '', setAttribute: (_: string, v: string) => (bar.content = v) };
  vi.stubGlobal('window', Object.assign(globalThis, { matchMedia: () => ({ matches: false, addEventListener: () => undefined }) }));
  vi.stubGlobal('document', { documentElement: root, querySelector: () => bar, cookie: 'csrftoken=t' });
  vi.stubGlobal('navigator', { onLine: true, userAgent: 'node' });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    sent.push({ url, method: init.method ?? 'GET', body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body });
    if (!answer) throw new TypeError('Failed to fetch');
    return answer();
  });
}

const shown = () => (document.documentElement as unknown as { dataset: Record<string, string> }).dataset.theme;
const patches = () => sent.filter((r) => r.url === '/api/v1/profile/' && r.method === 'PATCH');

describe('choosing a theme on the Profile screen', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOON_BERLIN);
    theme.startTheme();
  });

  beforeEach(async () => {
    sent.length = 0;
    answer = (): Response => json(200, { ...profile, theme: (patches().at(-1)?.body as { theme: string }).theme });
    app.set({ user: alice, profile, online: true });
    await kvSet('profile', profile);
    await kvDelete('theme-pending');
    await theme.sendPendingTheme();
    theme.applyTheme();
    sent.length = 0;
  });

  afterEach(async () => {
    answer = () => json(200, profile);
    await theme.chooseTheme('auto');
  });

  it('dark at noon is applied at once and sent as the theme alone', async () => {
    expect(shown()).toBe('light');
    const done = theme.chooseTheme('dark');
    expect(shown()).toBe('dark'); // before the server answers
    expect(await done).toBe(true);
    expect(patches().map((r) => r.body)).toEqual([{ theme: 'dark' }]);
    expect(app.get().profile?.theme).toBe('dark');
    expect((await kvGet<Profile>('profile'))?.theme).toBe('dark');
  });

  it('the night window is not part of the change', async () => {
    await theme.chooseTheme('dark');
    const body = patches()[0].body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['theme']);
    expect(app.get().profile?.night_start).toBe('22:00');
  });

  it('offline, the choice is shown, kept on the phone, and sent once the phone is back online', async () => {
    answer = null;
    app.set({ online: false });
    expect(await theme.chooseTheme('dark')).toBe(false);
    expect(shown()).toBe('dark');
    expect(await kvGet('theme-pending')).toBe('dark');
    expect((await kvGet<Profile>('profile'))?.theme).toBe('dark');
    expect(patches()).toHaveLength(0); // no try while the phone says it is offline

    // The stored profile comes back from the server with the old theme: the choice on the phone wins.
    app.set({ profile: { ...profile, theme: 'auto' } });
    expect(shown()).toBe('dark');
    expect(theme.themeChoice()).toBe('dark');

    answer = () => json(200, { ...profile, theme: 'dark' });
    app.set({ online: true });
    await vi.waitFor(async () => expect(await kvGet('theme-pending')).toBeUndefined());
    expect(patches().map((r) => r.body)).toEqual([{ theme: 'dark' }]);
    expect(app.get().profile?.theme).toBe('dark');
  });

  it('a lost connection mid-send keeps the choice for later', async () => {
    answer = null; // the phone thinks it is online, the request fails
    expect(await theme.chooseTheme('light')).toBe(false);
    expect(shown()).toBe('light');
    expect(await kvGet('theme-pending')).toBe('light');
  });

  it('a choice the server refuses is not retried forever', async () => {
    answer = () => json(400, { theme: ['Choose auto, light or dark.'] });
    expect(await theme.chooseTheme('dark')).toBe(false);
    expect(await kvGet('theme-pending')).toBeUndefined();
    expect(await theme.sendPendingTheme()).toBe(true);
    expect(patches()).toHaveLength(1);
  });

  it('two quick choices end with the second on the server', async () => {
    const first = theme.chooseTheme('dark');
    const second = theme.chooseTheme('light');
    await Promise.all([first, second]);
    // The first may be folded into the second, never sent after it.
    expect(patches().at(-1)?.body).toEqual({ theme: 'light' });
    expect(await kvGet('theme-pending')).toBeUndefined();
    expect(app.get().profile?.theme).toBe('light');
    expect(shown()).toBe('light');
  });

  it('automatic turns dark when the night window starts, with no tap', () => {
    theme.applyTheme(NOON_BERLIN);
    expect(shown()).toBe('light');
    theme.applyTheme(HALF_PAST_11_PM_BERLIN);
    expect(shown()).toBe('dark');
  });
});

// --- the dark theme's colours ---

// Read from the file: vitest hands CSS imports over empty.
const css = readFileSync(new URL('../src/styles.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

function variables(selector: string): Record<string, string> {
  const at = css.indexOf(`${selector} {`);
  expect(at, `no ${selector} block in styles.css`).toBeGreaterThanOrEqual(0);
  const body = css.slice(at + selector.length + 2, css.indexOf('}', at));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(m[1].slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The last `background:` a rule with exactly this selector (alone or in a list) gives. */
function backgroundOf(selector: string): string {
  let found: string | null = null;
  for (const rule of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const selectors = rule[1].split(',').map((part: string) => part.trim());
    const value = /(?:^|;)\s*background:\s*([^;]+);/.exec(rule[2]);
    if (selectors.includes(selector) && value) found = value[1].trim();
  }
  if (!found) throw new Error(`no background for ${selector}`);
  return found;
}

const DARK = variables(":root[data-theme='dark']");
const LIGHT = variables(':root');

// [text or line, surface, minimum, where]
const TEXT = 4.5;
const LINE = 3;
const PAIRS: Array<[string, string, number, string]> = [
  ['fg', 'bg', TEXT, 'text on the page and in inputs'],
  ['fg', 'card', TEXT, 'text on cards and secondary buttons'],
  ['muted', 'bg', TEXT, 'hints'],
  ['muted', 'card', TEXT, 'hints on cards'],
  ['accent', 'bg', TEXT, 'links'],
  ['accent', 'card', TEXT, 'links on cards'],
  ['accent-fg', 'accent-fill', TEXT, 'the Cramp and Save buttons'],
  ['accent', 'bg', LINE, 'the edge of a primary button'],
  ['danger-fg', 'danger-fill', TEXT, 'the delete buttons'],
  ['danger', 'bg', TEXT, 'field errors'],
  ['danger', 'bg', LINE, 'the edge of a delete button'],
  ['urgent-fg', 'urgent-bg', TEXT, 'the urgent banner'],
  ['urgent-edge', 'urgent-bg', LINE, 'the urgent banner’s border'],
  ['urgent-line', 'bg', LINE, 'urgent marks in lists'],
  ['fg', 'urgent-soft', TEXT, 'urgent rows'],
  ['fg', 'accent-soft', TEXT, 'advice and update banners'],
  ['warn-fg', 'warn-bg', TEXT, 'warnings'],
  ['toast-fg', 'toast-bg', TEXT, 'the “saved” message'],
  ['border', 'bg', LINE, 'input and button borders'],
  ['border', 'card', LINE, 'button borders on cards'],
  ['ok', 'card', LINE, 'the timer’s border'],
];

describe.each([
  ['dark', DARK],
  ['light', LIGHT],
])('the %s theme meets WCAG AA', (_, colours) => {
  it.each(PAIRS)('--%s on --%s ≥ %s:1 (%s)', (front, back, minimum) => {
    expect(colours[front], `--${front}`).toBeDefined();
    expect(colours[back], `--${back}`).toBeDefined();
    expect(contrast(colours[front], colours[back])).toBeGreaterThanOrEqual(minimum);
  });

  it('the urgent banner stands out from the page (by its surface or by its border)', () => {
    const bySurface = contrast(colours['urgent-bg'], colours.bg);
    const byBorder = contrast(colours['urgent-edge'], colours.bg);
    expect(Math.max(bySurface, byBorder)).toBeGreaterThanOrEqual(LINE);
  });
});

describe('the dark theme is dim at 3 a.m.', () => {
  const SURFACES = ['bg', 'card', 'accent-fill', 'danger-fill', 'urgent-bg', 'urgent-soft', 'accent-soft', 'warn-bg', 'toast-bg'];
  // Relative luminance: #12304d (the dark Cramp button) is 0.028; the old pale #8cc8ff button was 0.54.
  const DIM = 0.05;

  it.each(SURFACES)('--%s is a dark surface', (name) => {
    expect(luminance(DARK[name])).toBeLessThanOrEqual(DIM);
  });

  it('the brightest thing is text, not a block', () => {
    const brightestSurface = Math.max(...SURFACES.map((n) => luminance(DARK[n])));
    expect(luminance(DARK.fg)).toBeGreaterThan(brightestSurface * 5);
  });

  it('no colour of the dark theme is pure white', () => {
    expect(Object.values(DARK).filter((v) => /^#f{6}$/i.test(v))).toEqual([]);
  });

  it.each(['.btn-primary', '.quick-cramp', '.btn-danger', '.urgent-banner', '.card', '.toast', '.btn', '.choice-option.selected'])(
    '%s is filled with a dim surface',
    (selector) => {
      const m = /^var\(--([\w-]+)\)$/.exec(backgroundOf(selector));
      expect(m, `${selector} background is a theme variable`).not.toBeNull();
      expect(luminance(DARK[m![1]])).toBeLessThanOrEqual(DIM);
    },
  );

  it('the urgent banner stays urgent: a bright border on a red surface', () => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(DARK['urgent-bg'].slice(i, i + 2), 16));
    expect(r).toBeGreaterThan(2 * Math.max(g, b)); // red, not grey
    expect(luminance(DARK['urgent-edge'])).toBeGreaterThan(0.2);
  });

  it('the first paint on a phone set to dark uses the same colours', () => {
    expect(variables(':root:not([data-theme])')).toEqual(DARK);
  });
});
