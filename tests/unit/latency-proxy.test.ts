import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LatencyProxy, startLatencyProxy } from "../../scripts/bench/latency-proxy";

/** The benchmark's network (scripts/bench/latency-proxy.ts): the round trip it adds, and that it changes nothing else. */

let upstream: Server;
let upstreamPort: number;
const proxies: LatencyProxy[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res.end(Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

async function proxy(oneWayMs: number): Promise<LatencyProxy> {
  const p = await startLatencyProxy({ port: 0, targetPort: upstreamPort, oneWayMs });
  proxies.push(p);
  return p;
}

function post(port: number, agent: Agent, body: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ ms: performance.now() - started, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.once("error", reject);
    req.end(body);
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function roundTrips(port: number, count: number): Promise<{ first: number; rest: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = (await post(port, agent, "hello")).ms;
    const rest: number[] = [];
    for (let i = 0; i < count; i++) rest.push((await post(port, agent, `request ${i}`)).ms);
    return { first, rest };
  } finally {
    agent.destroy();
  }
}

describe("latency proxy", () => {
  it("adds one 40 ms round trip per request on a kept-alive connection, and one more to open it", async () => {
    const direct = await roundTrips(upstreamPort, 10);
    const delayed = await roundTrips((await proxy(20)).port, 10);
    const added = median(delayed.rest) - median(direct.rest);
    expect(added).toBeGreaterThanOrEqual(38);
    expect(added).toBeLessThan(60);
    // A new connection pays the handshake's round trip first.
    expect(delayed.first).toBeGreaterThanOrEqual(78);
  });

  it("adds next to nothing at 0 ms", async () => {
    const direct = await roundTrips(upstreamPort, 20);
    const proxied = await roundTrips((await proxy(0)).port, 20);
    expect(median(proxied.rest) - median(direct.rest)).toBeLessThan(5);
  });

  it("delivers large bodies in order, both ways", async () => {
    const p = await proxy(5);
    const body = Array.from({ length: 20_000 }, (_, i) => `${i},`).join("");
    const agent = new Agent({ keepAlive: true });
    const answers = await Promise.all([1, 2, 3].map((n) => post(p.port, agent, `${n}:${body}`)));
    agent.destroy();
    expect(answers.map((a) => a.body)).toEqual([1, 2, 3].map((n) => `${n}:${body}`));
    expect(p.connections()).toBe(3);
  });
});
