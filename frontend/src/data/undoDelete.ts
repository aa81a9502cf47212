// Delete with a few seconds to undo: the entry leaves History at once and "Deleted · Undo" shows; the
// delete itself is queued only when that time is up, when the page is hidden or closed, or at once if
// another delete follows. Undo within the time sends nothing. A waiting delete is also written to
// localStorage at once: a page that dies within its seconds (a reload, a killed tab) sends it at the
// next start, for the same person only.

import type { Collection } from '../api/types';
import { createStore } from '../store';
import { discardQueued, submit } from '../sync/runtime';

/** A delete the patient asked for: of a record the server has, or of a create still in the queue. */
export interface DeleteJob {
  id: string;
  collection: Collection;
  owner: string;
  /** Set when the record never reached the server: its queued create is discarded instead. */
  queueKey?: string;
}

const SAVED_KEY = 'crampwise.deletesWaiting';

function saved(): DeleteJob[] {
  try {
    const list = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function save(list: DeleteJob[]): void {
  try {
    if (list.length) localStorage.setItem(SAVED_KEY, JSON.stringify(list));
    else localStorage.removeItem(SAVED_KEY);
  } catch {
    // storage disabled: the timers alone carry the delete
  }
}

async function perform(job: DeleteJob): Promise<void> {
  if (job.queueKey) await discardQueued(job.queueKey);
  else await submit({ collection: job.collection, method: 'DELETE', recordId: job.id }, 3000);
  save(saved().filter((j) => j.id !== job.id));
}

/** Sends the deletes a page left waiting when it died (this person's only; another's stay for them). */
export async function sendLeftoverDeletes(owner: string): Promise<void> {
  for (const job of saved().filter((j) => j.owner === owner && !waiting.has(j.id))) await perform(job);
}

export const UNDO_MS = 6000;

interface Waiting {
  run: () => Promise<void>;
  timer: ReturnType<typeof setTimeout>;
}

const waiting = new Map<string, Waiting>();
/** The ids whose delete waits out its undo time (History leaves them out). */
export const deletesWaiting = createStore<{ ids: string[] }>({ ids: [] });

function publish(): void {
  deletesWaiting.set({ ids: [...waiting.keys()] });
}

async function send(id: string): Promise<void> {
  const w = waiting.get(id);
  if (!w) return;
  clearTimeout(w.timer);
  waiting.delete(id);
  publish();
  await w.run();
}

/** Hides the entry now and queues its delete after the undo time. */
export function deleteAfterUndoTime(job: DeleteJob, ms = UNDO_MS): void {
  // One undo at a time: an earlier delete still waiting goes now (its toast is about to be replaced).
  void flushDeletes();
  save([...saved().filter((j) => j.id !== job.id), job]);
  waiting.set(job.id, { run: () => perform(job), timer: setTimeout(() => void send(job.id), ms) });
  publish();
}

/** Undo: the entry comes back and nothing is sent. False when it was too late. */
export function undoDelete(id: string): boolean {
  const w = waiting.get(id);
  if (!w) return false;
  clearTimeout(w.timer);
  waiting.delete(id);
  save(saved().filter((j) => j.id !== id));
  publish();
  return true;
}

/** Queues every waiting delete now. */
export async function flushDeletes(): Promise<void> {
  await Promise.all([...waiting.keys()].map((id) => send(id)));
}

if (typeof window !== 'undefined') {
  // A reload or a closed tab must not lose a delete the patient did not undo.
  window.addEventListener('pagehide', () => void flushDeletes());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void flushDeletes();
  });
}
