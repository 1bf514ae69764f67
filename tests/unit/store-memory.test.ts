import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createMemoryStore } from "@/lib/store/memory";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("memory store: tokens", () => {
  it("returns a token until its TTL ends", async () => {
    const time = clock();
    const store = createMemoryStore({ now: time.now });
    await store.setToken("k", "v", 60);
    expect(await store.getToken("k")).toBe("v");
    time.advance(59_999);
    expect(await store.getToken("k")).toBe("v");
    time.advance(1);
    expect(await store.getToken("k")).toBeUndefined();
  });

  it("keeps keys apart and ignores a non-positive TTL", async () => {
    const store = createMemoryStore();
    await store.setToken("a", "1", 60);
    await store.setToken("b", "2", 0);
    expect(await store.getToken("a")).toBe("1");
    expect(await store.getToken("b")).toBeUndefined();
  });

  it("stays within its size bound, dropping the oldest first", async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    for (const key of ["a", "b", "c", "d"]) await store.setToken(key, key, 60);
    expect(await store.getToken("a")).toBeUndefined();
    expect(await Promise.all(["b", "c", "d"].map((k) => store.getToken(k)))).toEqual(["b", "c", "d"]);
  });
});

describe("memory store: single-flight", () => {
  it("runs fn exactly once for 50 concurrent callers, all get its result", async () => {
    const store = createMemoryStore();
    let calls = 0;
    const fn = async () => {
      calls += 1;
      await sleep(20);
      return `result-${calls}`;
    };
    const results = await Promise.all(Array.from({ length: 50 }, () => store.singleFlight("k", fn)));
    expect(calls).toBe(1);
    expect(new Set(results)).toEqual(new Set(["result-1"]));
  });

  it("shares a failure with the waiters, then lets the next call run again", async () => {
    const store = createMemoryStore();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      await sleep(5);
      throw new Error("upstream down");
    };
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, () => store.singleFlight("k", failing)),
    );
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    expect(calls).toBe(1);
    expect(await store.singleFlight("k", async () => "ok")).toBe("ok");
  });

  it("runs different keys independently", async () => {
    const store = createMemoryStore();
    let calls = 0;
    await Promise.all(["a", "b", "c"].map((k) => store.singleFlight(k, async () => ++calls)));
    expect(calls).toBe(3);
  });
});

describe("memory store: rate limits", () => {
  it("allows `limit` requests per window, then tells how long to wait", async () => {
    const time = clock();
    const store = createMemoryStore({ now: time.now });
    for (let i = 0; i < 3; i++)
      expect(await store.consumeRate("u", 3, 60)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    time.advance(15_500);
    expect(await store.consumeRate("u", 3, 60)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(await store.consumeRate("other", 3, 60)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    time.advance(44_500);
    expect(await store.consumeRate("u", 3, 60)).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it("reports itself healthy", async () => {
    expect(await createMemoryStore().health()).toEqual({ kind: "memory", healthy: true });
  });
});
