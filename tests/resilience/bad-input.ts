import { appendFileSync } from "node:fs";
import fc from "fast-check";
import { DEMO } from "../../scripts/demo-env";
import { type Answer, call, mint, problemsIn, SESSION_COOKIE, sessionCookie } from "./http";
import type { Stack } from "./servers";

/**
 * Generated bad input across every entry point the portal has: route handlers, the server action, page query
 * parameters, and the headers it reads (cookie, authorization, origin, content-type, X-Forwarded-*), plus tampered,
 * truncated, replayed and foreign-secret session cookies.
 */

const INPUTS = Number(process.env.RESILIENCE_INPUTS ?? 1_200);
const CONCURRENCY = 8;
/** No answer within this long is a violation (generous for a shared 2-core machine). */
const DEADLINE_MS = 30_000;

const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
const nasty = fc.oneof(
  printable(80),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "%00",
    "%",
    "%E0%A4%A",
    "../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example",
    "https://evil.example/",
    "null",
    "[]",
    "{}",
    "__proto__",
    "constructor",
    "a".repeat(5_000),
    "\u202e\u0000\uffff",
    DEMO.tenants.contoso,
    DEMO.tenants.tailspin,
    "contoso.com",
    `nope-${"x".repeat(60)}.example`,
    "00000000-0000-0000-0000-000000000000",
  ),
);
const headerValue = fc.oneof(printable(120), fc.constantFrom("", "a".repeat(4_000)));

const PAGES = [
  "/",
  "/token",
  "/consent",
  "/consent/result",
  "/troubleshoot",
  "/developers",
  "/admin",
  "/admin/service-principal",
  "/auth/error",
  "/api/auth/error",
  "/api/auth/signin",
  "/api/auth/session",
  "/api/auth/providers",
  "/api/auth/csrf",
  "/api/auth/callback/microsoft-entra-id",
  "/api/auth/signin/microsoft-entra-id",
  "/api/health",
  "/api/ping",
  "/api/teams-token",
  "/no-such-page",
  "/_next/image",
];
const PARAMS = [
  "tenant",
  "app",
  "code",
  "error",
  "error_description",
  "admin_consent",
  "state",
  "callbackUrl",
  "domain",
  "login_hint",
  "url",
  "w",
  "q",
];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
  "application/json; charset=utf-7",
];

interface Cookies {
  valid: string;
  foreign: string;
  expired: string;
  replayedOld: string;
}

function cookieVariant(cookies: Cookies) {
  const value = cookies.valid.slice(SESSION_COOKIE.length + 1);
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(cookies.valid),
    fc.constant(cookies.foreign),
    fc.constant(cookies.expired),
    fc.constant(cookies.replayedOld),
    fc.nat({ max: value.length - 1 }).map((cut) => `${SESSION_COOKIE}=${value.slice(0, cut)}`),
    fc
      .tuple(fc.nat({ max: value.length - 1 }), fc.constantFrom(..."AZaz09-_."))
      .map(([at, char]) => `${SESSION_COOKIE}=${value.slice(0, at)}${char}${value.slice(at + 1)}`),
    printable(200).map((junk) => `${SESSION_COOKIE}=${junk.replaceAll(";", "")}`),
    printable(100).map((junk) => `${SESSION_COOKIE}.0=${junk.replaceAll(";", "")}; ${SESSION_COOKIE}.1=x`),
    printable(300),
  );
}

interface Case {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  markers: string[];
}

