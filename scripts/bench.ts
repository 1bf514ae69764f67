/**
 * `npm run bench`: the portal side by side with the server a Contoso engineer would deploy instead (the PEER,
 * scripts/bench/peer.ts: the Azure sample `communication-services-authentication-hero-nodejs`'s `GET /api/token/teams`
 * built from its design: Express + express-jwt/jwks-rsa, then getTokenForTeamsUser on every request, no cache).
 * Production build, local stand-ins, loopback only. Prints figures, asserts nothing (exit code 0 unless the benchmark
 * itself fails). Both servers reach ACS through the same latency proxy (scripts/bench/latency-proxy.ts): a network
 * round trip of BENCH_RTT_MS, and 0 ms for comparison.
 *
 *   (1) uncached: tokens never seen before, every request an exchange, concurrency 1, portal / peer / SDK direct
 *       alternating request by request: p50/p99; where the portal's time goes (Server-Timing: verify, acs, handler;
 *       outside the route; the bare route GET /api/ping);
 *   (2) repeat requests: BENCH_REPEAT_USERS users asking BENCH_REPEAT_TIMES times each (tokens valid all along),
 *       concurrency 1, alternating: p50/p99, and each side's exchanges at the stand-in (stats by user);
 *   (3) under the ACS limit: the stand-in restarted with its 500 exchanges / 30 s limit on, the portal with its
 *       production default rate limits; BENCH_BURST_REQUESTS requests from BENCH_BURST_USERS users arriving open loop
 *       over BENCH_BURST_SECONDS, the portal first, then (stand-in reset) the peer: answers by kind;
 *   (4) cold start: the standalone server as the image runs it, spawn to the first 200 of /api/health and of `/`;
 *   kept from before: (5) cached token vs the bare route (req/s), (6) the portal's RSS over a soak of mixed load.
 *
 * Settings (environment): BENCH_PORTAL_PORT (3400), BENCH_EMULATOR_PORT (3500, https on +1), BENCH_PEER_PORT (3450),
 * BENCH_PROXY_PORT (3460), BENCH_RTT_MS (40: the round trip added between each server and ACS; 0 is measured too),
 * BENCH_REQUESTS (200 per side and round trip in (1)), BENCH_WARMUP (300 per path), BENCH_REPEAT_USERS (100),
 * BENCH_REPEAT_TIMES (5), BENCH_BURST_USERS (400), BENCH_BURST_REQUESTS (2000), BENCH_BURST_SECONDS (10),
 * BENCH_BURST_PATIENCE_SECONDS (10, the portal's own ACS deadline: a burst request unanswered by then counts as
 * "no answer"), BENCH_COLD_RUNS (5),
 * BENCH_THROUGHPUT_SECONDS (10 per side), BENCH_THROUGHPUT_CONCURRENCY (50), BENCH_SOAK_SECONDS (60),
 * BENCH_SOAK_CONCURRENCY (20), BENCH_USERS (300, warm-up and soak), BENCH_BUILD=1 (build even if .next exists),
 * BENCH_PORTAL_NODE_ARGS (Node flags for the portal; default --max-old-space-size=192 as `npm start`, "" for none),
 * BENCH_SCENARIOS (1,2,3,4,5,6: which scenarios to run).
 * Every loop is bounded by a count or a deadline; the children are stopped on exit, error and Ctrl-C.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { type ColdStart, measureColdStart } from "./bench/cold-start";
import { type LatencyProxy, startLatencyProxy } from "./bench/latency-proxy";
import {
  type Answer,
  agent,
  call,
  expect200,
  openLoop,
  percentile,
  runCount,
  runFor,
  timingOf,
} from "./bench/load";
import { DEMO, demoEnv } from "./demo-env";
import {
  assertPortFree,
  buildIfNeeded,
  type Child,
  cpuMs,
  ROOT,
  rssMb,
  startChild,
  stopAllChildren,
  waitFor,
} from "./processes";
import { HEAP_CAP_MB, STANDALONE_SERVER, standaloneServerEnv } from "./standalone-server";

const num = (name: string, fallback: number, min = 1): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}`);
  return value;
};
const PORTAL_PORT = num("BENCH_PORTAL_PORT", 3400);
const EMULATOR_PORT = num("BENCH_EMULATOR_PORT", 3500);
const PEER_PORT = num("BENCH_PEER_PORT", 3450);
const PROXY_PORT = num("BENCH_PROXY_PORT", 3460);
const RTT_MS = num("BENCH_RTT_MS", 40, 0);
const REQUESTS = num("BENCH_REQUESTS", 200);
const WARMUP = num("BENCH_WARMUP", 300);
const USERS = num("BENCH_USERS", 300);
const REPEAT_USERS = num("BENCH_REPEAT_USERS", 100);
const REPEAT_TIMES = num("BENCH_REPEAT_TIMES", 5);
const BURST_USERS = num("BENCH_BURST_USERS", 400);
const BURST_REQUESTS = num("BENCH_BURST_REQUESTS", 2_000);
const BURST_SECONDS = num("BENCH_BURST_SECONDS", 10);
const BURST_PATIENCE_SECONDS = num("BENCH_BURST_PATIENCE_SECONDS", 10);
const COLD_RUNS = num("BENCH_COLD_RUNS", 5);
const THROUGHPUT_SECONDS = num("BENCH_THROUGHPUT_SECONDS", 10);
const THROUGHPUT_CONCURRENCY = num("BENCH_THROUGHPUT_CONCURRENCY", 50);
const SOAK_SECONDS = num("BENCH_SOAK_SECONDS", 60);
const SOAK_CONCURRENCY = num("BENCH_SOAK_CONCURRENCY", 20);
// Default: the heap cap that `npm start` and the image use, so the figures describe the portal as deployed.
const PORTAL_NODE_ARGS = (process.env.BENCH_PORTAL_NODE_ARGS ?? `--max-old-space-size=${HEAP_CAP_MB}`)
  .split(/\s+/)
  .filter(Boolean);
const RTTS = [...new Set([RTT_MS, 0])];
const SCENARIOS = new Set(
  (process.env.BENCH_SCENARIOS ?? "1,2,3,4,5,6").split(",").map((s) => Number(s.trim())),
);
const runs = (...scenarios: number[]) => scenarios.some((n) => SCENARIOS.has(n));

const EMULATOR_URL = `http://localhost:${EMULATOR_PORT}`;
/** Both servers reach ACS through the latency proxy; 127.0.0.1, not localhost: the proxy listens on IPv4 only. */
const ACS_VIA_PROXY = `endpoint=http://127.0.0.1:${PROXY_PORT}/;accesskey=${DEMO.acsKey}`;
/** The portal as configured for production (default limits), on the stand-ins, ACS behind the proxy. */
const productionEnv: Record<string, string> = {
  ...demoEnv({ portalPort: PORTAL_PORT, emulatorPort: EMULATOR_PORT }),
  NEXT_TELEMETRY_DISABLED: "1",
  ACS_CONNECTION_STRING: ACS_VIA_PROXY,
};
/** For the latency and soak phases: limits counting every request, and the exchange budget, out of the way. */
const loadEnv: Record<string, string> = {
  ...productionEnv,
  RATE_LIMIT_USER: "100000000/60",
  RATE_LIMIT_TENANT: "100000000/60",
  ACS_EXCHANGE_BUDGET: "100000000/30",
};
const CONTOSO_ISSUER = `https://sts.windows.net/${DEMO.tenants.contoso}/`;
const ACS_AUDIENCE = "https://auth.msft.communication.azure.com";

