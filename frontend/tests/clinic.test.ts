// Clinics in the PWA: the workspace's clinic paths and the invitation's link, the redeem's choice
// ("for <clinic>" or "just me", asked and never assumed), refusals in the server's words, and who can
// see a patient's diary in words.
import { afterEach, describe, expect, it, vi } from 'vitest';

// The router reads the address when it loads: a stand-in before the imports.
vi.hoisted(() => {
  (globalThis as { location?: unknown }).location = new URL('http://localhost/clinic-invite');
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true, userAgent: 'node' }, configurable: true });
});

import { ApiError } from '../src/api/client';
import type { MyClinic } from '../src/api/types';
import { clinicianView, clinicPath, inviteToken, loadMyClinics, myClinics, signInForInvite } from '../src/logic/clinicianPaths';
import { nextPath } from '../src/router';
import { isPublicPath } from '../src/session';
import {
  inviteSentText,
  isEndedSession,
  JUST_ME,
  linkAudience,
  readerText,
  redeemBody,
  redeemOptions,
  refusalText,
} from '../src/logic/clinics';

const DEMO: MyClinic = { id: '6f1c2a44-0000-4000-8000-000000000001', name: 'Demo Vein Clinic', role: 'admin' };
const OTHER: MyClinic = { id: '6f1c2a44-0000-4000-8000-000000000002', name: 'Other Vein Clinic', role: 'clinician' };

describe('clinic paths', () => {
  it('reads a clinic page, the clinics and the invitation', () => {
    expect(clinicianView(clinicPath(DEMO.id))).toEqual({ view: 'clinic', id: DEMO.id });
    expect(clinicianView('/clinician/clinics')).toEqual({ view: 'clinics' });
    expect(clinicianView('/clinic-invite')).toEqual({ view: 'invite' });
  });

  it('keeps the existing paths and refuses what is not an id', () => {
    expect(clinicianView('/clinician')).toEqual({ view: 'list' });
    expect(clinicianView('/clinician/patients/6f1c2a44-0000')).toEqual({ view: 'patient', id: '6f1c2a44-0000' });
    expect(clinicianView('/clinician/clinics/not-an-id!')).toEqual({ view: 'other' });
    expect(clinicianView('/clinician/clinics/abc')).toEqual({ view: 'other' });
    expect(clinicianView('/clinic-invites')).toEqual({ view: 'other' });
  });

  it('lets a signed-out person open the invitation, and the sign-in come back to it with its token', () => {
    expect(isPublicPath('/clinic-invite')).toBe(true);
    expect(isPublicPath('/clinician/clinics')).toBe(false);
    const signIn = new URL(signInForInvite('ab12 cd'), 'http://x');
    expect(signIn.pathname).toBe('/signin');
    expect(nextPath(signIn.searchParams)).toBe('/clinic-invite?token=ab12%20cd');
  });

  it('reads the token from the link, trimmed, and nothing when there is none', () => {
    expect(inviteToken(new URLSearchParams('token=%20f00d%20'))).toBe('f00d');
    expect(inviteToken(new URLSearchParams(''))).toBe('');
  });
});

describe('redeeming for a clinic or just me', () => {
  it('offers the clinics first, this page’s clinic at the top, then just me', () => {
    expect(redeemOptions([DEMO, OTHER], OTHER.id).map((o) => o.label)).toEqual([
      'For Other Vein Clinic',
      'For Demo Vein Clinic',
      'Just me',
    ]);
    expect(redeemOptions([DEMO]).at(-1)?.value).toBe(JUST_ME);
  });

  it('asks a member of one clinic rather than choosing the clinic for them', () => {
    const asked = redeemBody('K7MQ-4PXW', [DEMO], null);
    expect(asked).toBeInstanceOf(ApiError);
    expect((asked as ApiError).fields.clinic).toEqual(['Choose a clinic or “Just me”.']);
  });

  it('sends the clinic chosen, or null for just me', () => {
    expect(redeemBody(' K7MQ ', [DEMO, OTHER], OTHER.id)).toEqual({ code: 'K7MQ', clinic: OTHER.id });
    expect(redeemBody('K7MQ', [DEMO], JUST_ME)).toEqual({ code: 'K7MQ', clinic: null });
  });

  it('has nothing to ask a clinician in no clinic, and a code is needed first', () => {
    expect(redeemBody('K7MQ', [], null)).toEqual({ code: 'K7MQ', clinic: null });
    expect((redeemBody('  ', [DEMO], DEMO.id) as ApiError).fields.code).toBeTruthy();
  });

  it('does not send a clinic that is not one of mine', () => {
    expect(redeemBody('K7MQ', [DEMO], OTHER.id)).toBeInstanceOf(ApiError);
  });
});

