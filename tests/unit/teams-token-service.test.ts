import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { ExchangeInput, TeamsTokenExchange } from "@/lib/acs/exchange";
import { readAccessTokenClaims } from "@/lib/entra/claims";
import { PortalError } from "@/lib/errors";
import { createMemoryStore } from "@/lib/store/memory";
import type { TokenStore } from "@/lib/store/types";
import { createTeamsTokenService, describeTeamsToken, teamsTokenCacheKey } from "@/lib/teams-token/service";
import {
  CLIENT_ID,
  goodClaims,
  OTHER_APP,
  OTHER_TENANT,
  TENANT,
  testConfig,
  USER,
  unsignedToken,
} from "@/tests/integration/support/fixtures";

const HOUR = 3_600_000;

/** A fake ACS: counts exchanges, answers a token that expires with the Entra token (as ACS does). */
function fakeAcs(
  options: {
    delayMs?: number;
    lifetimeMs?: number;
    fail?: () => PortalError | undefined;
    /** As ACS may within one second: every exchange answers the very same token string. */
    sameToken?: boolean;
  } = {},
) {
  const calls: ExchangeInput[] = [];
  const exchange: TeamsTokenExchange = async (input) => {
    calls.push(input);
    await sleep(options.delayMs ?? 10);
    const failure = options.fail?.();
    if (failure) throw failure;
    return {
      token: options.sameToken ? `acs-${input.userObjectId}` : `acs-${input.userObjectId}-${calls.length}`,
      expiresOn: new Date(Date.now() + (options.lifetimeMs ?? HOUR)),
    };
  };
  return { calls, exchange };
}

function service(acs: ReturnType<typeof fakeAcs>, env: Record<string, string> = {}, now?: () => Date) {
  return createTeamsTokenService({
    config: testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP, ...env }),
    store: createMemoryStore(),
    exchange: acs.exchange,
    ...(now ? { now } : {}),
  });
}

const userId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const sessionToken = (overrides: Record<string, unknown> = {}) => unsignedToken(goodClaims(overrides));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "OK",
    (error: unknown) => (error instanceof PortalError ? error.code : String(error)),
  );
}

