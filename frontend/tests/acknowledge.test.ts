// "I got help" / "I have seen a doctor": an answered warning folds to one line that still holds the full
// text and the call, a new urgent check-in brings it back in full, and the answer is sent now or honestly
// not at all (offline: "needs a connection", with the number to call), never shown as done when it was not.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// ui/widgets reaches the router, which reads the address when loaded.
vi.hoisted(() => {
  (globalThis as { location?: unknown }).location ??= new URL('https://crampwise.test/');
});

import type { ComponentChild, VNode } from 'preact';
import type { Insight } from '../src/api/types';
import {
  acknowledge,
  acknowledging,
  bannerOrder,
  foldedLine,
  replaceInsight,
  urgentForToday,
  withStoredAcknowledgement,
  type UrgentItem,
} from '../src/logic/acknowledge';
import { app } from '../src/state';
import { UrgentBanner } from '../src/ui/widgets';

// No DOM here: the banner's hooks read the stores as they are now, and the tree is expanded by hand.
vi.mock('../src/store', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/store')>()),
  useStore: <T extends object>(store: { get(): T }) => store.get(),
}));

const NOW = new Date('2026-12-03T12:00:00Z');
const MONDAY_EVENING = '2026-12-01T18:40:00Z';
const TUESDAY_MORNING = '2026-12-02T08:00:00Z';
const WEDNESDAY = '2026-12-03T09:00:00Z';

function dvt(overrides: Partial<Insight> = {}): Insight {
  return {
    code: 'urgent_dvt_warning',
    level: 'urgent',
    title: 'One swollen, painful leg: get medical care today',
    explanation: 'In your check-in on 1 December you reported…',
    evidence: {},
    first_seen: MONDAY_EVENING,
    last_seen: MONDAY_EVENING,
    acknowledged_at: null,
    acknowledgement: null,
    ...overrides,
  };
}

function chest(overrides: Partial<Insight> = {}): Insight {
  return {
    code: 'emergency_warning',
    level: 'urgent',
    title: 'Chest pain or breathlessness: call for help now',
    explanation: 'In your check-in on 3 December you reported sudden chest pain…',
    evidence: {},
    first_seen: WEDNESDAY,
    last_seen: WEDNESDAY,
    acknowledged_at: null,
    acknowledgement: null,
    ...overrides,
  };
}

const gotHelpTuesday = { acknowledged_at: TUESDAY_MORNING, acknowledgement: 'got_help' as const };
const swollenPainfulLeg = { swelling_left: 3, swelling_right: 0, calf_pain_or_tenderness: true, sudden_onset: true };

