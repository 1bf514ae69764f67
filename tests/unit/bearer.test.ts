import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createBearerVerifier } from "@/lib/entra/bearer";
import { PortalError } from "@/lib/errors";
import { createMemoryStore } from "@/lib/store/memory";
import {
  goodClaims,
  nowSeconds,
  OTHER_APP,
  OTHER_TENANT,
  TENANT,
  testConfig,
  USER,
  unsignedToken,
} from "@/tests/integration/support/fixtures";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

let server: Server;
let baseUrl: string;
/** Entra's tenant-independent set (/common/discovery/v2.0/keys). */
let published: JWK[] = [];
/** Keys only TENANT's own set lists (a tenant with its own signing key, the exception). */
let tenantOwn: JWK[] = [];
let fetches: string[] = [];
let current: KeyPair;
let rogue: KeyPair;
let rotated: KeyPair;

async function publicJwk(pair: KeyPair, kid: string): Promise<JWK> {
  return { ...(await exportJWK(pair.publicKey)), kid, use: "sig", alg: "RS256" };
}

function sign(claims: Record<string, unknown>, key = current.privateKey, kid = "key-1"): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(key);
}

const jwksUrlFor = (tenantId: string) => new URL(`${baseUrl}/${tenantId}/discovery/v2.0/keys`);

beforeAll(async () => {
  [current, rogue, rotated] = await Promise.all([
    generateKeyPair("RS256", { extractable: true }),
    generateKeyPair("RS256", { extractable: true }),
    generateKeyPair("RS256", { extractable: true }),
  ]);
  server = createServer((request, response) => {
    fetches.push(request.url ?? "");
    if (request.url?.startsWith("/common/")) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ keys: published }));
      return;
    }
    if (!request.url?.startsWith(`/${TENANT}/`) && !request.url?.startsWith(`/${OTHER_TENANT}/`)) {
      // Entra answers an unknown tenant's key request with 400 AADSTS90002.
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "invalid_tenant" }));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: [...published, ...tenantOwn] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  published = [await publicJwk(current, "key-1")];
  tenantOwn = [];
  fetches = [];
});

const COMMON = "/common/discovery/v2.0/keys";
/** Each verifier gets its own budget counter, as a fresh process would. */
const freshBudget = () => createMemoryStore().consumeRate;

const verifier = (env: Record<string, string> = {}, cooldownMs = 30_000) =>
  createBearerVerifier(testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP, ...env }), {
    jwksUrlFor,
    cooldownMs,
    consumeRate: freshBudget(),
  });

async function codeOf(token: string, verify = verifier()): Promise<string> {
  try {
    await verify(token);
    return "OK";
  } catch (error) {
    if (error instanceof PortalError) return error.code;
    throw error;
  }
}