describe('refusals in the server’s words', () => {
  const noClinic = 'Only members of a clinic can open patients’ diaries here. Ask your clinic’s admin to invite you.';

  it('shows the reason of a 403 plainly and does not take it for an ended session', () => {
    const error = new ApiError('forbidden', 403, {}, noClinic);
    expect(refusalText(error)).toBe(noClinic);
    expect(isEndedSession(error)).toBe(false);
    expect(isEndedSession(new ApiError('forbidden', 403, {}, 'Authentication credentials were not provided.'))).toBe(true);
  });

  it('shows the last admin’s refusal on its field', () => {
    const error = new ApiError('validation', 400, { user: ['The clinic’s last admin cannot leave.'] });
    expect(refusalText(error, 'user')).toBe('The clinic’s last admin cannot leave.');
    expect(refusalText(error, 'role')).toBeNull();
    expect(refusalText(new ApiError('offline', 0))).toBeNull();
  });

  it('says where the invitation went and for how long', () => {
    expect(inviteSentText('nina@example.com', 'clinician')).toBe('Invitation sent to nina@example.com as clinician, valid 7 days.');
  });
});

describe('who can see the diary', () => {
  it('names the clinic and its people for a clinic link, the clinician for one’s own', () => {
    expect(linkAudience({ clinic_name: 'Demo Vein Clinic', clinician_name: null, people: ['Bob', 'Nina Berg'] })).toEqual({
      title: 'Demo Vein Clinic',
      people: ['Bob', 'Nina Berg'],
      clinic: true,
    });
    expect(linkAudience({ clinic_name: null, clinician_name: 'Bob', people: ['Bob'] })).toEqual({ title: 'Bob', people: [], clinic: false });
  });

  it('names the clinic beside the reader in the access log, and only then', () => {
    expect(readerText({ clinician_name: 'Nina Berg', clinic_name: 'Demo Vein Clinic' })).toBe('Nina Berg (Demo Vein Clinic)');
    expect(readerText({ clinician_name: 'Bob', clinic_name: '' })).toBe('Bob');
  });
});

describe('my clinics, asked by the navigation, the patient list and the clinics screen', () => {
  afterEach(() => vi.unstubAllGlobals());

  function answering(clinics: MyClinic[]): string[] {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify(clinics), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    return asked;
  }

  it('are asked once while a request is in flight, however many screens ask', async () => {
    const asked = answering([DEMO]);
    const [first, second] = await Promise.all([loadMyClinics('bob'), loadMyClinics('bob')]);
    expect(asked).toEqual(['/api/v1/clinics/']);
    expect(first).toEqual([DEMO]);
    expect(second).toEqual([DEMO]);
    expect(myClinics.get()).toEqual({ clinics: [DEMO], of: 'bob' });
  });

  it('are asked again after joining or leaving one, and for someone else signed in', async () => {
    const asked = answering([DEMO, OTHER]);
    await Promise.all([loadMyClinics('bob'), loadMyClinics('bob', { again: true }), loadMyClinics('dave')]);
    expect(asked).toHaveLength(3);
    expect(myClinics.get().clinics).toEqual([DEMO, OTHER]);
  });

  it('are asked anew once the last answer is in', async () => {
    const asked = answering([]);
    await loadMyClinics('bob');
    await loadMyClinics('bob');
    expect(asked).toHaveLength(2);
  });
});
