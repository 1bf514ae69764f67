import { describe, expect, it } from "vitest";
import { assertExchangeable, type ExchangeablePolicy, readAccessTokenClaims } from "@/lib/entra/claims";
import { PortalError } from "@/lib/errors";
import {
  CLIENT_ID,
  goodClaims,
  nowSeconds,
  OTHER_APP,
  OTHER_TENANT,
  TENANT,
  USER,
  unsignedToken,
} from "@/tests/integration/support/fixtures";

const policy = (overrides: Partial<ExchangeablePolicy> = {}): ExchangeablePolicy => ({
  allowedAppIds: [CLIENT_ID],
  allowedTenantIds: null,
  now: new Date(),
  clockSkewSeconds: 120,
  wrongAppCode: "ENTRA_TOKEN_WRONG_APP",
  ...overrides,
});

function codeOf(claims: Record<string, unknown>, overrides: Partial<ExchangeablePolicy> = {}): string {
  try {
    assertExchangeable(readAccessTokenClaims(unsignedToken(claims)), policy(overrides));
    return "OK";
  } catch (error) {
    if (error instanceof PortalError) return error.code;
    throw error;
  }
}

describe("readAccessTokenClaims", () => {
  it("reads a v1 token", () => {
    const exp = nowSeconds() + 3600;
    const claims = readAccessTokenClaims(unsignedToken(goodClaims({ exp, tid: TENANT.toUpperCase() })));
    expect(claims).toEqual({
      tenantId: TENANT,
      objectId: USER,
      appId: CLIENT_ID,
      scopes: ["Teams.ManageCalls", "Teams.ManageChats"],
      audience: "https://auth.msft.communication.azure.com",
      issuer: `https://sts.windows.net/${TENANT}/`,
      expiresAt: new Date(exp * 1000),
      notBefore: expect.any(Date),
      name: "Megan Bowen",
      username: "megan@contoso.com",
    });
  });

  it("reads a v2 token: azp for the app, preferred_username first", () => {
    const { appid: _appid, ...v2 } = goodClaims({ azp: OTHER_APP, preferred_username: "megan@v2", upn: "x" });
    const claims = readAccessTokenClaims(unsignedToken(v2));
    expect(claims.appId).toBe(OTHER_APP);
    expect(claims.username).toBe("megan@v2");
  });

  it("prefers appid over azp and falls back to unique_name", () => {
    const { upn: _upn, ...rest } = goodClaims({ azp: OTHER_APP, unique_name: "live.com#megan" });
    const claims = readAccessTokenClaims(unsignedToken(rest));
    expect(claims.appId).toBe(CLIENT_ID);
    expect(claims.username).toBe("live.com#megan");
  });

  it.each(["", "garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.sig"])(
    "refuses %j as malformed",
    (token) => {
      expect(() => readAccessTokenClaims(token)).toThrow(
        expect.objectContaining({ code: "ENTRA_TOKEN_MALFORMED" }),
      );
    },
  );

  it("refuses a token without exp as malformed", () => {
    const { exp: _exp, ...rest } = goodClaims();
    expect(() => readAccessTokenClaims(unsignedToken(rest))).toThrow(
      expect.objectContaining({ code: "ENTRA_TOKEN_MALFORMED" }),
    );
  });
});

describe("assertExchangeable", () => {
  it("accepts a good token with either ACS audience", () => {
    expect(codeOf(goodClaims())).toBe("OK");
    expect(codeOf(goodClaims({ aud: "1fd5118e-2576-4263-8130-9503064c837a" }))).toBe("OK");
  });

  it("accepts scopes written as full resource URIs", () => {
    const scp =
      "https://auth.msft.communication.azure.com/Teams.ManageCalls https://auth.msft.communication.azure.com/Teams.ManageChats";
    expect(codeOf(goodClaims({ scp }))).toBe("OK");
  });

  it("refuses another audience", () => {
    expect(codeOf(goodClaims({ aud: "https://graph.microsoft.com" }))).toBe("ENTRA_TOKEN_WRONG_AUDIENCE");
    expect(codeOf(goodClaims({ aud: "00000003-0000-0000-c000-000000000000" }))).toBe(
      "ENTRA_TOKEN_WRONG_AUDIENCE",
    );
  });

  it.each([
    ["Teams.ManageChats", "Teams.ManageCalls"],
    ["Teams.ManageCalls", "Teams.ManageChats"],
    ["User.Read", "Teams.ManageCalls and Teams.ManageChats"],
  ])("with scp %j names the missing %s", (scp, missing) => {
    try {
      assertExchangeable(readAccessTokenClaims(unsignedToken(goodClaims({ scp }))), policy());
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "ENTRA_TOKEN_MISSING_SCOPE" });
      expect((error as PortalError).detail).toBe(
        `The Entra token lacks the delegated permission ${missing}.`,
      );
    }
  });

  it("refuses an expired token, tolerating the clock skew", () => {
    const now = nowSeconds();
    expect(codeOf(goodClaims({ exp: now - 121 }))).toBe("ENTRA_TOKEN_EXPIRED");
    expect(codeOf(goodClaims({ exp: now - 100 }))).toBe("OK");
    expect(codeOf(goodClaims({ exp: now - 100 }), { clockSkewSeconds: 0 })).toBe("ENTRA_TOKEN_EXPIRED");
  });

  it("refuses a token that is not valid yet, tolerating the clock skew", () => {
    const now = nowSeconds();
    expect(codeOf(goodClaims({ nbf: now + 200 }))).toBe("ENTRA_TOKEN_NOT_YET_VALID");
    expect(codeOf(goodClaims({ nbf: now + 100 }))).toBe("OK");
  });

  it("refuses a tenant outside the allow-list and names it", () => {
    try {
      assertExchangeable(
        readAccessTokenClaims(unsignedToken(goodClaims())),
        policy({ allowedTenantIds: [OTHER_TENANT] }),
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "TENANT_NOT_ALLOWED", tenantId: TENANT });
    }
    expect(codeOf(goodClaims(), { allowedTenantIds: [OTHER_TENANT, TENANT] })).toBe("OK");
  });

  it("refuses another app with the code the caller chose", () => {
    expect(codeOf(goodClaims({ appid: OTHER_APP }))).toBe("ENTRA_TOKEN_WRONG_APP");
    expect(codeOf(goodClaims({ appid: OTHER_APP }), { wrongAppCode: "CLIENT_APP_NOT_ALLOWED" })).toBe(
      "CLIENT_APP_NOT_ALLOWED",
    );
    expect(codeOf(goodClaims({ appid: OTHER_APP }), { allowedAppIds: [CLIENT_ID, OTHER_APP] })).toBe("OK");
  });

  it.each([{ tid: undefined }, { oid: undefined }, { tid: "contoso.com" }, { oid: "megan@contoso.com" }])(
    "refuses missing or non-GUID ids %j",
    (ids) => {
      expect(codeOf(goodClaims(ids))).toBe("ENTRA_TOKEN_MALFORMED");
    },
  );

  it("never puts the token in the error", () => {
    const token = unsignedToken(goodClaims({ aud: "https://graph.microsoft.com" }));
    try {
      assertExchangeable(readAccessTokenClaims(token), policy());
    } catch (error) {
      expect(JSON.stringify({ ...(error as PortalError), message: (error as Error).message })).not.toContain(
        token,
      );
    }
  });
});
