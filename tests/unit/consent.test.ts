import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildAdminConsentUrls,
  normaliseAppId,
  normaliseTenantInput,
  parseConsentResult,
} from "@/lib/entra/consent";
import { TEAMS_SCOPES } from "@/lib/entra/scopes";

const APP = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";
const FABRIKAM = "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645";

/** A GUID in random case, sometimes in braces, sometimes with spaces around. */
const typedGuid = fc
  .tuple(
    fc.uuid(),
    fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }),
    fc.boolean(),
    fc.constantFrom("", " ", "\t"),
  )
  .map(([guid, upper, braces, pad]) => {
    const mixed = [...guid].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join("");
    return { typed: `${pad}${braces ? `{${mixed}}` : mixed}${pad}`, expected: guid.toLowerCase() };
  });

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[a-z]{2,10}$/))
  .map(([labels, tld]) => [...labels, tld].join("."))
  .filter((d) => d.length <= 253);

const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "fabrikam.com\r\nSet-Cookie: x=1",
  "fabrikam.com\nx",
  "fäbrikam.com",
  "fabrikam.com/../../evil",
  "' OR 1=1 --",
  "fabrikam .com",
  "\u202efabrikam.com",
  "fabrikam.com%0d%0a",
  "{8187b4ec-85b5-4e02-bfa3-299ca1e218f6",
  "8187b4ec-85b5-4e02-bfa3-299ca1e218fg",
];