// ---------------------------------------------------------------- processes

function startStandIn(rateLimit: "on" | "off"): Child {
  return startChild("stand-in", ["--import", "tsx", "emulator/main.ts"], {
    ...productionEnv,
    EMULATOR_PORT: String(EMULATOR_PORT),
    EMULATOR_HTTPS_PORT: String(EMULATOR_PORT + 1),
    EMULATOR_ACS_RATE_LIMIT: rateLimit === "on" ? "500/30" : "off",
  });
}

/** The standalone server itself, as the image runs it: the RSS measured is the portal's. */
function startPortal(env: Record<string, string>): Child {
  return startChild("portal", [...PORTAL_NODE_ARGS, STANDALONE_SERVER], {
    ...env,
    ...standaloneServerEnv(PORTAL_PORT, "127.0.0.1"),
  });
}

function startPeerProcess(): Child {
  return startChild("peer", ["--import", "tsx", "scripts/bench/peer.ts"], {
    NODE_ENV: "production",
    PEER_PORT: String(PEER_PORT),
    PEER_ACS_CONNECTION_STRING: ACS_VIA_PROXY,
    PEER_JWKS_URI: `${EMULATOR_URL}/common/discovery/v2.0/keys`,
    PEER_AUDIENCE: ACS_AUDIENCE,
    PEER_ISSUER: CONTOSO_ISSUER,
    PEER_CLIENT_ID: DEMO.sampleClientId,
  });
}