function arbitraryCase(stack: Stack, cookies: Cookies, bearer: string): fc.Arbitrary<Case> {
  const marker = fc.nat().map((n) => `<x-probe-${n}>`);
  const authorization = fc.oneof(
    fc.constant(undefined),
    fc.constant(`Bearer ${bearer}`),
    fc.nat({ max: bearer.length - 1 }).map((cut) => `Bearer ${bearer.slice(0, cut)}`),
    fc
      .tuple(fc.nat({ max: bearer.length - 1 }), fc.constantFrom(..."AZaz09-_"))
      .map(([at, char]) => `Bearer ${bearer.slice(0, at)}${char}${bearer.slice(at + 1)}`),
    headerValue.map((junk) => `Bearer ${junk}`),
    headerValue,
    fc.constantFrom("Bearer", "Basic dXNlcjpwYXNz", "bearer  x.y.z", "Bearer eyJhbGciOiJub25lIn0.e30."),
  );
  const commonHeaders = fc.record(
    {
      cookie: cookieVariant(cookies),
      origin: fc.oneof(
        fc.constant(stack.portalUrl),
        fc.constantFrom("null", "https://evil.example", "http://localhost"),
        headerValue,
      ),
      "content-type": fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerValue),
      "x-forwarded-host": fc.oneof(fc.constantFrom("evil.example", "localhost:1", ""), headerValue),
      "x-forwarded-proto": fc.oneof(fc.constantFrom("https", "http", "gopher", ""), headerValue),
      "x-forwarded-for": fc.oneof(fc.constantFrom("1.2.3.4", "::1", "1.2.3.4, 5.6.7.8", ""), headerValue),
      accept: fc.constantFrom("*/*", "text/html", "application/json", "text/x-component"),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      "{}",
      '{"forceRefresh":true}',
      '{"forceRefresh":"yes"}',
      "[]",
      "null",
      "{",
      '{"a":'.repeat(500),
    ),
    fc.json({ maxDepth: 3 }),
    nasty,
    fc.constant("x".repeat(200_000)),
  );
  const clean = (headers: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;

  const api = fc
    .record({
      method: fc.constantFrom("POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
      headers: commonHeaders,
      authorization,
      body,
      marker,
    })
    .map(({ method, headers, authorization: auth, body: payload, marker: m }) => ({
      method,
      path: "/api/teams-token",
      headers: clean({ ...headers, authorization: auth, "x-probe": m }),
      ...(payload !== undefined && method !== "GET" && method !== "HEAD" ? { body: `${payload}${m}` } : {}),
      markers: [m],
    }));

  const page = fc
    .record({
      path: fc.constantFrom(...PAGES),
      params: fc.array(fc.tuple(fc.constantFrom(...PARAMS), nasty), { maxLength: 4 }),
      headers: commonHeaders,
      marker,
      method: fc.constantFrom("GET", "GET", "GET", "POST", "HEAD"),
    })
    .map(({ path, params, headers, marker: m, method }) => {
      const query = new URLSearchParams();
      for (const [name, value] of params) query.append(name, value);
      query.append(PARAMS[m.length % PARAMS.length] as string, m);
      return {
        method,
        path: `${path}?${query.toString()}`,
        headers: clean(headers),
        ...(method === "POST"
          ? { body: `csrfToken=${encodeURIComponent(m)}&callbackUrl=${encodeURIComponent(m)}` }
          : {}),
        markers: [m],
      };
    });

  const action = fc
    .record({
      id: fc.oneof(fc.stringMatching(/^[0-9a-f]{40,42}$/), printable(60)),
      headers: commonHeaders,
      body: fc.oneof(
        fc.constant('["$K1"]'),
        fc.constant("forceRefresh=true"),
        fc.constant("1_forceRefresh=true&1_$ACTION_ID_x=1"),
        nasty,
      ),
      marker,
    })
    .map(({ id, headers, body: payload, marker: m }) => ({
      method: "POST",
      path: "/token",
      headers: clean({ ...headers, "next-action": id, accept: "text/x-component" }),
      body: `${payload}${m}`,
      markers: [m],
    }));

  return fc.oneof(
    { arbitrary: api, weight: 4 },
    { arbitrary: page, weight: 4 },
    { arbitrary: action, weight: 2 },
  );
}

export interface BadInputFigures {
  tried: number;
  fiveXx: number;
  problems: string[];
}

export async function badInput(stack: Stack): Promise<BadInputFigures> {
  const bearer = (await mint(stack.emulatorUrl)).access_token;
  const cookies: Cookies = {
    valid: await sessionCookie(stack.emulatorUrl),
    foreign: await sessionCookie(stack.emulatorUrl, {
      secret: "another-deployment-secret-0123456789-abcdef",
    }),
    expired: await sessionCookie(stack.emulatorUrl, { expiresInSeconds: -3_600 }),
    // A cookie of a session that began 13 hours ago: beyond SESSION_MAX_AGE_SECONDS, whatever its token says.
    replayedOld: await sessionCookie(stack.emulatorUrl, { signedInSecondsAgo: 13 * 3_600 }),
  };
  const cases = fc.sample(arbitraryCase(stack, cookies, bearer), { numRuns: INPUTS, seed: 20261202 });
  const figures: BadInputFigures = { tried: 0, fiveXx: 0, problems: [] };
  let next = 0;
  async function worker(): Promise<void> {
    while (next < cases.length) {
      const item = cases[next++] as Case;
      const answer: Answer = await call(
        `${stack.portalUrl}${item.path}`,
        {
          method: item.method,
          headers: item.headers,
          ...(item.body !== undefined ? { body: item.body } : {}),
        },
        DEADLINE_MS,
      );
      figures.tried += 1;
      if (answer.status >= 500) figures.fiveXx += 1;
      const problems = problemsIn(answer, item.markers, false, item.path.startsWith("/api/teams-token"));
      for (const problem of problems)
        figures.problems.push(`${item.method} ${item.path.slice(0, 120)}: ${problem}`);
      if (problems.length > 0 && process.env.RESILIENCE_DUMP)
        appendFileSync(
          process.env.RESILIENCE_DUMP,
          `${JSON.stringify({ ...item, status: answer.status, problems })}\n`,
        );
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return figures;
}
