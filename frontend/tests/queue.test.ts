import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { idbLeaseStore, idbQueueStore, wipeDb } from '../src/db/db';
import {
  BACKOFF_CAP_MS,
  SyncQueue,
  backoffDelay,
  classify,
  leaseLock,
  memoryLock,
  type QueueItem,
  type QueueStore,
  type SendResult,
} from '../src/sync/queue';

let dbName: string;
let store: QueueStore;
let clock: number;
let ids: number;

const now = () => clock;
const uuid = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

function queueWith(send: (item: QueueItem) => Promise<SendResult>, options: Partial<ConstructorParameters<typeof SyncQueue>[0]> = {}) {
  return new SyncQueue({ store, send, lock: memoryLock(), now, uuid, ...options });
}

const created = (item: QueueItem): Promise<SendResult> => Promise.resolve({ status: 201, body: { ...item.body } });

beforeEach(() => {
  dbName = `test-${Math.random().toString(36).slice(2)}`;
  store = idbQueueStore(dbName);
  clock = 1_700_000_000_000;
  ids = 0;
});

afterEach(async () => {
  await wipeDb(dbName);
});

describe('backoff', () => {
  it('doubles from 2 s and stops at 5 minutes', () => {
    expect([1, 2, 3, 4, 5].map(backoffDelay)).toEqual([2000, 4000, 8000, 16000, 32000]);
    expect(backoffDelay(8)).toBe(256_000);
    expect(backoffDelay(9)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(50)).toBe(5 * 60_000);
  });

  it('classifies responses', () => {
    expect(classify(200, 'POST')).toBe('done');
    expect(classify(201, 'POST')).toBe('done');
    expect(classify(204, 'DELETE')).toBe('done');
    expect(classify(404, 'DELETE')).toBe('done');
    expect(classify(409, 'POST')).toBe('conflict');
    expect(classify(400, 'POST')).toBe('failed');
    expect(classify(404, 'PATCH')).toBe('failed');
    expect(classify(401, 'POST')).toBe('auth');
    expect(classify(403, 'POST')).toBe('auth');
    expect(classify(429, 'POST')).toBe('retry');
    expect(classify(500, 'POST')).toBe('retry');
    expect(classify(503, 'POST')).toBe('retry');
  });
});

