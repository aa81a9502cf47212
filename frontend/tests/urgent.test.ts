// Mirrors the urgent cases of tests/test_insight_rules.py (diary/insights.py): the app must raise the
// same warnings offline as the server does online.
import { describe, expect, it } from 'vitest';
import { comparableSite, isDvtWarning, isEmergency, oneSidedSwelling, urgentForCheckin, urgentForRecent, type UrgentFacts } from '../src/logic/urgent';

const codes = (c: UrgentFacts, previousDvt = false) => urgentForCheckin(c, previousDvt).map((i) => i.code);

describe('emergency_warning', () => {
  it('fires on sudden chest pain or breathlessness, whatever else', () => {
    const c = { sudden_chest_pain_or_breathlessness: true, local_date: '2026-03-20' };
    expect(isEmergency(c)).toBe(true);
    const [insight] = urgentForCheckin(c, false);
    expect(insight.code).toBe('emergency_warning');
    expect(insight.level).toBe('urgent');
    expect(insight.title).toBe('Chest pain or breathlessness: call for help now');
    expect(insight.explanation).toContain('Call your emergency number now (for example 112 or 911)');
    expect(insight.explanation).toContain('In your check-in on 20 March');
    expect(insight.action).toMatch(/emergency number now/);
  });

  it('comes first when both fire', () => {
    const alarming = {
      swelling_left: 0,
      swelling_right: 3,
      calf_pain_or_tenderness: true,
      redness_or_warmth: true,
      sudden_chest_pain_or_breathlessness: true,
    };
    expect(codes(alarming)).toEqual(['emergency_warning', 'urgent_dvt_warning']);
  });
});

