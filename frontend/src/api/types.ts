// The HTTP contract (CONTRACT.md and the OpenAPI schema at /api/schema/), as TypeScript types.

export type Role = 'patient' | 'clinician';
export type Side = 'left' | 'right' | 'both';
export type Muscle = 'calf' | 'foot' | 'thigh' | 'shin' | 'other';
export type Activity = 'sleeping' | 'resting' | 'sitting' | 'standing' | 'walking' | 'exercising';
export type PressureClass = '15-20' | '20-30' | '30-40' | '40-50';
export type Garment = 'knee' | 'thigh' | 'pantyhose';
export type CrampsLastNight = 'none' | 'some' | null;
export type Level = 'info' | 'advice' | 'urgent';
export type Collection = 'cramps' | 'compression' | 'elevations' | 'hydration' | 'checkins';

export interface User {
  id: string;
  email: string;
  role: Role;
}

export type Theme = 'auto' | 'light' | 'dark';

export interface Profile {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  timezone: string;
  night_start: string; // "HH:MM"
  night_end: string;
  quiet_start: string | null;
  quiet_end: string | null;
  fluid_target_ml: number;
  compression_class: PressureClass | null;
  /** null: not said; the rules read it as unknown (docs/decisions/0030-onboarding.md). */
  takes_diuretics: boolean | null;
  previous_dvt: boolean | null;
  /** When the first-run questions were finished or skipped; null: the app shows them. Optional: a profile
   * stored on the phone before the field existed has none, and counts as onboarded. */
  onboarded_at?: string | null;
  /** Write-only: true marks the first-run questions finished or skipped (sets onboarded_at once). */
  onboarded?: true;
  /** The screen colours only (auto: dark in the night window); never decides what counts as a night cramp.
   * Optional: a profile stored on the phone before this field existed has none, and means auto. */
  theme?: Theme;
  /** Read-only: two-factor sign-in (TOTP) is on. */
  two_factor_enabled?: boolean;
  /** ISO 3166-1 alpha-2, or null: not said. Optional: a profile stored on the phone before it existed. */
  country?: string | null;
  /** Read-only, from the country (diary/emergency.py); null: unknown, and the banner offers 112 and 911. */
  emergency_number?: string | null;
  /** "YYYY-MM-DD" or null: not said. */
  date_of_birth?: string | null;
  /** A clinician's ways of being told of an urgent alert: one or both, never none (the server refuses []). */
  alert_channels?: Channel[];
}

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Cramp {
  id: string;
  started_at: string;
  /** null: not said (CONTRACT.md, "Not said, unknown"); so are severity, muscle, side and activity. */
  duration_seconds: number | null;
  severity: number | null;
  muscle: Muscle | null;
  side: Side | null;
  activity: Activity | null;
  woke_from_sleep: boolean;
  relieved_by_rest: boolean | null;
  notes?: string;
  night?: string;
  is_nocturnal?: boolean;
}

export interface Compression {
  id: string;
  started_at: string;
  ended_at: string | null;
  pressure_class: PressureClass;
  garment: Garment;
  legs: Side;
}

export interface Elevation {
  id: string;
  started_at: string;
  duration_minutes: number;
  above_heart: boolean;
}

export interface Hydration {
  id: string;
  taken_at: string;
  volume_ml: number;
}

export interface CheckIn {
  id: string;
  recorded_at: string;
  /** null: not answered; so are swelling_right, heaviness, aching and itching. */
  swelling_left: number | null;
  swelling_right: number | null;
  circumference_left_cm: number | null;
  circumference_right_cm: number | null;
  heaviness: number | null;
  aching: number | null;
  itching: number | null;
  restless_legs: boolean;
  visible_veins: boolean;
  skin_changes: boolean;
  calf_pain_or_tenderness: boolean;
  sudden_onset: boolean;
  redness_or_warmth: boolean;
  sudden_chest_pain_or_breathlessness: boolean;
  cramps_last_night: CrampsLastNight;
  notes?: string;
  insights?: Insight[];
}

export type AnyRecord = Cramp | Compression | Elevation | Hydration | CheckIn;

export interface Insight {
  code: string;
  level: Level;
  title: string;
  explanation: string;
  evidence?: Record<string, unknown>;
  first_seen?: string | null;
  last_seen?: string | null;
  /** Urgent insights: when the patient said "I got help" or "I have seen a doctor"; null until then, and
   * null again when a new urgent check-in raises the warning afresh. Optional: older cached copies lack it. */
  acknowledged_at?: string | null;
  acknowledgement?: Acknowledgement | null;
  /** In the clinician's insights only: third person, with the patient's zone ("reported … New York time"). */
  clinician_explanation?: string | null;
}