describe("getTeamsToken, session path", () => {
  it("exchanges with this app's id and the user's oid, and answers the documented shape", async () => {
    const acs = fakeAcs();
    const entraToken = sessionToken();
    const result = await service(acs).getTeamsToken({ entraToken, via: "session" });
    expect(acs.calls).toEqual([{ entraToken, clientId: CLIENT_ID, userObjectId: USER }]);
    expect(result).toEqual({
      kind: "teams-user",
      token: `acs-${USER}-1`,
      expiresOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      teamsUserId: `8:orgid:${USER}`,
      tenantId: TENANT,
      userObjectId: USER,
      cached: false,
      issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      fingerprint: createHash("sha256").update(`acs-${USER}-1`).digest("hex").slice(0, 8),
      exchangeMs: expect.any(Number),
    });
    expect(describeTeamsToken(result)).not.toContain(result.token);
    const svc = service(acs);
    await svc.getTeamsToken({ entraToken, via: "session" });
    // On load the status page learns expiry and fingerprint without the token, and without an exchange.
    const held = await svc.peekTeamsToken(entraToken);
    expect(held).toEqual({
      expiresOn: expect.any(String),
      issuedAt: expect.any(String),
      fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
    expect(JSON.stringify(held)).not.toContain("acs-");
    expect(await service(fakeAcs()).peekTeamsToken(entraToken)).toBeNull();
  });

  it("50 concurrent requests for one user cause exactly one exchange", async () => {
    const acs = fakeAcs({ delayMs: 30 });
    // Rate limits count every request (RATE_LIMIT_USER is "token requests per user"): make room for 51.
    const svc = service(acs, { RATE_LIMIT_USER: "100/60" });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => svc.getTeamsToken({ entraToken: sessionToken(), via: "session" })),
    );
    expect(acs.calls).toHaveLength(1);
    expect(new Set(results.map((r) => r.token))).toEqual(new Set([`acs-${USER}-1`]));
    expect((await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" })).cached).toBe(true);
    expect(acs.calls).toHaveLength(1);
  });

  it("200 users × 5 concurrent requests cause 200 exchanges, each user its own token", async () => {
    const acs = fakeAcs({ delayMs: 5 });
    const svc = service(acs, { RATE_LIMIT_TENANT: "5000/60" });
    const requests = Array.from({ length: 200 }, (_, u) =>
      Array.from({ length: 5 }, () =>
        svc.getTeamsToken({ entraToken: sessionToken({ oid: userId(u) }), via: "session" }),
      ),
    ).flat();
    const results = await Promise.all(requests);
    expect(acs.calls).toHaveLength(200);
    expect(new Set(acs.calls.map((c) => c.userObjectId)).size).toBe(200);
    for (const result of results) expect(result.token.startsWith(`acs-${result.userObjectId}-`)).toBe(true);
  });

  it("never caches a failure: the waiters share it, the next request exchanges again", async () => {
    let failNext = true;
    const acs = fakeAcs({
      delayMs: 20,
      fail: () => (failNext ? new PortalError("ACS_UNAVAILABLE") : undefined),
    });
    const svc = service(acs);
    const first = await Promise.all(
      Array.from({ length: 5 }, () =>
        codeOf(svc.getTeamsToken({ entraToken: sessionToken(), via: "session" })),
      ),
    );
    expect(first).toEqual(Array(5).fill("ACS_UNAVAILABLE"));
    expect(acs.calls).toHaveLength(1);
    failNext = false;
    const second = await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    expect(second.cached).toBe(false);
    expect(acs.calls).toHaveLength(2);
  });

  it("forceRefresh exchanges again and the new token replaces the cached one", async () => {
    const acs = fakeAcs();
    const svc = service(acs);
    const first = await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    const forced = await Promise.all(
      Array.from({ length: 10 }, () =>
        svc.getTeamsToken({ entraToken: sessionToken(), via: "session", forceRefresh: true }),
      ),
    );
    expect(acs.calls).toHaveLength(2);
    expect(forced[0]?.token).not.toBe(first.token);
    expect(forced[0]?.cached).toBe(false);
    const after = await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    expect(after).toMatchObject({ token: forced[0]?.token, cached: true });
  });

  it("forced refreshes of one user on several instances cost one exchange; a later one exchanges again", async () => {
    // What Redis gives instances: one cache, and a lock whose waiters run after the holder has finished.
    const shared = createMemoryStore();
    const locks = new Map<string, Promise<unknown>>();
    const instanceStore = (): TokenStore => ({
      ...shared,
      singleFlight: (key, fn) => {
        const turn = (locks.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
        locks.set(key, turn);
        return turn;
      },
    });
    const acs = fakeAcs({ delayMs: 30 });
    const config = testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP });
    const instances = Array.from({ length: 4 }, () =>
      createTeamsTokenService({ config, store: instanceStore(), exchange: acs.exchange }),
    );
    const before = await instances[0]?.getTeamsToken({ entraToken: sessionToken(), via: "session" });

    const renewed = await Promise.all(
      instances.map((instance) =>
        instance.getTeamsToken({ entraToken: sessionToken(), via: "session", forceRefresh: true }),
      ),
    );
    expect(acs.calls).toHaveLength(2);
    expect(new Set(renewed.map((r) => r.token))).toEqual(new Set([`acs-${USER}-2`]));
    expect(renewed[0]?.token).not.toBe(before?.token);

    const later = await instances[3]?.getTeamsToken({
      entraToken: sessionToken(),
      via: "session",
      forceRefresh: true,
    });
    expect(acs.calls).toHaveLength(3);
    expect(later?.token).toBe(`acs-${USER}-3`);
  });

  it.each([
    ["not JSON", "{token"],
    ["an empty token", JSON.stringify({ token: "", expiresOn: new Date(Date.now() + HOUR).toISOString() })],
    ["no expiry", JSON.stringify({ token: "acs-x" })],
    ["an expiry that is no date", JSON.stringify({ token: "acs-x", expiresOn: "soon" })],
  ])("never serves a stored value with %s: it exchanges instead", async (_name, stored) => {
    const store = createMemoryStore();
    const entraToken = sessionToken();
    await store.setToken(teamsTokenCacheKey(readAccessTokenClaims(entraToken)), stored, 3_600);
    const acs = fakeAcs();
    const svc = createTeamsTokenService({
      config: testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP }),
      store,
      exchange: acs.exchange,
    });
    const answer = await svc.getTeamsToken({ entraToken, via: "session" });
    expect(answer).toMatchObject({ token: `acs-${USER}-1`, cached: false });
    expect(acs.calls).toHaveLength(1);
  });

  it("one forced refresh is one exchange, even when ACS answers with the same token string", async () => {
    const acs = fakeAcs({ sameToken: true });
    const svc = service(acs);
    await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    const renewed = await svc.getTeamsToken({
      entraToken: sessionToken(),
      via: "session",
      forceRefresh: true,
    });
    expect(acs.calls).toHaveLength(2);
    expect(renewed.cached).toBe(false);
    await svc.getTeamsToken({ entraToken: sessionToken(), via: "session", forceRefresh: true });
    expect(acs.calls).toHaveLength(3);
  });

  it("reuses a token until TOKEN_CACHE_MARGIN_SECONDS before it expires", async () => {
    let now = Date.now();
    const acs = fakeAcs({ lifetimeMs: HOUR });
    const svc = service(acs, { TOKEN_CACHE_MARGIN_SECONDS: "300" }, () => new Date(now));
    const entraToken = sessionToken({ exp: Math.floor(now / 1000) + 7200 });
    await svc.getTeamsToken({ entraToken, via: "session" });
    now += HOUR - 301_000;
    expect((await svc.getTeamsToken({ entraToken, via: "session" })).cached).toBe(true);
    now += 2_000;
    expect((await svc.getTeamsToken({ entraToken, via: "session" })).cached).toBe(false);
    expect(acs.calls).toHaveLength(2);
  });

  it("does not cache a token that already lies within the margin", async () => {
    const acs = fakeAcs({ lifetimeMs: 240_000 });
    const svc = service(acs, { TOKEN_CACHE_MARGIN_SECONDS: "300" });
    await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    expect(acs.calls).toHaveLength(2);
  });

  it("refuses a token issued to another app before calling ACS", async () => {
    const acs = fakeAcs();
    const code = await codeOf(
      service(acs).getTeamsToken({ entraToken: sessionToken({ appid: OTHER_APP }), via: "session" }),
    );
    expect(code).toBe("ENTRA_TOKEN_WRONG_APP");
    expect(acs.calls).toHaveLength(0);
  });

  it("refuses an unlisted tenant before calling ACS", async () => {
    const acs = fakeAcs();
    const svc = service(acs, { ALLOWED_TENANT_IDS: OTHER_TENANT });
    expect(await codeOf(svc.getTeamsToken({ entraToken: sessionToken(), via: "session" }))).toBe(
      "TENANT_NOT_ALLOWED",
    );
    expect(acs.calls).toHaveLength(0);
  });
});

