import { SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { PortalError } from "@/lib/errors";
import type { PortalJwt } from "@/lib/session/jwt";
import { type RefreshTokens, renewSession, startSession } from "@/lib/session/renew";

/** The branches of Auth.js's `jwt` callback (auth.ts), run against a stub of Entra's token endpoint. */

const NOW = 1_800_000_000;
const policy = { maxAgeSeconds: 43_200, refreshMarginSeconds: 300 };

async function accessToken(exp: number): Promise<string> {
  return new SignJWT({ scp: "Teams.ManageCalls Teams.ManageChats" })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode("k".repeat(32)));
}

function session(overrides: Partial<PortalJwt> = {}, entra: Partial<PortalJwt["entra"]> = {}): PortalJwt {
  return {
    name: "Adele Vance",
    username: "adele@contoso.com",
    tenantId: "2b88a774-b406-4fcf-9c4f-d8c37f92cce1",
    objectId: "72a52e20-3380-413b-8a70-aa57a4194c13",
    roles: [],
    signedInAt: NOW - 3_600,
    entra: { accessToken: "at-1", refreshToken: "rt-1", expiresAt: NOW + 3_000, scope: "s", ...entra },
    ...overrides,
  };
}

const refreshing = (expiresAt = NOW + 3_600): RefreshTokens =>
  vi.fn(async () => ({ accessToken: "at-2", refreshToken: "rt-2", expiresAt, scope: undefined }));
const failing = (error: unknown): RefreshTokens => vi.fn(async () => Promise.reject(error));

describe("startSession", () => {
  it("keeps identity, app roles and the Entra tokens, with the access token's own expiry", async () => {
    const token = await accessToken(NOW + 4_000);
    const started = startSession(
      { access_token: token, refresh_token: "rt", expires_at: NOW + 10, scope: "openid" },
      {
        tid: "2B88A774-B406-4FCF-9C4F-D8C37F92CCE1",
        oid: "34BC4147-581A-440D-9BEB-C80408DC4208",
        name: "Diego Siciliani",
        preferred_username: "diego@contoso.com",
        roles: ["TokenPortal.Admin", 42, "bad role with spaces"],
      },
      NOW,
    );
    expect(started).toMatchObject({
      tenantId: "2b88a774-b406-4fcf-9c4f-d8c37f92cce1",
      objectId: "34bc4147-581a-440d-9beb-c80408dc4208",
      roles: ["TokenPortal.Admin"],
      signedInAt: NOW,
      entra: { accessToken: token, refreshToken: "rt", expiresAt: NOW + 4_000, scope: "openid" },
    });
  });

  it("has no roles when the ID token carries none", () => {
    expect(startSession({}, { tid: "t", oid: "o" }, NOW).roles).toEqual([]);
  });
});

describe("renewSession", () => {
  it("leaves a session whose Entra token is not yet due untouched, without calling Entra", async () => {
    const refresh = refreshing();
    const current = session();
    expect(await renewSession(current, { now: NOW, policy, refresh })).toBe(current);
    expect(refresh).not.toHaveBeenCalled();
  });

  it("renews the Entra token within the margin and clears a previous outage", async () => {
    const refresh = refreshing();
    const renewed = await renewSession(session({ error: "ENTRA_UNAVAILABLE" }, { expiresAt: NOW + 100 }), {
      now: NOW,
      policy,
      refresh,
    });
    expect(refresh).toHaveBeenCalledWith("rt-1", "2b88a774-b406-4fcf-9c4f-d8c37f92cce1");
    expect(renewed?.entra).toEqual({
      accessToken: "at-2",
      refreshToken: "rt-2",
      expiresAt: NOW + 3_600,
      scope: "s",
    });
    expect(renewed?.error).toBeUndefined();
  });

  it("keeps the session through an Entra outage while its token is still valid", async () => {
    const current = session({}, { expiresAt: NOW + 100 });
    const kept = await renewSession(current, {
      now: NOW,
      policy,
      refresh: failing(new PortalError("ENTRA_UNAVAILABLE")),
    });
    expect(kept?.error).toBe("ENTRA_UNAVAILABLE");
    expect(kept?.entra).toEqual(current.entra);
  });

  it("treats an unexpected failure as an outage, not as a refusal", async () => {
    const kept = await renewSession(session({}, { expiresAt: NOW + 100 }), {
      now: NOW,
      policy,
      refresh: failing(new TypeError("fetch failed")),
    });
    expect(kept?.error).toBe("ENTRA_UNAVAILABLE");
  });

  it("marks the session expired when the outage outlasts the token, and keeps the refresh token to recover", async () => {
    const current = session({}, { expiresAt: NOW - 1 });
    const refresh = failing(new PortalError("ENTRA_UNAVAILABLE"));
    const expired = await renewSession(current, { now: NOW, policy, refresh });
    expect(expired?.error).toBe("SESSION_EXPIRED");
    expect(expired?.entra.refreshToken).toBe("rt-1");
    const recovered = await renewSession(expired as PortalJwt, {
      now: NOW + 60,
      policy,
      refresh: refreshing(),
    });
    expect(recovered?.error).toBeUndefined();
    expect(recovered?.entra.accessToken).toBe("at-2");
  });

  it("ends the session when Entra refuses the refresh token: expired, and its tokens dropped", async () => {
    const refresh = failing(new PortalError("SESSION_EXPIRED"));
    const ended = await renewSession(session({}, { expiresAt: NOW + 100 }), { now: NOW, policy, refresh });
    expect(ended?.error).toBe("SESSION_EXPIRED");
    expect(ended?.entra.accessToken).toBe("");
    expect(ended?.entra.refreshToken).toBe("");
    // Nothing left to redeem: the next read does not call Entra again.
    const again = await renewSession(ended as PortalJwt, { now: NOW + 400, policy, refresh });
    expect(again?.error).toBe("SESSION_EXPIRED");
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("ends a session without a refresh token once its token is due", async () => {
    const ended = await renewSession(session({}, { refreshToken: "", expiresAt: NOW + 100 }), {
      now: NOW,
      policy,
      refresh: refreshing(),
    });
    expect(ended?.error).toBe("SESSION_EXPIRED");
  });

  it("ends every session 12 hours after sign-in, even with a fresh token, without calling Entra", async () => {
    const refresh = refreshing();
    const atLimit = session({ signedInAt: NOW - 43_200 });
    expect(await renewSession(atLimit, { now: NOW, policy, refresh })).toBe(atLimit);
    expect(
      await renewSession(session({ signedInAt: NOW - 43_201 }), { now: NOW, policy, refresh }),
    ).toBeNull();
    expect(
      await renewSession(session({ signedInAt: NOW - 43_201 }, { expiresAt: NOW - 10 }), {
        now: NOW,
        policy,
        refresh,
      }),
    ).toBeNull();
    expect(refresh).not.toHaveBeenCalled();
  });

  it("ends a session whose cookie lacks its sign-in time or tokens", async () => {
    const refresh = refreshing();
    const noTime = { ...session(), signedInAt: undefined } as unknown as PortalJwt;
    expect(await renewSession(noTime, { now: NOW, policy, refresh })).toBeNull();
    const noTokens = { ...session(), entra: undefined } as unknown as PortalJwt;
    expect(await renewSession(noTokens, { now: NOW, policy, refresh })).toBeNull();
  });
});
