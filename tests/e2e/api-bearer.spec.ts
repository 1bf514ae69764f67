import { execFile } from "node:child_process";
import { createPublicKey, type JsonWebKey as NodeJwk, randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { EMULATOR_PORT, PORTAL_PORT } from "../../playwright.config";
import { DEMO } from "../../scripts/demo-env";
import { control, mint, oidOf, requestTeamsToken, stats } from "./api-helpers";

/**
 * The Bearer API of the production build, over HTTP, on the stand-ins Playwright started (no browser).
 * The portal runs with the e2e defaults: RATE_LIMIT_USER 30/60, RATE_LIMIT_TENANT 600/60.
 */

const PORTAL = `http://localhost:${PORTAL_PORT}`;
const EMULATOR = `http://localhost:${EMULATOR_PORT}`;
const ROOT = path.resolve(import.meta.dirname, "../..");
const USER_LIMIT = 30; // the portal's default RATE_LIMIT_USER (30/60), which the e2e env keeps

const total = async () => (await stats(EMULATOR)).exchanges.total;

test.describe.configure({ mode: "serial" });

test("a valid Bearer token of an allowed client app gets a Teams token, not stored by caches", async () => {
  const entraToken = await mint(EMULATOR);
  const oid = oidOf(entraToken);
  const before = (await stats(EMULATOR)).exchanges;

  const answer = await requestTeamsToken(PORTAL, entraToken);

  expect(answer.status).toBe(200);
  expect(answer.headers.get("cache-control")).toBe("no-store");
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expect(Object.keys(answer.body).sort()).toEqual(["expiresOn", "teamsUserId", "tenantId", "token"]);
  expect(answer.body).toMatchObject({ teamsUserId: `8:orgid:${oid}`, tenantId: DEMO.tenants.contoso });
  // The ACS token expires with the Entra token.
  expect(Date.parse(String(answer.body.expiresOn))).toBe((decodeJwt(entraToken).exp as number) * 1000);
  expect(decodeJwt(String(answer.body.token)).skypeid).toBe(`orgid:${oid}`);
  const after = (await stats(EMULATOR)).exchanges;
  expect(after.succeeded - before.succeeded).toBe(1);
  expect(after.byUser[oid]).toBe(1);
  // Server-Timing says where the time went (durations only): verification, then the ACS exchange.
  expect(answer.headers.get("server-timing")).toMatch(
    /^verify;dur=\d+\.\d\d, acs;dur=\d+\.\d\d, handler;dur=\d+\.\d\d$/,
  );

  // Cached: the same user again costs no exchange; forceRefresh costs exactly one.
  const cached = await requestTeamsToken(PORTAL, entraToken);
  expect(cached.status).toBe(200);
  expect(cached.headers.get("server-timing")).toMatch(/^verify;dur=\d+\.\d\d, handler;dur=\d+\.\d\d$/);
  expect((await stats(EMULATOR)).exchanges.byUser[oid]).toBe(1);
  expect((await requestTeamsToken(PORTAL, entraToken, { forceRefresh: true })).status).toBe(200);
  expect((await stats(EMULATOR)).exchanges.byUser[oid]).toBe(2);
});

test("forged and wrong tokens are refused, each with its own problem code, and ACS sees no exchange", async () => {
  const good = await mint(EMULATOR);
  const [header, payload, signature] = good.split(".") as [string, string, string];
  const claims = decodeJwt(good);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  // The stand-in's published key, as an attacker would fetch it.
  const jwks = (await (await fetch(`${EMULATOR}/${DEMO.tenants.contoso}/discovery/v2.0/keys`)).json()) as {
    keys: (NodeJwk & { kid: string })[];
  };
  const published = jwks.keys[0];
  if (!published) throw new Error("the stand-in publishes no key");
  const publicPem = createPublicKey({ key: published, format: "jwk" }).export({
    type: "spki",
    format: "pem",
  });
  const hs256WithPublicKey = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: published.kid })
    .sign(new TextEncoder().encode(String(publicPem)));
  const attackerKey = await generateKeyPair("RS256");
  const unknownKid = await new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "not-a-published-kid" })
    .sign(attackerKey.privateKey);
  const publishedKidWrongKey = await new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: published.kid })
    .sign(attackerKey.privateKey);

  const cases: { name: string; token: string; status: number; code: string }[] = [
    {
      name: "bad signature (payload changed to another user)",
      token: `${header}.${b64({ ...claims, oid: randomUUID() })}.${signature}`,
      status: 401,
      code: "BEARER_INVALID_SIGNATURE",
    },
    {
      name: "signed by another key under a published kid",
      token: publishedKidWrongKey,
      status: 401,
      code: "BEARER_INVALID_SIGNATURE",
    },
    {
      name: "alg none",
      token: `${b64({ alg: "none", typ: "JWT" })}.${payload}.`,
      status: 401,
      code: "BEARER_UNSUPPORTED_ALGORITHM",
    },
    {
      name: "HS256 with the public key",
      token: hs256WithPublicKey,
      status: 401,
      code: "BEARER_UNSUPPORTED_ALGORITHM",
    },
    { name: "unknown kid", token: unknownKid, status: 401, code: "BEARER_UNKNOWN_KEY" },
    { name: "not a JWT", token: "not-a-jwt", status: 401, code: "BEARER_MALFORMED" },
    {
      name: "expired",
      token: await mint(EMULATOR, { lifetimeSeconds: -600 }),
      status: 401,
      code: "ENTRA_TOKEN_EXPIRED",
    },
    {
      name: "not valid before an hour from now",
      token: await mint(EMULATOR, { notBeforeSeconds: 3_000, lifetimeSeconds: 3_600 }),
      status: 401,
      code: "ENTRA_TOKEN_NOT_YET_VALID",
    },
    {
      name: "audience Microsoft Graph",
      token: await mint(EMULATOR, { audience: "https://graph.microsoft.com" }),
      status: 401,
      code: "ENTRA_TOKEN_WRONG_AUDIENCE",
    },
    {
      name: "issuer of another tenant than its tid",
      token: await mint(EMULATOR, { issuer: `https://sts.windows.net/${DEMO.tenants.fabrikam}/` }),
      status: 401,
      code: "BEARER_WRONG_ISSUER",
    },
    {
      name: "Teams.ManageChats missing",
      token: await mint(EMULATOR, { scopes: ["Teams.ManageCalls"] }),
      status: 403,
      code: "ENTRA_TOKEN_MISSING_SCOPE",
    },
    {
      name: "client app not on ALLOWED_CLIENT_IDS",
      token: await mint(EMULATOR, { appId: "0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b" }),
      status: 403,
      code: "CLIENT_APP_NOT_ALLOWED",
    },
    {
      name: "tenant Tailspin, not on ALLOWED_TENANT_IDS",
      token: await mint(EMULATOR, {
        tenantId: DEMO.tenants.tailspin,
        oid: "da9c769d-8989-4dda-a345-cb79cf960a31",
      }),
      status: 403,
      code: "TENANT_NOT_ALLOWED",
    },
  ];

  const before = await total();
  const seen: { name: string; status: number; code: unknown }[] = [];
  for (const { name, token } of cases) {
    const answer = await requestTeamsToken(PORTAL, token, { forceRefresh: true });
    expect(answer.headers.get("content-type"), name).toBe("application/problem+json");
    expect(answer.headers.get("cache-control"), name).toBe("no-store");
    expect(answer.body.token, name).toBeUndefined();
    expect(answer.headers.get("server-timing"), name).toMatch(/(^|, )handler;dur=\d+\.\d\d$/);
    seen.push({ name, status: answer.status, code: answer.body.code });
  }
  expect(seen).toEqual(cases.map(({ name, status, code }) => ({ name, status, code })));
  expect(await total(), "no exchange reached the ACS stand-in").toBe(before);
});

