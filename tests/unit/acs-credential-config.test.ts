import { describe, expect, it } from "vitest";
import { buildConfig } from "@/lib/config";
import { ConfigError } from "@/lib/config/schema";
import { ACCESS_KEY, testEnv } from "@/tests/integration/support/fixtures";

const TENANT = "2b88a774-b406-4fcf-9c4f-d8c37f92cce1";
const WORKLOAD = "5f0c2d1e-8a47-4b6e-9d3c-7e21a4b9c6f0";
const keyless = {
  ACS_CONNECTION_STRING: undefined,
  ACS_ENDPOINT: "https://contoso.communication.azure.com/",
};

describe("ACS credential order: connection string, else Vercel OIDC, else managed identity", () => {
  it("a connection string wins unless another credential is asked for", () => {
    expect(
      buildConfig(testEnv({ VERCEL: "1", AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: WORKLOAD })).acs.kind,
    ).toBe("access-key");
  });

  it("on Vercel with a workload identity: vercel-oidc", () => {
    const config = buildConfig(
      testEnv({ ...keyless, VERCEL: "1", AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: WORKLOAD.toUpperCase() }),
    );
    expect(config.acs).toEqual({
      kind: "vercel-oidc",
      endpoint: "https://contoso.communication.azure.com",
      tenantId: TENANT,
      clientId: WORKLOAD,
      authorityHost: undefined,
    });
  });

  it("off Vercel the same variables mean a user-assigned managed identity", () => {
    const config = buildConfig(testEnv({ ...keyless, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: WORKLOAD }));
    expect(config.acs.kind).toBe("managed-identity");
  });

  it("ACS_CREDENTIAL=vercel-oidc is explicit, and names what it still needs", () => {
    expect(
      buildConfig(
        testEnv({
          ...keyless,
          ACS_CREDENTIAL: "vercel-oidc",
          AZURE_TENANT_ID: TENANT,
          AZURE_CLIENT_ID: WORKLOAD,
        }),
      ).acs.kind,
    ).toBe("vercel-oidc");
    const error = (() => {
      try {
        buildConfig(
          testEnv({
            ACS_CONNECTION_STRING: `endpoint=https://x.communication.azure.com/;accesskey=${ACCESS_KEY}`,
            ACS_CREDENTIAL: "vercel-oidc",
          }),
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of ["ACS_ENDPOINT", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"]) {
      expect(problems).toMatch(new RegExp(`^${name} is missing: ACS_CREDENTIAL=vercel-oidc needs it`, "m"));
    }
    expect(problems).not.toContain(ACCESS_KEY);
  });

  it("refuses an http authority host", () => {
    expect(() => buildConfig(testEnv({ AZURE_AUTHORITY_HOST: "http://login.example" }))).toThrow(
      /AZURE_AUTHORITY_HOST must use https/,
    );
  });
});
