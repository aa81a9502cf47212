// Pieces the clinician screens share: the level badge (text and a symbol, never colour alone), the
// "turn on two-factor sign-in first" message, a time on the patient's clock (with the clinician's beside
// it), and the patients last seen in the list (for the page header).

import { useEffect, useState } from 'preact/hooks';
import type { ClinicianPatient, Level, MyClinic } from '../../api/types';
import { loadMyClinics, myClinics } from '../../logic/clinicianPaths';
import { levelLabel } from '../../logic/clinician';
import { deviceTimeZone, patientTime } from '../../logic/time';
import { app } from '../../state';
import { useStore } from '../../store';
import { strings } from '../../strings';
import { A } from '../../ui/widgets';

const SYMBOL: Record<string, string> = { urgent: '⚠', advice: '●', info: 'i' };

export function LevelBadge({ level }: { level: Level | string | null | undefined }) {
  const key = level ?? 'none';
  return (
    <span class={`level-badge level-${key}`} data-level={key}>
      {SYMBOL[key] && (
        <span class="level-symbol" aria-hidden="true">
          {SYMBOL[key]}
        </span>
      )}
      {levelLabel(level)}
    </span>
  );
}

export function TwoFactorNeeded() {
  const TF = strings.twoFactor;
  return (
    <div class="card twofa-needed" data-testid="twofa-required" role="alert">
      <h2>{TF.requiredTitle}</h2>
      <p>{TF.required}</p>
      <p>
        <A href="/profile#two-factor" class="btn btn-primary">
          {TF.goToProfile}
        </A>
      </p>
    </div>
  );
}

const known = new Map<string, ClinicianPatient>();
let knownFor: string | null = null;

/**
 * The list's rows, kept in memory (never stored) so a patient's page can show the name and email at
 * once; they belong to the clinician who saw them, and are forgotten when someone else signs in.
 */
export function rememberPatients(rows: ClinicianPatient[]): void {
  const me = app.get().user?.id ?? null;
  if (me !== knownFor) {
    known.clear();
    knownFor = me;
  }
  for (const r of rows) known.set(r.id, r);
}

export function knownPatient(id: string): ClinicianPatient | undefined {
  return knownFor !== null && knownFor === app.get().user?.id ? known.get(id) : undefined;
}

/** The clinician's own clock: their profile's zone (the one they chose), else this computer's. */
export function useViewerZone(): string {
  const { profile } = useStore(app);
  return profile?.timezone || deviceTimeZone();
}

/**
 * An instant on the patient's clock, labelled ("30 Nov 2026, 03:48 New York time"), and, small beside it,
 * the clinician's own when it reads differently ("(09:48 your time)").
 */
export function PatientClock({ iso, zone, viewerZone, testid }: { iso: string; zone: string; viewerZone?: string; testid?: string }) {
  const t = patientTime(iso, zone, viewerZone);
  if (!t) return null;
  return (
    <span class="patient-clock" data-testid={testid}>
      <time dateTime={iso}>
        {t.clock} <span class="zone-name">{t.label}</span>
      </time>
      {t.own && <span class="own-time"> ({t.own})</span>}
    </span>
  );
}

/** My clinics for a screen of the workspace: from the navigation's store, asked when not known yet for
 * the person signed in (one request shared with the navigation's); `reload` asks again after an error. */
export function useMyClinics(): { clinics: MyClinic[] | null; error: unknown; reload: () => void } {
  const { clinics, of } = useStore(myClinics);
  const me = useStore(app).user?.id ?? null;
  const [error, setError] = useState<unknown>(null);
  const fresh = of === me ? clinics : null;
  const load = () => {
    setError(null);
    loadMyClinics(me).catch(setError);
  };
  useEffect(() => {
    // The store as it is now, not as drawn: the navigation's answer may have come in since.
    if (myClinics.get().of !== me) load();
  }, [me]);
  return { clinics: fresh, error, reload: load };
}
