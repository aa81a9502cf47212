// Two-factor sign-in: when the code field appears, what is sent, the setup key's blocks, the QR path,
// and that the two-factor 403 does not end the session.
import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, onAuthRequired } from '../src/api/client';
import { groupSecret, normalizeOtp, otpStep, qrSvgPath, signInBody } from '../src/logic/otp';

describe('the sign-in flow with a one-time code', () => {
  const asked = new ApiError('validation', 400, { otp: ['Enter the 6-digit code from your authenticator app.'] });
  const wrong = new ApiError('validation', 400, { otp: ['This code is not right or was used already. Try the next one.'] });
  const badPassword = new ApiError('validation', 400, {}, 'The email or password is not right.');

  it('shows the code field when the server asks for it (a prompt, not an error)', () => {
    expect(otpStep(asked, false, false)).toEqual({ needed: true, message: 'Enter the 6-digit code from your authenticator app.', invalid: false });
  });

  it('marks a wrong code as an error', () => {
    expect(otpStep(wrong, true, true)).toEqual({ needed: true, message: wrong.fields.otp[0], invalid: true });
  });

  it('keeps the field after another mistake, and leaves it hidden for accounts without two-factor', () => {
    expect(otpStep(badPassword, true, true)).toEqual({ needed: true, message: null, invalid: false });
    expect(otpStep(badPassword, false, false).needed).toBe(false);
    expect(otpStep(new ApiError('throttled', 429), false, false).needed).toBe(false);
  });

  it('sends the code with the next try, only when there is one', () => {
    expect(signInBody('a@b.c', 'pw', null)).toEqual({ email: 'a@b.c', password: 'pw' });
    expect(signInBody('a@b.c', 'pw', '  ')).toEqual({ email: 'a@b.c', password: 'pw' });
    expect(signInBody('a@b.c', 'pw', '123 456')).toEqual({ email: 'a@b.c', password: 'pw', otp: '123456' });
    expect(normalizeOtp('12-34 56')).toBe('123456');
  });
});

describe('the setup key and the QR code', () => {
  it('groups the key in blocks of 4', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('abcdefghij')).toBe('ABCD EFGH IJ');
    expect(groupSecret('ABCD EFGH==')).toBe('ABCD EFGH');
  });

  it('draws dark modules as runs, offset by the quiet zone', () => {
    const dark = new Set(['0,0', '0,1', '1,2']);
    expect(qrSvgPath(3, (r, c) => dark.has(`${r},${c}`), 4)).toBe('M4 4h2v1h-2zM6 5h1v1h-1z');
    expect(qrSvgPath(2, () => false)).toBe('');
  });

  it('encodes a real otpauth URI (lazy encoder)', async () => {
    const { qrCode } = await import('../src/logic/otp');
    const qr = await qrCode('otpauth://totp/Crampwise:bob%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Crampwise');
    expect(qr.size).toBeGreaterThanOrEqual(21 + 8);
    expect(qr.path.startsWith('M4 4h7')).toBe(true); // the top-left finder pattern: 7 dark modules
  });
});

describe('the two-factor 403 of clinician endpoints', () => {
  it('is explained, and does not sign the clinician out', async () => {
    const error = new ApiError('forbidden', 403, {}, "Turn on two-factor sign-in (Profile) before you open patients' diaries.");
    expect(errorMessage(error)).toContain('two-factor sign-in');
    const realFetch = globalThis.fetch;
    let signedOut = 0;
    const stop = onAuthRequired(() => signedOut++);
    globalThis.fetch = (async () =>
      new Response(JSON.stringify({ detail: error.detail }), { status: 403, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;
    try {
      const { api } = await import('../src/api/client');
      await expect(api('/api/v1/clinician/patients/')).rejects.toMatchObject({ status: 403 });
      expect(signedOut).toBe(0);
      globalThis.fetch = (async () =>
        new Response(JSON.stringify({ detail: 'Authentication credentials were not provided.' }), { status: 403, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;
      await expect(api('/api/v1/clinician/patients/')).rejects.toMatchObject({ status: 403 });
      expect(signedOut).toBe(1);
    } finally {
      globalThis.fetch = realFetch;
      stop();
    }
  });
});
