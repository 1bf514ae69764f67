/**
 * Auth.js's session cookie, defined once for everything that looks for it (the request guard, the token reader).
 * Auth.js names it after the scheme of the portal's URL (https → `__Secure-` prefix), splits it into chunks
 * (`.0`, `.1`, …) past 4 KB, and uses the cookie's name as the salt of its encryption.
 */

export const SESSION_COOKIE = "authjs.session-token";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

const SESSION_COOKIE_PART = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/** The cookie's name, which is also the salt its content is encrypted with. */
export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** Whether a cookie (whole or one chunk, plain or `__Secure-`) belongs to the session. */
export function isSessionCookie(name: string): boolean {
  return SESSION_COOKIE_PART.test(name);
}

/** Whether the browser sent the `__Secure-` session cookie: the reader follows what was sent. */
export function sentSecureSessionCookie(cookieNames: Iterable<string>): boolean {
  for (const name of cookieNames) {
    if (isSessionCookie(name) && name.startsWith("__Secure-")) return true;
  }
  return false;
}

/** The absolute session limit (at most 12 hours from sign-in), whatever Auth.js's sliding expiry says. */
export function isSessionTooOld(signedInAt: unknown, nowSeconds: number, maxAgeSeconds: number): boolean {
  return typeof signedInAt !== "number" || !(nowSeconds - signedInAt <= maxAgeSeconds);
}
