// The clinician's urgent alerts in rules: URLs, open before reviewed, times on the patient's clock, the
// patient's answer, the review note and clinic reference limits, date of birth, and the alert channels.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/api/types';
import {
  acknowledgementText,
  acknowledgementWords,
  alertChannelsOf,
  alertsUrl,
  alertTime,
  dateOfBirthText,
  linkUrl,
  noteProblem,
  openAlertsText,
  referenceBody,
  referenceProblem,
  referenceText,
  reportedText,
  reviewBody,
  reviewedText,
  reviewUrl,
  sameChannels,
  splitAlerts,
  toggleChannel,
  withReviewed,
} from '../src/logic/alerts';
import { strings } from '../src/strings';

const NEW_YORK = 'America/New_York';
const GB = 'en-GB';

function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: 'a1',
    patient: 'p1',
    patient_name: 'Alice Smith',
    clinic: null,
    clinic_name: null,
    code: 'urgent_dvt_warning',
    level: 'urgent',
    title: 'Possible blood clot (DVT)',
    // 19:40 on 1 December 2026 in New York (UTC−5).
    raised_at: '2026-12-02T00:41:00Z',
    evidence_at: '2026-12-02T00:40:00Z',
    last_evidence_at: '2026-12-02T00:40:00Z',
    patient_timezone: NEW_YORK,
    acknowledged_by_patient_at: null,
    acknowledgement: null,
    reviewed_at: null,
    reviewed_by: null,
    reviewed_by_name: '',
    note: '',
    ...over,
  };
}

describe('the alerts list', () => {
  it('asks for both kinds by default, or one status, with a page size', () => {
    expect(alertsUrl()).toBe('/api/v1/clinician/alerts/?page_size=50');
    expect(alertsUrl('open', 10)).toBe('/api/v1/clinician/alerts/?status=open&page_size=10');
    expect(alertsUrl('reviewed')).toBe('/api/v1/clinician/alerts/?status=reviewed&page_size=50');
  });

  it('reviews one alert and patches one link by id', () => {
    expect(reviewUrl('a1')).toBe('/api/v1/clinician/alerts/a1/review/');
    expect(linkUrl('l/1')).toBe('/api/v1/sharing/links/l%2F1/');
  });

  it('puts open alerts apart from reviewed ones, keeping the server order in each', () => {
    const list = [
      alert({ id: 'o1' }),
      alert({ id: 'r1', reviewed_at: '2026-12-02T10:00:00Z' }),
      alert({ id: 'o2' }),
      alert({ id: 'r2', reviewed_at: '2026-12-01T10:00:00Z' }),
    ];
    const { open, reviewed } = splitAlerts(list);
    expect(open.map((a) => a.id)).toEqual(['o1', 'o2']);
    expect(reviewed.map((a) => a.id)).toEqual(['r1', 'r2']);
  });

  it('replaces the reviewed alert with the server answer and leaves the others', () => {
    const list = [alert({ id: 'o1' }), alert({ id: 'o2' })];
    const answer = alert({ id: 'o2', reviewed_at: '2026-12-02T10:00:00Z', reviewed_by_name: 'Bob' });
    const next = withReviewed(list, answer);
    expect(next[0]).toBe(list[0]);
    expect(next[1]).toBe(answer);
  });
});

describe('alert times on the patient clock', () => {
  it('reads "1 Dec, 19:40 New York time" for a clinician anywhere', () => {
    expect(alertTime('2026-12-02T00:40:00Z', NEW_YORK, GB)).toBe('1 Dec, 19:40 New York time');
    expect(alertTime(null, NEW_YORK, GB)).toBe('');
  });

  it('says when it was reported, and again when a later check-in joined the alert', () => {
    expect(reportedText(alert(), GB)).toBe('1 Dec, 19:40 New York time');
    const joined = alert({ last_evidence_at: '2026-12-02T13:05:00Z' });
    expect(reportedText(joined, GB)).toBe('1 Dec, 19:40 New York time; again 2 Dec, 08:05 New York time');
  });

  it('says who reviewed and when; an open alert has no review line', () => {
    expect(reviewedText(alert(), GB)).toBeNull();
    const done = alert({ reviewed_at: '2026-12-02T14:00:00Z', reviewed_by_name: 'Bob Jones' });
    expect(reviewedText(done, GB)).toBe('Reviewed by Bob Jones on 2 Dec, 09:00 New York time');
    expect(reviewedText({ ...done, reviewed_by_name: '' }, GB)).toBe('Reviewed by a colleague on 2 Dec, 09:00 New York time');
  });
});

