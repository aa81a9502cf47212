import { describe, expect, it } from 'vitest';
import { syncStatus, type SyncStatusInput } from '../src/logic/syncStatus';

const pending = { status: 'pending' as const };
const failed = { status: 'failed' as const };
const conflict = { status: 'conflict' as const };
const base: SyncStatusInput = { queue: [], online: true, syncing: false, authRequired: false };
const kind = (input: Partial<SyncStatusInput>) => syncStatus({ ...base, ...input }).kind;

describe('the header shows one sync status', () => {
  it('says all sent when nothing waits and the phone is online', () => {
    expect(syncStatus(base)).toEqual({ kind: 'allSent', pending: 0, attention: 0, tone: 'ok' });
  });

  it('says an entry needs attention, never "all sent" beside it, when the only entry left failed', () => {
    expect(syncStatus({ ...base, queue: [failed] })).toEqual({ kind: 'attention', pending: 0, attention: 1, tone: 'warn' });
    expect(kind({ queue: [conflict] })).toBe('attention');
  });

  it('ranks needs attention over sending, sending over offline, offline over all sent', () => {
    expect(kind({ queue: [failed, pending], syncing: true, online: false })).toBe('attention');
    expect(kind({ queue: [pending], syncing: true, online: false })).toBe('sending');
    expect(kind({ queue: [pending], online: false })).toBe('offline');
    expect(kind({ online: false })).toBe('offline');
    expect(kind({})).toBe('allSent');
  });

  it('asks to sign in again when entries wait and the sign-in ended, unless one needs attention', () => {
    expect(kind({ queue: [pending], authRequired: true, syncing: true })).toBe('signIn');
    expect(kind({ queue: [pending, failed], authRequired: true })).toBe('attention');
    // Nothing to send: the ended sign-in is the sign-in screen's business, not the header's.
    expect(kind({ authRequired: true })).toBe('allSent');
  });

  it('counts waiting entries while online and not sending', () => {
    expect(syncStatus({ ...base, queue: [pending, pending, failed] })).toMatchObject({ pending: 2, attention: 1 });
    expect(syncStatus({ ...base, queue: [pending, pending] })).toEqual({ kind: 'waiting', pending: 2, attention: 0, tone: 'warn' });
  });

  it('only ever says sending while something waits to be sent', () => {
    expect(kind({ syncing: true })).toBe('allSent');
  });
});
