// The cramp form's rough edges (issue 16): when leaving asks first, where Cancel leads, one way to say how
// long, and a note's limit counted as the server counts it and refused past it, never cut.
import { describe, expect, it } from 'vitest';
import { afterAnswer, cancelTarget, hasDraft, onLeave } from '../src/logic/draft';
import { NOTES_MAX, noteLength, noteState, notesOverLimit } from '../src/logic/notes';
import { checkinFromData } from '../src/kinds/checkin';
import { crampToBody, durationOptions, newCramp } from '../src/kinds/cramp';
import { strings } from '../src/strings';

const NOW = new Date('2026-12-03T03:10:00Z');

describe('a draft', () => {
  it('is nothing while the form is as it opened', () => {
    const opened = newCramp(NOW);
    expect(hasDraft(opened, { ...opened })).toBe(false);
    expect(hasDraft(opened, { ...opened, notes: '   \n' })).toBe(false);
  });

  it('is any answer given, a note, or a changed time', () => {
    const opened = newCramp(NOW);
    expect(hasDraft(opened, { ...opened, side: 'left' })).toBe(true);
    expect(hasDraft(opened, { ...opened, severity: 0 })).toBe(true);
    expect(hasDraft(opened, { ...opened, relieved_by_rest: 'no' })).toBe(true);
    expect(hasDraft(opened, { ...opened, notes: 'Woke me at 3.' })).toBe(true);
    expect(hasDraft(opened, { ...opened, started: '2026-12-02T23:00' })).toBe(true);
  });

  it('is not the answer the check-in opened with from Today ("cramps last night: some")', () => {
    const opened = { ...checkinFromData({}), cramps_last_night: 'some' as const };
    expect(hasDraft(opened, { ...opened })).toBe(false);
    expect(hasDraft(opened, { ...opened, swelling_left: 1 })).toBe(true);
  });
});

describe('leaving the form', () => {
  it('asks first with a draft, and goes at once without one', () => {
    expect(onLeave({ draft: true, saved: false })).toBe('ask');
    expect(onLeave({ draft: false, saved: false })).toBe('go');
  });

  it('never asks once the form is saved', () => {
    expect(onLeave({ draft: true, saved: true })).toBe('go');
  });

  it('stays on Keep editing and leaves on Discard', () => {
    expect(afterAnswer('keep')).toBe('stay');
    expect(afterAnswer('discard')).toBe('go');
  });

  it('cancels back to the screen before the form, or to Today when the app was opened on the form', () => {
    expect(cancelTarget(3)).toEqual({ kind: 'back' });
    expect(cancelTarget(0)).toEqual({ kind: 'replace', to: '/' });
  });
});

describe('how long', () => {
  it('offers the five usual durations, none chosen on a new cramp', () => {
    expect(durationOptions(null).map((o) => o.value)).toEqual([30, 60, 120, 300, 600]);
    expect(newCramp(NOW).duration_seconds).toBeNull();
  });

  it('shows a duration given some other way as a choice of its own, in order, so an edit keeps it', () => {
    expect(durationOptions(90).map((o) => [o.value, o.label])).toEqual([
      [30, '30 s'],
      [60, '1 min'],
      [90, '1.5 min'],
      [120, '2 min'],
      [300, '5 min'],
      [600, '10 min'],
    ]);
    expect(durationOptions(120)).toHaveLength(5);
  });

  it('sends the one chosen duration, and leaves it out when not said', () => {
    expect(crampToBody({ ...newCramp(NOW), duration_seconds: 120 }).duration_seconds).toBe(120);
    expect('duration_seconds' in crampToBody(newCramp(NOW))).toBe(false);
  });
});

describe("a note's limit", () => {
  it('counts characters as the server does: an emoji is one, and the spaces round the note are not sent', () => {
    expect('😖'.length).toBe(2);
    expect(noteLength('😖')).toBe(1);
    expect(noteLength('  calf \n')).toBe(4);
  });

  it('is 2,000 characters, the server limit', () => {
    expect(NOTES_MAX).toBe(2000);
    expect(noteState('x'.repeat(2000))).toMatchObject({ length: 2000, over: false, excess: 0 });
    expect(noteState('x'.repeat(2001))).toMatchObject({ over: true, excess: 1 });
  });

  it('keeps a 4,500-character paste whole and says by how much it is over', () => {
    const note = Array.from('😖 calf, then foot. '.repeat(300)).slice(0, 4500).join('');
    const state = noteState(note);
    expect(state.length).toBe(4500);
    expect(state.over).toBe(true);
    expect(notesOverLimit({ notes: note })).toEqual(['notes']);
    expect(strings.noteLimit.tooLong('Notes', state.excess, state.max)).toBe(
      'Notes: 2,500 characters too many. Shorten it to 2,000 or fewer to save; nothing has been cut.',
    );
  });

  it('reads out the count only near the limit', () => {
    expect(noteState('x'.repeat(1799)).near).toBe(false);
    expect(noteState('x'.repeat(1800)).near).toBe(true);
    expect(strings.noteLimit.count(1921, 2000)).toBe('1,921 of 2,000 characters');
    expect(strings.noteLimit.left(1)).toBe('1 character left');
  });

  it('lets a note within the limit be saved', () => {
    expect(notesOverLimit({ notes: 'x'.repeat(2000) })).toEqual([]);
    expect(notesOverLimit({ notes: '' })).toEqual([]);
  });
});
