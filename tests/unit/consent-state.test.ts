import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signConsentState, verifyConsentState } from "@/lib/admin/consent-state";

const SECRET = "a-test-secret-that-is-long-enough-1234567890";
const TENANT = "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645";
const APP = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";
const NOW = 1_750_000_000;

describe("consent state", () => {
  it("round-trips tenant, app and time", () => {
    const state = signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    expect(state).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(
      verifyConsentState(SECRET, state, { now: NOW + 10, returnedTenantId: TENANT.toUpperCase() }),
    ).toEqual({
      ok: true,
      payload: { tenant: TENANT, appId: APP, issuedAt: NOW },
    });
  });

  it("is missing, expired, for another tenant, or signed with another key", () => {
    const state = signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    expect(verifyConsentState(SECRET, undefined)).toEqual({ ok: false, reason: "missing" });
    expect(verifyConsentState(SECRET, state, { now: NOW + 3601 })).toEqual({ ok: false, reason: "expired" });
    expect(verifyConsentState(SECRET, state, { now: NOW - 3600 })).toEqual({ ok: false, reason: "expired" });
    expect(
      verifyConsentState(SECRET, state, {
        now: NOW,
        returnedTenantId: "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27",
      }),
    ).toEqual({
      ok: false,
      reason: "tenant",
    });
    expect(verifyConsentState(`${SECRET}x`, state, { now: NOW })).toEqual({ ok: false, reason: "signature" });
  });

  it("accepts any tenant back when the link named a domain", () => {
    const state = signConsentState(SECRET, { tenant: "fabrikam.com", appId: APP, issuedAt: NOW });
    expect(verifyConsentState(SECRET, state, { now: NOW, returnedTenantId: TENANT }).ok).toBe(true);
  });

  it("refuses a changed last character even where base64url has spare bits", () => {
    const state = signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
      const tampered = `${state.slice(0, -1)}${char}`;
      if (tampered !== state) expect(verifyConsentState(SECRET, tampered, { now: NOW }).ok).toBe(false);
    }
  });

  it("refuses every tampered or arbitrary state", () => {
    const state = signConsentState(SECRET, { tenant: TENANT, appId: APP, issuedAt: NOW });
    fc.assert(
      fc.property(fc.nat({ max: state.length - 1 }), fc.constantFrom(..."ABCxyz019-_"), (index, char) => {
        const tampered = `${state.slice(0, index)}${char}${state.slice(index + 1)}`;
        fc.pre(tampered !== state);
        expect(verifyConsentState(SECRET, tampered, { now: NOW }).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (junk) => {
        expect(verifyConsentState(SECRET, junk, { now: NOW }).ok).toBe(false);
      }),
    );
  });
});
