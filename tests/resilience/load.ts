import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO } from "../../scripts/demo-env";
import { rssMb } from "../../scripts/processes";
import { type Answer, call, control, mint, percentile, sessionCookie } from "./http";
import type { Stack } from "./servers";

/**
 * 200 concurrent clients for 60 s of mixed traffic: Bearer and session, cached and forced, some forged. A 429 with
 * Retry-After is what a limit says; a forged token's 401 with a BEARER_ code is the right answer; anything else
 * (a 5xx, a dropped connection, another code) is an unexpected error. A request still queued at the deadline is
 * counted apart as late: how long a queue grows depends on the machine (2 vCPUs shared with the load generator and
 * the stand-ins), so it is a figure to report, like a benchmark's, and not a wrong answer.
 */

const SECONDS = Number(process.env.RESILIENCE_LOAD_SECONDS ?? 60);
const CLIENTS = Number(process.env.RESILIENCE_CLIENTS ?? 200);
const BEARER_USERS = 1_500;
const SESSION_USERS = 500;
/** No answer within this long is an error. Generous: on a shared 2-core machine a queue forms under 200 clients. */
export const DEADLINE_MS = Number(process.env.RESILIENCE_LOAD_DEADLINE_MS ?? 30_000);

export interface LoadFigures {
  clients: number;
  seconds: number;
  requests: number;
  mix: string;
  unexpected: string[];
  unexpectedCount: number;
  /** Requests still unanswered at the deadline: a timing figure of this machine, reported, not a wrong answer. */
  late: number;
  limited: number;
  p50: number;
  p99: number;
  rssStart: number;
  rssEnd: number;
  upstream: string;
}

/** A Bearer token no key signs: a random kid and tenant, the right shape otherwise. */
function forged(): string {
  const tid = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return [
    part({ alg: "RS256", typ: "JWT", kid: randomBytes(12).toString("base64url") }),
    part({
      aud: "https://auth.msft.communication.azure.com",
      iss: `https://sts.windows.net/${tid}/`,
      tid,
      oid: randomUUID(),
      appid: DEMO.sampleClientId,
      scp: "Teams.ManageCalls Teams.ManageChats",
      iat: now,
      nbf: now,
      exp: now + 3_600,
    }),
    randomBytes(256).toString("base64url"),
  ].join(".");
}

async function inBatches<T>(count: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) out.push(...(await Promise.all(Array.from({ length: 25 }, make))));
  return out.slice(0, count);
}

type Kind = "bearer" | "session" | "forced" | "forged";
const pick = (r: number): Kind => (r < 0.5 ? "bearer" : r < 0.85 ? "session" : r < 0.9 ? "forced" : "forged");

export async function load(stack: Stack): Promise<LoadFigures> {
  const bearers = await inBatches(BEARER_USERS, async () => (await mint(stack.emulatorUrl)).access_token);
  const sessions = await inBatches(SESSION_USERS, () => sessionCookie(stack.emulatorUrl));
  const url = `${stack.portalUrl}/api/teams-token`;
  const request = (kind: Kind, n: number): Promise<Answer> => {
    if (kind === "session") {
      return call(
        url,
        {
          method: "POST",
          headers: {
            cookie: sessions[n % sessions.length] as string,
            origin: stack.portalUrl,
            "content-type": "application/json",
          },
          body: "{}",
        },
        DEADLINE_MS,
      );
    }
    const token = kind === "forged" ? forged() : (bearers[n % bearers.length] as string);
    return call(
      url,
      {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ forceRefresh: kind === "forced" }),
      },
      DEADLINE_MS,
    );
  };

  // Warm-up: every user's first token (these exchanges are the cache the load then reads).
  let cursor = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (cursor < BEARER_USERS + SESSION_USERS) {
        const n = cursor++;
        await (n < BEARER_USERS ? request("bearer", n) : request("session", n - BEARER_USERS));
      }
    }),
  );
  await sleep(1_000);
  const pid = stack.portal.process.pid;
  const rssStart = Math.round(rssMb(pid));
  const before = (await control(stack.emulatorUrl, "stats")) as {
    exchanges: { total: number };
    keyFetches: { common: number; tenant: number };
  };

  const latencies: number[] = [];
  const unexpected = new Map<string, number>();
  const counts: Record<Kind, number> = { bearer: 0, session: 0, forced: 0, forged: 0 };
  let limited = 0;
  let late = 0;
  const endAt = performance.now() + SECONDS * 1_000;
  let sequence = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < endAt) {
        const n = sequence++;
        const kind = pick(Math.random());
        counts[kind] += 1;
        const answer = await request(kind, n);
        latencies.push(answer.ms);
        if (answer.status === 200 && kind !== "forged") continue;
        if (answer.status === 429 && answer.headers.get("retry-after")) {
          limited += 1;
          continue;
        }
        if (answer.failed === "deadline") {
          late += 1;
          continue;
        }
        // A forged token: refused by its signature's key, or its tenant when an allow-list is set.
        if (kind === "forged" && answer.status === 401 && answer.code?.startsWith("BEARER_")) continue;
        if (kind === "forged" && answer.status === 403 && answer.code === "TENANT_NOT_ALLOWED") continue;
        const what = `${kind}: ${answer.status} ${answer.code ?? answer.failed ?? answer.body.slice(0, 80)}`;
        unexpected.set(what, (unexpected.get(what) ?? 0) + 1);
      }
    }),
  );
  await sleep(2_000);
  const rssEnd = Math.round(rssMb(pid));
  const after = (await control(stack.emulatorUrl, "stats")) as typeof before;
  latencies.sort((a, b) => a - b);
  return {
    clients: CLIENTS,
    seconds: SECONDS,
    requests: latencies.length,
    mix: Object.entries(counts)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(", "),
    unexpected: [...unexpected].map(([what, count]) => `${count} × ${what}`),
    unexpectedCount: [...unexpected.values()].reduce((a, b) => a + b, 0),
    late,
    limited,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rssStart,
    rssEnd,
    upstream: `${after.exchanges.total - before.exchanges.total} / ${after.keyFetches.common - before.keyFetches.common}, ${after.keyFetches.tenant - before.keyFetches.tenant}`,
  };
}