let proxy: LatencyProxy | undefined;
/** (Re)starts the network with this round trip; open connections are cut, so the next requests reconnect. */
async function setNetwork(rttMs: number): Promise<void> {
  await proxy?.close();
  proxy = await startLatencyProxy({ port: PROXY_PORT, targetPort: EMULATOR_PORT, oneWayMs: rttMs / 2 });
}

/** The running servers' process ids, for their CPU time. */
const pids = { portal: 0, peer: 0 };
const cpuNow = () => ({ portal: cpuMs(pids.portal), peer: cpuMs(pids.peer) });

async function servers(standIn: "on" | "off", portalEnv: Record<string, string>) {
  const emulator = startStandIn(standIn);
  await waitFor(`${EMULATOR_URL}/common/v2.0/.well-known/openid-configuration`, "The stand-in");
  const portal = startPortal(portalEnv);
  const peer = startPeerProcess();
  await waitFor(`http://127.0.0.1:${PORTAL_PORT}/api/health`, "The portal");
  // The peer answers 401 without a token once it listens.
  await waitFor(`http://127.0.0.1:${PEER_PORT}/api/token/teams`, "The peer", 60_000, 401);
  pids.portal = portal.process.pid as number;
  pids.peer = peer.process.pid as number;
  return { emulator, portal, peer };
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers …`);
    void Promise.all([stopAllChildren(), proxy?.close()]).finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- the three ways to ask for a token

interface User {
  token: string;
  oid: string;
}

const mintTokens = (count: number) => mintTokensFor(Array.from({ length: count }, () => randomUUID()));

/** A new Entra token (3 600 s) for each of these synthetic Contoso users of the sample app. */
async function mintTokensFor(oids: string[]): Promise<User[]> {
  const users: User[] = [];
  for (let batch = 0; batch < oids.length; batch += 25) {
    users.push(
      ...(await Promise.all(
        oids.slice(batch, batch + 25).map(async (oid) => {
          const res = await fetch(`${EMULATOR_URL}/_emulator/mint`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              tenantId: DEMO.tenants.contoso,
              oid,
              appId: DEMO.sampleClientId,
              lifetimeSeconds: 3_600,
            }),
          });
          if (!res.ok) throw new Error(`mint: ${res.status} ${await res.text()}`);
          return { token: ((await res.json()) as { access_token: string }).access_token, oid };
        }),
      )),
    );
  }
  return users;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
/** The portal's API for apps: POST /api/teams-token with the Entra token as Bearer (cached unless forced). */
const askPortal = (user: User, options: { force?: boolean; timeoutMs?: number } = {}) =>
  call(
    PORTAL_PORT,
    "POST",
    "/api/teams-token",
    bearer(user.token),
    options.force ? '{"forceRefresh":true}' : undefined,
    options.timeoutMs,
  );
/** The peer's GET /api/token/teams with the same Bearer token. */
const askPeer = (user: User, timeoutMs?: number) =>
  call(PEER_PORT, "GET", "/api/token/teams", { authorization: `Bearer ${user.token}` }, undefined, timeoutMs);
const ping = () => call(PORTAL_PORT, "GET", "/api/ping", {});

/** The same exchange from the bench process with the SDK (no HTTP server at all): for information. */
const sdk = new CommunicationIdentityClient(ACS_VIA_PROXY, { allowInsecureConnection: true });
async function askSdk(user: User): Promise<Answer> {
  const started = performance.now();
  await sdk.getTokenForTeamsUser({
    teamsUserAadToken: user.token,
    clientId: DEMO.sampleClientId,
    userObjectId: user.oid,
  });
  return { status: 200, ms: performance.now() - started };
}

interface Stats {
  total: number;
  succeeded: number;
  failed: number;
  byUser: Record<string, number>;
}
async function standIn(name: "stats" | "reset"): Promise<Stats> {
  const res = await fetch(`${EMULATOR_URL}/_emulator/${name}`, { method: name === "stats" ? "GET" : "POST" });
  if (!res.ok) throw new Error(`stand-in ${name}: ${res.status}`);
  if (name === "reset") return { total: 0, succeeded: 0, failed: 0, byUser: {} };
  return ((await res.json()) as { exchanges: Stats }).exchanges;
}
const exchangesOf = (before: Stats, after: Stats, users: User[]) =>
  users.reduce((n, u) => n + (after.byUser[u.oid] ?? 0) - (before.byUser[u.oid] ?? 0), 0);

// ---------------------------------------------------------------- report

interface Row {
  scenario: string;
  metric: string;
  portal: string;
  peer: string;
  target: string;
  result: string;
}
const rows: Row[] = [];
const row = (r: Partial<Row> & Pick<Row, "scenario" | "metric" | "portal">) =>
  rows.push({ peer: "", target: "", result: "", ...r });
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mark = (ok: boolean) => (ok ? "met" : "NOT met");
const p50 = (values: number[]) => percentile(values, 50);
const p99 = (values: number[]) => percentile(values, 99);

function printTable(): void {
  const headers: Row = {
    scenario: "scenario",
    metric: "metric",
    portal: "portal",
    peer: "peer (sample design)",
    target: "target",
    result: "result",
  };
  const keys = Object.keys(headers) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(headers[k].length, ...rows.map((r) => r[k].length)));
  const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

// ---------------------------------------------------------------- scenarios

/** (1) Every request an exchange with a token never seen: portal, peer and the SDK direct, in rotating order. */
async function uncached(rtt: number): Promise<void> {
  const [portalUsers, peerUsers, sdkUsers] = [
    await mintTokens(REQUESTS),
    await mintTokens(REQUESTS),
    await mintTokens(REQUESTS),
  ];
  const cpuBefore = cpuNow();
  const before = await standIn("stats");
  const t = { portal: [] as number[], peer: [] as number[], sdk: [] as number[] };
  const split = {
    verify: [] as number[],
    acs: [] as number[],
    handler: [] as number[],
    outside: [] as number[],
  };
  const sides = ["portal", "peer", "sdk"] as const;
  for (let i = 0; i < REQUESTS; i++) {
    for (let k = 0; k < 3; k++) {
      const side = sides[(i + k) % 3] as (typeof sides)[number];
      if (side === "portal") {
        const a = await expect200(askPortal(portalUsers[i] as User), "portal (uncached)");
        t.portal.push(a.ms);
        const handler = timingOf(a.serverTiming, "handler") ?? Number.NaN;
        split.verify.push(timingOf(a.serverTiming, "verify") ?? Number.NaN);
        split.acs.push(timingOf(a.serverTiming, "acs") ?? Number.NaN);
        split.handler.push(handler);
        split.outside.push(a.ms - handler);
      } else if (side === "peer") {
        t.peer.push((await expect200(askPeer(peerUsers[i] as User), "peer")).ms);
      } else {
        t.sdk.push((await askSdk(sdkUsers[i] as User)).ms);
      }
    }
  }
  const cpuAfter = cpuNow();
  const after = await standIn("stats");
  const portalExchanges = exchangesOf(before, after, portalUsers);
  const peerExchanges = exchangesOf(before, after, peerUsers);
  const label = `(1) uncached, c=1, RTT ${rtt} ms`;
  latencyRows(label, t, { limit: 1.05, target: "portal <= 1.05 x peer (stretch)", withDifference: true });
  row({
    scenario: label,
    metric: "exchanges",
    portal: `${portalExchanges} / ${REQUESTS}`,
    peer: `${peerExchanges} / ${REQUESTS}`,
    target: "one per request",
    result: mark(portalExchanges === REQUESTS && peerExchanges === REQUESTS),
  });
  row({
    scenario: "  SDK direct from the bench (no server)",
    metric: "p50",
    portal: "",
    peer: ms(p50(t.sdk)),
    result: "for information",
  });
  row({
    scenario: "  each server's CPU time per request (mean)",
    metric: "CPU",
    portal: ms((cpuAfter.portal - cpuBefore.portal) / REQUESTS),
    peer: ms((cpuAfter.peer - cpuBefore.peer) / REQUESTS),
  });
  row({
    scenario: "  each server's own time (p50 - SDK direct p50)",
    metric: "p50",
    portal: ms(p50(t.portal) - p50(t.sdk)),
    peer: ms(p50(t.peer) - p50(t.sdk)),
  });
  row({ scenario: "  of which: Bearer verification (verify)", metric: "p50", portal: ms(p50(split.verify)) });
  row({
    scenario: "  of which: the ACS call in the route (acs)",
    metric: "p50",
    portal: ms(p50(split.acs)),
    peer: `${ms(p50(t.sdk))} (SDK direct)`,
  });
  row({
    scenario: "  of which: the whole route handler (handler)",
    metric: "p50",
    portal: ms(p50(split.handler)),
  });
  row({
    scenario: "  of which: outside the route (total - handler)",
    metric: "p50",
    portal: ms(p50(split.outside)),
  });
}

/** A portal-versus-peer comparison's p50 row, judged by the ratio of the two, and its p99 row. */
function latencyRows(
  label: string,
  t: { portal: number[]; peer: number[] },
  { limit, target, withDifference = false }: { limit: number; target: string; withDifference?: boolean },
): void {
  const ratio = p50(t.portal) / p50(t.peer);
  const difference = p50(t.portal) - p50(t.peer);
  const shown = withDifference ? ` (${difference >= 0 ? "+" : ""}${ms(difference)})` : "";
  row({
    scenario: label,
    metric: "p50",
    portal: ms(p50(t.portal)),
    peer: ms(p50(t.peer)),
    target,
    result: `${ratio.toFixed(2)} x${shown} ${mark(ratio <= limit)}`,
  });
  row({ scenario: label, metric: "p99", portal: ms(p99(t.portal)), peer: ms(p99(t.peer)) });
}

/** (2) Each user asks REPEAT_TIMES times within the token's lifetime; portal and peer alternate, user by user. */
async function repeated(rtt: number): Promise<void> {
  const portalUsers = await mintTokens(REPEAT_USERS);
  const peerUsers = await mintTokens(REPEAT_USERS);
  const before = await standIn("stats");
  const t = { portal: [] as number[], peer: [] as number[] };
  for (let round = 0; round < REPEAT_TIMES; round++) {
    for (let u = 0; u < REPEAT_USERS; u++) {
      const portalFirst = (u + round) % 2 === 0;
      for (const side of portalFirst ? ["portal", "peer"] : ["peer", "portal"]) {
        if (side === "portal")
          t.portal.push((await expect200(askPortal(portalUsers[u] as User), "portal (repeat)")).ms);
        else t.peer.push((await expect200(askPeer(peerUsers[u] as User), "peer (repeat)")).ms);
      }
    }
  }
  const after = await standIn("stats");
  const portalExchanges = exchangesOf(before, after, portalUsers);
  const peerExchanges = exchangesOf(before, after, peerUsers);
  const label = `(2) ${REPEAT_USERS} users x ${REPEAT_TIMES}, c=1, RTT ${rtt} ms`;
  latencyRows(label, t, { limit: 0.2, target: "portal <= 0.2 x peer" });
  row({
    scenario: label,
    metric: "exchanges",
    portal: String(portalExchanges),
    peer: String(peerExchanges),
    target: `portal = ${REPEAT_USERS} (users)`,
    result: mark(portalExchanges === REPEAT_USERS),
  });
}

interface BurstResult {
  ok: number;
  throttled: number;
  other: number;
  late: number;
  okTimes: number[];
  exchanges: Stats;
  seconds: number;
  cpuPerRequest: number;
}

/** (3) Open-loop burst: request i from user i mod BURST_USERS, so each user asks again every BURST_USERS requests. */
async function burst(name: "portal" | "peer", ask: (user: User) => Promise<Answer>): Promise<BurstResult> {
  const users = await mintTokens(BURST_USERS);
  await standIn("reset"); // the stand-in's 30 s window starts empty for each side
  const cpuBefore = cpuMs(pids[name]);
  const started = performance.now();
  const answers = await openLoop(BURST_REQUESTS, BURST_SECONDS, (i) =>
    ask(users[i % BURST_USERS] as User).catch((error: Error) => ({
      status: error.message.includes("timed out") ? -1 : 0,
      ms: 0,
    })),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuPerRequest = (cpuMs(pids[name]) - cpuBefore) / BURST_REQUESTS;
  // Second by second (by arrival): where a side falls behind, and when it catches up.
  const perSecond = Math.ceil(BURST_REQUESTS / BURST_SECONDS);
  const bySecond = Array.from({ length: BURST_SECONDS }, (_, k) => {
    const ok = answers.slice(k * perSecond, (k + 1) * perSecond).filter((a) => a.status === 200);
    return ok.length ? p50(ok.map((a) => a.ms)).toFixed(0) : "-";
  });
  console.log(`    ${name}: p50 of the 200s by arrival second: ${bySecond.join(" ")} ms`);

  const result: BurstResult = {
    ok: 0,
    throttled: 0,
    other: 0,
    late: 0,
    okTimes: [],
    exchanges: await standIn("stats"),
    seconds,
    cpuPerRequest,
  };
  for (const a of answers) {
    if (a.status === 200) {
      result.ok++;
      result.okTimes.push(a.ms);
    } else if (a.status === 429 || a.status === 503) result.throttled++;
    else if (a.status === -1) result.late++;
    else result.other++;
  }
  return result;
}

async function underTheLimit(): Promise<void> {
  const patience = BURST_PATIENCE_SECONDS * 1000;
  // Warm-up, so the burst does not meet a cold JIT, within the portal's production limits: 40 exchanges (of its
  // 450 / 30 s budget), then cached answers (12 per user, of 30 / min), new tokens of the same users (verification,
  // then the cache) and the bare route. The stand-in's window is reset before each side's burst.
  const warm = await mintTokens(40);
  await runCount(warm.length, 4, (i) => expect200(askPortal(warm[i] as User), "portal warm-up"));
  await runCount(warm.length, 4, (i) => expect200(askPeer(warm[i] as User), "peer warm-up"));
  await runCount(warm.length * 12, 8, (i) =>
    expect200(askPortal(warm[i % warm.length] as User), "portal (cached)"),
  );
  const again = await mintTokensFor(warm.map((u) => u.oid));
  await runCount(again.length, 8, (i) =>
    expect200(askPortal(again[i] as User), "portal (new token, cached)"),
  );
  await runCount(500, 8, () => expect200(ping(), "ping"));
  const portal = await burst("portal", (u) => askPortal(u, { timeoutMs: patience }));
  const peer = await burst("peer", (u) => askPeer(u, patience));
  const label = `(3) ${BURST_REQUESTS} req / ${BURST_USERS} users in ${BURST_SECONDS} s, ACS limit on, RTT ${RTT_MS} ms`;
  const answersOf = (r: BurstResult) => `${r.ok} / ${r.throttled} / ${r.late} / ${r.other}`;
  row({
    scenario: label,
    metric: `200 / 429 / no answer in ${BURST_PATIENCE_SECONDS} s / other`,
    portal: answersOf(portal),
    peer: answersOf(peer),
    target: "portal: all 200, 0 throttled",
    result: `${mark(portal.ok === BURST_REQUESTS && portal.throttled === 0)}; peer throttled: ${peer.throttled + peer.late}`,
  });
  const spread = (values: number[]) =>
    `${[50, 90, 99].map((p) => (values.length ? percentile(values, p).toFixed(0) : "-")).join(" / ")} ms`;
  row({
    scenario: label,
    metric: "p50 / p90 / p99 of the 200s",
    portal: spread(portal.okTimes),
    peer: spread(peer.okTimes),
  });
  row({
    scenario: label,
    metric: "ACS answers (ok / 429)",
    portal: `${portal.exchanges.succeeded} / ${portal.exchanges.failed}`,
    peer: `${peer.exchanges.succeeded} / ${peer.exchanges.failed}`,
    result: `last answer after ${portal.seconds.toFixed(0)} s / ${peer.seconds.toFixed(0)} s`,
  });
  row({
    scenario: label,
    metric: "server CPU per request (mean)",
    portal: ms(portal.cpuPerRequest),
    peer: ms(peer.cpuPerRequest),
  });
}

async function coldStarts(): Promise<void> {
  const runs: ColdStart[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    runs.push(await measureColdStart({ root: ROOT, port: PORTAL_PORT, portalEnv: productionEnv }));
    await sleep(500);
  }
  const stat = (values: number[]) => `${ms(p50(values))} (max ${ms(Math.max(...values))})`;
  const health = runs.map((r) => r.healthMs);
  const root = runs.map((r) => r.rootMs);
  const statuses = [...new Set(runs.map((r) => r.rootStatus))].join(", ");
  row({
    scenario: `(4) cold start, ${COLD_RUNS} runs: spawn to first 200 of /api/health`,
    metric: "median",
    portal: stat(health),
    target: "<= 1.5 s",
    result: `${mark(p50(health) <= 1_500)} (max ${mark(Math.max(...health) <= 1_500)})`,
  });
  row({
    scenario: `(4) cold start, ${COLD_RUNS} runs: spawn to first answer of /`,
    metric: "median",
    portal: stat(root),
    target: "<= 1.5 s",
    result: `${mark(p50(root) <= 1_500)} (max ${mark(Math.max(...root) <= 1_500)}); status ${statuses}`,
  });
}

async function cachedVsPing(user: User): Promise<void> {
  const cached = () => askPortal(user).then((a) => a.status);
  const bare = () => ping().then((a) => a.status);
  await expect200(askPortal(user), "cached token");
  const half = THROUGHPUT_SECONDS / 2;
  const runs = {
    cached: [] as Awaited<ReturnType<typeof runFor>>[],
    ping: [] as Awaited<ReturnType<typeof runFor>>[],
  };
  runs.ping.push(await runFor(half, THROUGHPUT_CONCURRENCY, bare));
  runs.cached.push(await runFor(half, THROUGHPUT_CONCURRENCY, cached));
  runs.cached.push(await runFor(half, THROUGHPUT_CONCURRENCY, cached));
  runs.ping.push(await runFor(half, THROUGHPUT_CONCURRENCY, bare));
  const rate = (rs: Awaited<ReturnType<typeof runFor>>[]) =>
    rs.reduce((n, r) => n + r.requests, 0) / rs.reduce((s, r) => s + r.seconds, 0);
  const failures = [...runs.cached, ...runs.ping].reduce((n, r) => n + r.failures, 0);
  if (failures > 0) console.warn(`    non-200 answers in the throughput runs: ${failures}`);
  const ratio = rate(runs.cached) / rate(runs.ping);
  row({
    scenario: `(5) cached token vs bare route /api/ping, c=${THROUGHPUT_CONCURRENCY}`,
    metric: "req/s",
    portal: `${rate(runs.cached).toFixed(0)} (ping ${rate(runs.ping).toFixed(0)})`,
    target: ">= 50 % of ping",
    result: `${(ratio * 100).toFixed(0)} % ${mark(ratio >= 0.5)}`,
  });
}

async function soak(pid: number, users: User[], rssAtStart: number): Promise<void> {
  const rssBefore = rssMb(pid);
  const samples: number[] = [];
  const every = Math.max(1_000, (SOAK_SECONDS * 1000) / 20);
  const sampler = setInterval(() => samples.push(rssMb(pid)), every);
  const good = users[0] as User;
  const forged = { ...good, token: `${good.token.split(".").slice(0, 2).join(".")}.${"A".repeat(342)}` };
  const user = (i: number) => users[i % users.length] as User;
  const result = await runFor(SOAK_SECONDS, SOAK_CONCURRENCY, (i) => {
    const slot = i % 20;
    if (slot < 14) return askPortal(user(i)).then((a) => a.status); // cached
    if (slot < 17) return askPortal(user(i), { force: true }).then((a) => a.status); // an exchange
    if (slot < 19) return ping().then((a) => a.status);
    return askPortal(forged).then((a) => (a.status === 401 ? 200 : a.status));
  });
  clearInterval(sampler);
  await sleep(2_000);
  const rssAfter = rssMb(pid);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const growth =
    (mean(samples.slice(-third)) - mean(samples.slice(0, third))) / mean(samples.slice(0, third));
  const peak = Math.max(rssBefore, rssAfter, ...samples);
  if (result.failures > 0)
    console.warn(`    soak: ${result.failures} unexpected answers of ${result.requests}`);
  row({
    scenario: `(6) portal RSS, ${result.requests} mixed requests in ${result.seconds.toFixed(0)} s (${rssAtStart.toFixed(0)} MB at start)`,
    metric: "MB",
    portal: `${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} (peak ${peak.toFixed(0)})`,
    target: "< 300 MB, not growing",
    result: `${mark(peak < 300)}; trend ${(growth * 100).toFixed(1)} % ${mark(growth < 0.1)}`,
  });
  console.log(
    `    RSS samples every ${(every / 1000).toFixed(0)} s: ${samples.map((s) => s.toFixed(0)).join(" ")}`,
  );
}

// ---------------------------------------------------------------- the run

async function main(): Promise<void> {
  await buildIfNeeded({
    force: Boolean(process.env.BENCH_BUILD),
    needs: [".next/server/app/api/ping/route.js"],
  });
  for (const port of [PORTAL_PORT, EMULATOR_PORT, EMULATOR_PORT + 1, PEER_PORT, PROXY_PORT])
    await assertPortFree(port, "set the BENCH_*_PORT variables");
  const buildId = readFileSync(path.join(ROOT, ".next/BUILD_ID"), "utf8").trim();
  console.log(
    `Teams Token Portal vs the sample's design: production build ${buildId}, Node ${process.version}, ` +
      `${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? "?"}), ${new Date().toISOString()}, load average ${load()}`,
  );
  if (runs(1, 2, 5, 6)) await latencyAndLoad();
  if (runs(3)) await burstPhase();
  if (runs(4)) {
    // The stand-in is up as in the other phases, though the portal does not call it to start.
    console.log(`(4) cold start: ${COLD_RUNS} runs, load average ${load()} …`);
    const emulator = startStandIn("off");
    await waitFor(`${EMULATOR_URL}/common/v2.0/.well-known/openid-configuration`, "The stand-in");
    await coldStarts();
    await emulator.stop();
  }
  console.log(`\nLoad average at the end: ${load()}\n`);
  printTable();
}

