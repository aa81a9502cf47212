// Issue 21: a record keeps the zone it was lived in. The offline queue stamps every new diary record with
// the phone's zone; History and the clinician's table show it on that zone's clock, labelled where it is
// not the patient's zone now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idbQueueStore, wipeDb } from '../src/db/db';
import { ENTRY_COLUMNS } from '../src/kinds';
import { de } from '../src/locales/de';
import { es } from '../src/locales/es';
import { groupByDay } from '../src/logic/history';
import { recordTime, recordZoneOr } from '../src/logic/time';
import { SyncQueue, memoryLock, type QueueItem, type QueueStore } from '../src/sync/queue';

const GB = { locale: 'en-GB' };
// 20:00 on 1 July 2026 in Berlin (CEST): 03:00 on 2 July in Tokyo.
const BERLIN_EVENING = '2026-07-01T18:00:00Z';

describe('the offline queue', () => {
  let dbName: string;
  let store: QueueStore;
  beforeEach(() => {
    dbName = `record-zone-${Math.random().toString(36).slice(2)}`;
    store = idbQueueStore(dbName);
  });
  afterEach(async () => {
    await wipeDb(dbName);
  });

  it('stamps a new record with the phone’s zone when it is made, not when it is sent after a flight', async () => {
    const sent: QueueItem[] = [];
    let phone = 'Europe/Berlin';
    const queue = new SyncQueue({
      store,
      lock: memoryLock(),
      zone: () => phone,
      send: async (item) => {
        sent.push(item);
        return { status: 201, body: item.body };
      },
    });
    await queue.enqueue({ collection: 'cramps', method: 'POST', body: { started_at: BERLIN_EVENING } });
    await queue.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250, timezone: 'Asia/Tokyo' } });
    phone = 'Asia/Tokyo'; // landed, back online
    await queue.sync({ force: true });
    expect(sent.map((item) => item.body.timezone)).toEqual(['Europe/Berlin', 'Asia/Tokyo']);
  });

  it('sends an entry again without the zone when the server does not know the phone’s', async () => {
    const sent: Record<string, unknown>[] = [];
    const queue = new SyncQueue({
      store,
      lock: memoryLock(),
      zone: () => 'America/Ciudad_Juarez',
      send: async (item) => {
        sent.push({ ...item.body });
        if (item.body.timezone) return { status: 400, body: { timezone: ['Not a known IANA time zone.'] } };
        return { status: 201, body: item.body };
      },
    });
    await queue.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });
    const first = await queue.sync({ force: true });
    expect(first.failed).toEqual([]);
    await queue.sync({ force: true });
    expect(sent.map((body) => body.timezone)).toEqual(['America/Ciudad_Juarez', undefined]);
    expect(await queue.items()).toEqual([]);
  });

  it('still fails an entry refused for another field too', async () => {
    const queue = new SyncQueue({
      store,
      lock: memoryLock(),
      zone: () => 'Europe/Berlin',
      send: async () => ({ status: 400, body: { timezone: ['?'], volume_ml: ['Too much.'] } }),
    });
    await queue.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 9000 } });
    const report = await queue.sync({ force: true });
    expect(report.failed.map((item) => item.body.timezone)).toEqual(['Europe/Berlin']);
  });

  it('leaves the zone out of a factor tag, which is no diary record, and out of edits', async () => {
    const sent: QueueItem[] = [];
    const queue = new SyncQueue({
      store,
      lock: memoryLock(),
      zone: () => 'Europe/Berlin',
      send: async (item) => {
        sent.push(item);
        return { status: item.method === 'POST' ? 201 : 200, body: item.body };
      },
    });
    await queue.enqueue({ collection: 'factors', method: 'POST', body: { name: 'Coffee' } });
    await queue.enqueue({ collection: 'cramps', method: 'PATCH', recordId: '00000000-0000-4000-8000-000000000001', body: { severity: 4 } });
    await queue.sync({ force: true });
    expect(sent.map((item) => 'timezone' in item.body)).toEqual([false, false]);
  });
});

describe('a record’s time in History', () => {
  it('is on the clock of the zone it was logged in, labelled, after alice moved to Tokyo', () => {
    expect(recordTime(BERLIN_EVENING, 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Tokyo', { ...GB, date: false })).toEqual({
      text: '20:00 (Berlin time)',
      otherZone: true,
    });
  });

  it.each([
    ['German', de, '20:00 (Ortszeit Berlin)'],
    ['Spanish', es, '20:00 (hora de Berlin)'],
  ])('is labelled in %s too', (_language, words, text) => {
    expect(words.zones.loggedIn('20:00', words.zones.cityTime('Berlin'))).toBe(text);
    expect(words.zones.loggedInHint).not.toBe('Logged in another time zone: the time there.');
  });

  it('has no label when it was logged in the zone she lives in, and reads on it', () => {
    expect(recordTime(BERLIN_EVENING, 'Asia/Tokyo', 'Asia/Tokyo', 'Asia/Tokyo', { ...GB, date: false })).toEqual({
      text: '03:00',
      otherZone: false,
    });
  });

  it('reads a record without a zone (not yet stamped) on the profile’s clock', () => {
    expect(recordTime(BERLIN_EVENING, undefined, 'Asia/Tokyo', 'Asia/Tokyo', { ...GB, date: false }).text).toBe('03:00');
    expect(recordTime(BERLIN_EVENING, 'Mars/Olympus', 'Asia/Tokyo', 'Asia/Tokyo', { ...GB, date: false }).text).toBe('03:00');
  });

  it('groups a record under the day it was lived, as the server dates it', () => {
    const entries = [{ at: BERLIN_EVENING, data: { timezone: 'Europe/Berlin' } }];
    expect(groupByDay(entries, 'Asia/Tokyo').map((g) => g.date)).toEqual(['2026-07-02']);
    expect(groupByDay(entries, 'Asia/Tokyo', (e) => recordZoneOr(e.data.timezone, 'Asia/Tokyo')).map((g) => g.date)).toEqual([
      '2026-07-01',
    ]);
  });
});

describe('the clinician’s entries table', () => {
  const when = ENTRY_COLUMNS.cramps[0];

  it('shows a record logged in another zone on that zone’s clock, labelled', () => {
    const cell = when.cell({ started_at: BERLIN_EVENING, timezone: 'Europe/Berlin' }, 'en-GB', 'Asia/Tokyo');
    expect(cell).toBe('1 Jul 2026, 20:00 (Berlin time)');
  });

  it('shows a record of the patient’s own zone as before, the heading naming it', () => {
    expect(when.cell({ started_at: BERLIN_EVENING, timezone: 'Asia/Tokyo' }, 'en-GB', 'Asia/Tokyo')).toBe('2 Jul 2026, 03:00');
  });
});