describe('which warnings fold to one line', () => {
  it('folds an answered warning, and keeps an unanswered one in full', () => {
    const shown = urgentForToday([dvt(gotHelpTuesday), chest()], [], false, NOW);
    expect(shown.map((i) => [i.code, i.acknowledged_at ?? null])).toEqual([
      ['urgent_dvt_warning', TUESDAY_MORNING],
      ['emergency_warning', null],
    ]);
  });

  it('brings an answered warning back in full when a later check-in on this phone raises it again', () => {
    const checkins = [{ ...swollenPainfulLeg, recorded_at: WEDNESDAY }];
    const [shown] = urgentForToday([dvt(gotHelpTuesday)], checkins, false, NOW);
    expect(shown.acknowledged_at).toBeNull();
    expect(shown.last_seen).toBe(WEDNESDAY);
    // And the stored (older) answer does not fold it again in the banner.
    expect(withStoredAcknowledgement(shown, [dvt(gotHelpTuesday)]).acknowledged_at).toBeNull();
  });

  it('keeps it folded for the check-in it answered, and for a later check-in that raises another warning', () => {
    const before = [{ ...swollenPainfulLeg, recorded_at: MONDAY_EVENING }];
    expect(urgentForToday([dvt(gotHelpTuesday)], before, false, NOW)[0].acknowledged_at).toBe(TUESDAY_MORNING);
    const chestLater = [{ sudden_chest_pain_or_breathlessness: true, recorded_at: WEDNESDAY }];
    const shown = urgentForToday([dvt(gotHelpTuesday)], chestLater, false, NOW);
    expect(shown.map((i) => [i.code, i.acknowledged_at ?? null])).toEqual([
      ['urgent_dvt_warning', TUESDAY_MORNING],
      ['emergency_warning', null], // this phone's own reading, the server has not seen it yet
    ]);
  });

  it('folds a check-in’s own warning once the stored insights say it was answered, not before', () => {
    const fromTheCheckin: UrgentItem = dvt();
    expect(withStoredAcknowledgement(fromTheCheckin, [dvt()]).acknowledged_at).toBeNull();
    expect(withStoredAcknowledgement(fromTheCheckin, [dvt(gotHelpTuesday)]).acknowledgement).toBe('got_help');
  });

  it('never folds a newer warning with the answer to an older one', () => {
    const newer = dvt({ last_seen: WEDNESDAY });
    expect(withStoredAcknowledgement(newer, [dvt(gotHelpTuesday)]).acknowledged_at).toBeNull();
  });

  it('never folds this phone’s own fresh reading (a check-in made offline)', () => {
    const local: UrgentItem = { code: 'urgent_dvt_warning', title: 'One swollen…', explanation: '…' };
    expect(withStoredAcknowledgement(local, [dvt(gotHelpTuesday)]).acknowledged_at).toBeUndefined();
  });

  it('puts full warnings first, so the call and the buttons come before the folded lines', () => {
    expect(bannerOrder([dvt(gotHelpTuesday), chest()]).map((i) => i.code)).toEqual(['emergency_warning', 'urgent_dvt_warning']);
  });

  it('names the warning and the answer in the folded line', () => {
    expect(foldedLine(dvt(gotHelpTuesday))).toBe('Painful leg warning — you said you got help');
    expect(foldedLine(chest({ acknowledged_at: WEDNESDAY, acknowledgement: 'seen_doctor' }))).toBe(
      'Chest pain warning — you said you saw a doctor',
    );
  });
});

/** The text and the tel: links of a rendered tree, function components (hook-free here) expanded. */
function expand(node: ComponentChild): VNode<Record<string, unknown>>[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(expand);
  const v = node as VNode<Record<string, unknown>>;
  if (typeof v.type === 'function') return expand((v.type as (p: unknown) => ComponentChild)(v.props));
  return [v, ...expand(v.props.children as ComponentChild)];
}

function textOf(node: ComponentChild): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node !== 'object') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  const v = node as VNode<{ children?: ComponentChild }>;
  if (typeof v.type === 'function') return textOf((v.type as (p: unknown) => ComponentChild)(v.props));
  return textOf(v.props.children);
}

describe('the banner', () => {
  afterEach(() => app.set({ profile: null, insights: null }));

  it('offers both answers on a full warning, and folds an answered one to a line that still holds the call', () => {
    app.set({ insights: [dvt(gotHelpTuesday), chest()] });
    const tree = expand(UrgentBanner({ insights: [dvt(gotHelpTuesday), chest()], compact: true }));
    const banner = tree[0];
    expect(banner.props.role).toBe('alert');
    const full = tree.filter((n) => n.props['data-state'] === 'full');
    const folded = tree.filter((n) => n.props['data-state'] === 'acknowledged');
    expect(full.map((n) => n.props['data-code'])).toEqual(['emergency_warning']);
    expect(folded.map((n) => n.props['data-code'])).toEqual(['urgent_dvt_warning']);
    expect(folded[0].type).toBe('details'); // opens to the full text, with no script
    const inFolded = expand(folded[0]);
    expect(inFolded.filter((n) => n.type === 'a').map((n) => n.props.href)).toEqual(['tel:112', 'tel:911']);
    expect(textOf(folded[0])).toContain('One swollen, painful leg: get medical care today');
    const buttons = tree.filter((n) => n.type === 'button').map((n) => n.props['data-testid']);
    expect(buttons).toEqual(['ack-got-help', 'ack-seen-doctor']); // the folded one has none
  });

  it('is no longer an alert once every warning is answered', () => {
    app.set({ insights: [dvt(gotHelpTuesday)] });
    const [banner] = expand(UrgentBanner({ insights: [dvt(gotHelpTuesday)] }));
    expect(banner.props.role).toBe('region');
    expect(String(banner.props.class)).toContain('is-folded');
  });
});