/** Scenarios 1, 2, 5, 6: stand-in without its rate limit, the portal with the limits that count every request raised. */
async function latencyAndLoad(): Promise<void> {
  await setNetwork(0);
  const a = await servers("off", loadEnv);
  const pid = a.portal.process.pid as number;
  const rssAtStart = rssMb(pid);
  console.log(
    `Portal :${PORTAL_PORT} (pid ${pid}, node ${PORTAL_NODE_ARGS.join(" ") || "(no flags)"}), peer :${PEER_PORT}, ` +
      `stand-in :${EMULATOR_PORT}, ACS behind the latency proxy :${PROXY_PORT} (round trips ${RTTS.join(" and ")} ms).`,
  );
  const users = await mintTokens(USERS);
  const user = (i: number) => users[i % users.length] as User;
  // Warm-up: JIT on every side (a served portal is warm), JWKS fetches, keep-alive connections on all paths.
  console.log(`Warm-up: ${WARMUP} requests per path …`);
  await runCount(WARMUP, 10, (i) => expect200(askPortal(user(i), { force: true }), "portal warm-up"));
  await runCount(WARMUP, 10, (i) => expect200(askPeer(user(i)), "peer warm-up"));
  await runCount(WARMUP, 10, (i) => askSdk(user(i)));
  await runCount(WARMUP, 10, () => expect200(ping(), "ping"));
  await runCount(WARMUP, 10, (i) => expect200(askPortal(user(i)), "portal warm-up (cached)"));

  for (const rtt of runs(1, 2) ? RTTS : []) {
    await setNetwork(rtt);
    // The proxy's restart cut the connections to ACS: open them again on every side.
    await runCount(20, 2, async (i) => {
      await expect200(askPortal(user(i), { force: true }), "portal");
      await expect200(askPeer(user(i)), "peer");
      await askSdk(user(i));
    });
    if (runs(1)) {
      console.log(`(1) uncached, RTT ${rtt} ms: ${REQUESTS} requests per side, load average ${load()} …`);
      await uncached(rtt);
    }
    if (runs(2)) {
      console.log(`(2) repeat requests, RTT ${rtt} ms: ${REPEAT_USERS} users x ${REPEAT_TIMES} per side …`);
      await repeated(rtt);
    }
  }
  if (runs(1)) {
    const pingTimes: number[] = [];
    await runCount(REQUESTS, 1, async () => pingTimes.push((await expect200(ping(), "ping")).ms));
    row({
      scenario: "  the bare route GET /api/ping, c=1",
      metric: "p50",
      portal: ms(p50(pingTimes)),
      result: "HTTP hop + Next.js",
    });
  }
  await setNetwork(0);
  if (runs(5)) {
    console.log(
      `(5) cached token vs bare route: ${THROUGHPUT_SECONDS} s per side at concurrency ${THROUGHPUT_CONCURRENCY} …`,
    );
    await cachedVsPing(user(0));
  }
  if (runs(6)) {
    console.log(`(6) soak: ${SOAK_SECONDS} s of mixed load at concurrency ${SOAK_CONCURRENCY} …`);
    await soak(pid, users, rssAtStart);
  }
  await Promise.all([a.portal.stop(), a.peer.stop(), a.emulator.stop()]);
}

/** Scenario 3: the stand-in's ACS limit on, the portal with its production default limits, the network at RTT_MS. */
async function burstPhase(): Promise<void> {
  console.log(
    `(3) under the ACS limit: ${BURST_REQUESTS} requests from ${BURST_USERS} users over ${BURST_SECONDS} s per side, ` +
      `RTT ${RTT_MS} ms, load average ${load()} …`,
  );
  await setNetwork(RTT_MS);
  const b = await servers("on", productionEnv);
  await underTheLimit();
  await Promise.all([b.portal.stop(), b.peer.stop(), b.emulator.stop()]);
}

main()
  .catch((error: unknown) => {
    console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    agent.destroy();
    await Promise.all([stopAllChildren(), proxy?.close()]);
  });
