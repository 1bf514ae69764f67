import { beforeEach, describe, expect, it, vi } from "vitest";
import { clearTenantLookupCache, lookupTenantId } from "@/lib/entra/tenant-lookup";
import { PortalError } from "@/lib/errors";
import { outboundGuard } from "@/lib/limits";
import { createMemoryStore } from "@/lib/store/memory";

const FABRIKAM = "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645";
const discovery = (tenant: string) =>
  new URL(`http://localhost:3100/${tenant}/v2.0/.well-known/openid-configuration`);

function fakeFetch(status: number, body: unknown) {
  return vi.fn(
    async () =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
  );
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return error instanceof PortalError ? error.code : "other";
  }
}

describe("lookupTenantId", () => {
  beforeEach(() => clearTenantLookupCache());

  it("reads the tenant id out of the discovery issuer and caches it", async () => {
    const fetch = fakeFetch(200, {
      issuer: `https://login.microsoftonline.com/${FABRIKAM.toUpperCase()}/v2.0`,
    });
    expect(await lookupTenantId("fabrikam.com", { fetch, discovery })).toBe(FABRIKAM);
    expect(await lookupTenantId("FABRIKAM.com", { fetch, discovery })).toBe(FABRIKAM);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toContain(
      "/fabrikam.com/v2.0/.well-known/openid-configuration",
    );
  });

  it("turns Entra's invalid_tenant into TENANT_NOT_FOUND", async () => {
    const fetch = fakeFetch(400, { error: "invalid_tenant", error_codes: [90002] });
    expect(await codeOf(lookupTenantId("nowhere.example", { fetch, discovery }))).toBe("TENANT_NOT_FOUND");
    expect(await codeOf(lookupTenantId("nowhere.example", { fetch, discovery }))).toBe("TENANT_NOT_FOUND");
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("turns network failures, server errors and odd answers into ENTRA_UNAVAILABLE", async () => {
    const down = vi.fn(async () => {
      throw new TypeError("fetch failed");
    });
    expect(await codeOf(lookupTenantId("a.com", { fetch: down, discovery }))).toBe("ENTRA_UNAVAILABLE");
    expect(await codeOf(lookupTenantId("b.com", { fetch: fakeFetch(503, {}), discovery }))).toBe(
      "ENTRA_UNAVAILABLE",
    );
    expect(
      await codeOf(
        lookupTenantId("c.com", {
          fetch: fakeFetch(200, { issuer: "https://evil.example/x/v2.0" }),
          discovery,
        }),
      ),
    ).toBe("ENTRA_UNAVAILABLE");
    // Failures other than "not found" are not cached.
    expect(
      await codeOf(
        lookupTenantId("a.com", {
          fetch: fakeFetch(200, { issuer: `https://login.microsoftonline.com/${FABRIKAM}/v2.0` }),
          discovery,
        }),
      ),
    ).toBe("resolved");
  });

  it("calls out only within the per-client limit, and answers known domains from its memory", async () => {
    const fetch = fakeFetch(400, { error: "invalid_tenant", error_codes: [90002] });
    const store = createMemoryStore();
    const beforeOutbound = outboundGuard(store, { limit: 5, windowSeconds: 60 }, "203.0.113.7");
    const codes: string[] = [];
    for (let i = 0; i < 100; i++)
      codes.push(await codeOf(lookupTenantId(`d${i}.example`, { fetch, discovery, beforeOutbound })));
    expect(fetch).toHaveBeenCalledTimes(5);
    expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(95);
    // The negative answers are remembered: asking again costs neither a call nor the client's budget.
    expect(await codeOf(lookupTenantId("d0.example", { fetch, discovery, beforeOutbound }))).toBe(
      "TENANT_NOT_FOUND",
    );
    expect(fetch).toHaveBeenCalledTimes(5);
  });

  it("remembers at most 500 domains", async () => {
    const fetch = fakeFetch(400, { error: "invalid_tenant", error_codes: [90002] });
    for (let i = 0; i < 501; i++) await codeOf(lookupTenantId(`e${i}.example`, { fetch, discovery }));
    await codeOf(lookupTenantId("e500.example", { fetch, discovery }));
    expect(fetch).toHaveBeenCalledTimes(501);
    await codeOf(lookupTenantId("e0.example", { fetch, discovery }));
    expect(fetch).toHaveBeenCalledTimes(502);
  });
});
