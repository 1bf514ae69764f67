import { setTimeout as sleep } from "node:timers/promises";
import { type Answer, call, control, mint, problemsIn, sessionCookie } from "./http";
import type { Stack } from "./servers";

/**
 * Faults at ACS, at Entra (token endpoint during a refresh, key sets during Bearer verification, a key rotation) and
 * at Redis. Each answer must come within its deadline with the catalogue code the fault calls for; once the fault
 * clears, the time to the first success is measured.
 */

export interface FaultResult {
  name: string;
  ok: boolean;
  codes: string[];
  slowestMs: number;
  recoveryMs: number;
  why?: string;
}

/** The portal's exchange deadline is 5 s here (ACS_EXCHANGE_TIMEOUT_MS); an answer may add 2 s of its own work. */
const API_DEADLINE_MS = 7_000;
/** An Entra refresh is bounded by its 10 s fetch timeout. */
const REFRESH_DEADLINE_MS = 12_000;
const ADELE = { username: "adele@contoso.com", oid: "72a52e20-3380-413b-8a70-aa57a4194c13" };

const codeOf = (answer: Answer) => answer.code ?? (answer.status === 200 ? "OK" : `HTTP ${answer.status}`);

function bearerCall(stack: Stack, token: string, forceRefresh: boolean, deadlineMs = API_DEADLINE_MS) {
  return call(
    `${stack.portalUrl}/api/teams-token`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ forceRefresh }),
    },
    deadlineMs + 5_000,
  );
}

function sessionCall(stack: Stack, cookie: string, deadlineMs: number) {
  return call(
    `${stack.portalUrl}/api/teams-token`,
    {
      method: "POST",
      headers: { cookie, origin: stack.portalUrl, "content-type": "application/json" },
      body: "{}",
    },
    deadlineMs + 5_000,
  );
}

/** Polls `attempt` until it answers 200; the time from `since` to that answer. */
async function recovery(attempt: () => Promise<Answer>, since = performance.now()): Promise<number> {
  const giveUp = since + 60_000;
  while (performance.now() < giveUp) {
    const answer = await attempt();
    if (answer.status === 200) return performance.now() - since;
    await sleep(100);
  }
  return Number.POSITIVE_INFINITY;
}

async function check(
  name: string,
  answers: Answer[],
  expected: string[],
  deadlineMs: number,
  recover: () => Promise<number>,
): Promise<FaultResult> {
  const codes = [...new Set(answers.map(codeOf))];
  const slowestMs = Math.max(...answers.map((a) => a.ms));
  const problems = answers.flatMap((a) => problemsIn(a, [], true));
  const wrong = codes.filter((code) => !expected.includes(code));
  const recoveryMs = await recover();
  const why = [
    wrong.length > 0 ? `unexpected ${wrong.join(", ")} (expected ${expected.join(" or ")})` : "",
    slowestMs > deadlineMs ? `slowest answer ${Math.round(slowestMs)} ms > ${deadlineMs} ms` : "",
    problems.length > 0 ? problems.join("; ") : "",
    Number.isFinite(recoveryMs) ? "" : "no success within 60 s after the fault cleared",
  ]
    .filter(Boolean)
    .join("; ");
  return { name, ok: why === "", codes, slowestMs, recoveryMs, ...(why ? { why } : {}) };
}

