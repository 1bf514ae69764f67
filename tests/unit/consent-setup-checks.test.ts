import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it, vi } from "vitest";
import { probeAcs } from "@/lib/admin/acs-probe";
import { publicOrigin } from "@/lib/admin/origin";
import { missingSettings, settingsStatus } from "@/lib/admin/settings";

/** Set-up checks behind /admin: the ACS probe, the settings list and the public origin. */

const CLIENT = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";

function clientFailingWith(error: unknown) {
  return { getTokenForTeamsUser: vi.fn(async () => Promise.reject(error)) };
}

function restError(statusCode: number, code: string) {
  return new RestError("x", { statusCode, code });
}

describe("probeAcs", () => {
  it("sends an obviously invalid token for the zero user under a deadline", async () => {
    const client = clientFailingWith(restError(401, "InvalidAccessToken"));
    const result = await probeAcs(client, CLIENT);
    expect(result.status).toBe("reachable");
    const call = client.getTokenForTeamsUser.mock.calls[0] as unknown as [Record<string, unknown>];
    expect(call[0]).toMatchObject({
      teamsUserAadToken: "probe",
      clientId: CLIENT,
      userObjectId: "00000000-0000-0000-0000-000000000000",
    });
    expect(call[0].abortSignal).toBeInstanceOf(AbortSignal);
  });

  it.each([
    [restError(401, "Denied"), "refused"],
    [restError(403, "Forbidden"), "refused"],
    [restError(503, "ServiceUnavailable"), "unreachable"],
    [new RestError("connect ECONNREFUSED", { code: "REQUEST_SEND_ERROR" }), "unreachable"],
    [Object.assign(new Error("no identity"), { name: "CredentialUnavailableError" }), "refused"],
  ])("classifies %o as %s", async (error, status) => {
    expect((await probeAcs(clientFailingWith(error), CLIENT)).status).toBe(status);
  });

  it("reports a timeout as unreachable", async () => {
    const client = {
      getTokenForTeamsUser: vi.fn(
        ({ abortSignal }: { abortSignal?: AbortSignal }) =>
          new Promise((_, reject) =>
            abortSignal?.addEventListener("abort", () =>
              reject(Object.assign(new Error("aborted"), { name: "AbortError" })),
            ),
          ),
      ),
    };
    const result = await probeAcs(client as never, CLIENT, { deadlineMs: 20 });
    expect(result.status).toBe("unreachable");
    expect(result.summary).toMatch(/did not answer/);
  });
});

describe("settingsStatus", () => {
  const env = {
    AUTH_SECRET: "s".repeat(40),
    AUTH_MICROSOFT_ENTRA_ID_ID: CLIENT,
    AUTH_MICROSOFT_ENTRA_ID_SECRET: "super-secret-value",
    ACS_CONNECTION_STRING: "endpoint=https://contoso.communication.azure.com/;accesskey=c2VjcmV0a2V5",
  };

  it("says set or missing, never the value", () => {
    const statuses = settingsStatus(env);
    expect(JSON.stringify(statuses)).not.toContain("super-secret-value");
    expect(JSON.stringify(statuses)).not.toContain("c2VjcmV0a2V5");
    expect(statuses.find((s) => s.name === "AUTH_MICROSOFT_ENTRA_ID_SECRET")).toMatchObject({
      set: true,
      valid: true,
      secret: true,
    });
    expect(missingSettings(statuses)).toEqual([]);
  });

  it("lists what is missing or invalid", () => {
    const statuses = settingsStatus({ AUTH_SECRET: "short", AUTH_MICROSOFT_ENTRA_ID_ID: "nope" });
    const names = missingSettings(statuses).map((s) => s.name);
    expect(names).toEqual([
      "AUTH_SECRET",
      "AUTH_MICROSOFT_ENTRA_ID_ID",
      "AUTH_MICROSOFT_ENTRA_ID_SECRET",
      "ACS_CONNECTION_STRING",
    ]);
    const secret = statuses.find((s) => s.name === "AUTH_SECRET");
    expect(secret?.problem).toMatch(/at least 32/);
    expect(JSON.stringify(statuses)).not.toContain('"short"');
  });
});

describe("publicOrigin", () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  const configured = (authUrl: string) => ({ authUrl, trustForwardedHeaders: false });
  const untrusted = { authUrl: undefined, trustForwardedHeaders: false };
  const trusted = { authUrl: undefined, trustForwardedHeaders: true };
  const forged = {
    host: "localhost:3200",
    "x-forwarded-host": "evil.example",
    "x-forwarded-proto": "https",
  };

  it("prefers AUTH_URL over every header", () => {
    expect(publicOrigin(configured("https://tokens.contoso.com/some/path"), headers(forged))).toBe(
      "https://tokens.contoso.com",
    );
  });

  it("takes the forwarded host and scheme only when trusted (AUTH_TRUST_HOST, Vercel)", () => {
    const proxied = {
      host: "internal:8080",
      "x-forwarded-host": "tokens.contoso.com",
      "x-forwarded-proto": "https",
    };
    expect(publicOrigin(trusted, headers(proxied))).toBe("https://tokens.contoso.com");
  });

  it("ignores a forged X-Forwarded-Host and X-Forwarded-Proto unless told to trust them", () => {
    expect(publicOrigin(untrusted, headers(forged))).toBe("http://localhost:3200");
    expect(publicOrigin(untrusted, headers({ host: "localhost:3200" }))).toBe("http://localhost:3200");
  });

  it("ignores a forged Host", () => {
    expect(publicOrigin(untrusted, headers({ host: "evil.com/<script>" }))).toBe("http://localhost:3000");
  });
});
