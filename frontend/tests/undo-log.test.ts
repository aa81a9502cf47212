import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { idbQueueStore, wipeDb } from '../src/db/db';
import { SyncQueue, memoryLock, type QueueItem, type QueueStore, type SendResult } from '../src/sync/queue';

let dbName: string;
let store: QueueStore;
let ids = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

beforeEach(() => {
  dbName = `undo-${Math.random().toString(36).slice(2)}`;
  store = idbQueueStore(dbName);
});

afterEach(async () => {
  await wipeDb(dbName);
});

describe('undoing a one-tap entry (+250 ml) removes exactly that entry', () => {
  it('drops a create still waiting in the queue, so nothing is sent', async () => {
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => ({ status: 201, body: item.body }));
    const q = new SyncQueue({ store, send, lock: memoryLock(), uuid });
    const first = await q.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });
    const second = await q.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });
    expect(await q.enqueue({ collection: 'hydration', method: 'DELETE', recordId: second!.recordId })).toBeNull();
    await q.sync();
    expect(send.mock.calls.map(([i]) => [i.method, i.recordId])).toEqual([['POST', first!.recordId]]);
  });

  it('sends a delete when the create was discarded while already on its way to the diary', async () => {
    let q!: SyncQueue;
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => {
      // The undo lands while the create is in flight: the queue still thinks it unsent and drops it.
      if (item.method === 'POST') await q.enqueue({ collection: 'hydration', method: 'DELETE', recordId: item.recordId });
      return { status: item.method === 'DELETE' ? 204 : 201, body: item.body };
    });
    q = new SyncQueue({ store, send, lock: memoryLock(), uuid });
    const item = await q.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });
    const report = await q.sync();
    expect(send.mock.calls.map(([i]) => [i.method, i.recordId])).toEqual([
      ['POST', item!.recordId],
      ['DELETE', item!.recordId],
    ]);
    expect(report.sent).toHaveLength(2);
    expect(await q.items()).toEqual([]);
  });

  it('queues a delete for a create that was tried (it may have arrived) and sends both in order', async () => {
    let online = false;
    const send = vi.fn(async (item: QueueItem): Promise<SendResult> => {
      if (!online) throw new TypeError('offline');
      return { status: item.method === 'DELETE' ? 204 : 201, body: item.body };
    });
    const q = new SyncQueue({ store, send, lock: memoryLock(), uuid });
    const item = await q.enqueue({ collection: 'hydration', method: 'POST', body: { volume_ml: 250 } });
    await q.sync();
    const undo = await q.enqueue({ collection: 'hydration', method: 'DELETE', recordId: item!.recordId });
    expect(undo).toMatchObject({ method: 'DELETE', recordId: item!.recordId });
    online = true;
    await q.sync({ force: true });
    expect(send.mock.calls.slice(1).map(([i]) => i.method)).toEqual(['POST', 'DELETE']);
    expect(await q.items()).toEqual([]);
  });
});
