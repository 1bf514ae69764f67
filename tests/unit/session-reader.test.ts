import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  isSessionCookie,
  isSessionTooOld,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sentSecureSessionCookie,
  sessionCookieName,
} from "@/lib/session/cookie";
import type { PortalJwt } from "@/lib/session/jwt";

/** One definition of the session cookie (name, salt, age rule) and one reader, the same Auth.js writes. */

const SECRET = "unit-test-auth-secret-0123456789-abcdefghij";

beforeAll(() => {
  vi.stubEnv("AUTH_SECRET", SECRET);
  vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_ID", "8187b4ec-85b5-4e02-bfa3-299ca1e218f6");
  vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_SECRET", "secret");
  vi.stubEnv("ACS_CONNECTION_STRING", "endpoint=https://contoso.communication.azure.com/;accesskey=abc123==");
  vi.stubEnv("SESSION_MAX_AGE_SECONDS", "3600");
});

const { readSessionJwt, readSessionTokens } = await import("@/lib/session/entra-token");

const now = () => Math.floor(Date.now() / 1000);

function jwt(overrides: Partial<PortalJwt> = {}): PortalJwt {
  return {
    name: "Adele Vance",
    username: "adele@contoso.com",
    tenantId: "2b88a774-b406-4fcf-9c4f-d8c37f92cce1",
    objectId: "72a52e20-3380-413b-8a70-aa57a4194c13",
    roles: [],
    signedInAt: now() - 60,
    entra: { accessToken: "entra-at", refreshToken: "entra-rt", expiresAt: now() + 3_000, scope: "" },
    ...overrides,
  };
}

/** The cookie exactly as Auth.js writes it: encrypted with AUTH_SECRET, salted with the cookie's name. */
async function cookieFor(token: PortalJwt, secure: boolean, secret = SECRET): Promise<Headers> {
  const name = sessionCookieName(secure);
  const value = await encode({ token, secret, salt: name });
  return new Headers({ cookie: `other=1; ${name}=${value}` });
}

describe("the session cookie's definition", () => {
  it("recognises the cookie plain or __Secure-, whole or chunked, and nothing else", () => {
    expect(sessionCookieName(false)).toBe(SESSION_COOKIE);
    expect(sessionCookieName(true)).toBe(SECURE_SESSION_COOKIE);
    for (const name of [
      SESSION_COOKIE,
      SECURE_SESSION_COOKIE,
      `${SESSION_COOKIE}.0`,
      `${SECURE_SESSION_COOKIE}.12`,
    ])
      expect(isSessionCookie(name), name).toBe(true);
    for (const name of [
      "authjs.csrf-token",
      "authjs.session-tokenx",
      "x-authjs.session-token",
      "__Host-authjs.session-token",
    ])
      expect(isSessionCookie(name), name).toBe(false);
    expect(sentSecureSessionCookie(["a", `${SECURE_SESSION_COOKIE}.1`])).toBe(true);
    expect(sentSecureSessionCookie(["a", SESSION_COOKIE])).toBe(false);
  });

  it("applies the absolute session limit to the second", () => {
    expect(isSessionTooOld(1_000, 4_600, 3_600)).toBe(false);
    expect(isSessionTooOld(1_000, 4_601, 3_600)).toBe(true);
    expect(isSessionTooOld(undefined, 4_600, 3_600)).toBe(true);
    expect(isSessionTooOld(Number.NaN, 4_600, 3_600)).toBe(true);
  });
});

describe("readSessionJwt / readSessionTokens", () => {
  it("reads the plain and the __Secure- cookie, each with its own salt", async () => {
    expect((await readSessionJwt(await cookieFor(jwt(), false)))?.objectId).toBe(jwt().objectId);
    expect((await readSessionTokens(await cookieFor(jwt(), true))).entra.accessToken).toBe("entra-at");
  });

  it("reads no session without a cookie, from another secret, or from an Authorization header", async () => {
    expect(await readSessionJwt(new Headers())).toBeNull();
    expect(
      await readSessionJwt(await cookieFor(jwt(), false, "another-secret-of-32-characters-or-more!")),
    ).toBeNull();
    expect(await readSessionJwt(new Headers({ authorization: "Bearer x.y.z" }))).toBeNull();
    await expect(readSessionTokens(new Headers())).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("refuses a session past the absolute limit or one whose refresh was refused", async () => {
    await expect(
      readSessionTokens(await cookieFor(jwt({ signedInAt: now() - 3_700 }), false)),
    ).rejects.toMatchObject({
      code: "SESSION_EXPIRED",
    });
    await expect(
      readSessionTokens(await cookieFor(jwt({ error: "SESSION_EXPIRED" }), false)),
    ).rejects.toMatchObject({
      code: "SESSION_EXPIRED",
    });
  });
});
