// The urgent rules of diary/insights.py (is_emergency, one_sided_swelling, is_dvt_warning,
// urgent_for_checkin), mirrored so a check-in made offline shows its warning at once. Same thresholds,
// same order (emergency first), same wording; tests/urgent.test.ts mirrors the Python tests' cases.

import { strings } from '../strings';
import { locale } from '../locale';

export const URGENT_THRESHOLDS = {
  /** One leg at least two swelling levels above the other. */
  dvtSwellingLevels: 2,
  /** One leg larger by more than 3.0 cm at the calf (Wells: > 3 cm) or by 3.0 cm or more at the ankle,
   * when both legs were measured at the same, said site (THRESHOLDS.dvt_circumference_cm). */
  dvtCircumferenceCm: 3.0,
  /** Look-backs of the two rules (the check-in's own warning has none). */
  emergencyDays: 2,
  dvtDays: 7,
  /** A check-in recorded more than this before it is saved is a past report (THRESHOLDS.past_dated_hours). */
  pastDatedHours: 24,
};

export interface UrgentFacts {
  /** null or left out: not answered, compared with nothing (as diary/insights.py; decision 0022). */
  swelling_left?: number | null;
  swelling_right?: number | null;
  circumference_left_cm?: number | null;
  circumference_right_cm?: number | null;
  /** Where each leg was measured; null or left out: not said, and then compared with nothing. */
  circumference_site_left?: 'calf' | 'ankle' | null;
  circumference_site_right?: 'calf' | 'ankle' | null;
  calf_pain_or_tenderness?: boolean;
  sudden_onset?: boolean;
  redness_or_warmth?: boolean;
  sudden_chest_pain_or_breathlessness?: boolean;
  /** The check-in's local date, YYYY-MM-DD (for the wording). */
  local_date?: string;
  /** When it was recorded (ISO); with the time it is saved, tells a past report (isPastDated). */
  recorded_at?: string;
}

/** Recorded more than a day before it is saved: a past report typed in, worded for the past (as
 * diary/insights.py is_past_dated), still urgent. */
export function isPastDated(c: UrgentFacts, savedAt: Date): boolean {
  const recorded = c.recorded_at ? new Date(c.recorded_at).getTime() : NaN;
  if (Number.isNaN(recorded)) return false;
  return savedAt.getTime() - recorded > URGENT_THRESHOLDS.pastDatedHours * 3600 * 1000;
}

export interface LocalInsight {
  code: 'emergency_warning' | 'urgent_dvt_warning';
  level: 'urgent';
  title: string;
  explanation: string;
  action: string;
  evidence: Record<string, unknown>;
}

export interface OneSidedSwelling {
  leg: 'left' | 'right';
  other: 'left' | 'right';
  /** Levels, swollen leg minus the other, when both were answered. */
  swellingDifference: number | null;
  circumferenceDifferenceCm: number | null;
  /** Where both legs were measured, when the circumferences were compared. */
  circumferenceSite: 'calf' | 'ankle' | null;
}