export async function faults(stack: Stack): Promise<{ results: FaultResult[] }> {
  const results: FaultResult[] = [];
  const fresh = async () => (await mint(stack.emulatorUrl)).access_token;
  const newUserSucceeds = async () => bearerCall(stack, await fresh(), false);
  const inject = (body: Record<string, unknown>) => control(stack.emulatorUrl, "faults", body);
  const clear = () => control(stack.emulatorUrl, "reset");

  const acsFaults: [string, Record<string, unknown>, string[]][] = [
    ["ACS 429 (Retry-After 30 s)", { kind: "429", retryAfterSeconds: 30, count: 50 }, ["ACS_THROTTLED"]],
    ["ACS 500", { kind: "500", count: 50 }, ["ACS_UNAVAILABLE"]],
    ["ACS 503", { kind: "503", count: 50 }, ["ACS_UNAVAILABLE"]],
    ["ACS slow (10 s)", { kind: "delay", delayMs: 10_000, count: 50 }, ["ACS_TIMEOUT"]],
    ["ACS dropped connections", { kind: "drop", count: 50 }, ["ACS_UNAVAILABLE"]],
  ];
  for (const [name, fault, expected] of acsFaults) {
    await inject(fault);
    const answers = await Promise.all([
      bearerCall(stack, await fresh(), false),
      bearerCall(stack, await fresh(), true),
      bearerCall(stack, await fresh(), false),
    ]);
    await clear();
    results.push(await check(name, answers, expected, API_DEADLINE_MS, () => recovery(newUserSucceeds)));
  }

  // Entra's token endpoint down, then slow, while a session's access token needs renewing.
  const dueForRefresh = () =>
    sessionCookie(stack.emulatorUrl, { ...ADELE, withRefreshToken: true, expiresInSeconds: -60 });
  const refreshSucceeds = async () => sessionCall(stack, await dueForRefresh(), REFRESH_DEADLINE_MS);
  const sessionEnds = ["ENTRA_UNAVAILABLE", "SESSION_EXPIRED", "UNAUTHENTICATED"];
  for (const [name, fault] of [
    ["Entra token endpoint down during a refresh", { kind: "500", count: 50, target: "entra-token" }],
    [
      "Entra token endpoint slow (15 s) during a refresh",
      { kind: "delay", delayMs: 15_000, count: 5, target: "entra-token" },
    ],
  ] as const) {
    const cookie = await dueForRefresh();
    await inject(fault);
    const answers = [await sessionCall(stack, cookie, REFRESH_DEADLINE_MS)];
    await clear();
    results.push(
      await check(name, answers, sessionEnds, REFRESH_DEADLINE_MS, () => recovery(refreshSucceeds)),
    );
  }

  // The key endpoint down while a token signed with a new key needs it.
  await control(stack.emulatorUrl, "rotate-keys");
  await sleep(5_500); // past the key set's refetch cooldown, so the portal does ask
  await inject({ kind: "500", count: 50, target: "entra-keys" });
  {
    const answers = [await bearerCall(stack, await fresh(), false)];
    await clear();
    results.push(
      await check(
        "Entra key endpoint down during Bearer verification",
        answers,
        ["ENTRA_UNAVAILABLE"],
        API_DEADLINE_MS,
        () => recovery(newUserSucceeds),
      ),
    );
  }

  // A key rotation in the middle of traffic: tokens signed with the new key are accepted within seconds.
  {
    const before = [await newUserSucceeds()];
    const rotatedAt = performance.now();
    await control(stack.emulatorUrl, "rotate-keys");
    const answers = [...before, await newUserSucceeds()];
    results.push(
      await check(
        "key rotation mid-run",
        answers,
        ["OK", "BEARER_UNKNOWN_KEY", "RATE_LIMITED"],
        API_DEADLINE_MS,
        () => recovery(newUserSucceeds, rotatedAt),
      ),
    );
  }

  // Redis killed: every instance falls back to its own memory; restarted: shared again.
  {
    const known = await fresh();
    await bearerCall(stack, known, false);
    await stack.redis.stop();
    const answers = [
      await bearerCall(stack, known, false),
      await bearerCall(stack, await fresh(), false),
      await bearerCall(stack, await fresh(), true),
    ];
    const restartedAt = performance.now();
    await stack.restartRedis();
    const healthy = async (): Promise<Answer> => {
      const health = await call(`${stack.portalUrl}/api/health`);
      if (!health.body.includes('"healthy":true')) return { ...health, status: 503 };
      return newUserSucceeds();
    };
    results.push(
      await check("Redis killed and restarted", answers, ["OK"], API_DEADLINE_MS, () =>
        recovery(healthy, restartedAt),
      ),
    );
  }
  return { results };
}
