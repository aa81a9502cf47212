// The weekly summary behind the tap: the lock screen only said that it is ready; the words are read here,
// from GET /api/v1/summaries/weekly/?week=YYYY-MM-DD (the week's last day; today when the link has none).

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { WeeklySummary as Summary } from '../api/types';
import { zoneLabel } from '../logic/time';
import { useRoute } from '../router';
import { strings } from '../strings';
import { FormError } from '../ui/form';
import { A, Page } from '../ui/widgets';

const W = strings.weekly;
const WEEK = /^\d{4}-\d{2}-\d{2}$/;

export function WeeklySummary() {
  const { query } = useRoute();
  const week = query.get('week');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setSummary(null);
    setError(null);
    // Only a date goes into the request: the link came from a push message.
    const path = `/api/v1/summaries/weekly/${week && WEEK.test(week) ? `?week=${week}` : ''}`;
    api<Summary>(path)
      .then(setSummary)
      .catch(setError);
  }, [week]);

  return (
    <Page title={strings.titles.weekly} intro={W.intro} testid="weekly-summary">
      {error ? <FormError error={error} /> : null}
      {!summary && !error && <p>{W.loading}</p>}
      {summary && (
        <article class="card weekly" aria-labelledby="weekly-title" data-testid="weekly-card">
          <h2 id="weekly-title">{summary.title}</h2>
          {summary.has_content ? (
            <ul class="weekly-words" data-testid="weekly-sentences">
              {summary.sentences.map((sentence) => (
                <li key={sentence}>{sentence}</li>
              ))}
            </ul>
          ) : (
            <p data-testid="weekly-nothing">{W.nothing}</p>
          )}
          <p class="hint">{W.datesIn(zoneLabel(summary.timezone))}</p>
        </article>
      )}
      <div class="row wrap">
        <A href="/trends" class="btn btn-secondary">
          {W.toTrends}
        </A>
        <A href="/reminders" class="btn btn-secondary">
          {W.toReminders}
        </A>
      </div>
    </Page>
  );
}
