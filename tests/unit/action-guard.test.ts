import { describe, expect, it } from "vitest";
import { isAcceptableCallbackUrl, refuseForeignAction } from "@/lib/http/action-guard";
import { clientAddressOf } from "@/lib/http/client-address";

const PORTAL = "https://tokens.contoso.com";
const post = (path: string, headers: Record<string, string>) => ({
  method: "POST",
  headers: new Headers(headers),
  nextUrl: new URL(path, PORTAL),
});

describe("refuseForeignAction", () => {
  it("lets a same-origin server action through", () => {
    expect(
      refuseForeignAction(post("/token", { "next-action": "abc", origin: PORTAL }), PORTAL),
    ).toBeUndefined();
    expect(
      refuseForeignAction(
        post("/token", { "next-action": "abc", origin: PORTAL, "x-forwarded-host": "tokens.contoso.com" }),
        PORTAL,
      ),
    ).toBeUndefined();
  });

  it("answers a cross-site, origin-less or forged-host action with 403 FORBIDDEN_ORIGIN, not Next's 500", async () => {
    const cases: Record<string, string>[] = [
      { "next-action": "abc", origin: "https://evil.example" },
      { "next-action": "abc", origin: "null" },
      { "next-action": "abc" },
      { "content-type": "multipart/form-data; boundary=x", origin: "https://evil.example" },
      { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      { "next-action": "abc", origin: PORTAL, "x-forwarded-host": "evil.example" },
    ];
    for (const headers of cases) {
      const refused = refuseForeignAction(post("/consent", headers), PORTAL);
      expect(refused?.status, JSON.stringify(headers)).toBe(403);
      expect(((await refused?.json()) as { code?: string } | undefined)?.code).toBe("FORBIDDEN_ORIGIN");
    }
  });

  it("ignores a forged X-Forwarded-Host when forwarded headers are not trusted (proxy.ts pins it)", () => {
    const forged = { "next-action": "abc", origin: PORTAL, "x-forwarded-host": "evil.example" };
    expect(refuseForeignAction(post("/token", forged), PORTAL, false)).toBeUndefined();
    expect(refuseForeignAction(post("/token", forged), PORTAL, true)?.status).toBe(403);
    const crossSite = {
      "next-action": "abc",
      origin: "https://evil.example",
      "x-forwarded-host": "evil.example",
    };
    expect(refuseForeignAction(post("/token", crossSite), PORTAL, false)?.status).toBe(403);
  });

  it("leaves other requests alone: GETs, JSON posts and the API", () => {
    expect(
      refuseForeignAction({ ...post("/token", { "next-action": "x" }), method: "GET" }, PORTAL),
    ).toBeUndefined();
    expect(
      refuseForeignAction(post("/token", { "content-type": "application/json" }), PORTAL),
    ).toBeUndefined();
    expect(refuseForeignAction(post("/api/teams-token", { "next-action": "x" }), PORTAL)).toBeUndefined();
  });
});

describe("isAcceptableCallbackUrl", () => {
  it("accepts paths and same-origin URLs only", () => {
    expect(isAcceptableCallbackUrl(null, PORTAL)).toBe(true);
    expect(isAcceptableCallbackUrl("/token", PORTAL)).toBe(true);
    expect(isAcceptableCallbackUrl(`${PORTAL}/token?x=1`, PORTAL)).toBe(true);
    for (const bad of [
      "<x>",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example/",
      "null",
      "",
      "javascript:1",
    ])
      expect(isAcceptableCallbackUrl(bad, PORTAL), bad).toBe(false);
  });
});

describe("clientAddressOf", () => {
  it("takes the right-most X-Forwarded-For entry, the one the nearest proxy wrote", () => {
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).toBe("203.0.113.7");
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "::1" }))).toBe("::1");
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "<script>" }))).toBe("unknown");
    expect(clientAddressOf(new Headers())).toBe("unknown");
  });
});
