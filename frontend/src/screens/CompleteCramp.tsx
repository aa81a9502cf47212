/** Today's next-morning card: complete last night's quick-logged cramps, one tap per question (issue 14). */

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Side } from '../api/types';
import type { Entry } from '../data/entries';
import { patchEntry } from '../data/log';
import {
  DURATION_CHOICES,
  SEVERITY_CHOICES,
  SIDE_CHOICES,
  answerBody,
  crampsToComplete,
  declineAll,
  pruneDeclined,
  skipQuestion,
  type CrampToComplete,
  type Declined,
  type PatientClock,
  type Question,
} from '../logic/completeCramp';
import { clockZone, formatInZone, zoneLabel } from '../logic/time';
import { toast } from '../state';
import { strings } from '../strings';
import { Button } from '../ui/form';

const S = strings.today.complete;
export const DECLINED_KEY = 'crampwise.completeCramp';

function readDeclined(): Declined {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(DECLINED_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Declined) : {};
  } catch {
    return {};
  }
}

function writeDeclined(declined: Declined): void {
  try {
    localStorage.setItem(DECLINED_KEY, JSON.stringify(declined));
  } catch {
    // storage disabled: "Not now" then lasts until the screen is left
  }
}

interface ChoiceButton {
  label: string;
  value: Side | number;
}

function choicesOf(question: Question): ChoiceButton[] {
  if (question === 'side') return SIDE_CHOICES.map((side) => ({ label: strings.side[side], value: side }));
  if (question === 'severity') return SEVERITY_CHOICES.map((c) => ({ label: S[c.key], value: c.value }));
  return DURATION_CHOICES.map((c) => ({ label: S[c.key], value: c.value }));
}

const LEGENDS: Record<Question, string> = {
  side: strings.fields.side,
  severity: strings.fields.severity,
  duration_seconds: strings.fields.duration,
};

export function CompleteCramp(p: { entries: Entry[]; now: Date; clock: PatientClock }) {
  const [declined, setDeclined] = useState<Declined>(() => pruneDeclined(readDeclined(), p.now, p.clock.timezone));
  // Answers tapped here, hidden at once: the entries list catches up when the queue has stored them.
  const [tapped, setTapped] = useState<Record<string, Question[]>>({});
  const questionRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  const cramps = p.entries.filter((e) => e.collection === 'cramps');
  const open = crampsToComplete(cramps, p.now, p.clock, declined)
    .map((c) => ({ ...c, questions: c.questions.filter((q) => !tapped[c.id]?.includes(q)) }))
    .filter((c) => c.questions.length > 0);
  const cramp: CrampToComplete | undefined = open[0];
  const question = cramp?.questions[0];

  // After a tap the pressed button is gone: the next question takes the focus, so a screen reader reads it.
  useEffect(() => {
    if (moved.current) questionRef.current?.focus();
    moved.current = false;
  }, [cramp?.id, question]);

  if (!cramp || !question) return null;

  const decline = (next: Declined) => {
    writeDeclined(next);
    setDeclined(next);
  };
  const answer = (value: Side | number) => {
    moved.current = true;
    setTapped({ ...tapped, [cramp.id]: [...(tapped[cramp.id] ?? []), question] });
    void patchEntry('cramps', cramp.id, answerBody(question, value), S.saved);
  };
  const skip = () => {
    moved.current = true;
    decline(skipQuestion(declined, cramp, question));
  };
  const notNow = () => {
    decline(declineAll(declined, open));
    toast(S.notNowSaid);
  };

  const zone = clockZone(p.clock.timezone);
  const at = new Date(cramp.at);
  const left = cramp.questions.length;
  return (
    <section class="card morning complete-cramp" aria-labelledby="complete-cramp-title" data-testid="complete-cramp" data-cramp={cramp.id}>
      <h2 id="complete-cramp-title">{S.title(formatInZone(at, zone, { date: false }), zoneLabel(zone, at))}</h2>
      <p class="complete-why">{S.why}</p>
      <div role="group" aria-labelledby="complete-cramp-q" aria-describedby="complete-cramp-left">
        <h3 id="complete-cramp-q" ref={questionRef} tabIndex={-1} data-testid="complete-question">
          {LEGENDS[question]}
        </h3>
        <p class="hint" id="complete-cramp-left">
          {S.left(left)}
        </p>
        <div class="complete-choices">
          {choicesOf(question).map((c) => (
            <Button key={String(c.value)} kind="primary" class="btn-big" testid={`complete-${question}-${c.value}`} onClick={() => answer(c.value)}>
              {c.label}
            </Button>
          ))}
        </div>
      </div>
      {open.length > 1 && <p class="hint">{S.more(open.length - 1)}</p>}
      <div class="row wrap complete-actions">
        <Button kind="link" testid="complete-skip" onClick={skip}>
          {S.skip}
        </Button>
        <Button testid="complete-not-now" onClick={notNow}>
          {S.notNow}
        </Button>
      </div>
    </section>
  );
}
