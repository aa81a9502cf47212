// The patient's insights as this phone last heard them: kept in the app state and in IndexedDB, for
// offline. No side effects on import, so pure modules (logic/acknowledge.ts) can use it too.

import { api } from '../api/client';
import type { Insight } from '../api/types';
import { kvSet } from '../db/db';
import { app } from '../state';

/** Keeps this list as the latest known, on screen and for offline. */
export async function storeInsights(insights: Insight[]): Promise<void> {
  app.set({ insights });
  await kvSet('insights', insights).catch(() => undefined);
}

/** GET /insights/ (cached for offline); returns the latest known list. */
export async function refreshInsights(): Promise<Insight[] | null> {
  try {
    const insights = await api<Insight[]>('/api/v1/insights/');
    await storeInsights(insights);
    return insights;
  } catch {
    return app.get().insights;
  }
}