describe('sync queue', () => {
  it('POSTs each entry exactly once, with its client id, oldest first', async () => {
    const send = vi.fn(created);
    const q = queueWith(send);
    const a = await q.enqueue({ collection: 'cramps', method: 'POST', body: { severity: 5 } });
    const b = await q.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });
    const c = await q.enqueue({ collection: 'checkins', method: 'POST', body: { cramps_last_night: 'none' } });

    // Three triggers at once (online event, visibility, a new entry): one pass plus one follow-up.
    const reports = await Promise.all([q.sync({ force: true }), q.sync(), q.sync({ force: true })]);
    await q.sync({ force: true });

    expect(send).toHaveBeenCalledTimes(3);
    const sent = send.mock.calls.map(([item]) => item);
    expect(sent.map((i) => i.recordId)).toEqual([a!.key, b!.key, c!.key]);
    for (const item of sent) expect(item.body.id).toBe(item.recordId);
    expect(reports[0].sent.map((s) => s.item.key)).toEqual([a!.key, b!.key, c!.key]);
    expect(await q.items()).toEqual([]);
  });

  it('treats a replay answered 200 (idempotent create) as sent', async () => {
    const send = vi.fn(async (item: QueueItem) => ({ status: 200, body: item.body }));
    const q = queueWith(send);
    await q.enqueue({ collection: 'cramps', method: 'POST', body: { severity: 3 } });
    const report = await q.sync();
    expect(report.sent).toHaveLength(1);
    expect(await q.items()).toEqual([]);
  });

  it('does not retry a 400: marks it failed with the field messages and goes on with the rest', async () => {
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> =>
      item.collection === 'cramps'
        ? { status: 400, body: { severity: ['Ensure this value is less than or equal to 10.'] } }
        : { status: 201, body: item.body },
    );
    const q = queueWith(send);
    const bad = await q.enqueue({ collection: 'cramps', method: 'POST', body: { severity: 11 } });
    await q.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });

    const report = await q.sync();
    expect(report.failed.map((i) => i.key)).toEqual([bad!.key]);
    expect(report.sent).toHaveLength(1);
    const [left] = await q.items();
    expect(left.status).toBe('failed');
    expect(left.error).toEqual({ status: 400, detail: undefined, fields: { severity: ['Ensure this value is less than or equal to 10.'] } });

    clock += 10 * 60_000;
    await q.sync({ force: true });
    await q.sync();
    expect(send).toHaveBeenCalledTimes(2); // never again

    // Once the person fixes it, it goes (with the same id).
    send.mockImplementation(created);
    await q.update(bad!.key, { severity: 9 });
    const fixed = await q.sync();
    expect(fixed.sent[0].item.body).toMatchObject({ id: bad!.key, severity: 9 });
    expect(await q.items()).toEqual([]);
  });

  it('keeps a 409 aside and never retries it; it can be sent again as a new entry', async () => {
    const send = vi.fn(async (_item: QueueItem): Promise<SendResult> => ({ status: 409, body: { id: ['This id is already used by another record.'] } }));
    const q = queueWith(send);
    const item = await q.enqueue({ collection: 'cramps', method: 'POST', body: { severity: 4 } });

    const report = await q.sync();
    expect(report.conflicts.map((i) => i.key)).toEqual([item!.key]);
    expect((await q.items())[0]).toMatchObject({ status: 'conflict', error: { status: 409 } });
    await q.sync({ force: true });
    expect(send).toHaveBeenCalledTimes(1);

    send.mockImplementation(created);
    const again = await q.resendAsNew(item!.key);
    expect(again!.recordId).not.toBe(item!.key);
    await q.sync();
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1][0].body.id).toBe(again!.recordId);
    expect(await q.items()).toEqual([]);
  });

  it('retries a 5xx with exponential backoff, keeping the order', async () => {
    const statuses = [503, 500, 201, 201];
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => ({ status: statuses.shift()!, body: item.body }));
    const q = queueWith(send);
    const first = await q.enqueue({ collection: 'cramps', method: 'POST', body: {} });
    await q.enqueue({ collection: 'hydration', method: 'POST', body: {} });

    let report = await q.sync();
    expect(send).toHaveBeenCalledTimes(1); // stopped at the first: the server is in trouble
    expect(report.retryAt).toBe(clock + 2000);
    expect((await q.items())[0]).toMatchObject({ key: first!.key, status: 'pending', attempts: 1 });

    clock += 1999;
    report = await q.sync(); // not due yet
    expect(send).toHaveBeenCalledTimes(1);
    expect(report.retryAt).toBe(clock + 1);

    clock += 1;
    report = await q.sync();
    expect(send).toHaveBeenCalledTimes(2);
    expect(report.retryAt).toBe(clock + 4000); // 2 s, then 4 s

    clock += 4000;
    report = await q.sync();
    expect(send).toHaveBeenCalledTimes(4);
    expect(send.mock.calls.map(([i]) => i.collection)).toEqual(['cramps', 'cramps', 'cramps', 'hydration']);
    expect(report.retryAt).toBeNull();
    expect(await q.items()).toEqual([]);
  });

  it('retries after a network error; a forced sync (back online) does not wait', async () => {
    let online = false;
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => {
      if (!online) throw new TypeError('Failed to fetch');
      return { status: 201, body: item.body };
    });
    const q = queueWith(send);
    await q.enqueue({ collection: 'elevations', method: 'POST', body: { duration_minutes: 15 } });

    const report = await q.sync();
    expect(report.offline).toBe(true);
    expect(report.retryAt).toBe(clock + 2000);
    await q.sync();
    expect(send).toHaveBeenCalledTimes(1);

    online = true;
    const back = await q.sync({ force: true }); // the `online` event
    expect(back.sent).toHaveLength(1);
    expect(await q.items()).toEqual([]);
  });

  it('caps the wait at 5 minutes and honours Retry-After', async () => {
    const send = vi.fn(async (): Promise<SendResult> => ({ status: 429, body: { detail: 'Slow down.' }, retryAfterSeconds: 600 }));
    const q = queueWith(send);
    await q.enqueue({ collection: 'cramps', method: 'POST', body: {} });
    const report = await q.sync();
    expect(report.retryAt).toBe(clock + 600_000);

    send.mockImplementation(async () => ({ status: 502, body: null, retryAfterSeconds: null }));
    for (let i = 0; i < 12; i++) {
      const r = await q.sync({ force: true });
      expect(r.retryAt! - clock).toBeLessThanOrEqual(BACKOFF_CAP_MS);
    }
    expect((await q.items())[0].attempts).toBe(13);
  });

  it('stops on 401/403 and keeps the entry for after the next sign-in', async () => {
    const send = vi.fn(async (): Promise<SendResult> => ({ status: 403, body: { detail: 'Authentication credentials were not provided.' } }));
    const q = queueWith(send);
    await q.enqueue({ collection: 'cramps', method: 'POST', body: {} });
    await q.enqueue({ collection: 'cramps', method: 'POST', body: {} });
    const report = await q.sync();
    expect(report.authRequired).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    const items = await q.items();
    expect(items.map((i) => [i.status, i.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
  });

  it('sends only the signed-in person’s entries', async () => {
    const send = vi.fn(created);
    let owner = 'alice';
    const q = queueWith(send, { owner: () => owner });
    await q.enqueue({ collection: 'cramps', method: 'POST', body: {}, owner: 'alice' });
    await q.enqueue({ collection: 'cramps', method: 'POST', body: {}, owner: 'bob' });
    await q.sync();
    expect(send).toHaveBeenCalledTimes(1);
    owner = 'bob';
    await q.sync();
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('keeps an edit made while the entry was in flight (it follows as a PATCH)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => {
      if (send.mock.calls.length === 1) await gate;
      return { status: item.method === 'POST' ? 201 : 200, body: item.body };
    });
    const q = queueWith(send);
    const item = await q.enqueue({ collection: 'compression', method: 'POST', body: { started_at: 'x', ended_at: null } });
    const pass = q.sync();
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    await q.enqueue({ collection: 'compression', method: 'PATCH', recordId: item!.key, body: { ended_at: 'y' } }); // stockings off
    release();
    await pass;
    await q.sync();
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1][0]).toMatchObject({ method: 'PATCH', recordId: item!.key, body: { started_at: 'x', ended_at: 'y' } });
    expect(await q.items()).toEqual([]);
  });

  it('folds edits into an unsent create, and a delete of an unsent create discards it', async () => {
    const send = vi.fn(created);
    const q = queueWith(send);
    const a = await q.enqueue({ collection: 'compression', method: 'POST', body: { ended_at: null } });
    await q.enqueue({ collection: 'compression', method: 'PATCH', recordId: a!.key, body: { ended_at: 'later' } });
    expect(await q.items()).toHaveLength(1);
    expect((await q.items())[0].body).toMatchObject({ id: a!.key, ended_at: 'later' });

    const b = await q.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });
    expect(await q.enqueue({ collection: 'hydration', method: 'DELETE', recordId: b!.key })).toBeNull();
    await q.sync();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0].collection).toBe('compression');
  });

  it('queues edits and deletes of records already on the server', async () => {
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => ({ status: item.method === 'DELETE' ? 204 : 200, body: null }));
    const q = queueWith(send);
    await q.enqueue({ collection: 'cramps', method: 'PATCH', recordId: 'server-1', body: { severity: 2 } });
    await q.enqueue({ collection: 'cramps', method: 'PATCH', recordId: 'server-1', body: { notes: 'x' } });
    await q.enqueue({ collection: 'hydration', method: 'DELETE', recordId: 'server-2' });
    expect(await q.items()).toHaveLength(2);
    await q.sync();
    expect(send.mock.calls.map(([i]) => [i.method, i.recordId, i.body])).toEqual([
      ['PATCH', 'server-1', { severity: 2, notes: 'x' }],
      ['DELETE', 'server-2', {}],
    ]);
  });
});