describe("the patient's answer", () => {
  it('is the patient words, with when they said it', () => {
    expect(acknowledgementWords('got_help')).toBe('“I got help”');
    expect(acknowledgementWords('seen_doctor')).toBe('“I have seen a doctor”');
    expect(acknowledgementText('got_help', '2026-12-02T01:05:00Z', NEW_YORK, GB)).toBe('“I got help”, 1 Dec, 20:05 New York time');
  });

  it('is nothing until they answered, never a guessed answer', () => {
    expect(acknowledgementWords(null)).toBeNull();
    expect(acknowledgementText(null, null, NEW_YORK, GB)).toBeNull();
  });

  it('keeps an answer it does not know readable', () => {
    expect(acknowledgementWords('called_ambulance')).toBe('called ambulance');
  });
});

describe('the review note', () => {
  it('is optional: a blank note is left out of the request', () => {
    expect(reviewBody('')).toEqual({});
    expect(reviewBody('   ')).toEqual({});
    expect(reviewBody(' Phoned her. ')).toEqual({ note: 'Phoned her.' });
  });

  it('may have 2000 characters and no more', () => {
    expect(noteProblem('x'.repeat(2000))).toBeNull();
    expect(noteProblem('x'.repeat(2001))).toBe(strings.clinician.noteTooLong(2001));
  });
});

describe('who the patient is', () => {
  it('shows a date of birth as a date, and none as "not said"', () => {
    expect(dateOfBirthText('1950-03-03', GB)).toBe('3 Mar 1950');
    expect(dateOfBirthText(null)).toBe('not said');
    expect(dateOfBirthText(undefined)).toBe('not said');
  });

  it('shows the clinic reference, or that none is set', () => {
    expect(referenceText('A-1234')).toBe('A-1234');
    expect(referenceText(null)).toBe('none set');
    expect(referenceText('  ')).toBe('none set');
  });

  it('clears a blank clinic reference with null and trims the rest', () => {
    expect(referenceBody('')).toEqual({ clinic_reference: null });
    expect(referenceBody('  ')).toEqual({ clinic_reference: null });
    expect(referenceBody(' VC-0042 ')).toEqual({ clinic_reference: 'VC-0042' });
  });

  it('allows a clinic reference of 40 characters and no more', () => {
    expect(referenceProblem('x'.repeat(40))).toBeNull();
    expect(referenceProblem(` ${'x'.repeat(40)} `)).toBeNull();
    expect(referenceProblem('x'.repeat(41))).toBe(strings.clinician.clinicReferenceTooLong(41));
  });

  it('badges open alerts only when there are some', () => {
    expect(openAlertsText(0)).toBeNull();
    expect(openAlertsText(undefined)).toBeNull();
    expect(openAlertsText(1)).toBe('1 open alert');
    expect(openAlertsText(3)).toBe('3 open alerts');
  });
});

describe('how a clinician is told', () => {
  it('reads the profile channels in a fixed order; an older stored profile had both', () => {
    expect(alertChannelsOf({ alert_channels: ['email', 'push'] })).toEqual(['push', 'email']);
    expect(alertChannelsOf({ alert_channels: ['email'] })).toEqual(['email']);
    expect(alertChannelsOf({})).toEqual(['push', 'email']);
  });

  it('turns one channel off while the other stays on', () => {
    expect(toggleChannel(['push', 'email'], 'push', false)).toEqual({ channels: ['email'], refused: null });
    expect(toggleChannel(['email'], 'push', true)).toEqual({ channels: ['push', 'email'], refused: null });
  });

  it('refuses to turn off the last channel, and says why', () => {
    expect(toggleChannel(['email'], 'email', false)).toEqual({ channels: ['email'], refused: strings.clinician.needOneChannel });
    expect(toggleChannel(['push'], 'push', false).channels).toEqual(['push']);
  });

  it('compares channel choices whatever their order', () => {
    expect(sameChannels(['push', 'email'], ['email', 'push'])).toBe(true);
    expect(sameChannels(['push'], ['push', 'email'])).toBe(false);
  });
});