describe("normaliseTenantInput", () => {
  it("accepts GUIDs in any case or braces and returns them lower-case", () => {
    fc.assert(
      fc.property(typedGuid, ({ typed, expected }) => {
        expect(normaliseTenantInput(typed)).toEqual({ ok: true, value: { kind: "guid", value: expected } });
      }),
    );
  });

  it("accepts verified domains and lower-cases them", () => {
    fc.assert(
      fc.property(domain, (d) => {
        expect(normaliseTenantInput(d.toUpperCase())).toEqual({
          ok: true,
          value: { kind: "domain", value: d },
        });
      }),
    );
    expect(normaliseTenantInput("Fabrikam.onmicrosoft.com.")).toEqual({
      ok: true,
      value: { kind: "domain", value: "fabrikam.onmicrosoft.com" },
    });
  });

  it.each([
    ["", /Enter the tenant id/],
    ["fabrikam", /contains a dot/],
    ["megan@fabrikam.com", /after the @/],
    ["https://fabrikam.com", /not a URL/],
    ["organizations", /one organization/],
    ["a6f06ecc-ceb2-4ab4-9017", /looks like a GUID/],
    ["-fabrikam.com", /not a valid domain/],
    ["fabrikam.c0m", /not a valid domain/],
    [`${"a".repeat(250)}.com`, /at most 253/],
    ["x".repeat(5000), /too long/],
  ])("explains %j", (input, message) => {
    const result = normaliseTenantInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("refuses non-strings", () => {
    for (const value of [undefined, null, 42, ["fabrikam.com"], { a: 1 }]) {
      expect(normaliseTenantInput(value).ok).toBe(false);
    }
  });

  it.each(HOSTILE)("rejects the hostile value %j without echoing it", (input) => {
    const result = normaliseTenantInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).not.toContain(input.trim());
      expect(result.message).not.toMatch(/[<>"\r\n]/);
    }
  });

  it("never accepts a value with markup, quotes, control characters or non-ASCII, and never echoes it", () => {
    const hostileChar = fc.constantFrom(
      "<",
      ">",
      '"',
      "'",
      "`",
      "\r",
      "\n",
      "\u0000",
      " ",
      "é",
      "\u202e",
      "/",
      "\\",
      ":",
      "%",
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        hostileChar,
        fc.string({ maxLength: 30 }),
        (before, bad, after) => {
          const input = `${before}${bad}${after}`;
          const result = normaliseTenantInput(input);
          if (result.ok) {
            // Only trimming can make such a value valid (whitespace around a GUID or domain).
            expect(result.value.value).toMatch(/^[a-z0-9.-]+$/);
            return;
          }
          for (const char of ["<", ">", '"', "\r", "\n", "\u0000", "\u202e"])
            expect(result.message).not.toContain(char);
          if (input.trim().length >= 4) expect(result.message).not.toContain(input.trim());
        },
      ),
    );
  });
});

describe("normaliseAppId", () => {
  it("normalises GUIDs and explains anything else", () => {
    fc.assert(
      fc.property(typedGuid, ({ typed, expected }) => {
        expect(normaliseAppId(typed)).toEqual({ ok: true, value: expected });
      }),
    );
    for (const bad of ["", "contoso", ...HOSTILE, "x".repeat(1000)]) {
      const result = normaliseAppId(bad);
      expect(result.ok).toBe(false);
      if (!result.ok && bad.length > 3) expect(result.message).not.toContain(bad);
    }
  });
});

describe("buildAdminConsentUrls", () => {
  it("gives the v1 URL exactly as the Microsoft docs", () => {
    const { v1 } = buildAdminConsentUrls({
      tenant: FABRIKAM,
      appId: APP,
      redirectUri: "http://localhost:3000/consent/result",
      state: "s",
    });
    expect(v1).toBe(`https://login.microsoftonline.com/${FABRIKAM}/adminconsent?client_id=${APP}`);
  });

  it("gives the v2 URL with both Teams scopes, the redirect URI and the state", () => {
    const { v2 } = buildAdminConsentUrls({
      tenant: "fabrikam.com",
      appId: APP,
      redirectUri: "https://tokens.contoso.com/consent/result",
      state: "abc.def",
    });
    expect(v2).toBe(
      `https://login.microsoftonline.com/fabrikam.com/v2.0/adminconsent?client_id=${APP}` +
        "&scope=https%3A%2F%2Fauth.msft.communication.azure.com%2FTeams.ManageCalls%20https%3A%2F%2Fauth.msft.communication.azure.com%2FTeams.ManageChats" +
        "&redirect_uri=https%3A%2F%2Ftokens.contoso.com%2Fconsent%2Fresult&state=abc.def",
    );
  });

  it("any valid tenant and app id give URLs that parse back to the same values", () => {
    const tenant = fc.oneof(
      typedGuid.map((g) => g.expected),
      domain,
    );
    fc.assert(
      fc.property(
        tenant,
        fc.uuid(),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.string(),
        (t, app, redirect, state) => {
          const appId = app.toLowerCase();
          const { v1, v2 } = buildAdminConsentUrls({ tenant: t, appId, redirectUri: redirect, state });
          const one = new URL(v1);
          expect(one.origin).toBe("https://login.microsoftonline.com");
          expect(one.pathname).toBe(`/${t}/adminconsent`);
          expect([...one.searchParams.keys()]).toEqual(["client_id"]);
          expect(one.searchParams.get("client_id")).toBe(appId);

          const two = new URL(v2);
          expect(two.origin).toBe("https://login.microsoftonline.com");
          expect(two.pathname).toBe(`/${t}/v2.0/adminconsent`);
          expect([...two.searchParams.keys()]).toEqual(["client_id", "scope", "redirect_uri", "state"]);
          expect(two.searchParams.get("client_id")).toBe(appId);
          expect(two.searchParams.get("scope")).toBe(TEAMS_SCOPES.join(" "));
          expect(two.searchParams.get("redirect_uri")).toBe(redirect);
          expect(two.searchParams.get("state")).toBe(state);
          expect(v2).not.toMatch(/[\s<>"]/);
        },
      ),
    );
  });
});

describe("parseConsentResult", () => {
  it("reads a granted consent", () => {
    expect(
      parseConsentResult({ admin_consent: "True", tenant: FABRIKAM.toUpperCase(), state: "s.t" }),
    ).toEqual({
      kind: "granted",
      tenantId: FABRIKAM,
      state: "s.t",
    });
  });

  it("maps an AADSTS error to the catalogue and drops the free text", () => {
    const result = parseConsentResult({
      error: "access_denied",
      error_description: "AADSTS65004: User declined to consent to access the app. <script>alert(1)</script>",
      tenant: FABRIKAM,
      state: "x",
    });
    expect(result).toEqual({
      kind: "failed",
      code: "AADSTS_CONSENT_DECLINED",
      aadsts: "65004",
      tenantId: FABRIKAM,
      state: "x",
    });
    expect(JSON.stringify(result)).not.toContain("script");
  });

  it("maps an unknown error to SIGN_IN_FAILED and ignores a tenant that is not a GUID", () => {
    expect(parseConsentResult({ error: "<b>weird</b>", tenant: "<script>" })).toEqual({
      kind: "failed",
      code: "SIGN_IN_FAILED",
    });
  });

  it("never throws on any query and keeps only safe values", () => {
    const value = fc.oneof(
      fc.string(),
      fc.array(fc.string()),
      fc.constant(undefined),
      fc.string({ minLength: 5000, maxLength: 6000 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom("admin_consent", "tenant", "error", "error_description", "state", "x"),
          value,
        ),
        (query) => {
          const result = parseConsentResult(query);
          if (result.kind !== "none" && result.tenantId) expect(result.tenantId).toMatch(/^[0-9a-f-]{36}$/);
        },
      ),
    );
  });

  it("takes the first of repeated parameters and treats absence as nothing", () => {
    expect(parseConsentResult({ admin_consent: ["true", "false"] })).toEqual({ kind: "granted" });
    expect(parseConsentResult({})).toEqual({ kind: "none" });
    expect(parseConsentResult({ admin_consent: "False" })).toEqual({ kind: "none" });
  });
});
