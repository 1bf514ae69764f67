/// <reference types="vite/client" />
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { variables } from "@/lib/config/schema";
import { demoEnv } from "@/scripts/demo-env";

/**
 * `next build` imports every page, route and the proxy to collect their configuration, and a container image is
 * built without the portal's secrets. So no module may read the configuration when it is imported; it is read
 * at start-up (instrumentation.ts) and on first use, where a missing variable is still a ConfigError.
 */

// Every module a page, route or the proxy can reach, loaded on demand (not at the import of this test).
const serverModules = import.meta.glob([
  "/auth.ts",
  "/proxy.ts",
  "/instrumentation.ts",
  "/app/**/*.{ts,tsx}",
  "/components/**/*.{ts,tsx}",
  "/lib/**/*.{ts,tsx}",
]);

function withoutConfiguration() {
  for (const name of Object.keys(variables)) vi.stubEnv(name, undefined);
}

function withDemoConfiguration() {
  withoutConfiguration();
  for (const [name, value] of Object.entries(demoEnv({ portalPort: 3000, emulatorPort: 3100 }))) {
    vi.stubEnv(name, value);
  }
}

beforeEach(() => {
  vi.resetModules();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("configuration is read lazily", () => {
  it("imports auth.ts, the proxy and every app module without any configuration", async () => {
    withoutConfiguration();
    expect(Object.keys(serverModules)).toEqual(
      expect.arrayContaining(["/auth.ts", "/proxy.ts", "/app/layout.tsx", "/components/site-header.tsx"]),
    );
    for (const [path, load] of Object.entries(serverModules)) {
      await expect(load(), path).resolves.toBeDefined();
    }
    const { handlers, auth, signIn, signOut } = await import("@/auth");
    expect([handlers.GET, handlers.POST, auth, signIn, signOut].every((f) => typeof f === "function")).toBe(
      true,
    );
  }, 60_000);

  it("still refuses to serve on first use, naming each missing variable", async () => {
    withoutConfiguration();
    const { handlers } = await import("@/auth");
    // The same module instances as auth.ts's (the registry is reset before each test).
    const { ConfigError, getConfig } = await import("@/lib/config");

    const error = await handlers.GET(new NextRequest("http://localhost/api/auth/providers")).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as InstanceType<typeof ConfigError>).problems.join("\n");
    expect(problems).toMatch(/AUTH_SECRET is missing/);
    expect(problems).toMatch(/AUTH_MICROSOFT_ENTRA_ID_ID is missing/);
    expect(problems).toMatch(/AUTH_MICROSOFT_ENTRA_ID_SECRET is missing/);
    expect(problems).toMatch(/ACS_CONNECTION_STRING is missing/);
    expect(() => getConfig()).toThrow(ConfigError);
  });

  it("serves Auth.js from the configuration read at first use", async () => {
    withDemoConfiguration();
    const { handlers } = await import("@/auth");
    const response = await handlers.GET(new NextRequest("http://localhost:3000/api/auth/providers"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      "microsoft-entra-id": { id: "microsoft-entra-id", type: "oidc" },
    });
  });

  it("runs Auth.js in the proxy for a request with a session cookie", async () => {
    withDemoConfiguration();
    const { proxy } = await import("@/proxy");
    const request = new NextRequest("http://localhost:3000/token", {
      headers: { cookie: "authjs.session-token=not-a-valid-session" },
    });
    const response = await proxy(request);
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    // Auth.js ran (with lazy initialisation `auth(handler)` must be awaited): it ends the unreadable session.
    expect(response.headers.getSetCookie().join("\n")).toMatch(/authjs\.session-token=; Max-Age=0/);
  });
});
