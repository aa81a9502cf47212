// One line of plain words for a diary entry (History, the waiting list).

import type { Collection } from '../api/types';
import { strings } from '../strings';
import { formatDuration, formatTime } from '../ui/widgets';

export function describe(collection: Collection, d: Record<string, unknown>): string {
  const h = strings.history;
  switch (collection) {
    case 'cramps':
      return h.crampSummary(
        strings.side[String(d.side)] ?? String(d.side),
        strings.muscle[String(d.muscle)] ?? String(d.muscle),
        Number(d.severity ?? 0),
        formatDuration(Number(d.duration_seconds ?? 0)),
      );
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
      return h.checkinSummary(
        (words[Number(d.swelling_left ?? 0)] ?? '').toLowerCase(),
        (words[Number(d.swelling_right ?? 0)] ?? '').toLowerCase(),
        h.checkinCramps[String(d.cramps_last_night)] ?? '',
      );
    }
  }
}
