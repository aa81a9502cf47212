// The limit on a note: counted as the server counts it, and refused past it rather than cut.

/** The server's limit (diary/models.py NOTES_MAX_LENGTH). */
export const NOTES_MAX = 2000;
/** From here the count is also read out to screen readers (politely): well before the limit, not at every key. */
export const NOTES_NEAR = 1800;

/**
 * The note's length as the server counts it: characters (code points) of the trimmed text. The old
 * maxLength counted UTF-16 units, so each emoji took two and a pasted note was cut short, without a word.
 */
export function noteLength(text: string): number {
  return [...text.trim()].length;
}

export interface NoteState {
  length: number;
  max: number;
  /** Near or past the limit: the count is announced. */
  near: boolean;
  /** Past the limit: Save is refused with a message naming the field. */
  over: boolean;
  /** How many characters to take out (0 when within the limit). */
  excess: number;
}

export function noteState(text: string, max = NOTES_MAX): NoteState {
  const length = noteLength(text);
  return { length, max, near: length >= Math.min(NOTES_NEAR, max), over: length > max, excess: Math.max(0, length - max) };
}

/** The names of the note fields of a form body that are over the limit (Save sends nothing then). */
export function notesOverLimit(fields: Record<string, string>, max = NOTES_MAX): string[] {
  return Object.entries(fields)
    .filter(([, text]) => noteLength(text) > max)
    .map(([name]) => name);
}
