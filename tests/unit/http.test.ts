import { describe, expect, it } from "vitest";
import { PortalError } from "@/lib/errors";
import { problemResponse } from "@/lib/http/problem";
import { assertSameOrigin, bearerTokenOf, readTokenRequestBody } from "@/lib/http/request-checks";
import { contentSecurityPolicy, securityHeaders } from "@/lib/security/headers";

const post = (body: string | undefined, headers: Record<string, string> = {}) =>
  new Request("http://localhost:3000/api/teams-token", { method: "POST", body, headers });

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    return (error as PortalError).code;
  }
  return undefined;
}

describe("token request checks", () => {
  it("accepts an empty body or {forceRefresh}", async () => {
    expect(await readTokenRequestBody(post(undefined))).toEqual({});
    expect(
      await readTokenRequestBody(
        post('{"forceRefresh":true}', { "content-type": "application/json; charset=utf-8" }),
      ),
    ).toEqual({
      forceRefresh: true,
    });
  });

  it("refuses malformed, unknown, oversized and mistyped bodies with specific codes", async () => {
    const json = { "content-type": "application/json" };
    expect(await codeOf(readTokenRequestBody(post("{", json)))).toBe("BAD_REQUEST");
    expect(await codeOf(readTokenRequestBody(post('{"forceRefresh":"yes"}', json)))).toBe("BAD_REQUEST");
    expect(await codeOf(readTokenRequestBody(post('{"token":"x"}', json)))).toBe("BAD_REQUEST");
    expect(await codeOf(readTokenRequestBody(post("[]", json)))).toBe("BAD_REQUEST");
    expect(await codeOf(readTokenRequestBody(post(`{"a":"${"x".repeat(5000)}"}`, json)))).toBe("BAD_REQUEST");
    expect(
      await codeOf(readTokenRequestBody(post("forceRefresh=true", { "content-type": "text/plain" }))),
    ).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("allows same-origin and non-browser calls, refuses other origins", async () => {
    const origin = "http://localhost:3000";
    expect(await codeOf(() => assertSameOrigin(post(undefined, { origin }), origin))).toBeUndefined();
    expect(await codeOf(() => assertSameOrigin(post(undefined), origin))).toBeUndefined();
    expect(
      await codeOf(() => assertSameOrigin(post(undefined, { origin: "https://evil.example" }), origin)),
    ).toBe("FORBIDDEN_ORIGIN");
    expect(
      await codeOf(() => assertSameOrigin(post(undefined, { "sec-fetch-site": "cross-site" }), origin)),
    ).toBe("FORBIDDEN_ORIGIN");
    expect(
      await codeOf(() => assertSameOrigin(post(undefined, { "sec-fetch-site": "same-site" }), origin)),
    ).toBe("FORBIDDEN_ORIGIN");
  });

  it("reads a Bearer token and refuses other Authorization schemes", async () => {
    expect(bearerTokenOf(post(undefined))).toBeUndefined();
    expect(bearerTokenOf(post(undefined, { authorization: "Bearer abc.def.ghi" }))).toBe("abc.def.ghi");
    expect(await codeOf(() => bearerTokenOf(post(undefined, { authorization: "Basic dXNlcjpwYXNz" })))).toBe(
      "BEARER_MALFORMED",
    );
    expect(await codeOf(() => bearerTokenOf(post(undefined, { authorization: "Bearer " })))).toBe(
      "BEARER_MALFORMED",
    );
  });
});

describe("problem+json", () => {
  it("answers with the catalogue entry, no-store and Retry-After", async () => {
    const response = problemResponse(new PortalError("ACS_THROTTLED", { retryAfterSeconds: 7.2 }));
    expect(response.status).toBe(429);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("retry-after")).toBe("8");
    const body = await response.json();
    expect(body).toMatchObject({
      code: "ACS_THROTTLED",
      status: 429,
      type: "/troubleshoot#ACS_THROTTLED",
      actor: "user",
    });
  });

  it("hides unexpected errors behind INTERNAL without their message", async () => {
    const response = problemResponse(new Error("eyJhbGciOi.secret.token leaked"));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain('"code":"INTERNAL"');
    expect(text).not.toContain("eyJ");
  });
});

describe("security headers", () => {
  it("builds a nonce CSP without unsafe-inline scripts", () => {
    const csp = contentSecurityPolicy({
      nonce: "abc",
      signInOrigins: ["https://login.microsoftonline.com"],
      development: false,
      https: true,
    });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    for (const directive of [
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "upgrade-insecure-requests",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain("form-action 'self' https://login.microsoftonline.com");
    expect(securityHeaders(true)["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
    expect(securityHeaders(false)["Strict-Transport-Security"]).toBeUndefined();
  });
});
