// The header's one sync status, derived from the queue and the connection: a failed or conflicting entry
// (needs attention) beats a sign-in to send, which beats sending, which beats offline, which beats
// entries waiting, which beats "all sent". One state, so the header never says two things at once.

import type { ItemStatus } from '../sync/queue';

export type SyncStatusKind = 'attention' | 'signIn' | 'sending' | 'offline' | 'waiting' | 'allSent';

export interface SyncStatusInput {
  queue: ReadonlyArray<{ status: ItemStatus }>;
  online: boolean;
  syncing: boolean;
  authRequired: boolean;
}

export interface SyncStatusState {
  kind: SyncStatusKind;
  /** Entries still to send (the header's badge). */
  pending: number;
  /** Entries the diary refused or that conflict: the person has to look at them. */
  attention: number;
  /** 'warn' when the person should know something is not (yet) in the diary. */
  tone: 'ok' | 'warn';
}

export function syncStatus(input: SyncStatusInput): SyncStatusState {
  const pending = input.queue.filter((i) => i.status === 'pending').length;
  const attention = input.queue.length - pending;
  const state = (kind: SyncStatusKind, tone: 'ok' | 'warn'): SyncStatusState => ({ kind, pending, attention, tone });
  if (attention > 0) return state('attention', 'warn');
  if (input.authRequired && pending) return state('signIn', 'warn');
  if (input.syncing && pending) return state('sending', 'ok');
  if (!input.online) return state('offline', 'warn');
  if (pending) return state('waiting', 'warn');
  return state('allSent', 'ok');
}
