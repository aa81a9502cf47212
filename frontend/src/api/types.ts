// The HTTP contract (CONTRACT.md) as TypeScript: the server's OpenAPI schema, generated into schema.d.ts
// (`npm run gen:types`), under the names the app uses; and the few types that are the client's own.

import type { components } from './schema';

type Schemas = components['schemas'];

/**
 * A body as the server sends it. DRF renders every field of a serializer, but the schema calls a field
 * with a model default (an id the client may choose, a box that defaults to unticked) optional, because
 * it may be left out of a request (drf-spectacular #810); in an answer it is always there.
 */
type Sent<T> = { [K in keyof T]-?: T[K] };

export type Role = Schemas['RoleEnum'];
export type Side = Schemas['SideEnum'];
export type Muscle = Schemas['MuscleEnum'];
export type Activity = Schemas['ActivityEnum'];
export type PressureClass = Schemas['PressureClassEnum'];
export type Garment = Schemas['GarmentEnum'];
export type CrampsLastNight = Schemas['CrampsLastNightEnum'] | null;
export type Level = Schemas['LevelEnum'];
export type Theme = Schemas['ThemeEnum'];
export type Channel = Schemas['ChannelEnum'];
export type ReminderKind = Schemas['KindEnum'];
export type ClinicRole = Schemas['ClinicRoleEnum'];
/** What the patient said about an urgent warning: "I got help" or "I have seen a doctor". */
export type Acknowledgement = Schemas['AcknowledgementEnum'];

export type User = Sent<Schemas['User']>;

/** Fields a profile stored on the phone before they existed lacks: each has its meaning when missing
 * (no theme: auto; no onboarded_at: onboarded; no country: not said; no language: the phone's), so the app must not assume them. */
type AddedToProfile = 'onboarded_at' | 'theme' | 'two_factor_enabled' | 'country' | 'emergency_number' | 'date_of_birth' | 'alert_channels' | 'language';
export type Profile = Omit<Sent<Schemas['Profile']>, AddedToProfile> &
  Partial<Pick<Sent<Schemas['Profile']>, AddedToProfile>> & {
    /** Write-only: true marks the first-run questions finished or skipped (sets onboarded_at once). */
    onboarded?: true;
  };

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export type Cramp = Sent<Schemas['Cramp']>;
export type Compression = Sent<Schemas['Compression']>;
export type Elevation = Sent<Schemas['Elevation']>;
export type Hydration = Sent<Schemas['Hydration']>;
/** A check-in as listed; the answer to creating one also carries the insights it raised. */
export type CheckIn = Sent<Schemas['CheckIn']> & { insights?: Insight[] };
export type AnyRecord = Cramp | Compression | Elevation | Hydration | CheckIn | Medication | FactorEntry;

export type DrugClass = Schemas['DrugClassEnum'];
export type MedicationSchedule = Schemas['ScheduleEnum'];
/** /api/v1/medications/: dated by `started_on` (the patient's local date); `stopped_on` null while taken. */
export type Medication = Sent<Schemas['Medication']>;
/** /api/v1/factors/ (not paginated): one of the patient's own tags; names unique per patient. */
export type Factor = Sent<Schemas['Factor']>;
/** /api/v1/factor-entries/: a tag logged at a time. */
export type FactorEntry = Sent<Schemas['FactorEntry']>;

/** The patient's insights; the clinician's (ClinicianInsight) add `clinician_explanation`. */
export type Insight = Sent<Schemas['Insight']> & { clinician_explanation?: string | null };
/** One urgent warning of one patient, told to this clinician (GET /clinician/alerts/): open until reviewed. */
export type Alert = Sent<Schemas['Alert']>;

export type TrendDay = Sent<Schemas['TrendDay']>;
export type TrendWeek = Sent<Schemas['TrendWeek']>;
export type Trends = Sent<Schemas['Trends']>;

export type Reminder = Sent<Schemas['Reminder']>;
export type Delivery = Sent<Schemas['ListedDelivery']>;
/** One week's counts in the weekly summary (GET /api/v1/summaries/weekly/). */
export type WeekFigures = Sent<Schemas['WeekFigures']>;
export type WeeklySummary = Sent<Schemas['WeeklySummary']>;

export type ShareCode = Sent<Schemas['ShareCode']>;
export type Link = Sent<Schemas['Link']>;
/** POST /sharing/redeem/ → 201. */
export type Redeemed = Sent<Schemas['Redeemed']>;
export type AccessLogEntry = Sent<Schemas['AccessLog']>;
/** A row of the clinician's triage list (GET /clinician/patients/). */
export type ClinicianPatient = Sent<Schemas['ClinicianPatient']>;

export type TwoFactorSetup = Sent<Schemas['TwoFactorSetup']>;
export type TwoFactorState = Sent<Schemas['TwoFactorState']>;
export type ClaudicationOffer = Sent<Schemas['ClaudicationOffer']>;
export type ClaudicationAnswers = Schemas['ClaudicationRequest'];

/** One of my clinics, with my role in it (GET /clinics/, and the answer to accepting an invitation). */
export type MyClinic = Sent<Schemas['Clinic']>;
/** A member of a clinic (GET /clinics/<id>/members/): `name` is the display name, or the email. */
export type ClinicMember = Sent<Schemas['ClinicMember']>;
export type ClinicInviteCreated = Sent<Schemas['ClinicInviteCreated']>;
/** An invitation as the person it was sent to sees it before joining (POST /clinics/invites/lookup/). */
export type ClinicInviteLookup = Sent<Schemas['ClinicInviteLookup']>;
/** A pending invitation, for the clinic's admins (GET /clinics/<id>/invites/). */
export type ClinicPendingInvite = Sent<Schemas['ClinicPendingInvite']>;

// The record kinds (their URL segments and time fields) are the client's own list: src/kinds/.
export { COLLECTIONS, DATED_BY_DAY, TIME_FIELD, type Collection, type Segment } from '../kinds/segments';
