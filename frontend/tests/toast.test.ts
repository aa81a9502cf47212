import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app, dismissToast, toast, toastOnNavigation, toastStays } from '../src/state';

let path = '/';

beforeEach(() => {
  vi.useFakeTimers();
  path = '/';
  vi.stubGlobal('location', {
    get pathname() {
      return path;
    },
  });
  dismissToast();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const settle = () => Promise.resolve();

describe('a toast belongs to the screen it was raised on', () => {
  it('is gone when the person moves to another screen', async () => {
    toast('Stockings on: saved.');
    await settle();
    expect(app.get().toast).toMatchObject({ text: 'Stockings on: saved.', path: '/' });
    path = '/history';
    toastOnNavigation('/history');
    expect(app.get().toast).toBeNull();
  });

  it('stays on its own screen until its time is up', async () => {
    toast('Saved.', 4500);
    await settle();
    toastOnNavigation('/');
    expect(app.get().toast?.text).toBe('Saved.');
    vi.advanceTimersByTime(4500);
    expect(app.get().toast).toBeNull();
  });

  it('is the next screen’s when raised as a form saves and goes back in the same turn', async () => {
    path = '/cramp';
    toast('Cramp saved.');
    path = '/'; // navigate('/') right after, before anything paints
    toastOnNavigation('/');
    await settle();
    expect(app.get().toast).toMatchObject({ text: 'Cramp saved.', path: '/' });
  });

  it('follows to the next screen while its undo still applies, and only then', async () => {
    let spent = false;
    toast('250 ml of water saved.', 6000, { label: 'Undo', run: () => (spent = true), applies: () => !spent });
    await settle();
    path = '/history';
    toastOnNavigation('/history');
    expect(app.get().toast?.text).toBe('250 ml of water saved.');
    spent = true;
    path = '/trends';
    toastOnNavigation('/trends');
    expect(app.get().toast).toBeNull();
  });

  it('with an action that has no undo to keep, stays with its screen', async () => {
    toast('Not saved.', 4500, { label: 'Retry', run: () => undefined });
    await settle();
    expect(toastStays(app.get().toast, '/history')).toBe(false);
    expect(toastStays(app.get().toast, '/')).toBe(true);
    expect(toastStays(null, '/')).toBe(false);
  });
});