/** What the patient said about an urgent warning: "I got help" or "I have seen a doctor". */
export type Acknowledgement = 'got_help' | 'seen_doctor';

/** One urgent warning of one patient, told to this clinician (GET /clinician/alerts/): open until reviewed. */
export interface Alert {
  id: string;
  patient: string;
  patient_name: string;
  code: string;
  level: Level;
  title: string;
  raised_at: string;
  /** The check-in times of the first and of the newest check-in behind the alert. */
  evidence_at: string;
  last_evidence_at: string;
  /** The patient's IANA zone: every time of the alert is shown on this clock. */
  patient_timezone: string;
  acknowledged_by_patient_at: string | null;
  acknowledgement: Acknowledgement | null;
  /** null: open. */
  reviewed_at: string | null;
  reviewed_by: string | null;
  reviewed_by_name: string;
  note: string;
  /** The clinic whose alert this is (any member reviews it, once); null: mine alone. */
  clinic?: string | null;
  clinic_name?: string | null;
}

export interface TrendDay {
  date: string;
  cramps: number;
  nocturnal_cramps: number;
  max_severity: number | null;
  cramp_minutes: number | null;
  compression_hours: number;
  elevation_minutes: number;
  fluid_ml: number | null;
  swelling_max: number | null;
  heaviness_max: number | null;
  swelling_left_max: number | null;
  swelling_right_max: number | null;
  cramp_night: boolean;
  /** Anything logged that local day (CONTRACT.md, "Additions (2026-12)"); false: the day is unknown. */
  logged: boolean;
  /** Night D is known: a night cramp logged for it, or the morning of D + 1 answered about it. */
  night_observed: boolean;
  /** Cramps whose activity was said walking or exercising. */
  exertion_cramps: number;
}

export interface TrendWeek {
  week_start: string;
  /** Days of this week inside the period (a first or last week may be partial). */
  days: number;
  cramp_nights: number;
  cramps: number;
  compression_days: number;
  mean_fluid_ml: number | null;
  swelling_days: number;
  /** Nights with a nocturnal cramp logged or a morning answer about them; 0: cramp nights unknown. */
  observed_nights: number;
  logged_days: number;
  exertion_cramps: number;
}

export interface Trends {
  days: TrendDay[];
  weeks: TrendWeek[];
  /** The first local date the patient ever logged anything; null: nothing logged yet. */
  diary_started_on: string | null;
  /** The time of the latest diary record, ever; null: nothing logged yet. */
  last_entry_at: string | null;
}

export type ReminderKind =
  | 'compression_on'
  | 'compression_off'
  | 'elevation'
  | 'hydration'
  | 'stretch'
  | 'morning_checkin'
  | 'evening_checkin'
  | 'custom'
  | 'weekly_summary';
export type Channel = 'push' | 'email';

export interface Reminder {
  id: string;
  kind: ReminderKind;
  local_time: string;
  weekdays: number[];
  channels: Channel[];
  enabled: boolean;
  message: string;
  next_fire_at: string | null;
}

export interface Delivery {
  id: string;
  reminder: string;
  scheduled_for: string;
  channel: Channel;
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  reason: string;
  sent_at: string | null;
  done_at?: string | null;
}

/** One week's counts in the weekly summary (GET /api/v1/summaries/weekly/). */
export interface WeekFigures {
  first: string;
  last: string;
  days: number;
  logged_days: number;
  nights: number;
  known_nights: number;
  cramp_nights: number;
  stockings_days: number;
  fluid_known_days: number;
  fluid_target_days: number;
}

export interface WeeklySummary {
  /** The local date the week ends on. */
  week: string;
  timezone: string;
  title: string;
  /** False: nothing was logged in the two weeks. */
  has_content: boolean;
  sentences: string[];
  this_week: WeekFigures;
  week_before: WeekFigures;
  fluid_target_ml: number;
  new_insights: Array<{ code: string; level: string; title: string }>;
}

export interface ShareCode {
  code: string;
  expires_at: string;
}

export interface Link {
  id: string;
  patient: string;
  /** null for a link with a clinic. */
  clinician: string | null;
  patient_name: string;
  /** null for a link with a clinic. */
  clinician_name: string | null;
  created_at: string;
  /** The clinic shared with (every member reads the diary); null for a link with one clinician. */
  clinic?: string | null;
  clinic_name?: string | null;
  /** Who can read the diary through this link, by name (or email): the clinic's members, or the one clinician. */
  people?: string[];
  /** The patient's IANA zone (the clinician's views show the diary's times on this clock). */
  patient_timezone?: string;
  /** The clinic's own number for the patient, set by the clinician (PATCH the link); null: none given. */
  clinic_reference?: string | null;
  /** From the patient's profile, "YYYY-MM-DD"; null: not said. */
  patient_date_of_birth?: string | null;
  /** The clinic member the patient is assigned to (PATCH `assigned_to`); null: nobody. */
  assigned_to?: string | null;
  assigned_to_name?: string | null;
}

