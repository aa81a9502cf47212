/** The patient's factor tags, pure: the list as the phone knows it, the suggestions, names, bodies and a refused delete. */

import type { Factor } from '../api/types';
import type { QueueItem } from '../sync/queue';

/** A tag as Today shows it: the server's, or one made on this phone and not sent yet. */
export interface Tag extends Factor {
  /** Its create still waits in the queue (made offline). */
  unsent: boolean;
}

/** A suggestion's name in the words of strings.factors.suggested; nothing is stored until it is tapped. */
export interface Suggestion {
  name: string;
}

/** The tags: the last list the server sent, overlaid with the queue's creates, renames and deletes of tags. */
export function mergeTags(cached: Factor[], queue: Pick<QueueItem, 'collection' | 'method' | 'recordId' | 'body' | 'createdAt' | 'status'>[]): Tag[] {
  const byId = new Map<string, Tag>(cached.map((f) => [f.id, { id: f.id, name: f.name, unsent: false }]));
  const mine = queue.filter((i) => i.collection === 'factors').sort((a, b) => a.createdAt - b.createdAt);
  for (const item of mine) {
    const name = typeof item.body.name === 'string' ? item.body.name : null;
    const known = byId.get(item.recordId);
    if (item.method === 'POST' && name !== null) byId.set(item.recordId, { id: item.recordId, name, unsent: !known });
    else if (item.method === 'PATCH' && known && name !== null) byId.set(item.recordId, { ...known, name });
    else if (item.method === 'DELETE' && item.status === 'pending') byId.delete(item.recordId);
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** Names compare as people read them: "coffee " and "Coffee" are the same tag. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

export function tagNamed(tags: Factor[], name: string): Factor | null {
  return tags.find((t) => sameName(t.name, name)) ?? null;
}

/**
 * The suggestions to offer: those the patient has not made theirs (by name) and has not put away (deleted
 * a tag of that name, or hidden the suggestions). Only shown while the patient has few tags of their own:
 * past that they have their list, and the suggestions would crowd it.
 */
export function suggestedTags(suggested: string[], tags: Factor[], hidden: string[], enough = 4): Suggestion[] {
  if (tags.length >= enough) return [];
  return suggested.filter((name) => !tagNamed(tags, name) && !hidden.some((h) => sameName(h, name))).map((name) => ({ name }));
}

export const NAME_MAX = 60;

/** Why a name cannot be a tag (the message key), or null when it can: `exceptId` is the tag being renamed. */
export function nameProblem(name: string, tags: Factor[], exceptId: string | null = null): 'empty' | 'tooLong' | 'taken' | null {
  const trimmed = name.trim();
  if (!trimmed) return 'empty';
  if (trimmed.length > NAME_MAX) return 'tooLong';
  const other = tagNamed(tags, trimmed);
  if (other && other.id !== exceptId) return 'taken';
  return null;
}

/** A new tag's body: the client's own id, so a factor entry can name it before the server has seen it. */
export function newTagBody(id: string, name: string): { id: string; name: string } {
  return { id, name: name.trim() };
}

/** One tap: the tag logged now (the time is the tap's, an instant; the server keeps UTC). */
export function factorEntryBody(factorId: string, at: Date): { factor: string; occurred_at: string } {
  return { factor: factorId, occurred_at: at.toISOString() };
}

/** What a refused delete (409: entries carry the tag) tells the patient, and how many entries go with it. */
export interface DeleteRefusal {
  message: string;
  /** The entries a delete "with its entries" takes too; null when neither the server nor the phone knows. */
  count: number | null;
}

/**
 * The server's own words, and its count when its message gives one ("3 entries carry …"); else what this
 * phone holds of the tag's entries, when it holds any (it may not hold all: then the number is not given).
 */
export function deleteRefusal(detail: string | undefined, fallback: string, entriesOnPhone: number, phoneHasAll: boolean): DeleteRefusal {
  const message = detail?.trim() || fallback;
  const said = detail?.match(/\b(\d+)\b/);
  if (said) return { message, count: Number(said[1]) };
  return { message, count: phoneHasAll && entriesOnPhone > 0 ? entriesOnPhone : null };
}
