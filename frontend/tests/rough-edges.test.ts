// Issue 16's small words and the CSRF fetch: counts in the right number, the check-in's intro, and the
// CSRF response read to its end (an unread body kept the page from reaching network idle).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchCsrf } from '../src/api/client';
import { count, strings } from '../src/strings';

describe('counts read right', () => {
  it('says "1 day" and "3 days", never "1 days"', () => {
    expect(count(1, 'day')).toBe('1 day');
    expect(count(3, 'day')).toBe('3 days');
    expect(count(0, 'night')).toBe('0 nights');
    expect(count(1, 'more day', 'more days')).toBe('1 more day');
  });

  it('puts a count of one in the singular across the trends and reminders sentences', () => {
    const T = strings.trends;
    expect(T.notEnough(1, 1)).toMatch(/^1 day logged in the last 1 day\./);
    expect(T.unknownDays(1, 1, 0, null)).toBe('1 of 1 day unknown: nothing logged.');
    expect(T.unknownDays(0, 1, 0, null)).toBe('The 1 day has something logged.');
    expect(T.unknownWeeks(1, 1)).toBe('1 of 1 week unknown: nothing logged that week.');
    expect(T.unknownNights(1, 1)).toBe('1 of 1 week with no night recorded: its cramp nights are unknown, not zero.');
    expect(T.notEnoughMore(1)).toBe('1 more day of diary, and your charts appear here.');
    expect(strings.reminders.snoozed(1)).toBe('Snoozed for 1 minute.');
    expect(strings.reminders.snoozed(10)).toBe('Snoozed for 10 minutes.');
  });

  it('no longer says "Only the first questions matter most" on the check-in', () => {
    expect(strings.checkin.intro).not.toMatch(/first questions/);
    expect(strings.checkin.intro).toMatch(/optional/);
  });
});

describe('the CSRF fetch', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the response body to its end, so the connection is released', async () => {
    const response = new Response(JSON.stringify({ detail: 'CSRF cookie set' }), { status: 200 });
    vi.stubGlobal('fetch', vi.fn(async () => response));
    await fetchCsrf();
    expect(response.bodyUsed).toBe(true);
  });

  it('still settles when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('offline'))));
    await expect(fetchCsrf()).resolves.toBeUndefined();
  });
});