describe("verifyBearerToken", () => {
  it("accepts a valid v1 token and returns its claims", async () => {
    const claims = await verifier()(await sign(goodClaims({ appid: OTHER_APP })));
    expect(claims).toMatchObject({ tenantId: TENANT, objectId: USER, appId: OTHER_APP });
    expect(fetches).toEqual([COMMON]);
  });

  it("accepts a v2 issuer and azp", async () => {
    const { appid: _appid, ...v2 } = goodClaims({
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      azp: OTHER_APP,
    });
    expect(await codeOf(await sign(v2))).toBe("OK");
  });

  it("caches the keys per tenant", async () => {
    const verify = verifier();
    await verify(await sign(goodClaims()));
    await verify(await sign(goodClaims()));
    expect(fetches).toHaveLength(1);
  });

  it("refuses a bad signature", async () => {
    expect(await codeOf(await sign(goodClaims(), rogue.privateKey))).toBe("BEARER_INVALID_SIGNATURE");
  });

  it("refuses a tampered payload", async () => {
    const [header, , signature] = (await sign(goodClaims())).split(".");
    const forged = Buffer.from(JSON.stringify(goodClaims({ oid: OTHER_TENANT }))).toString("base64url");
    expect(await codeOf(`${header}.${forged}.${signature}`)).toBe("BEARER_INVALID_SIGNATURE");
  });

  it("refuses alg none before any key lookup", async () => {
    expect(await codeOf(unsignedToken(goodClaims()))).toBe("BEARER_UNSUPPORTED_ALGORITHM");
    expect(fetches).toEqual([]);
  });

  it("refuses HS256 signed with the public key bytes before any key lookup", async () => {
    const publicPem = Buffer.from(JSON.stringify(published[0]));
    const token = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: "HS256", kid: "key-1" })
      .sign(publicPem);
    expect(await codeOf(token)).toBe("BEARER_UNSUPPORTED_ALGORITHM");
    expect(fetches).toEqual([]);
  });

  it("refuses an unknown kid after one refetch of the common set and one of the tenant's own", async () => {
    const verify = verifier({}, 0);
    await verify(await sign(goodClaims()));
    expect(await codeOf(await sign(goodClaims(), rogue.privateKey, "forged-kid"), verify)).toBe(
      "BEARER_UNKNOWN_KEY",
    );
    // With no cooldown jose looks once more in a freshly fetched set; the default 5 s cooldown spares that.
    expect(fetches).toEqual([
      COMMON,
      COMMON,
      `/${TENANT}/discovery/v2.0/keys`,
      `/${TENANT}/discovery/v2.0/keys`,
    ]);
  });

  it("honours a tenant-specific key that the common set lacks", async () => {
    tenantOwn = [await publicJwk(rotated, "tenant-key")];
    const verify = verifier();
    expect(await codeOf(await sign(goodClaims(), rotated.privateKey, "tenant-key"), verify)).toBe("OK");
    expect(await codeOf(await sign(goodClaims(), rotated.privateKey, "tenant-key"), verify)).toBe("OK");
    expect(fetches).toEqual([COMMON, `/${TENANT}/discovery/v2.0/keys`]);
  });

  it("keeps the per-tid issuer check for keys of the common set", async () => {
    // A genuine common key signs for every tenant: a token of TENANT claiming OTHER_TENANT's issuer is refused.
    const claims = goodClaims({ tid: OTHER_TENANT, iss: `https://sts.windows.net/${TENANT}/` });
    expect(await codeOf(await sign(claims))).toBe("BEARER_WRONG_ISSUER");
  });

  it("honours key rotation: a new kid triggers a refetch and is accepted", async () => {
    const verify = verifier({}, 0);
    await verify(await sign(goodClaims()));
    published = [...published, await publicJwk(rotated, "key-2")];
    expect(await codeOf(await sign(goodClaims(), rotated.privateKey, "key-2"), verify)).toBe("OK");
    expect(fetches).toHaveLength(2);
  });

  it("refuses an expired token", async () => {
    expect(await codeOf(await sign(goodClaims({ exp: nowSeconds() - 600 })))).toBe("ENTRA_TOKEN_EXPIRED");
  });

  it("tolerates the configured clock skew on exp", async () => {
    expect(await codeOf(await sign(goodClaims({ exp: nowSeconds() - 60 })))).toBe("OK");
  });

  it("refuses a future nbf", async () => {
    expect(await codeOf(await sign(goodClaims({ nbf: nowSeconds() + 600 })))).toBe(
      "ENTRA_TOKEN_NOT_YET_VALID",
    );
  });

  it("refuses a wrong audience", async () => {
    expect(await codeOf(await sign(goodClaims({ aud: "https://graph.microsoft.com" })))).toBe(
      "ENTRA_TOKEN_WRONG_AUDIENCE",
    );
  });

  it("refuses an issuer of another tenant", async () => {
    const iss = `https://sts.windows.net/${OTHER_TENANT}/`;
    expect(await codeOf(await sign(goodClaims({ iss })))).toBe("BEARER_WRONG_ISSUER");
    expect(await codeOf(await sign(goodClaims({ iss: "https://evil.example/" })))).toBe(
      "BEARER_WRONG_ISSUER",
    );
  });

  it("refuses a missing scope", async () => {
    expect(await codeOf(await sign(goodClaims({ scp: "Teams.ManageCalls" })))).toBe(
      "ENTRA_TOKEN_MISSING_SCOPE",
    );
  });

  it("refuses an unlisted app", async () => {
    const stranger = "abcdefab-cdef-4abc-8def-abcdefabcdef";
    expect(await codeOf(await sign(goodClaims({ appid: stranger })))).toBe("CLIENT_APP_NOT_ALLOWED");
  });

  it("refuses an unlisted tenant without fetching its keys", async () => {
    const verify = verifier({ ALLOWED_TENANT_IDS: OTHER_TENANT });
    expect(await codeOf(await sign(goodClaims()), verify)).toBe("TENANT_NOT_ALLOWED");
    expect(fetches).toEqual([]);
  });

  it.each(["", "not-a-jwt", "a.b.c"])("refuses garbage %j as malformed", async (token) => {
    expect(await codeOf(token)).toBe("BEARER_MALFORMED");
  });

  it("refuses a token whose tid is not a GUID", async () => {
    expect(await codeOf(await sign(goodClaims({ tid: "contoso.com" })))).toBe("BEARER_MALFORMED");
    expect(fetches).toEqual([]);
  });

  it("reports Entra unavailable when the keys cannot be fetched, without asking the tenant's own set", async () => {
    const asked: string[] = [];
    const verify = createBearerVerifier(testConfig(), {
      jwksUrlFor: (tid) => new URL(`http://127.0.0.1:9/${tid}/discovery/v2.0/keys`),
      fetch: (url, init) => {
        asked.push(String(url));
        return fetch(url, init);
      },
      consumeRate: freshBudget(),
    });
    expect(await codeOf(await sign(goodClaims()), verify)).toBe("ENTRA_UNAVAILABLE");
    expect(asked).toEqual([`http://127.0.0.1:9${COMMON}`]);
  });

  it("reports Entra unavailable when the common key set answers with an error, and asks no tenant", async () => {
    const asked: string[] = [];
    const verify = createBearerVerifier(testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP }), {
      jwksUrlFor,
      fetch: async (url) => {
        asked.push(String(url));
        return new Response('{"error":"temporarily_unavailable"}', { status: 500 });
      },
      consumeRate: freshBudget(),
    });
    expect(await codeOf(await sign(goodClaims()), verify)).toBe("ENTRA_UNAVAILABLE");
    expect(asked).toEqual([`${baseUrl}${COMMON}`]);
  });

  it("asks Entra once for a tenant it does not know, then refuses that tenant without calling out", async () => {
    const verify = verifier();
    const ghost = "00000000-0000-4000-8000-00000000dead";
    const forged = await sign(
      goodClaims({ tid: ghost, iss: `https://sts.windows.net/${ghost}/` }),
      rogue.privateKey,
      "forged",
    );
    expect(await codeOf(forged, verify)).toBe("BEARER_UNKNOWN_KEY");
    expect(await codeOf(forged, verify)).toBe("BEARER_UNKNOWN_KEY");
    expect(fetches).toEqual([COMMON, `/${ghost}/discovery/v2.0/keys`]);
  });

  it("refuses a wrong issuer, audience or app before fetching any key", async () => {
    expect(await codeOf(await sign(goodClaims({ iss: "https://evil.example/" })))).toBe(
      "BEARER_WRONG_ISSUER",
    );
    expect(await codeOf(await sign(goodClaims({ aud: "https://graph.microsoft.com" })))).toBe(
      "ENTRA_TOKEN_WRONG_AUDIENCE",
    );
    expect(await codeOf(await sign(goodClaims({ appid: "11111111-2222-4333-8444-555555555555" })))).toBe(
      "CLIENT_APP_NOT_ALLOWED",
    );
    expect(fetches).toEqual([]);
  });
});

