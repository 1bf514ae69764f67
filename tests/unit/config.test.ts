import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildConfig, isTenantAllowed } from "@/lib/config";
import { ConfigError, parseEnv, variables } from "@/lib/config/schema";

const valid = {
  AUTH_SECRET: "s".repeat(40),
  AUTH_MICROSOFT_ENTRA_ID_ID: "8187B4EC-85B5-4E02-BFA3-299CA1E218F6",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "super-secret-value",
  ACS_CONNECTION_STRING: "endpoint=https://contoso.communication.azure.com/;accesskey=abc123==",
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("accepts a minimal access-key set-up and fills the defaults", () => {
    const config = buildConfig(valid);
    expect(config.clientId).toBe("8187b4ec-85b5-4e02-bfa3-299ca1e218f6");
    expect(config.issuer).toBe("https://login.microsoftonline.com/organizations/v2.0");
    expect(config.acs).toEqual({
      kind: "access-key",
      endpoint: "https://contoso.communication.azure.com",
      connectionString: valid.ACS_CONNECTION_STRING,
    });
    expect(config.allowedTenantIds).toBeNull();
    expect(config.allowedClientIds).toEqual([config.clientId]);
    expect(config.env.ACS_EXCHANGE_TIMEOUT_MS).toBe(10_000);
    expect(config.env.SESSION_MAX_AGE_SECONDS).toBe(43_200);
    expect(config.env.RATE_LIMIT_USER).toEqual({ limit: 30, windowSeconds: 60 });
  });

  it("uses the managed identity when only ACS_ENDPOINT is set", () => {
    const config = buildConfig({
      ...valid,
      ACS_CONNECTION_STRING: undefined,
      ACS_ENDPOINT: "https://contoso.communication.azure.com/",
    });
    expect(config.acs).toEqual({
      kind: "managed-identity",
      endpoint: "https://contoso.communication.azure.com",
    });
  });

  it("names each missing variable with where to find it", () => {
    const problems = problemsOf({});
    expect(problems.join("\n")).toMatch(/AUTH_SECRET is missing/);
    expect(problems.join("\n")).toMatch(/AUTH_MICROSOFT_ENTRA_ID_ID is missing.*Application \(client\) ID/);
    expect(problems.join("\n")).toMatch(
      /ACS_CONNECTION_STRING is missing: set ACS_CONNECTION_STRING .* or ACS_ENDPOINT/,
    );
  });

  it("explains malformed values without printing them", () => {
    const secret = "endpoint=nope;accesskey=TOPSECRET";
    const problems = problemsOf({
      ...valid,
      AUTH_MICROSOFT_ENTRA_ID_ID: "not-a-guid",
      ACS_CONNECTION_STRING: secret,
      AUTH_SECRET: "short",
      ALLOWED_TENANT_IDS: "contoso.com",
      RATE_LIMIT_USER: "lots",
    });
    const text = problems.join("\n");
    expect(text).toMatch(/AUTH_MICROSOFT_ENTRA_ID_ID must be a GUID/);
    expect(text).toMatch(/ACS_CONNECTION_STRING must look like endpoint=/);
    expect(text).toMatch(/AUTH_SECRET must be at least 32 characters/);
    expect(text).toMatch(/ALLOWED_TENANT_IDS must be a GUID/);
    expect(text).toMatch(/RATE_LIMIT_USER must look like 30\/60/);
    expect(text).not.toContain("TOPSECRET");
    expect(text).not.toContain("short");
  });

  it("refuses a non-loopback stand-in URL and a non-Entra issuer", () => {
    const text = problemsOf({
      ...valid,
      EMULATOR_URL: "http://10.0.0.5:3100",
      AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://evil.example/v2.0",
    }).join("\n");
    expect(text).toMatch(/EMULATOR_URL must be a loopback URL/);
    expect(text).toMatch(/AUTH_MICROSOFT_ENTRA_ID_ISSUER must look like/);
    expect(problemsOf({ ...valid, AUTH_URL: "http://tokens.contoso.com" }).join("\n")).toMatch(
      /AUTH_URL must use https/,
    );
    expect(buildConfig({ ...valid, AUTH_URL: "http://localhost:3000" }).env.AUTH_URL).toBe(
      "http://localhost:3000",
    );
  });

  it("normalises the tenant allow-list and always allows the portal's own client id", () => {
    const config = buildConfig({
      ...valid,
      ALLOWED_TENANT_IDS: " 2B88A774-B406-4FCF-9C4F-D8C37F92CCE1, a6f06ecc-ceb2-4ab4-9017-dde2e68e6645 ",
      ALLOWED_CLIENT_IDS: "4565f19d-f385-47bb-92cf-b63ee3e07452",
    });
    expect(isTenantAllowed(config, "2b88a774-b406-4fcf-9c4f-d8c37f92cce1")).toBe(true);
    expect(isTenantAllowed(config, "47a8d52d-a1b2-4adf-851a-6418ad2f9319")).toBe(false);
    expect(config.allowedClientIds).toEqual([
      "8187b4ec-85b5-4e02-bfa3-299ca1e218f6",
      "4565f19d-f385-47bb-92cf-b63ee3e07452",
    ]);
  });

  it("requires the public URL in production, unless the platform or the operator vouches for forwarded headers", () => {
    const production = { ...valid, NODE_ENV: "production" };
    expect(problemsOf(production).join("\n")).toMatch(
      /AUTH_URL is missing: in production .*AUTH_TRUST_HOST=true/,
    );
    expect(buildConfig({ ...production, AUTH_URL: "https://tokens.contoso.com" }).trustForwardedHeaders).toBe(
      false,
    );
    expect(buildConfig({ ...production, VERCEL: "1" }).trustForwardedHeaders).toBe(true);
    expect(buildConfig({ ...production, AUTH_TRUST_HOST: "true" }).trustForwardedHeaders).toBe(true);
    expect(problemsOf({ ...production, AUTH_TRUST_HOST: "false" }).join("\n")).toMatch(/AUTH_URL is missing/);
    expect(problemsOf({ ...production, AUTH_TRUST_HOST: "yes" }).join("\n")).toMatch(
      /AUTH_TRUST_HOST must be true or false/,
    );
    // Demo mode on the local stand-ins and development keep working without it.
    expect(buildConfig({ ...production, EMULATOR_URL: "http://localhost:3100" }).trustForwardedHeaders).toBe(
      false,
    );
    expect(buildConfig({ ...valid, NODE_ENV: "development" }).trustForwardedHeaders).toBe(false);
  });

  it("names the admin app role (TokenPortal.Admin by default) and optional admin object ids", () => {
    expect(buildConfig(valid).admins).toEqual({ role: "TokenPortal.Admin", objectIds: [] });
    expect(
      buildConfig({
        ...valid,
        ADMIN_ROLE: "Portal.Owner",
        ADMIN_OBJECT_IDS: "34BC4147-581A-440D-9BEB-C80408DC4208",
      }).admins,
    ).toEqual({ role: "Portal.Owner", objectIds: ["34bc4147-581a-440d-9beb-c80408dc4208"] });
    expect(problemsOf({ ...valid, ADMIN_ROLE: "has spaces" }).join("\n")).toMatch(
      /ADMIN_ROLE must be an app role/,
    );
    expect(buildConfig(valid).env.RATE_LIMIT_ADMIN_CHECK).toEqual({ limit: 5, windowSeconds: 60 });
  });

  it("documents every variable in .env.example", () => {
    const example = readFileSync(".env.example", "utf8");
    for (const name of Object.keys(variables))
      expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, "m"));
  });
});