function num(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function isEmergency(c: UrgentFacts): boolean {
  return c.sudden_chest_pain_or_breathlessness === true;
}

function bothLevels(c: UrgentFacts): boolean {
  return num(c.swelling_left) !== null && num(c.swelling_right) !== null;
}

/** Where both legs were measured, when their circumferences can be compared: 'calf' or 'ankle' when said
 * for both, '' when not said for one or both; null when they cannot be compared: a leg not measured, or a
 * calf against an ankle (as comparable_site: a site not said never silences the comparison). */
export function comparableSite(c: UrgentFacts): 'calf' | 'ankle' | '' | null {
  if (num(c.circumference_left_cm) === null || num(c.circumference_right_cm) === null) return null;
  const left = c.circumference_site_left ?? null;
  const right = c.circumference_site_right ?? null;
  if (left === null || right === null) return '';
  return left === right ? left : null;
}

function bothCircumferences(c: UrgentFacts): boolean {
  return comparableSite(c) !== null;
}

/** At the calf more than 3.0 cm (Wells); at the ankle, or where not said, 3.0 cm or more. */
function circumferenceOneSided(site: 'calf' | 'ankle' | '', differenceCm: number): boolean {
  return site === 'calf' ? differenceCm > URGENT_THRESHOLDS.dvtCircumferenceCm : differenceCm >= URGENT_THRESHOLDS.dvtCircumferenceCm;
}

/** Neither both swelling levels nor two comparable circumferences given: one-sidedness cannot be told. */
export function swellingUnknown(c: UrgentFacts): boolean {
  return !(bothLevels(c) || bothCircumferences(c));
}

/** The leg clearly more swollen than the other: >= 2 levels above it (both answered), or larger by more
 * than 3.0 cm at the calf or 3.0 cm or more at the ankle (both measured at the same said site). A leg not
 * answered, or a site not said or different, is compared with nothing. */
export function oneSidedSwelling(c: UrgentFacts): OneSidedSwelling | null {
  const site = comparableSite(c);
  // Rounded to the millimetre, so 38.3 - 35.3 is 3.0, not 2.9999…
  const circumference = site !== null
    ? Math.round((num(c.circumference_left_cm)! - num(c.circumference_right_cm)!) * 10) / 10
    : null;
  const swelling = bothLevels(c) ? num(c.swelling_left)! - num(c.swelling_right)! : null;
  const sides: Array<['left' | 'right', 'left' | 'right', number]> = [
    ['left', 'right', 1],
    ['right', 'left', -1],
  ];
  for (const [leg, other, sign] of sides) {
    const levels = swelling === null ? null : sign * swelling + 0;
    const cm = circumference === null ? null : sign * circumference + 0;
    if (
      (levels !== null && levels >= URGENT_THRESHOLDS.dvtSwellingLevels) ||
      (cm !== null && site !== null && circumferenceOneSided(site, cm))
    ) {
      return { leg, other, swellingDifference: levels, circumferenceDifferenceCm: cm, circumferenceSite: cm === null ? null : site || null };
    }
  }
  return null;
}

/** One-sided swelling with calf pain or tenderness, and sudden onset or redness/warmth; after a previous
 * DVT, one-sided swelling and pain are enough. Swelling not answered neither silences it (pain with an
 * acute sign warns on its own) nor fires it (a previous DVT no longer makes pain alone enough). */
export function isDvtWarning(c: UrgentFacts, previousDvt: boolean): boolean {
  if (!c.calf_pain_or_tenderness) return false;
  const acute = c.sudden_onset === true || c.redness_or_warmth === true;
  if (oneSidedSwelling(c) !== null) return previousDvt || acute;
  return swellingUnknown(c) && acute;
}

/** "3 March" ("3. März", "3 de marzo"): the local date at its noon in UTC, so no zone moves it. */
export function dayWords(localDate: string | undefined): string {
  if (!localDate || !/^\d{4}-\d{2}-\d{2}$/.test(localDate)) return '';
  return new Date(`${localDate}T12:00:00Z`).toLocaleDateString(locale(), { day: 'numeric', month: 'long', timeZone: 'UTC' });
}

/** "38.5 cm" ("38,5 cm"): always one decimal, as the measurement was given. */
function cm(value: number): string {
  return `${value.toLocaleString(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 })} cm`;
}

function emergencyInsight(c: UrgentFacts, past = false): LocalInsight {
  const u = strings.urgent;
  const day = dayWords(c.local_date);
  return {
    code: 'emergency_warning',
    level: 'urgent',
    title: past ? u.emergencyPastTitle(day) : u.emergencyTitle,
    explanation: past ? u.emergencyPastExplanation(day) : u.emergencyExplanation(day),
    action: u.emergencyAction,
    evidence: { date: c.local_date ?? null, past_dated: past },
  };
}

function dvtInsight(c: UrgentFacts, previousDvt: boolean, past = false): LocalInsight {
  const side = oneSidedSwelling(c); // null: swelling not answered (isDvtWarning)
  const u = strings.urgent;
  let seen: string;
  if (side !== null) {
    const details: string[] = [];
    const levels = { left: num(c.swelling_left), right: num(c.swelling_right) };
    if (bothLevels(c) && levels[side.leg] !== levels[side.other]) {
      const word = (level: number) => u.swellingWords[level] ?? String(level);
      details.push(u.dvtSwellingDetail(word(levels[side.leg]!), word(levels[side.other]!)));
    }
    if (bothCircumferences(c)) {
      const sizes = { left: num(c.circumference_left_cm)!, right: num(c.circumference_right_cm)! };
      details.push(u.dvtMeasureDetail(cm(sizes[side.leg]), cm(sizes[side.other]), comparableSite(c) || null));
    }
    seen = u.dvtSeen(u.leg[side.leg], u.leg[side.other], details.join('; ')) + u.dvtPain;
  } else {
    seen = u.dvtPainOnly;
  }
  const extras = [c.sudden_onset ? u.dvtSudden : null, c.redness_or_warmth ? u.dvtRed : null].filter(
    (x): x is string => x !== null,
  );
  if (extras.length) seen += u.andLead + extras.join(u.and);
  if (side === null) seen += u.dvtSwellingNotSaid;
  return {
    code: 'urgent_dvt_warning',
    level: 'urgent',
    title: past
      ? u.dvtPastTitle(side !== null ? u.dvtSubject : u.dvtPainSubject, dayWords(c.local_date))
      : side !== null
        ? u.dvtTitle
        : u.dvtPainTitle,
    explanation: (past ? u.dvtPastExplanation : u.dvtExplanation)(dayWords(c.local_date), seen, previousDvt, side !== null),
    action: u.dvtAction,
    evidence: {
      leg: side?.leg ?? null,
      swelling_said: side !== null,
      swelling_left: num(c.swelling_left),
      swelling_right: num(c.swelling_right),
      swelling_difference: side?.swellingDifference ?? null,
      circumference_difference_cm: side?.circumferenceDifferenceCm ?? null,
      circumference_site: side?.circumferenceSite ?? null,
      previous_dvt: previousDvt,
      date: c.local_date ?? null,
      past_dated: past,
    },
  };
}

/** The urgent insights one check-in raises, emergency first (as urgent_for_checkin); `savedAt` (now, by
 * default) words a check-in recorded over a day before for the past. */
export function urgentForCheckin(c: UrgentFacts, previousDvt: boolean, savedAt: Date = new Date()): LocalInsight[] {
  const past = isPastDated(c, savedAt);
  const found: LocalInsight[] = [];
  if (isEmergency(c)) found.push(emergencyInsight(c, past));
  if (isDvtWarning(c, previousDvt)) found.push(dvtInsight(c, previousDvt, past));
  return found;
}

/** The urgent insights of recent check-ins, as the two rules see them (emergency: 2 days; DVT: 7 days),
 * the latest check-in of each rule; for the offline banner on Today. */
export function urgentForRecent(
  checkins: Array<UrgentFacts & { recorded_at: string }>,
  previousDvt: boolean,
  now: Date,
): LocalInsight[] {
  const age = (c: { recorded_at: string }) => now.getTime() - new Date(c.recorded_at).getTime();
  const day = 24 * 3600 * 1000;
  const newestFirst = [...checkins].sort((a, b) => b.recorded_at.localeCompare(a.recorded_at));
  const found: LocalInsight[] = [];
  const emergency = newestFirst.find((c) => age(c) <= URGENT_THRESHOLDS.emergencyDays * day && isEmergency(c));
  if (emergency) found.push(emergencyInsight(emergency));
  const dvt = newestFirst.find((c) => age(c) <= URGENT_THRESHOLDS.dvtDays * day && isDvtWarning(c, previousDvt));
  if (dvt) found.push(dvtInsight(dvt, previousDvt));
  return found;
}