describe("verified-token memory", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const clock = (start = Date.now()) => {
    let at = start;
    return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
  };
  const rememberingVerifier = (now: () => Date, verifiedTtlMs?: number) =>
    createBearerVerifier(testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP }), {
      jwksUrlFor,
      consumeRate: freshBudget(),
      now,
      ...(verifiedTtlMs === undefined ? {} : { verifiedTtlMs }),
    });

  it("checks a token's signature once while it is remembered", async () => {
    const rsa = vi.spyOn(globalThis.crypto.subtle, "verify");
    const verify = rememberingVerifier(clock().now);
    const token = await sign(goodClaims());
    expect(await codeOf(token, verify)).toBe("OK");
    expect(await codeOf(token, verify)).toBe("OK");
    expect(await codeOf(token, verify)).toBe("OK");
    expect(rsa).toHaveBeenCalledTimes(1);
  });

  it("verifies again once the memory lapses, and not at all with a TTL of 0", async () => {
    const rsa = vi.spyOn(globalThis.crypto.subtle, "verify");
    const time = clock();
    const verify = rememberingVerifier(time.now, 60_000);
    const token = await sign(goodClaims());
    await verify(token);
    time.advance(61_000);
    await verify(token);
    expect(rsa).toHaveBeenCalledTimes(2);

    const forgetful = rememberingVerifier(time.now, 0);
    await forgetful(token);
    await forgetful(token);
    expect(rsa).toHaveBeenCalledTimes(4);
  });

  it("remembers a token only until its exp, then verifies it in full, and refuses it beyond the clock skew", async () => {
    const rsa = vi.spyOn(globalThis.crypto.subtle, "verify");
    const time = clock();
    const verify = rememberingVerifier(time.now);
    const exp = Math.floor(time.now().getTime() / 1000) + 120;
    const token = await sign(goodClaims({ exp }));
    expect(await codeOf(token, verify)).toBe("OK");
    time.advance(119_000);
    expect(await codeOf(token, verify)).toBe("OK");
    expect(rsa).toHaveBeenCalledTimes(1);
    time.advance(2_000); // past exp, inside the skew: no longer remembered, verified again, still accepted
    expect(await codeOf(token, verify)).toBe("OK");
    expect(rsa).toHaveBeenCalledTimes(2);
    time.advance(400_000);
    expect(await codeOf(token, verify)).toBe("ENTRA_TOKEN_EXPIRED");
  });

  it("keeps at most maxVerified tokens, dropping the least recently used", async () => {
    const rsa = vi.spyOn(globalThis.crypto.subtle, "verify");
    const verify = createBearerVerifier(testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP }), {
      jwksUrlFor,
      consumeRate: freshBudget(),
      maxVerified: 2,
    });
    const [a, b, c] = await Promise.all([1, 2, 3].map((n) => sign(goodClaims({ jti: `token-${n}` }))));
    for (const token of [a, b, a, c]) await verify(token as string); // c pushes out b, the least recently used
    expect(rsa).toHaveBeenCalledTimes(3);
    await verify(a as string);
    await verify(c as string);
    expect(rsa).toHaveBeenCalledTimes(3);
    await verify(b as string);
    expect(rsa).toHaveBeenCalledTimes(4);
  });

  it("never lets other bytes ride on a remembered token: a re-signed or tampered copy is verified in full", async () => {
    const verify = rememberingVerifier(clock().now);
    const token = await sign(goodClaims());
    expect(await codeOf(token, verify)).toBe("OK");
    const [header, payload] = token.split(".");
    const rogueCopy = await sign(goodClaims(), rogue.privateKey);
    expect(await codeOf(rogueCopy, verify)).toBe("BEARER_INVALID_SIGNATURE");
    const forged = Buffer.from(JSON.stringify(goodClaims({ oid: OTHER_TENANT }))).toString("base64url");
    const signature = token.split(".")[2];
    expect(await codeOf(`${header}.${forged}.${signature}`, verify)).toBe("BEARER_INVALID_SIGNATURE");
    expect(await codeOf(`${header}.${payload}.${"A".repeat(signature?.length ?? 342)}`, verify)).toBe(
      "BEARER_INVALID_SIGNATURE",
    );
  });
});

