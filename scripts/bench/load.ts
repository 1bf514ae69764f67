/**
 * Load generation for the benchmark: one HTTP/1.1 request (node:http over keep-alive, so the client costs little and
 * the server is what is measured), closed-loop runs by count or by time, an open-loop schedule, percentiles.
 */
import { Agent, request as httpRequest } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

export interface Answer {
  status: number;
  /** Server-Timing header, when the server sent one. */
  serverTiming?: string;
  ms: number;
}

/** Keep-alive connections; maxSockets high enough that an open-loop burst never queues in the client. */
export const agent = new Agent({ keepAlive: true, maxSockets: 4_096 });

export function call(
  port: number,
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 30_000,
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method,
        path: pathname,
        agent,
        headers: {
          host: `localhost:${port}`,
          ...headers,
          ...(body ? { "content-length": Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const serverTiming = res.headers["server-timing"];
        res.resume();
        res.once("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            ...(typeof serverTiming === "string" ? { serverTiming } : {}),
          }),
        );
        res.once("error", reject);
      },
    );
    // A deadline for the whole request (connecting included), not an idle timeout: "no answer within N s".
    const deadline = setTimeout(() => req.destroy(new Error("request timed out")), timeoutMs);
    req.once("close", () => clearTimeout(deadline));
    req.once("error", reject);
    req.end(body);
  });
}

/** One metric of a Server-Timing header ("verify;dur=0.31, acs;dur=41.6"), or undefined. */
export function timingOf(header: string | undefined, metric: string): number | undefined {
  const match = header ? new RegExp(`(?:^|, )${metric};dur=([\\d.]+)`).exec(header) : null;
  return match?.[1] ? Number(match[1]) : undefined;
}

export async function expect200(answer: Promise<Answer>, what: string): Promise<Answer> {
  const a = await answer;
  if (a.status !== 200) throw new Error(`${what} answered ${a.status}`);
  return a;
}

/** `count` operations, `concurrency` at a time. */
export async function runCount(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) await op(i);
    }),
  );
}

/** As many operations as fit in `seconds`, `concurrency` at a time. */
export async function runFor(
  seconds: number,
  concurrency: number,
  op: (i: number) => Promise<number>,
): Promise<{ requests: number; failures: number; seconds: number }> {
  const deadline = performance.now() + seconds * 1000;
  let requests = 0;
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const status = await op(next++).catch(() => 0);
        requests++;
        if (status !== 200) failures++;
      }
    }),
  );
  return { requests, failures, seconds: (performance.now() - started) / 1000 };
}

/**
 * Open loop: request i starts at i x (seconds / count) whatever the earlier ones are doing (as independent users
 * arrive), so a slow server meets the same arrivals as a fast one. Resolves when every request has ended.
 */
export async function openLoop<T>(
  count: number,
  seconds: number,
  op: (i: number) => Promise<T>,
): Promise<T[]> {
  const started = performance.now();
  const pending: Promise<T>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * seconds * 1000) / count;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(op(i));
  }
  return Promise.all(pending);
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
};