describe('sending the answer', () => {
  const sent: Array<{ url: string; method: string; body: unknown }> = [];
  let answer: () => Response;

  beforeEach(() => {
    sent.length = 0;
    acknowledging.set({ busy: null, problems: {} });
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      sent.push({ url, method, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
      if (url === '/api/v1/insights/acknowledge/') return answer();
      if (url === '/api/v1/insights/') return json(200, [dvt()]);
      return new Response(null, { status: 204 });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    app.set({ online: true, insights: null });
  });

  function json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }
  const posts = () => sent.filter((s) => s.method === 'POST');

  it('posts the code and the action, and the server’s answer folds the warning', async () => {
    app.set({ online: true, insights: [dvt(), chest()] });
    answer = () => json(200, dvt(gotHelpTuesday));
    expect(await acknowledge('urgent_dvt_warning', 'got_help', '112')).toBe(true);
    expect(posts()).toEqual([
      { url: '/api/v1/insights/acknowledge/', method: 'POST', body: { code: 'urgent_dvt_warning', action: 'got_help' } },
    ]);
    expect(app.get().insights?.map((i) => [i.code, i.acknowledgement])).toEqual([
      ['urgent_dvt_warning', 'got_help'],
      ['emergency_warning', null],
    ]);
    expect(acknowledging.get()).toEqual({ busy: null, problems: {} });
  });

  it('offline, sends nothing, folds nothing, and says it needs a connection with the number to call', async () => {
    app.set({ online: false, insights: [dvt()] });
    expect(await acknowledge('urgent_dvt_warning', 'seen_doctor', '112 or 911')).toBe(false);
    expect(sent).toEqual([]);
    expect(app.get().insights?.[0].acknowledged_at).toBeNull();
    expect(acknowledging.get().problems.urgent_dvt_warning).toBe(
      'Saying this needs a connection, and you are offline. If you feel unwell, call 112 or 911 — do not wait.',
    );
  });

  it('when the warning is no longer urgent on the server (400), reads the insights again and says so', async () => {
    app.set({ online: true, insights: [dvt(gotHelpTuesday)] });
    answer = () => json(400, { code: ['This is no longer an urgent warning of yours.'] });
    expect(await acknowledge('urgent_dvt_warning', 'got_help', '112')).toBe(false);
    expect(sent.some((s) => s.method === 'GET' && s.url === '/api/v1/insights/')).toBe(true);
    expect(app.get().insights).toEqual([dvt()]);
    expect(acknowledging.get().problems.urgent_dvt_warning).toMatch(/changed/);
  });

  it('a lost connection mid-send is told as offline, not as saved', async () => {
    app.set({ online: true, insights: [dvt()] });
    answer = () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await acknowledge('urgent_dvt_warning', 'got_help', '999')).toBe(false);
    expect(app.get().insights?.[0].acknowledged_at).toBeNull();
    expect(acknowledging.get().problems.urgent_dvt_warning).toMatch(/needs a connection.*call 999/);
  });

  it('puts the answer in place of its warning, or adds it when the list has not caught up', () => {
    expect(replaceInsight([chest()], dvt(gotHelpTuesday)).map((i) => i.code)).toEqual(['emergency_warning', 'urgent_dvt_warning']);
    expect(replaceInsight(null, dvt()).length).toBe(1);
  });
});
