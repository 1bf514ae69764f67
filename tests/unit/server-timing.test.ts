import { describe, expect, it } from "vitest";
import { createServerTiming } from "@/lib/http/server-timing";

describe("createServerTiming", () => {
  it("records each measured step, also when it throws, in the W3C header syntax", async () => {
    let clock = 0;
    const timing = createServerTiming(() => clock);
    await timing.measure("verify", async () => {
      clock += 1.234;
    });
    await expect(
      timing.measure("acs", async () => {
        clock += 20;
        throw new Error("upstream");
      }),
    ).rejects.toThrow("upstream");
    timing.record("store", 0.5);
    expect(timing.header()).toBe("verify;dur=1.23, acs;dur=20.00, store;dur=0.50");
  });

  it("is empty when nothing was measured, and refuses a name that would break the header", () => {
    const timing = createServerTiming();
    expect(timing.header()).toBe("");
    expect(() => timing.record("a;dur=1, b", 1)).toThrow();
  });
});
