// The names of the factor tags whose entries are on screen: the patient's own (Today keeps it), or the
// patient's a clinician is reading (their entries table). A factor entry carries only its tag's id.

import { createStore } from '../store';

export const tagNames = createStore<{ names: Record<string, string> }>({ names: {} });

export function setTagNames(tags: Array<{ id: string; name: string }>): void {
  tagNames.set({ names: Object.fromEntries(tags.map((t) => [t.id, t.name])) });
}

export function tagName(id: unknown): string | null {
  return typeof id === 'string' ? (tagNames.get().names[id] ?? null) : null;
}
