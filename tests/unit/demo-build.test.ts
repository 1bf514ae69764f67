import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCurrent } from "@/components/nav-links";
import { isBuildFresh } from "../../scripts/demo-build";

describe("the demo's production build is reused only while the sources are unchanged", () => {
  it("builds when there is no build, reuses a newer one, and builds again after a change", () => {
    const root = mkdtempSync(join(tmpdir(), "demo-build-"));
    mkdirSync(join(root, "app"));
    writeFileSync(join(root, "app", "page.tsx"), "x");
    expect(isBuildFresh(root)).toBe(false);

    mkdirSync(join(root, ".next", "standalone"), { recursive: true });
    writeFileSync(join(root, ".next", "BUILD_ID"), "id");
    // A build without the standalone server is not reused.
    expect(isBuildFresh(root)).toBe(false);
    writeFileSync(join(root, ".next", "standalone", "server.js"), "");
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, "app", "page.tsx"), past, past);
    utimesSync(join(root, "app"), past, past);
    expect(isBuildFresh(root)).toBe(true);

    writeFileSync(join(root, "app", "page.tsx"), "changed");
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, "app", "page.tsx"), later, later);
    expect(isBuildFresh(root)).toBe(false);
  });
});

describe("the navigation marks the current page", () => {
  it("matches the page itself and the pages below it, nothing else", () => {
    expect(isCurrent("/admin", "/admin")).toBe(true);
    expect(isCurrent("/admin", "/admin/service-principal")).toBe(true);
    expect(isCurrent("/admin", "/administer")).toBe(false);
    expect(isCurrent("/consent", "/")).toBe(false);
  });
});
