// One line of plain words for a diary entry (History, the waiting list).

import type { Collection } from '../api/types';
import { strings } from '../strings';
import { formatDuration, formatTime } from '../ui/widgets';

export function describe(collection: Collection, d: Record<string, unknown>): string {
  const h = strings.history;
  switch (collection) {
    case 'cramps': {
      // Unanswered parts read "not said", never a number nobody gave.
      const side = said(d.side, strings.side);
      const muscle = said(d.muscle, strings.muscle);
      const severity = typeof d.severity === 'number' ? d.severity : null;
      const seconds = typeof d.duration_seconds === 'number' ? d.duration_seconds : null;
      if (side === null && muscle === null && severity === null && seconds === null) return h.crampNothingSaid;
      return h.crampSummary(h.crampWhere(side, muscle), h.crampSeverity(severity), h.crampDuration(seconds === null ? null : formatDuration(seconds)));
    }
    case 'compression':
      return h.compressionSummary(
        strings.garment[String(d.garment)] ?? String(d.garment),
        strings.pressure[String(d.pressure_class)] ?? String(d.pressure_class),
        d.ended_at ? h.compressionUntil(formatTime(String(d.ended_at))) : h.compressionOpen,
      );
    case 'elevations':
      return h.elevationSummary(Number(d.duration_minutes ?? 0), d.above_heart === true);
    case 'hydration':
      return h.hydrationSummary(Number(d.volume_ml ?? 0));
    case 'checkins': {
      const words = strings.checkin.swellingWords;
      const swelling = (v: unknown) => h.checkinSwelling(typeof v === 'number' && words[v] ? words[v].toLowerCase() : null);
      return h.checkinSummary(swelling(d.swelling_left), swelling(d.swelling_right), h.checkinCramps[String(d.cramps_last_night)] ?? '');
    }
  }
}

/** The word for a chosen value, or null when it was not said. */
function said(v: unknown, words: Record<string, string>): string | null {
  if (typeof v !== 'string' || !v) return null;
  return words[v] ?? v;
}