describe("getTeamsToken, Bearer path", () => {
  it("exchanges with the calling app's id and keeps its cache apart from the portal's", async () => {
    const acs = fakeAcs();
    const svc = service(acs);
    const bearerToken = sessionToken({ appid: OTHER_APP });
    const claims = readAccessTokenClaims(bearerToken);
    const viaBearer = await svc.getTeamsToken({ entraToken: bearerToken, via: "bearer", claims });
    const viaSession = await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    expect(acs.calls.map((c) => c.clientId)).toEqual([OTHER_APP, CLIENT_ID]);
    expect(viaBearer.token).not.toBe(viaSession.token);
    expect(viaSession.cached).toBe(false);
  });

  it("verifies the token itself when no claims are passed", async () => {
    const acs = fakeAcs();
    const verified: string[] = [];
    const svc = createTeamsTokenService({
      config: testConfig(),
      store: createMemoryStore(),
      exchange: acs.exchange,
      verifyBearer: async (token) => {
        verified.push(token);
        throw new PortalError("BEARER_INVALID_SIGNATURE");
      },
    });
    expect(await codeOf(svc.getTeamsToken({ entraToken: "forged", via: "bearer" }))).toBe(
      "BEARER_INVALID_SIGNATURE",
    );
    expect(verified).toEqual(["forged"]);
    expect(acs.calls).toHaveLength(0);
  });
});

describe("getTeamsToken, keys and rate limits", () => {
  it("never shares a token across tenants or users", async () => {
    const acs = fakeAcs();
    const svc = service(acs);
    await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    await svc.getTeamsToken({ entraToken: sessionToken({ tid: OTHER_TENANT }), via: "session" });
    await svc.getTeamsToken({ entraToken: sessionToken({ oid: userId(7) }), via: "session" });
    expect(acs.calls).toHaveLength(3);
  });

  it("limits requests per user, with Retry-After", async () => {
    const acs = fakeAcs();
    const svc = service(acs, { RATE_LIMIT_USER: "2/60" });
    await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    await svc.getTeamsToken({ entraToken: sessionToken(), via: "session" });
    const error = await svc
      .getTeamsToken({ entraToken: sessionToken(), via: "session" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 60 });
    expect(
      await codeOf(svc.getTeamsToken({ entraToken: sessionToken({ oid: userId(1) }), via: "session" })),
    ).toBe("OK");
  });

  it("limits exchanges per tenant across its users (cached answers are not counted)", async () => {
    const acs = fakeAcs();
    const svc = service(acs, { RATE_LIMIT_TENANT: "3/30" });
    for (let u = 0; u < 3; u++)
      await svc.getTeamsToken({ entraToken: sessionToken({ oid: userId(u) }), via: "session" });
    const error = await svc
      .getTeamsToken({ entraToken: sessionToken({ oid: userId(9) }), via: "session" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 30 });
    expect(acs.calls).toHaveLength(3);
    expect(
      await codeOf(svc.getTeamsToken({ entraToken: sessionToken({ tid: OTHER_TENANT }), via: "session" })),
    ).toBe("OK");
  });
});

