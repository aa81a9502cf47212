// Leaving a logging form: whether it holds a draft the person would lose, and what Back or Cancel does then.

/** A form that differs from how it opened holds a draft; a note of only spaces is no note. */
export function hasDraft<T extends object>(opened: T, now: T): boolean {
  const a = opened as Record<string, unknown>;
  const b = now as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const before = a[key];
    const after = b[key];
    if (typeof before === 'string' && typeof after === 'string') {
      if (before.trim() !== after.trim()) return true;
    } else if (before !== after) {
      return true;
    }
  }
  return false;
}

/**
 * What a wish to leave (Back, Cancel, a tab) does: with a draft not yet saved, ask first; otherwise go.
 * A saved form has nothing to lose (its entry is in the queue), so leaving it never asks.
 */
export function onLeave(form: { draft: boolean; saved: boolean }): 'go' | 'ask' {
  return form.draft && !form.saved ? 'ask' : 'go';
}

/** The answer to "Discard this cramp?": Keep editing stays on the form, Discard leaves it. */
export function afterAnswer(answer: 'keep' | 'discard'): 'stay' | 'go' {
  return answer === 'discard' ? 'go' : 'stay';
}

/**
 * Where Cancel leads: back to the screen before the form when that screen is one of the app's own history
 * entries (`depth` > 0), else (the form was opened straight from a home-screen shortcut or a link) Today,
 * in place of the form.
 */
export function cancelTarget(depth: number): { kind: 'back' } | { kind: 'replace'; to: string } {
  return depth > 0 ? { kind: 'back' } : { kind: 'replace', to: '/' };
}