describe('the sync lock', () => {
  it('lets one pass run at a time across two tabs sharing IndexedDB', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => {
      await gate;
      return { status: 201, body: item.body };
    });
    const tabA = queueWith(send, { lock: leaseLock(idbLeaseStore(dbName), { now, uuid }) });
    const tabB = queueWith(send, { lock: leaseLock(idbLeaseStore(dbName), { now, uuid }) });
    await tabA.enqueue({ collection: 'cramps', method: 'POST', body: {} });
    await tabA.enqueue({ collection: 'cramps', method: 'POST', body: {} });

    const passA = tabA.sync({ force: true });
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    const passB = await tabB.sync({ force: true }); // e.g. the page reloaded mid-pass, or another tab
    expect(passB.ran).toBe(false);
    release();
    const a = await passA;
    expect(a.sent).toHaveLength(2);
    expect(send).toHaveBeenCalledTimes(2);

    const afterwards = await tabB.sync({ force: true });
    expect(afterwards.ran).toBe(true);
    expect(afterwards.sent).toHaveLength(0);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('takes over a lease left by a page that went away once it expires', async () => {
    const leases = idbLeaseStore(dbName);
    expect(await leases.acquire('gone-tab', clock + 30_000, clock)).toBe(true);
    const send = vi.fn(created);
    const q = queueWith(send, { lock: leaseLock(leases, { now, uuid, ttlMs: 30_000 }) });
    await q.enqueue({ collection: 'cramps', method: 'POST', body: {} });
    expect((await q.sync()).ran).toBe(false);
    clock += 30_001;
    expect((await q.sync()).sent).toHaveLength(1);
  });
});
