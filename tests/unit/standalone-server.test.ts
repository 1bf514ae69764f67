import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import pkg from "@/package.json" with { type: "json" };
import { standaloneServerCommand } from "@/scripts/standalone-server";

/** One server for every target: what the end-to-end suite starts is what `npm start` and the image run. */
describe("the production server", () => {
  it("is Next's standalone output, completed after every build", () => {
    expect(nextConfig.output).toBe("standalone");
    expect(pkg.scripts.postbuild).toBe("tsx scripts/standalone.ts");
  });

  it("npm start runs the same command as the end-to-end suite (standalone server.js, heap cap)", () => {
    expect(pkg.scripts.start).toBe(standaloneServerCommand);
    expect(standaloneServerCommand).toBe("node --max-old-space-size=192 .next/standalone/server.js");
  });
});