describe("outbound-call amplification (forged tokens with ever new tids)", () => {
  const randomTenant = () => crypto.randomUUID();
  const forgedFor = (tid: string) =>
    sign(goodClaims({ tid, iss: `https://sts.windows.net/${tid}/` }), rogue.privateKey, `forged-${tid}`);

  it("300 forged tokens with new tids cost at most the common set and the tenant-fetch budget", async () => {
    const verify = createBearerVerifier(testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP }), {
      jwksUrlFor,
      consumeRate: freshBudget(),
    });
    const tokens = await Promise.all(Array.from({ length: 300 }, () => forgedFor(randomTenant())));
    const codes = new Set<string>();
    for (const token of tokens) codes.add(await codeOf(token, verify));
    // One common-set fetch (then its 5 s cooldown), and TENANT_KEY_FETCH_BUDGET (30 a minute) of tenant sets.
    expect(fetches.filter((url) => url === COMMON)).toHaveLength(1);
    expect(fetches.length).toBeLessThanOrEqual(31);
    expect([...codes].sort()).toEqual(["BEARER_UNKNOWN_KEY", "RATE_LIMITED"]);
  });

  it("the per-client guard stands in front of every tenant key fetch", async () => {
    const verify = createBearerVerifier(testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP }), {
      jwksUrlFor,
      consumeRate: freshBudget(),
    });
    const store = createMemoryStore();
    const beforeOutbound = () =>
      store.consumeRate("client", 5, 60).then((decision) => {
        if (!decision.allowed) throw new PortalError("RATE_LIMITED", { retryAfterSeconds: 60 });
      });
    let limited = 0;
    for (let i = 0; i < 50; i++) {
      try {
        await verify(await forgedFor(randomTenant()), { beforeOutbound });
      } catch (error) {
        if ((error as PortalError).code === "RATE_LIMITED") limited += 1;
      }
    }
    expect(fetches.filter((url) => url !== COMMON)).toHaveLength(5);
    expect(limited).toBe(45);
  });

  it("keeps every per-tenant memory within its bound, the refused tenants included", async () => {
    const verify = createBearerVerifier(
      testConfig({ ALLOWED_CLIENT_IDS: OTHER_APP, TENANT_KEY_FETCH_BUDGET: "100000/60" }),
      { jwksUrlFor, consumeRate: freshBudget(), maxTenants: 20, maxRefused: 50, maxVerified: 10 },
    );
    for (let i = 0; i < 120; i++) await codeOf(await forgedFor(randomTenant()), verify);
    for (let i = 0; i < 30; i++) await codeOf(await sign(goodClaims({ jti: `t-${i}` })), verify);
    const memory = verify.memory();
    expect(memory.tenantKeySets).toBeLessThanOrEqual(20);
    expect(memory.refusedTenants).toBeLessThanOrEqual(50);
    expect(memory.verified).toBeLessThanOrEqual(10);
  }, 30_000);
});