describe('urgent_dvt_warning', () => {
  it('fires on one swollen, painful leg that came on suddenly', () => {
    const c = { swelling_left: 0, swelling_right: 2, calf_pain_or_tenderness: true, sudden_onset: true, local_date: '2026-03-18' };
    const [insight] = urgentForCheckin(c, false);
    expect(insight.code).toBe('urgent_dvt_warning');
    expect(insight.evidence).toMatchObject({ leg: 'right', swelling_left: 0, swelling_right: 2 });
    expect(insight.explanation).toContain('right leg');
    expect(insight.explanation).toContain('moderate against none');
    expect(insight.explanation).toContain('it started suddenly');
    expect(insight.title).toBe('One swollen, painful leg: get medical care today');
  });

  it('fires on an ankle 3 cm larger with redness (38.3 against 35.3 is exactly 3.0)', () => {
    const c = {
      swelling_left: 1,
      swelling_right: 1,
      circumference_left_cm: 38.3,
      circumference_right_cm: 35.3,
      circumference_site_left: 'ankle' as const,
      circumference_site_right: 'ankle' as const,
      calf_pain_or_tenderness: true,
      redness_or_warmth: true,
    };
    const [insight] = urgentForCheckin(c, false);
    expect(insight.evidence).toMatchObject({ leg: 'left', circumference_difference_cm: 3.0, circumference_site: 'ankle' });
    expect(insight.explanation).toContain('the ankle measuring 38.3 cm against 35.3 cm');
  });

  it.each([
    ['calf 3.1 cm', 'calf' as const, 38.4, true],
    ['calf exactly 3.0 cm (Wells: more than 3)', 'calf' as const, 38.3, false],
    ['ankle 3.0 cm', 'ankle' as const, 38.3, true],
    ['ankle 2.9 cm', 'ankle' as const, 38.2, false],
  ])('compares like with like by site (%s), as diary/insights does', (_name, site, left, oneSided) => {
    const c = { circumference_left_cm: left, circumference_right_cm: 35.3, circumference_site_left: site, circumference_site_right: site };
    expect(oneSidedSwelling(c) !== null).toBe(oneSided);
  });

  it('compares a left ankle with a right calf with nothing, as diary/insights does', () => {
    const c = { circumference_left_cm: 30.0, circumference_right_cm: 40.0, calf_pain_or_tenderness: true, circumference_site_left: 'ankle' as const, circumference_site_right: 'calf' as const };
    expect(comparableSite(c)).toBeNull();
    expect(oneSidedSwelling(c)).toBeNull();
    expect(isDvtWarning(c, true)).toBe(false);
  });

  it.each([
    ['one site not said', { circumference_site_left: 'calf' as const, circumference_site_right: null }],
    ['no site said', {}],
  ])('still compares circumferences when a site is not said (%s): a blank silences nothing', (_name, sites) => {
    const c = { circumference_left_cm: 30.0, circumference_right_cm: 40.0, calf_pain_or_tenderness: true, ...sites };
    expect(comparableSite(c)).toBe('');
    expect(oneSidedSwelling(c)?.leg).toBe('right');
    expect(isDvtWarning(c, true)).toBe(true);
  });

  it.each([
    [38.3, true],
    [38.2, false],
  ])('takes 3.0 cm or more as one-sided where the site was not said (left %s cm)', (left, oneSided) => {
    expect(oneSidedSwelling({ circumference_left_cm: left, circumference_right_cm: 35.3 }) !== null).toBe(oneSided);
  });

  it.each([
    ['one level apart', { swelling_left: 2, swelling_right: 1 }],
    [
      '2.9 cm',
      {
        swelling_left: 1,
        swelling_right: 1,
        circumference_left_cm: 38.2,
        circumference_right_cm: 35.3,
        circumference_site_left: 'ankle' as const,
        circumference_site_right: 'ankle' as const,
      },
    ],
    ['one leg measured only', { swelling_left: 1, swelling_right: 1, circumference_left_cm: 45.0 }],
  ])('does not fire one step short of one-sided swelling (%s)', (_name, answers) => {
    const signs = { calf_pain_or_tenderness: true, sudden_onset: true, redness_or_warmth: true };
    expect(codes({ ...answers, ...signs })).toEqual([]);
  });

  it.each([
    ['2-2 painless', { swelling_left: 2, swelling_right: 2 }],
    ['2-2 pain sudden', { swelling_left: 2, swelling_right: 2, calf_pain_or_tenderness: true, sudden_onset: true }],
    ['3-2 painless', { swelling_left: 3, swelling_right: 2 }],
    ['3-2 pain redness', { swelling_left: 3, swelling_right: 2, calf_pain_or_tenderness: true, redness_or_warmth: true }],
    ['3-3 redness', { swelling_left: 3, swelling_right: 3, redness_or_warmth: true }],
    ['2-2 1 cm', { swelling_left: 2, swelling_right: 2, circumference_left_cm: 40.0, circumference_right_cm: 39.0 }],
  ])('swelling of both legs is not a DVT warning (%s), not even after a previous DVT', (_name, answers) => {
    expect(oneSidedSwelling(answers)).toBeNull();
    expect(isDvtWarning(answers, false)).toBe(false);
    expect(isDvtWarning(answers, true)).toBe(false);
  });

  it('one swollen leg without pain is not a DVT warning', () => {
    expect(codes({ swelling_left: 3, swelling_right: 0, sudden_onset: true }, true)).toEqual([]);
  });

  it('after a previous DVT, one swollen painful leg is enough', () => {
    const answers = { swelling_left: 0, swelling_right: 2, calf_pain_or_tenderness: true };
    expect(codes(answers, false)).toEqual([]);
    const [insight] = urgentForCheckin(answers, true);
    expect(insight.code).toBe('urgent_dvt_warning');
    expect(insight.evidence.previous_dvt).toBe(true);
    expect(insight.explanation).toContain('You told us you had a blood clot in the leg before');
  });

  it('urgent_for_checkin uses the previous DVT it is given', () => {
    const swollen = { swelling_left: 2, swelling_right: 0, calf_pain_or_tenderness: true };
    expect(codes(swollen, false)).toEqual([]);
    expect(codes(swollen, true)).toEqual(['urgent_dvt_warning']);
  });

  it('a harmless check-in raises nothing', () => {
    expect(codes({ swelling_left: 1, swelling_right: 1, visible_veins: true } as UrgentFacts, true)).toEqual([]);
  });
});

