// Logging from the quick actions: queue the entry, try to send it, tell the person what happened (with an
// Undo for a one-tap entry such as "+250 ml", which takes back exactly that entry).

import type { Collection, Segment } from '../api/types';
import { app, dismissToast, toast } from '../state';
import { strings } from '../strings';
import { submit, type ItemResult } from '../sync/runtime';
import type { QueueItem } from '../sync/queue';
import { UNDO_MS } from './undoDelete';

export function resultText(saved: string, result: ItemResult): string {
  if (result.kind === 'sent') return saved;
  if (result.kind === 'failed') return `${strings.sync.failedBadge}: ${result.item.error?.detail ?? strings.sync.failedExplain}`;
  if (result.kind === 'conflict') return strings.sync.conflictExplain;
  return saved + strings.saved.pendingSuffix;
}

export async function logEntry(
  collection: Collection,
  body: Record<string, unknown>,
  saved: string,
  options: { undo?: { undone: string; /** Also takes back what the entry needed (a tag made by the same tap). */ also?: () => Promise<void> } } = {},
): Promise<{ item: QueueItem | null; result: ItemResult }> {
  const out = await submit({ collection, method: 'POST', body });
  const text = resultText(saved, out.result);
  const { item } = out;
  const undo = options.undo;
  if (undo && item && out.result.kind !== 'failed' && out.result.kind !== 'conflict') {
    let spent = false;
    toast(text, UNDO_MS, {
      label: strings.history.undo,
      applies: () => !spent,
      run: () => {
        if (spent) return;
        spent = true;
        dismissToast();
        void undoLogged(item)
          .then(() => undo.also?.())
          .then(() => toast(undo.undone));
      },
    });
  } else {
    toast(text);
  }
  return out;
}

/**
 * Takes back one logged entry: still in the queue and never tried, it is dropped there (nothing is
 * sent); already sent, or tried and maybe received, its delete is queued (and sent when online). The
 * queue turns a create discarded while on its way into a delete too (sync/queue.ts).
 */
export async function undoLogged(item: { collection: Segment; recordId: string }): Promise<void> {
  await submit({ collection: item.collection, method: 'DELETE', recordId: item.recordId }, 3000);
}

export async function patchEntry(
  collection: Collection,
  recordId: string,
  body: Record<string, unknown>,
  saved: string,
): Promise<{ item: QueueItem | null; result: ItemResult }> {
  const out = await submit({ collection, method: 'PATCH', recordId, body });
  toast(resultText(saved, out.result));
  return out;
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function ownerId(): string | undefined {
  return app.get().user?.id;
}
