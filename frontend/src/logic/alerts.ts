// The clinician's urgent alerts and patient identity, as pure rules: the URLs, open before reviewed, the
// times on the patient's clock, the patient's answer in words, the review note's and the clinic
// reference's limits, date of birth ("not said"), and the alert channels (one at least). Tested in
// tests/alerts.test.ts.

import type { Acknowledgement, Alert, Channel } from '../api/types';
import { strings } from '../strings';
import { formatDay } from './clinician';
import { formatWithZone } from './time';

const C = strings.clinician;

export const ALERTS_URL = '/api/v1/clinician/alerts/';
/** The review note's limit, as the server's (UrgentAlert.note). */
export const NOTE_MAX = 2000;
/** The clinic reference's limit, as the server's (CareLink.clinic_reference). */
export const REFERENCE_MAX = 40;
export const ALERTS_PAGE_SIZE = 50;

export type AlertStatus = 'open' | 'reviewed';

/** The alerts list: open first, then the newest (the server's order); `status` narrows it. */
export function alertsUrl(status?: AlertStatus, pageSize = ALERTS_PAGE_SIZE): string {
  const q = new URLSearchParams();
  if (status) q.set('status', status);
  q.set('page_size', String(pageSize));
  return `${ALERTS_URL}?${q.toString()}`;
}

export function reviewUrl(id: string): string {
  return `${ALERTS_URL}${encodeURIComponent(id)}/review/`;
}

export function linkUrl(linkId: string): string {
  return `/api/v1/sharing/links/${encodeURIComponent(linkId)}/`;
}

export function isOpen(alert: Pick<Alert, 'reviewed_at'>): boolean {
  return !alert.reviewed_at;
}

/** Open and reviewed alerts apart, each keeping the server's order (newest first). */
export function splitAlerts<T extends Pick<Alert, 'reviewed_at'>>(alerts: T[]): { open: T[]; reviewed: T[] } {
  return { open: alerts.filter(isOpen), reviewed: alerts.filter((a) => !isOpen(a)) };
}

/** An alert replaced by the server's answer to its review (the rest left as they were, in order). */
export function withReviewed<T extends Pick<Alert, 'id'>>(alerts: T[], answer: T): T[] {
  return alerts.map((a) => (a.id === answer.id ? answer : a));
}

/** An alert's time on the patient's clock, labelled, without the year: "1 Dec, 19:40 New York time". */
export function alertTime(iso: string | null | undefined, zone: string, locale?: string): string {
  return formatWithZone(iso, zone, { year: false, locale });
}

/** When it was reported: the first check-in's time, and the newest's when a later one joined it. */
export function reportedText(alert: Pick<Alert, 'evidence_at' | 'last_evidence_at' | 'patient_timezone'>, locale?: string): string {
  const first = alertTime(alert.evidence_at, alert.patient_timezone, locale);
  const last = alertTime(alert.last_evidence_at, alert.patient_timezone, locale);
  return !last || last === first ? first : C.alertReportedRange(first, last);
}

/** The patient's answer in their words ("“I got help”"); an unknown (newer) answer is still shown. */
export function acknowledgementWords(ack: Acknowledgement | string | null | undefined): string | null {
  if (!ack) return null;
  return C.ackWords[ack] ?? ack.replace(/_/g, ' ');
}

/** "“I got help”, 1 Dec, 20:05 New York time"; null: the patient has not answered. */
export function acknowledgementText(
  ack: Acknowledgement | string | null | undefined,
  at: string | null | undefined,
  zone: string,
  locale?: string,
): string | null {
  const words = acknowledgementWords(ack);
  if (!words) return null;
  const when = alertTime(at, zone, locale);
  return when ? C.ackWhen(words, when) : words;
}

/** Who reviewed it and when (on the patient's clock, as every time about them); null while open. */
export function reviewedText(
  alert: Pick<Alert, 'reviewed_at' | 'reviewed_by_name' | 'patient_timezone'>,
  locale?: string,
): string | null {
  if (!alert.reviewed_at) return null;
  const who = alert.reviewed_by_name?.trim() || C.someone;
  return `${C.reviewedBy(who)} ${C.reviewedAt} ${alertTime(alert.reviewed_at, alert.patient_timezone, locale)}`;
}

/** What is wrong with a review note before it is sent; null: nothing. */
export function noteProblem(note: string): string | null {
  return note.length > NOTE_MAX ? C.noteTooLong(note.length) : null;
}

/** The review's body: an empty or blank note is left out (no note is not an empty one). */
export function reviewBody(note: string): { note?: string } {
  const trimmed = note.trim();
  return trimmed ? { note: trimmed } : {};
}

/** The PATCH body of a clinic reference: blank clears it (null), else the trimmed text. */
export function referenceBody(reference: string): { clinic_reference: string | null } {
  const trimmed = reference.trim();
  return { clinic_reference: trimmed ? trimmed : null };
}

/** What is wrong with a clinic reference before it is sent; null: nothing. */
export function referenceProblem(reference: string): string | null {
  const n = reference.trim().length;
  return n > REFERENCE_MAX ? C.clinicReferenceTooLong(n) : null;
}

/** A date of birth in words ("3 Mar 1950"); none given is "not said", never a made-up date. */
export function dateOfBirthText(dob: string | null | undefined, locale?: string): string {
  return dob ? formatDay(dob, { locale }) : C.notSaid;
}

/** A clinic reference as shown; none set says so. */
export function referenceText(reference: string | null | undefined): string {
  return reference?.trim() ? reference.trim() : C.clinicReferenceNone;
}

/** Who a clinic's patient is assigned to: "You", the member's name, or "Nobody yet"; null for a patient
 * who shares with me alone (not assigned: they are mine). */
export function assignedText(
  row: { clinic?: string | null; assigned_to?: string | null; assigned_to_name?: string | null },
  me: string | null | undefined,
): string | null {
  if (!row.clinic) return null;
  if (!row.assigned_to) return C.assignedNobody;
  if (me && row.assigned_to === me) return C.assignedYou;
  return row.assigned_to_name?.trim() || C.someone;
}

/** The PATCH body of an assignment: a member's user id, or null for nobody (the select's empty value). */
export function assignBody(value: string): { assigned_to: string | null } {
  return { assigned_to: value ? value : null };
}

/** "2 open alerts"; null when none is open (no badge). */
export function openAlertsText(n: number | null | undefined): string | null {
  return n && n > 0 ? C.openAlerts(n) : null;
}

// --- the clinician's alert channels ---

const CHANNEL_ORDER: Channel[] = ['push', 'email'];

/** The channels on the profile; a profile stored before the field existed had the server's default, both. */
export function alertChannelsOf(profile: { alert_channels?: readonly string[] | null } | null | undefined): Channel[] {
  const chosen = profile?.alert_channels;
  return chosen ? CHANNEL_ORDER.filter((c) => chosen.includes(c)) : [...CHANNEL_ORDER];
}

/**
 * One channel turned on or off. Turning off the last one is refused (the server refuses [] too): the
 * channels stay as they were and `refused` says why.
 */
export function toggleChannel(channels: Channel[], channel: Channel, on: boolean): { channels: Channel[]; refused: string | null } {
  const next = CHANNEL_ORDER.filter((c) => (c === channel ? on : channels.includes(c)));
  if (next.length === 0) return { channels: CHANNEL_ORDER.filter((c) => channels.includes(c)), refused: C.needOneChannel };
  return { channels: next, refused: null };
}

export function sameChannels(a: Channel[], b: Channel[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}
