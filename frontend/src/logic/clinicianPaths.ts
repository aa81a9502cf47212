// The clinician workspace's app paths: /clinician (the list), /clinician/patients/<id>, /profile, the
// clinics (/clinician/clinics, /clinician/clinics/<id>) and an invitation (/clinic-invite?token=…).
// Tiny on purpose: the app frame (first load) uses it to send a clinician to the workspace, and keeps the
// clinics I belong to here for its navigation.

import { api } from '../api/client';
import type { MyClinic } from '../api/types';
import { createStore } from '../store';

export const CLINIC_INVITE_PATH = '/clinic-invite';

export type ClinicianView =
  | { view: 'list' }
  | { view: 'patient'; id: string }
  | { view: 'profile' }
  | { view: 'clinics' }
  | { view: 'clinic'; id: string }
  | { view: 'invite' }
  | { view: 'other' };

const ID = '([0-9a-fA-F-]{8,64})';

export function clinicianView(path: string): ClinicianView {
  if (path === '/clinician') return { view: 'list' };
  if (path === '/profile') return { view: 'profile' };
  if (path === '/clinician/clinics') return { view: 'clinics' };
  if (path === CLINIC_INVITE_PATH) return { view: 'invite' };
  const m = new RegExp(`^/clinician/patients/${ID}$`).exec(path);
  if (m) return { view: 'patient', id: m[1] };
  const c = new RegExp(`^/clinician/clinics/${ID}$`).exec(path);
  if (c) return { view: 'clinic', id: c[1] };
  return { view: 'other' };
}

export function patientPath(id: string): string {
  return `/clinician/patients/${id}`;
}

export function clinicPath(id: string): string {
  return `/clinician/clinics/${id}`;
}

/** The invitation's token from the link's query ('' when there is none). */
export function inviteToken(query: URLSearchParams): string {
  return (query.get('token') ?? '').trim();
}

/** The sign-in that comes back to this invitation afterwards. */
export function signInForInvite(token: string): string {
  return `/signin?next=${encodeURIComponent(`${CLINIC_INVITE_PATH}?token=${encodeURIComponent(token)}`)}`;
}

/**
 * The clinics I belong to (GET /api/v1/clinics/), for the navigation's "Clinic" entry: null until the
 * first answer (and for someone who is not a clinician); refreshed after joining or leaving one.
 */
export const myClinics = createStore<{ clinics: MyClinic[] | null; of: string | null }>({ clinics: null, of: null });

// The one request for my clinics in flight, and whose: the navigation, the patient list and the clinics
// screen each ask when they are drawn, and share it rather than send one each.
let asking: { of: string | null; answer: Promise<MyClinic[]> } | null = null;

/**
 * The clinics I belong to, asked once for everyone who needs them while a request is in flight, and kept
 * in `myClinics`. `again`: after joining or leaving one, a new request whatever is in flight.
 */
export function loadMyClinics(of: string | null, { again = false } = {}): Promise<MyClinic[]> {
  if (asking && asking.of === of && !again) return asking.answer;
  const answer = api<MyClinic[]>('/api/v1/clinics/').then((clinics) => {
    myClinics.set({ clinics, of });
    return clinics;
  });
  const mine = { of, answer };
  asking = mine;
  const done = () => {
    if (asking === mine) asking = null;
  };
  answer.then(done, done);
  return answer;
}
