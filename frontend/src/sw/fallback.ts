// The notification's own words for a push message that cannot be read, in the app's language on this
// phone (the page keeps it in IndexedDB, key "language"): generic and symptom-free, as on a lock screen.
// Apart from strings.ts so the service worker does not carry the whole catalogue.

import type { Language } from '../locale';

export const FALLBACK_WORDS: Record<Language, { title: string; body: string }> = {
  en: { title: 'Crampwise', body: 'Time for your legs' },
  de: { title: 'Crampwise', body: 'Zeit für Ihre Beine' },
  es: { title: 'Crampwise', body: 'Es hora de cuidar sus piernas' },
};
