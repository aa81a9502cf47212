import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('location', { pathname: '/', search: '', origin: 'http://localhost' });
const { toastSide } = await import('../src/ui/widgets');

const box = (top: number, bottom: number, left = 0, right = 320) => ({ top, bottom, left, right });
// A 320 × 568 phone: the header to 60, the tab bar from 500; a toast 120 high either above the tab bar or
// under the header.
const atBottom = box(368, 488);
const atTop = box(72, 192);

describe('the toast keeps clear of the focused field and the primary button', () => {
  it('sits above the tab bar when nothing there must stay clear', () => {
    expect(toastSide(atBottom, atTop, [])).toBe('bottom');
    expect(toastSide(atBottom, atTop, [box(100, 150)])).toBe('bottom');
  });

  it('moves under the header when above the tab bar it would cover the focused field or Save', () => {
    expect(toastSide(atBottom, atTop, [box(400, 440)])).toBe('top');
  });

  it('stays where it covers less when both places hold something to keep clear', () => {
    expect(toastSide(atBottom, atTop, [box(480, 490), box(80, 190)])).toBe('bottom');
    expect(toastSide(atBottom, atTop, [box(380, 480), box(180, 190)])).toBe('top');
  });

  it('counts only real overlap: a box beside the toast is no reason to move', () => {
    expect(toastSide(box(368, 488, 0, 150), atTop, [box(400, 440, 160, 300)])).toBe('bottom');
  });
});
