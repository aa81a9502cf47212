// Human messages for every kind of API error.
import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, kindOf } from '../src/api/client';
import { parseErrorBody } from '../src/sync/queue';

describe('API errors in plain words', () => {
  it('maps statuses to kinds', () => {
    expect([400, 401, 403, 404, 409, 429, 500, 503].map(kindOf)).toEqual([
      'validation',
      'auth',
      'forbidden',
      'notfound',
      'conflict',
      'throttled',
      'server',
      'server',
    ]);
  });

  it('says how long to wait after too many attempts (Retry-After)', () => {
    expect(errorMessage(new ApiError('throttled', 429, {}, undefined, 600))).toBe('Too many attempts. Try again in 10 minutes.');
    expect(errorMessage(new ApiError('throttled', 429, {}, undefined, 30))).toBe('Too many attempts. Try again in 1 minute.');
    expect(errorMessage(new ApiError('throttled', 429))).toBe('Too many attempts. Try again in a few minutes.');
  });

  it('tells the person an offline entry is safe on the phone', () => {
    expect(errorMessage(new ApiError('offline', 0), { saved: true })).toBe('Saved on this phone, will send when back online.');
    expect(errorMessage(new ApiError('server', 502), { saved: true })).toContain('will send when back online');
    expect(errorMessage(new ApiError('auth', 401))).toContain('sign in again');
    expect(errorMessage(new ApiError('notfound', 404))).toContain('not found');
    expect(errorMessage(new ApiError('conflict', 409))).toContain('conflicts');
  });

  it('reads DRF error bodies: per field, detail, non-field', () => {
    expect(parseErrorBody(400, { severity: ['Too high.'], started_at: ['In the future.'] })).toEqual({
      status: 400,
      detail: undefined,
      fields: { severity: ['Too high.'], started_at: ['In the future.'] },
    });
    expect(parseErrorBody(400, { detail: ['The email or password is not right.'] }).detail).toBe('The email or password is not right.');
    expect(parseErrorBody(400, { non_field_errors: ['Ends before it starts.'] }).detail).toBe('Ends before it starts.');
    expect(parseErrorBody(400, { keys: { p256dh: ['Required.'] } }).fields.keys).toEqual(['Required.']);
  });
});
