import fc from "fast-check";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { signConsentState, verifyConsentState } from "@/lib/admin/consent-state";

const SECRET = "a-test-secret-that-is-long-enough-1234567890";
const TENANT = "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645";
const APP = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";
const NOW = 1_750_000_000;

describe("consent state", () => {
  it("round-trips tenant, app and time", async () => {
    const state = await signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    expect(state).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(
      await verifyConsentState(SECRET, state, { now: NOW + 10, returnedTenantId: TENANT.toUpperCase() }),
    ).toEqual({
      ok: true,
      payload: { tenant: TENANT, appId: APP, issuedAt: NOW },
    });
  });

  it("is missing, expired, for another tenant, or signed with another key", async () => {
    const state = await signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    expect(await verifyConsentState(SECRET, undefined)).toEqual({ ok: false, reason: "missing" });
    expect(await verifyConsentState(SECRET, state, { now: NOW + 3601 })).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await verifyConsentState(SECRET, state, { now: NOW - 3600 })).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(
      await verifyConsentState(SECRET, state, {
        now: NOW,
        returnedTenantId: "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27",
      }),
    ).toEqual({
      ok: false,
      reason: "tenant",
    });
    expect(await verifyConsentState(`${SECRET}x`, state, { now: NOW })).toEqual({
      ok: false,
      reason: "signature",
    });
  });

  it("accepts any tenant back when the link named a domain", async () => {
    const state = await signConsentState(SECRET, { tenant: "fabrikam.com", appId: APP, issuedAt: NOW });
    expect((await verifyConsentState(SECRET, state, { now: NOW, returnedTenantId: TENANT })).ok).toBe(true);
  });

  it("refuses a changed last character even where base64url has spare bits", async () => {
    const state = await signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
      const tampered = `${state.slice(0, -1)}${char}`;
      if (tampered !== state)
        expect((await verifyConsentState(SECRET, tampered, { now: NOW })).ok).toBe(false);
    }
  });

  it("is a compact JWS (HS256, by jose) with an expiry, so no hand-written MAC is left", async () => {
    const state = await signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    expect(decodeProtectedHeader(state)).toEqual({ alg: "HS256" });
    expect(decodeJwt(state)).toMatchObject({ t: TENANT, a: APP, iat: NOW, exp: NOW + 3600 });
    // A token with alg "none" or another algorithm naming the same claims is refused.
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${state.split(".")[1]}.`;
    expect((await verifyConsentState(SECRET, unsigned, { now: NOW })).ok).toBe(false);
  });

  it("refuses every tampered or arbitrary state", async () => {
    const state = await signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: state.length - 1 }),
        fc.constantFrom(..."ABCxyz019-_"),
        async (index, char) => {
          const tampered = `${state.slice(0, index)}${char}${state.slice(index + 1)}`;
          fc.pre(tampered !== state);
          expect((await verifyConsentState(SECRET, tampered, { now: NOW })).ok).toBe(false);
        },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000 }), async (junk) => {
        expect((await verifyConsentState(SECRET, junk, { now: NOW })).ok).toBe(false);
      }),
    );
  });
});