test("50 concurrent requests for one new user: exactly 1 exchange; beyond the user's rate limit 429 with Retry-After", async () => {
  const entraToken = await mint(EMULATOR);
  const oid = oidOf(entraToken);

  const answers = await Promise.all(Array.from({ length: 50 }, () => requestTeamsToken(PORTAL, entraToken)));

  const ok = answers.filter((a) => a.status === 200);
  const limited = answers.filter((a) => a.status === 429);
  expect(ok.length + limited.length).toBe(50);
  expect(ok).toHaveLength(Math.min(50, USER_LIMIT));
  expect(new Set(ok.map((a) => a.body.token)).size, "every caller got the one exchanged token").toBe(1);
  for (const answer of limited) {
    expect(answer.body.code).toBe("RATE_LIMITED");
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(answer.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  }
  expect((await stats(EMULATOR)).exchanges.byUser[oid]).toBe(1);
});

test("20 users × 5 concurrent requests: one exchange per user", async () => {
  const tokens = await Promise.all(Array.from({ length: 20 }, () => mint(EMULATOR)));
  const before = (await stats(EMULATOR)).exchanges.succeeded;

  const answers = await Promise.all(
    tokens.flatMap((token) => Array.from({ length: 5 }, () => requestTeamsToken(PORTAL, token))),
  );

  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  const after = await stats(EMULATOR);
  expect(after.exchanges.succeeded - before).toBe(20);
  for (const token of tokens) expect(after.exchanges.byUser[oidOf(token)]).toBe(1);
});

test("upstream throttling: a short Retry-After is waited out, a long one is passed on as 429/503 with Retry-After", async () => {
  // Short: the portal honours it (bounded by ACS_MAX_RETRY_DELAY_MS, 2 s) and the caller just gets the token.
  const patient = await mint(EMULATOR);
  const before = (await stats(EMULATOR)).exchanges;
  await control(EMULATOR, "faults", { kind: "429", count: 1, retryAfterSeconds: 1 });
  const started = Date.now();
  const waited = await requestTeamsToken(PORTAL, patient);
  expect(waited.status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  const after = (await stats(EMULATOR)).exchanges;
  // The 429, then the retry that succeeded.
  expect([after.failed - before.failed, after.succeeded - before.succeeded]).toEqual([1, 1]);

  // Long: passed on at once, not slept through.
  for (const { kind, status, code } of [
    { kind: "429", status: 429, code: "ACS_THROTTLED" },
    { kind: "503", status: 503, code: "ACS_UNAVAILABLE" },
  ]) {
    const entraToken = await mint(EMULATOR);
    const start = (await stats(EMULATOR)).exchanges;
    await control(EMULATOR, "faults", { kind, count: 1, retryAfterSeconds: 30 });
    const throttled = await requestTeamsToken(PORTAL, entraToken);
    expect(throttled.status, kind).toBe(status);
    expect(throttled.headers.get("content-type"), kind).toBe("application/problem+json");
    expect(throttled.body.code, kind).toBe(code);
    expect(throttled.headers.get("retry-after"), kind).toBe("30");
    // The failure was not cached: the next request exchanges again and succeeds.
    const retried = await requestTeamsToken(PORTAL, entraToken);
    expect(retried.status, kind).toBe(200);
    const end = (await stats(EMULATOR)).exchanges;
    // One throttled attempt (not retried: 30 s is beyond the portal's bound), then one success.
    expect([end.failed - start.failed, end.succeeded - start.succeeded], kind).toEqual([1, 1]);
    expect(end.byUser[oidOf(entraToken)], kind).toBe(1);
  }
});

test("CORS: a Bearer call from a browser origin that is not configured is refused", async () => {
  const entraToken = await mint(EMULATOR);
  const before = await total();
  const preflight = await fetch(`${PORTAL}/api/teams-token`, {
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  expect(preflight.status).toBe(403);
  expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  const post = await fetch(`${PORTAL}/api/teams-token`, {
    method: "POST",
    headers: { authorization: `Bearer ${entraToken}`, origin: "https://evil.example" },
  });
  expect(post.status).toBe(403);
  expect(((await post.json()) as { code: string }).code).toBe("FORBIDDEN_ORIGIN");
  expect(await total()).toBe(before);
});

/** The sample console client, run as a user would, against this run's portal and stand-in. */
const runSampleClient = (user: string) =>
  promisify(execFile)(
    process.execPath,
    [
      "--import",
      "tsx",
      "examples/sample-client/main.ts",
      "--portal",
      PORTAL,
      "--authority",
      EMULATOR,
      "--user",
      user,
    ],
    { cwd: ROOT, timeout: 30_000 },
  );

test("the sample client signs Adele in (PKCE, public client) and prints her Teams user id, not the token", async () => {
  const { stdout } = await runSampleClient("adele@contoso.com");
  expect(stdout).toContain("Teams user id: 8:orgid:72a52e20-3380-413b-8a70-aa57a4194c13");
  expect(stdout).toContain(`Tenant:        ${DEMO.tenants.contoso}`);
  expect(stdout).toMatch(/Expires on: +\d{4}-\d\d-\d\dT/);
  expect(stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
});

test("the sample client reports the portal's refusal of an unlisted tenant and exits non-zero", async () => {
  const run = runSampleClient("alex@tailspin.com");
  await expect(run).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("403 TENANT_NOT_ALLOWED"),
  });
});
