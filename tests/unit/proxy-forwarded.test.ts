import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * The request guard decides what the page, the server actions (Auth.js's sign-in and sign-out among them) and
 * the routes behind it believe the portal's address is. A forged X-Forwarded-Host/-Proto must not move it.
 */

const BASE = {
  AUTH_SECRET: "unit-test-auth-secret-0123456789-abcdefghij",
  AUTH_MICROSOFT_ENTRA_ID_ID: "8187b4ec-85b5-4e02-bfa3-299ca1e218f6",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "secret",
  ACS_CONNECTION_STRING: "endpoint=https://contoso.communication.azure.com/;accesskey=abc123==",
};

async function proxyWith(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries({
    AUTH_URL: undefined,
    AUTH_TRUST_HOST: undefined,
    ...BASE,
    ...env,
  }))
    vi.stubEnv(name, value);
  return (await import("@/proxy")).proxy;
}

const forged = () =>
  new NextRequest("http://localhost:4260/token", {
    headers: { host: "localhost:4260", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
  });

/** What the page behind the guard sees of a request header (Next's middleware override). */
const seen = (response: Response, name: string) => response.headers.get(`x-middleware-request-${name}`);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("proxy: forwarded headers", { timeout: 30_000 }, () => {
  it("pins them to AUTH_URL when it is set", async () => {
    const proxy = await proxyWith({ AUTH_URL: "https://tokens.contoso.com" });
    const response = await proxy(forged());
    expect(seen(response, "x-forwarded-host")).toBe("tokens.contoso.com");
    expect(seen(response, "x-forwarded-proto")).toBe("https");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age/);
  });

  it("without AUTH_URL and without being told to trust them, ignores them for the Host the server got", async () => {
    const proxy = await proxyWith({});
    const response = await proxy(forged());
    expect(seen(response, "x-forwarded-host")).toBe("localhost:4260");
    expect(seen(response, "x-forwarded-proto")).toBe("http");
    // A forged scheme does not switch on HSTS or upgrade-insecure-requests either.
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("content-security-policy")).not.toMatch(/upgrade-insecure-requests/);
  });

  it("pins them for Auth.js's own routes too, whose callback redirect follows X-Forwarded-Proto", async () => {
    const proxy = await proxyWith({});
    const request = new NextRequest("http://localhost:4260/api/auth/callback/microsoft-entra-id?code=x", {
      headers: {
        host: "localhost:4260",
        ...{ "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
      },
    });
    const response = await proxy(request);
    expect(seen(response, "x-forwarded-host")).toBe("localhost:4260");
    expect(seen(response, "x-forwarded-proto")).toBe("http");
  });

  it("passes them through behind a proxy the operator vouches for (AUTH_TRUST_HOST=true)", async () => {
    const proxy = await proxyWith({ AUTH_TRUST_HOST: "true" });
    const response = await proxy(forged());
    expect(seen(response, "x-forwarded-host")).toBe("evil.example");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age/);
  });

  it("passes the request's own path on for the way back after sign-in", async () => {
    const proxy = await proxyWith({ AUTH_URL: "http://localhost:4260" });
    const request = new NextRequest("http://localhost:4260/admin/diagnostics?x=1", {
      headers: { "x-portal-path": "//evil.example" },
    });
    expect(seen(await proxy(request), "x-portal-path")).toBe("/admin/diagnostics?x=1");
  });
});