describe("the portal-wide ACS exchange budget", () => {
  it("stops exchanging before ACS's own limit and tells callers when to retry; cache hits are not counted", async () => {
    const acs = fakeAcs();
    const svc = service(acs, { ACS_EXCHANGE_BUDGET: "2/30", RATE_LIMIT_TENANT: "100/60" });
    const ask = (n: number) =>
      svc.getTeamsToken({ entraToken: sessionToken({ oid: userId(n) }), via: "session" });
    expect(await codeOf(ask(1))).toBe("OK");
    expect(await codeOf(ask(2))).toBe("OK");
    expect(await codeOf(ask(1))).toBe("OK");
    const refused = await ask(3).catch((error: unknown) => error as PortalError);
    expect(refused).toBeInstanceOf(PortalError);
    expect((refused as PortalError).code).toBe("ACS_THROTTLED");
    expect((refused as PortalError).retryAfterSeconds).toBeGreaterThan(0);
    expect(acs.calls).toHaveLength(2);
  });
});

describe("capacity vs abuse: limits protect exchanges, not cached answers", () => {
  it("serves 20 000 users of one tenant from the cache at 9 am without a refusal; exchanges and abusers stay bounded", async () => {
    const acs = fakeAcs({ delayMs: 0 });
    const store = createMemoryStore();
    // The defaults: RATE_LIMIT_TENANT 600/60 (now exchanges only), RATE_LIMIT_USER 30/60, ACS_EXCHANGE_BUDGET 450/30.
    const svc = createTeamsTokenService({
      config: testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP }),
      store,
      exchange: acs.exchange,
    });
    const expiresOn = new Date(Date.now() + HOUR).toISOString();
    const users = 20_000;
    const tokens = Array.from({ length: users }, (_, n) => sessionToken({ oid: userId(n) }));
    // Every user already holds a fresh Teams token in the cache (exchanged earlier this morning).
    for (const entraToken of tokens) {
      const key = teamsTokenCacheKey(readAccessTokenClaims(entraToken));
      await store.setToken(key, JSON.stringify({ token: `cached-${key}`, expiresOn }), 3_000);
    }
    const codes = new Map<string, number>();
    for (let start = 0; start < users; start += 2_000) {
      const answers = await Promise.all(
        tokens
          .slice(start, start + 2_000)
          .map((entraToken) => codeOf(svc.getTeamsToken({ entraToken, via: "session" }))),
      );
      for (const code of answers) codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(Object.fromEntries(codes)).toEqual({ OK: users });
    expect(acs.calls).toHaveLength(0);

    // 1 000 new users of that tenant at once: exchanges stop at the tenant's share, with Retry-After.
    const newcomers = await Promise.all(
      Array.from({ length: 1_000 }, (_, n) =>
        codeOf(svc.getTeamsToken({ entraToken: sessionToken({ oid: userId(users + n) }), via: "session" })),
      ),
    );
    expect(acs.calls.length).toBeLessThanOrEqual(450);
    expect(newcomers.filter((code) => code === "OK")).toHaveLength(acs.calls.length);
    expect(
      newcomers.filter((code) => code !== "OK" && code !== "ACS_THROTTLED" && code !== "RATE_LIMITED"),
    ).toEqual([]);

    // One abusive user (a looping app) is refused after RATE_LIMIT_USER, cached answers or not.
    const looping = tokens[0] as string;
    const loop = await Promise.all(
      Array.from({ length: 40 }, () => codeOf(svc.getTeamsToken({ entraToken: looping, via: "session" }))),
    );
    expect(loop.filter((code) => code === "OK")).toHaveLength(29); // 30 a minute, one spent in the rush
    expect(loop.filter((code) => code === "RATE_LIMITED")).toHaveLength(11);
  }, 60_000);
});
