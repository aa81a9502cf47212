// Two-factor sign-in helpers (pure): when the sign-in form needs the one-time-code field, how the
// setup key is shown, and the QR code's SVG path. Tested in tests/otp.test.ts.

import { ApiError } from '../api/client';

export interface OtpStep {
  /** Show the one-time-code field (and send its value with the next try). */
  needed: boolean;
  /** The server's word about the code, if any. */
  message: string | null;
  /** The code that was sent is wrong (an error), rather than simply asked for (a prompt). */
  invalid: boolean;
}

/**
 * After a sign-in try: a 400 with an `otp` field means the account has two-factor sign-in on. Without a
 * code sent it is a prompt; with one, the code was wrong or used already. Other errors keep the field as
 * it was (`wasNeeded`), so a mistyped password does not hide it.
 */
export function otpStep(error: unknown, sentOtp: boolean, wasNeeded: boolean): OtpStep {
  if (error instanceof ApiError && error.kind === 'validation' && error.fields.otp?.length) {
    return { needed: true, message: error.fields.otp.join(' '), invalid: sentOtp };
  }
  return { needed: wasNeeded, message: null, invalid: false };
}

/** The body of a sign-in: the code only when the field is shown and filled. */
export function signInBody(email: string, password: string, otp: string | null): { email: string; password: string; otp?: string } {
  const code = otp === null ? '' : normalizeOtp(otp);
  return code ? { email, password, otp: code } : { email, password };
}

/** What the person typed, as the digits a TOTP code has (spaces and dashes dropped). */
export function normalizeOtp(input: string): string {
  return input.replace(/[\s-]/g, '').slice(0, 16);
}

/** A base32 setup key in blocks of 4, easy to type into an authenticator app: "ABCD EFGH IJ". */
export function groupSecret(secret: string, size = 4): string {
  const clean = secret.replace(/[\s=]/g, '').toUpperCase();
  const blocks: string[] = [];
  for (let i = 0; i < clean.length; i += size) blocks.push(clean.slice(i, i + size));
  return blocks.join(' ');
}

/** One SVG path for the dark modules of a QR code (one unit per module, `margin` modules of quiet zone). */
export function qrSvgPath(count: number, isDark: (row: number, col: number) => boolean, margin = 4): string {
  const parts: string[] = [];
  for (let r = 0; r < count; r++) {
    let c = 0;
    while (c < count) {
      if (!isDark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < count && isDark(r, c)) c++;
      parts.push(`M${start + margin} ${r + margin}h${c - start}v1h-${c - start}z`);
    }
  }
  return parts.join('');
}

/** The QR code of `text` (lazy: the encoder loads only when a setup needs it). */
export async function qrCode(text: string): Promise<{ size: number; path: string }> {
  const { default: qrcode } = await import('qrcode-generator');
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  return { size: count + 8, path: qrSvgPath(count, (r, c) => qr.isDark(r, c), 4) };
}
