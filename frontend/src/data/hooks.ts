// Hooks the screens share: the merged diary entries, a ticking clock, and the patient's local day.

import { useEffect, useState } from 'preact/hooks';
import { deviceTimeZone } from '../logic/time';
import { app, bumpRecords } from '../state';
import { useStore } from '../store';
import { loadEntries, readExtents, refreshRecords, type Entry, type Extents } from './entries';
import { sendLeftoverDeletes } from './undoDelete';

/** The merged entries and, read with them, how far down each kind is complete (History's cut-off): one
 * state, so a screen never draws new extents over old entries ("start of your diary" above a half list). */
export function useEntries(options: { fetch?: boolean } = {}): {
  entries: Entry[] | null;
  extents: Extents;
  stale: boolean;
  /** Reads the view again now; resolves once the new view is set (History's "Show older" stays busy till then). */
  reload: () => Promise<void>;
} {
  const s = useStore(app);
  const [view, setView] = useState<{ entries: Entry[] | null; extents: Extents }>({ entries: null, extents: {} });
  const [stale, setStale] = useState(false);
  const read = () => Promise.all([loadEntries(s.queue), readExtents()]).then(([entries, extents]) => ({ entries, extents }));
  useEffect(() => {
    let live = true;
    void read().then((v) => live && setView(v));
    return () => {
      live = false;
    };
  }, [s.queue, s.recordsVersion]);
  useEffect(() => {
    // A delete left waiting by a page that died within its undo seconds (data/undoDelete.ts).
    if (s.user) void sendLeftoverDeletes(s.user.id);
  }, [s.user?.id]);
  useEffect(() => {
    if (options.fetch === false || !s.user) return;
    void refreshRecords().then((ok) => {
      setStale(!ok);
      if (ok) bumpRecords();
    });
  }, [s.user?.id]);
  return { ...view, stale, reload: () => read().then(setView) };
}

export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function useTimeZone(): string {
  const { profile } = useStore(app);
  return profile?.timezone || deviceTimeZone();
}