/** One of my clinics (GET /clinics/). */
export interface MyClinic {
  id: string;
  name: string;
  role: 'admin' | 'clinician';
}

/** A member of a clinic (GET /clinics/<id>/members/). */
export interface ClinicMember {
  user: string;
  name: string;
  email: string;
  role: 'admin' | 'clinician';
  joined_at: string;
}

export interface AccessLogEntry {
  clinician: string | null;
  clinician_name: string;
  /** The clinic the reader read through; '' for a read through their own link. */
  clinic_name?: string;
  action: string;
  at: string;
}

/** A row of the clinician's triage list (GET /clinician/patients/). */
export interface ClinicianPatient {
  id: string;
  email: string;
  display_name: string;
  /** null until insights exist. */
  highest_level: Level | null;
  insight_codes: string[] | null;
  last_entry_at: string | null;
  cramp_nights_28d: number;
  compression_days_28d: number;
  /** The patient's IANA zone: last_entry_at and their other times are shown on this clock. */
  timezone?: string;
  /** The clinic's own number for the patient; null: none given. */
  clinic_reference?: string | null;
  /** "YYYY-MM-DD"; null: not said. */
  date_of_birth?: string | null;
  /** Unreviewed urgent alerts of this patient to me (the list puts these patients first). */
  open_alerts?: number;
  /** The CareLink id (PATCH /sharing/links/<link>/ sets the clinic reference and the assignee). */
  link?: string;
  /** The clinic through which I see the patient (the label); null: they share with me alone. */
  clinic?: string | null;
  clinic_name?: string | null;
  /** The clinic member the patient is assigned to; null: nobody (or a link with me alone). */
  assigned_to?: string | null;
  assigned_to_name?: string | null;
}

/** POST /sharing/redeem/ → 201. */
export interface Redeemed {
  patient: string;
  link: Link;
}

export interface TwoFactorSetup {
  secret: string;
  otpauth_uri: string;
}

export interface TwoFactorState {
  two_factor_enabled: boolean;
}

export interface ClaudicationOffer {
  offered: boolean;
  walking_cramps_28d: number;
  questions: Record<string, string>;
  latest: { result: string; grade: number | null; answered_at: string } | null;
}

export interface ClaudicationAnswers {
  walking_pain: 'yes' | 'no' | 'unable_to_walk';
  pain_starts_at_rest?: boolean | null;
  pain_uphill_or_hurrying?: '' | 'yes' | 'no' | 'never_uphill_or_hurry';
  pain_ordinary_pace?: boolean | null;
  pain_when_standing_still?: '' | 'continues_over_10_min' | 'gone_within_10_min';
  locations?: string[];
}

/** The time field of each collection: lists are filtered and sorted on it. */
export const TIME_FIELD: Record<Collection, string> = {
  cramps: 'started_at',
  compression: 'started_at',
  elevations: 'started_at',
  hydration: 'taken_at',
  checkins: 'recorded_at',
};

export const COLLECTIONS: Collection[] = ['cramps', 'compression', 'elevations', 'hydration', 'checkins'];

// --- Clinics ---

export type ClinicRole = 'admin' | 'clinician';

/** One of my clinics, with my role in it (GET /clinics/, and the answer to accepting an invitation). */
export interface MyClinic {
  id: string;
  name: string;
  role: ClinicRole;
}

export interface ClinicMember {
  user: string;
  /** The display name, or the email when none is set. */
  name: string;
  email: string;
  role: ClinicRole;
  joined_at: string;
}

export interface ClinicInviteCreated {
  id: string;
  email: string;
  role: ClinicRole;
  expires_at: string;
}

/** An invitation as the person it was sent to sees it before joining (POST /clinics/invites/lookup/). */
export interface ClinicInviteLookup {
  clinic_name: string;
  email: string;
  role: ClinicRole;
  expires_at: string;
}

/** A pending invitation, for the clinic's admins (GET /clinics/<id>/invites/). */
export interface ClinicPendingInvite {
  id: string;
  email: string;
  role: ClinicRole;
  invited_by: string | null;
  /** Null when the inviter's account is gone. */
  invited_by_name: string | null;
  created_at: string;
  expires_at: string;
}
