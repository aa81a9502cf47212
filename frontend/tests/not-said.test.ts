// Issue 14, "Not said is not an answer": a new entry carries only what the patient chose, an edit can clear an
// answer, the offline queue sends the body as built, and every reader prints "not said" for a null.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// describe.ts reaches the router through ui/widgets, and the router reads the address when loaded.
vi.hoisted(() => {
  (globalThis as { location?: unknown }).location ??= new URL('https://crampwise.test/history');
});

import { idbQueueStore, wipeDb } from '../src/db/db';
import { checkinFromData, checkinToBody } from '../src/kinds/checkin';
import { crampFromData, crampToBody, newCramp } from '../src/kinds/cramp';
import { ENTRY_COLUMNS, describe as describeEntry } from '../src/kinds';
import { crampWhere } from '../src/logic/entryColumns';
import { strings } from '../src/strings';
import { httpSend } from '../src/sync/http';
import { SyncQueue, memoryLock, type QueueStore } from '../src/sync/queue';

const NOW = new Date('2026-03-11T02:10:00Z');
const cell = (kind: 'cramps' | 'checkins', key: string, record: Record<string, unknown>) =>
  ENTRY_COLUMNS[kind].find((c) => c.key === key)!.cell(record);

describe('the two-tap cramp', () => {
  it('sends only its start time when nothing was touched', () => {
    const body = crampToBody(newCramp(NOW));
    expect(Object.keys(body)).toEqual(['started_at']);
  });

  it('opens with nothing chosen, at night as by day', () => {
    for (const at of [NOW, new Date('2026-03-11T13:00:00Z')]) {
      const form = newCramp(at);
      expect([form.side, form.muscle, form.severity, form.duration_seconds, form.activity]).toEqual([null, null, null, null, null]);
      expect(form.woke_from_sleep).toBe(false);
      expect(form.relieved_by_rest).toBe('unsaid');
    }
  });

  it('sends a touched field and nothing else', () => {
    const body = crampToBody({ ...newCramp(NOW), side: 'right', severity: 0 });
    expect(body).toEqual({ started_at: body.started_at, side: 'right', severity: 0 });
  });

  it('sends a ticked "woke me" and a said "rest helped: no"', () => {
    const body = crampToBody({ ...newCramp(NOW), woke_from_sleep: true, relieved_by_rest: 'no', duration_seconds: 120 });
    expect(body).toEqual({ started_at: body.started_at, duration_seconds: 120, woke_from_sleep: true, relieved_by_rest: false });
  });

  it('reads a stored "not said" back as nothing chosen, and an edit sends it as null', () => {
    const form = crampFromData({ started_at: NOW.toISOString(), side: 'left', severity: null, muscle: null, duration_seconds: null, activity: null });
    expect(form.severity).toBeNull();
    expect(form.side).toBe('left');
    const body = crampToBody({ ...form, side: null }, 'edit');
    expect(body).toMatchObject({ side: null, muscle: null, severity: null, duration_seconds: null, activity: null, relieved_by_rest: null });
  });
});

describe('the check-in', () => {
  it('leaves untouched swelling and symptom scores out, and keeps the yes/no signs at their default', () => {
    const body = checkinToBody(checkinFromData({ recorded_at: NOW.toISOString() }));
    for (const key of ['swelling_left', 'swelling_right', 'heaviness', 'aching', 'itching']) expect(body).not.toHaveProperty(key);
    expect(body.calf_pain_or_tenderness).toBe(false);
    expect(body.sudden_chest_pain_or_breathlessness).toBe(false);
  });

  it('sends a touched 0 as 0 (none is an answer)', () => {
    const body = checkinToBody({ ...checkinFromData({}), swelling_left: 0, aching: 0 });
    expect(body.swelling_left).toBe(0);
    expect(body.aching).toBe(0);
    expect(body).not.toHaveProperty('swelling_right');
  });

  it('keeps a stored null as not answered when edited', () => {
    const form = checkinFromData({ recorded_at: NOW.toISOString(), swelling_left: 2, swelling_right: null, heaviness: null });
    expect(form.swelling_right).toBeNull();
    expect(form.heaviness).toBeNull();
    expect(checkinToBody(form, 'edit')).toMatchObject({ swelling_left: 2, swelling_right: null, heaviness: null, aching: null, itching: null });
  });

  it('sends where each leg was measured only when the patient said it, never a default site', () => {
    const measured = { ...checkinFromData({}), circumference_left_cm: '24.5', circumference_right_cm: '37.0' };
    const unsaid = checkinToBody(measured);
    expect(unsaid).toMatchObject({ circumference_left_cm: 24.5, circumference_right_cm: 37 });
    expect(unsaid).not.toHaveProperty('circumference_site_left');
    expect(unsaid).not.toHaveProperty('circumference_site_right');
    const said = checkinToBody({ ...measured, circumference_site_left: 'ankle' });
    expect(said.circumference_site_left).toBe('ankle');
    expect(said).not.toHaveProperty('circumference_site_right');
  });

  it('reads a stored site back and clears it with null on an edit', () => {
    const form = checkinFromData({ recorded_at: NOW.toISOString(), circumference_left_cm: 40, circumference_site_left: 'calf', circumference_site_right: 'knee' });
    expect([form.circumference_site_left, form.circumference_site_right]).toEqual(['calf', null]);
    expect(checkinToBody({ ...form, circumference_site_left: null }, 'edit')).toMatchObject({ circumference_site_left: null, circumference_site_right: null });
  });
});

