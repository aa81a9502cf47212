// Logging from the quick actions: queue the entry, try to send it, tell the person what happened.

import type { Collection } from '../api/types';
import { app, toast } from '../state';
import { strings } from '../strings';
import { submit, type ItemResult } from '../sync/runtime';
import type { QueueItem } from '../sync/queue';

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
): Promise<{ item: QueueItem | null; result: ItemResult }> {
  const out = await submit({ collection, method: 'POST', body });
  toast(resultText(saved, out.result));
  return out;
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
