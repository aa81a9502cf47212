// Clinics' pure rules: the redeem's choice (for which clinic, or just me: asked, never assumed), what is
// sent, the messages of a refusal in the server's own words, and who can see a patient's diary in words.
// No DOM, no fetch: tested in tests/clinic.test.ts.

import { ApiError } from '../api/client';
import type { ClinicRole, Link, MyClinic } from '../api/types';
import { strings } from '../strings';

const CL = strings.clinics;

/** "just me" is a choice of its own; null is "not chosen yet". */
export const JUST_ME = 'me';
export type RedeemFor = string | null;

/** The choices of "who gets the patient", the clinics first (this page's clinic before the others), then just me. */
export function redeemOptions(clinics: MyClinic[], first?: string): Array<{ value: string; label: string }> {
  const ordered = [...clinics].sort((a, b) => Number(b.id === first) - Number(a.id === first));
  return [...ordered.map((c) => ({ value: c.id, label: CL.forClinic(c.name) })), { value: JUST_ME, label: CL.justMe }];
}

/**
 * What POST /sharing/redeem/ is sent: the clinic's id, or null for just me. A clinician in no clinic has
 * nothing to choose (the link is theirs); one in a clinic who has not chosen gets a question, not a guess.
 */
export function redeemBody(code: string, clinics: MyClinic[], chosen: RedeemFor): { code: string; clinic: string | null } | ApiError {
  const trimmed = code.trim();
  if (!trimmed) return new ApiError('validation', 400, { code: [strings.clinician.needCode] });
  if (clinics.length === 0) return { code: trimmed, clinic: null };
  if (chosen === null) return new ApiError('validation', 400, { clinic: [CL.chooseFor] });
  if (chosen === JUST_ME) return { code: trimmed, clinic: null };
  if (!clinics.some((c) => c.id === chosen)) return new ApiError('validation', 400, { clinic: [CL.chooseFor] });
  return { code: trimmed, clinic: chosen };
}

/**
 * A refusal in the server's words: the field's messages (400), or the reason of a 403 (a clinician in no
 * clinic, a member who is not an admin), plainly; null for anything else (the generic sentence then).
 */
export function refusalText(error: unknown, field?: string): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.kind === 'validation') {
    const messages = field ? (error.fields[field] ?? []) : Object.values(error.fields).flat();
    return messages.length ? messages.join(' ') : (error.detail ?? null);
  }
  if (error.kind === 'forbidden' || error.kind === 'notfound') return error.detail ?? null;
  return null;
}

/** A 403 that means the session is gone (not a refusal with a reason): the app signs out then. */
export function isEndedSession(error: unknown): boolean {
  return error instanceof ApiError && (error.kind === 'auth' || (error.kind === 'forbidden' && /credentials|not authenticated/i.test(error.detail ?? '')));
}

export function roleLabel(role: ClinicRole | string): string {
  return CL.roles[role] ?? role;
}

/** The invitation's answer: "Invitation sent to nina@example.com as clinician, valid 7 days." */
export function inviteSentText(email: string, role: ClinicRole | string): string {
  return CL.inviteSent(email, roleLabel(role));
}

/** Who a link lets read the diary: the clinic's name and its people, or the one clinician. */
export function linkAudience(link: Pick<Link, 'clinic_name' | 'clinician_name' | 'people'>): { title: string; people: string[]; clinic: boolean } {
  if (link.clinic_name) return { title: link.clinic_name, people: link.people ?? [], clinic: true };
  const name = link.clinician_name ?? link.people?.[0] ?? '';
  return { title: name, people: [], clinic: false };
}

/** The access log's reader: "Nina Berg (Demo Vein Clinic)", or the name alone for a read through one's own link. */
export function readerText(entry: { clinician_name: string; clinic_name?: string | null }): string {
  return entry.clinic_name ? CL.readerOfClinic(entry.clinician_name, entry.clinic_name) : entry.clinician_name;
}