describe('the offline queue', () => {
  let dbName: string;
  let store: QueueStore;

  beforeEach(() => {
    dbName = `not-said-${Math.random().toString(36).slice(2)}`;
    store = idbQueueStore(dbName);
  });
  afterEach(async () => {
    await wipeDb(dbName);
  });

  it('puts the quick cramp on the wire as built: its start time, its id and the zone it was logged in, no defaults', async () => {
    const wire: unknown[] = [];
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      wire.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify({}), { status: 201 });
    }) as typeof fetch;
    const queue = new SyncQueue({
      store,
      send: httpSend({ fetch: fakeFetch, csrf: async () => 'token' }),
      lock: memoryLock(),
      zone: () => 'Europe/Berlin',
    });
    const body = crampToBody(newCramp(NOW));
    const item = await queue.enqueue({ collection: 'cramps', method: 'POST', body });
    await queue.sync({ force: true });
    expect(wire).toEqual([{ started_at: body.started_at, id: item!.recordId, timezone: 'Europe/Berlin' }]);
  });
});

describe('what the app shows for a null', () => {
  const quick = { started_at: NOW.toISOString(), severity: null, duration_seconds: null, muscle: null, side: null, activity: null };

  it('History says the details were not said, not "5 of 10"', () => {
    expect(describeEntry('cramps', quick)).toBe(strings.history.crampNothingSaid);
    const partly = describeEntry('cramps', { ...quick, side: 'left', duration_seconds: 60 });
    expect(partly).toBe('Left leg, where not said, how bad not said, 1 min');
    expect(describeEntry('cramps', { ...quick, side: 'left', muscle: 'calf', severity: 0, duration_seconds: 60 })).toBe('Left calf, 0 of 10, 1 min');
  });

  it('History says a check-in swelling not answered was not said, not "none"', () => {
    expect(describeEntry('checkins', { swelling_left: 1, swelling_right: null, cramps_last_night: null })).toBe('Swelling left mild, right not said');
    expect(describeEntry('checkins', { swelling_left: 0, swelling_right: 0 })).toBe('Swelling left none, right none');
  });

  it("the clinician's table prints not said for each unanswered cramp field", () => {
    const notSaid = strings.clinician.notSaid;
    expect(crampWhere(quick)).toBe(notSaid);
    expect(crampWhere({ side: 'both', muscle: null })).toBe('Both, muscle not said');
    expect(cell('cramps', 'severity', quick)).toBe(notSaid);
    expect(cell('cramps', 'duration_seconds', quick)).toBe(notSaid);
    expect(cell('cramps', 'activity', quick)).toBe(notSaid);
    expect(cell('cramps', 'severity', { severity: 0 })).toBe('0/10');
  });

  it("the clinician's table prints not said for unanswered swelling and symptoms, and 0 for a said 0", () => {
    const notSaid = strings.clinician.notSaid;
    const record = { swelling_left: null, swelling_right: 0, heaviness: null, aching: 0, itching: 3 };
    expect(cell('checkins', 'swelling', record)).toBe(`${notSaid} / None`);
    expect(cell('checkins', 'symptoms', record)).toBe(`${notSaid} / 0 / 3`);
  });
});
