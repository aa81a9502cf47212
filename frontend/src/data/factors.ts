// The patient's factor tags on the phone: the server's list (cached in IndexedDB) overlaid with the queue,
// and what Today does with them: a tap logs the tag now (creating it first when it is a suggestion, with
// an id of our own so both go through the offline queue), rename, and delete (online: a tag on entries is
// refused with 409 until the patient says to delete it with them).

import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { Factor } from '../api/types';
import { FACTORS_KEY, deleteRecord, kvGet, kvSet } from '../db/db';
import { deleteRefusal, factorEntryBody, mergeTags, newTagBody, sameName, tagNamed, type DeleteRefusal, type Tag } from '../logic/factors';
import { app, bumpRecords } from '../state';
import { useStore } from '../store';
import { strings } from '../strings';
import { discardQueued, submit } from '../sync/runtime';
import { readExtents, type Entry } from './entries';
import { logEntry, undoLogged } from './log';
import { setTagNames } from './tagNames';

const F = strings.factors;
const HIDDEN_KEY = 'crampwise.hiddenTagSuggestions';

export async function refreshTags(): Promise<boolean> {
  try {
    await kvSet(FACTORS_KEY, await api<Factor[]>('/api/v1/factors/'));
    return true;
  } catch {
    return false;
  }
}

/** The tags as the phone knows them (null until read); fetched once per sign-in when online. */
export function useTags(): Tag[] | null {
  const s = useStore(app);
  const [cached, setCached] = useState<Factor[] | null>(null);
  useEffect(() => {
    let live = true;
    void kvGet<Factor[]>(FACTORS_KEY)
      .catch(() => undefined)
      .then((list) => live && setCached(list ?? []));
    return () => {
      live = false;
    };
  }, [s.queue, s.recordsVersion]);
  useEffect(() => {
    if (s.user && s.online) void refreshTags().then((ok) => ok && bumpRecords());
  }, [s.user?.id, s.online]);
  const tags = cached === null ? null : mergeTags(cached, s.queue);
  useEffect(() => {
    if (tags) setTagNames(tags);
  }, [JSON.stringify(tags)]);
  return tags;
}

function hiddenKey(): string {
  return `${HIDDEN_KEY}.${app.get().user?.id ?? ''}`;
}

/** The suggestions this patient put away on this phone (deleted a tag of that name, or hid them all). */
export function hiddenSuggestions(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(hiddenKey()) ?? '[]');
    return Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function hideSuggestions(names: string[]): void {
  try {
    localStorage.setItem(hiddenKey(), JSON.stringify([...new Set([...hiddenSuggestions(), ...names])]));
  } catch {
    // storage disabled: the suggestions come back next time
  }
}

/** Makes a tag (queued, sent when online) and answers its id; an existing tag of that name is used instead. */
async function ensureTag(name: string, tags: Tag[]): Promise<{ id: string; created: boolean }> {
  const known = tagNamed(tags, name);
  if (known) return { id: known.id, created: false };
  const body = newTagBody(crypto.randomUUID(), name);
  const out = await submit({ collection: 'factors', method: 'POST', body }, 3000);
  if (out.result.kind === 'failed' && out.item) {
    // Refused (most likely the name is taken by a tag made on another device): use that one.
    await refreshTags();
    const there = tagNamed((await kvGet<Factor[]>(FACTORS_KEY)) ?? [], name);
    if (there) {
      await discardQueued(out.item.key);
      return { id: there.id, created: false };
    }
  }
  return { id: body.id, created: true };
}

/** One tap on a tag or a suggestion: the tag logged now, with Undo (which also takes back a tag made by this tap). */
export async function tapTag(name: string, tags: Tag[]): Promise<void> {
  const { id, created } = await ensureTag(name, tags);
  await logEntry('factor-entries', factorEntryBody(id, new Date()), strings.saved.factor(name), {
    undo: { undone: strings.saved.factorUndone(name), also: created ? () => undoLogged({ collection: 'factors', recordId: id }) : undefined },
  });
}

export async function renameTag(tag: Tag, name: string): Promise<void> {
  await submit({ collection: 'factors', method: 'PATCH', recordId: tag.id, body: { name: name.trim() } }, 3000);
}

export type DeleteOutcome = { kind: 'deleted' } | { kind: 'refused'; refusal: DeleteRefusal } | { kind: 'offline' } | { kind: 'failed' };

/**
 * Deletes a tag. One never sent leaves the phone with its unsent entries (nothing reached the server). Else
 * it needs the server: entries carrying it make it refuse (409), and `withEntries` deletes them too.
 */
export async function deleteTag(tag: Tag, entries: Entry[], withEntries: boolean): Promise<DeleteOutcome> {
  const s = app.get();
  if (tag.unsent) {
    for (const item of s.queue) {
      const carries = item.collection === 'factor-entries' && item.body.factor === tag.id;
      if ((item.collection === 'factors' && item.recordId === tag.id) || carries) await discardQueued(item.key);
    }
    putAway(tag.name);
    return { kind: 'deleted' };
  }
  if (!s.online) return { kind: 'offline' };
  const carrying = entries.filter((e) => e.collection === 'factor-entries' && e.data.factor === tag.id);
  try {
    await api(`/api/v1/factors/${tag.id}/${withEntries ? '?with_entries=true' : ''}`, { method: 'DELETE' });
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      // The phone's count is the whole count only when it holds every factor entry (no older page left).
      const all = (await readExtents())['factor-entries']?.more === false;
      return { kind: 'refused', refusal: deleteRefusal(error.detail, F.deleteRefused, carrying.length, all) };
    }
    if (error instanceof ApiError && error.kind === 'offline') return { kind: 'offline' };
    if (!(error instanceof ApiError && error.status === 404)) return { kind: 'failed' };
  }
  const list = ((await kvGet<Factor[]>(FACTORS_KEY)) ?? []).filter((f) => f.id !== tag.id);
  await kvSet(FACTORS_KEY, list);
  putAway(tag.name);
  if (withEntries) for (const e of carrying) await deleteRecord(e.id).catch(() => undefined);
  bumpRecords();
  return { kind: 'deleted' };
}

/** A deleted tag named like a suggestion does not come back as one. */
function putAway(name: string): void {
  const suggested = F.suggested.find((n) => sameName(n, name));
  if (suggested) hideSuggestions([suggested]);
}