describe('recent check-ins (the offline banner on Today)', () => {
  const now = new Date('2026-03-20T20:30:00Z');
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000).toISOString();
  it('looks back 2 days for chest pain and 7 days for a DVT picture', () => {
    const chest = { sudden_chest_pain_or_breathlessness: true };
    const dvt = { swelling_left: 3, swelling_right: 0, calf_pain_or_tenderness: true, sudden_onset: true };
    expect(urgentForRecent([{ ...chest, recorded_at: at(48) }], false, now).map((i) => i.code)).toEqual(['emergency_warning']);
    expect(urgentForRecent([{ ...chest, recorded_at: at(49) }], false, now)).toEqual([]);
    expect(urgentForRecent([{ ...dvt, recorded_at: at(7 * 24) }], false, now).map((i) => i.code)).toEqual(['urgent_dvt_warning']);
    expect(urgentForRecent([{ ...dvt, recorded_at: at(7 * 24 + 1) }], false, now)).toEqual([]);
  });
});

describe('swelling not answered (decision 0022), as diary/insights.py reads it', () => {
  it('does not silence the warning: calf pain that started suddenly warns, and says swelling was not said', () => {
    const [insight] = urgentForCheckin({ calf_pain_or_tenderness: true, sudden_onset: true, local_date: '2026-03-18' }, false);
    expect(insight.code).toBe('urgent_dvt_warning');
    expect(insight.title).toBe('A painful calf: get medical care today');
    expect(insight.explanation).toContain('you did not say whether one leg was swollen');
    expect(insight.evidence).toMatchObject({ leg: null, swelling_said: false });
  });

  it('does not fire it either: pain alone after a previous DVT needs one-sided swelling known', () => {
    expect(codes({ calf_pain_or_tenderness: true }, true)).toEqual([]);
  });

  it('compares one leg answered alone with nothing: left severe, right not answered is not one-sided', () => {
    expect(codes({ swelling_left: 3, swelling_right: null, calf_pain_or_tenderness: true }, true)).toEqual([]);
  });

  it('known not one-sided stays quiet, as before', () => {
    expect(codes({ swelling_left: 1, swelling_right: 1, calf_pain_or_tenderness: true, sudden_onset: true }, true)).toEqual([]);
  });
});

describe('a check-in typed in long after its time (as diary/insights.py is_past_dated)', () => {
  const saved = new Date('2026-03-20T12:00:00Z');
  const chest = { sudden_chest_pain_or_breathlessness: true, local_date: '2026-03-15' };
  const leg = { swelling_left: 3, swelling_right: 0, calf_pain_or_tenderness: true, sudden_onset: true, local_date: '2026-03-10' };

  it('words chest pain five days ago for the past, still urgent', () => {
    const [insight] = urgentForCheckin({ ...chest, recorded_at: '2026-03-15T08:00:00Z' }, false, saved);
    expect(insight.level).toBe('urgent');
    expect(insight.title).toBe('Chest pain or breathlessness on 15 March: if you still have it, call now');
    expect(insight.explanation).toMatch(/^On 15 March you reported sudden chest pain or breathlessness\. If you still have these symptoms/);
    expect(insight.evidence.past_dated).toBe(true);
  });

  it('warns of a swollen painful leg ten days ago although it is outside the rule\'s 7-day window', () => {
    const [insight] = urgentForCheckin({ ...leg, recorded_at: '2026-03-10T08:00:00Z' }, false, saved);
    expect(insight.code).toBe('urgent_dvt_warning');
    expect(insight.title).toBe('One swollen, painful leg on 10 March: if it is still there, get care today');
    expect(insight.explanation).toContain('If you still have these symptoms, get medical care today');
    expect(insight.explanation).not.toMatch(/you have a (blood )?clot/i);
  });

  it('keeps the present wording at exactly a day, and is past a minute later', () => {
    const dayBefore = '2026-03-19T12:00:00Z';
    expect(urgentForCheckin({ ...chest, recorded_at: dayBefore }, false, saved)[0].title).toBe(
      'Chest pain or breathlessness: call for help now',
    );
    const minuteMore = '2026-03-19T11:59:00Z';
    expect(urgentForCheckin({ ...chest, recorded_at: minuteMore }, false, saved)[0].evidence.past_dated).toBe(true);
  });

  it('takes a check-in without a time as just made', () => {
    expect(urgentForCheckin(chest, false, saved)[0].evidence.past_dated).toBe(false);
  });
});
