// Delete with a few seconds to undo: the entry leaves History at once and "Deleted · Undo" shows; the
// delete itself is queued only when that time is up, when the page is hidden or closed, or at once if
// another delete follows. Undo within the time sends nothing.

import { createStore } from '../store';

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

/** Hides the entry now and runs `run` (which queues the delete) after the undo time. */
export function deleteAfterUndoTime(id: string, run: () => Promise<void>, ms = UNDO_MS): void {
  // One undo at a time: an earlier delete still waiting goes now (its toast is about to be replaced).
  void flushDeletes();
  waiting.set(id, { run, timer: setTimeout(() => void send(id), ms) });
  publish();
}

/** Undo: the entry comes back and nothing is sent. False when it was too late. */
export function undoDelete(id: string): boolean {
  const w = waiting.get(id);
  if (!w) return false;
  clearTimeout(w.timer);
  waiting.delete(id);
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
