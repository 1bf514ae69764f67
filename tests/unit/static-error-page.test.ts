import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain ES module script without types
import { stripStaticErrorPages, withoutScripts } from "../../scripts/static-error-page.mjs";

const PAGE =
  '<!DOCTYPE html><html id="__next_error__"><head><link rel="preload" as="script" fetchPriority="low" href="/a.js"/>' +
  '<script src="/b.js" async=""></script><link rel="preload" href="/c.css" as="style"/><title>500</title></head>' +
  '<body><form><button type="submit">Reload</button></form><script>self.__next_f.push([1,"x"])</script></body></html>';

describe("the static 500 page after the build", () => {
  it("keeps the page, its styles and its form, and drops every script", () => {
    const html = withoutScripts(PAGE) as string;
    expect(html).not.toMatch(/<script|as="script"/);
    expect(html).toContain('<link rel="preload" href="/c.css" as="style"/>');
    expect(html).toContain('<form><button type="submit">Reload</button></form>');
  });

  it("rewrites 500.html and _global-error.html wherever the build put them, and nothing else", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "next-"));
    await mkdir(path.join(root, "server/pages"), { recursive: true });
    await mkdir(path.join(root, "standalone/.next/server/app"), { recursive: true });
    const files = [
      "server/pages/500.html",
      "standalone/.next/server/app/_global-error.html",
      "server/pages/x.html",
    ];
    for (const file of files) await writeFile(path.join(root, file), PAGE);
    expect(await stripStaticErrorPages(root)).toBe(2);
    expect(await readFile(path.join(root, files[0] as string), "utf8")).not.toContain("<script");
    expect(await readFile(path.join(root, files[1] as string), "utf8")).not.toContain("<script");
    expect(await readFile(path.join(root, files[2] as string), "utf8")).toBe(PAGE);
  });
});
