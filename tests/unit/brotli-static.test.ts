import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module of the standalone folder, without types
import { serveBrotliStatic } from "../../scripts/brotli-static.mjs";

const createServer = http.createServer;
let folder = "";
let server: http.Server | undefined;

afterEach(async () => {
  http.createServer = createServer;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  rmSync(folder, { recursive: true, force: true });
});

/** A standalone folder listing two scripts as compressed; only a.js has its .br beside it. */
async function start(): Promise<string> {
  folder = mkdtempSync(path.join(tmpdir(), "brotli-static-"));
  mkdirSync(path.join(folder, ".next/static/chunks"), { recursive: true });
  writeFileSync(path.join(folder, ".next/static/chunks/a.js.br"), brotliCompressSync("a()"));
  writeFileSync(
    path.join(folder, ".next/static-brotli.json"),
    JSON.stringify({ files: ["/_next/static/chunks/a.js", "/_next/static/chunks/b.js"] }),
  );
  writeFileSync(path.join(folder, ".next/routes-manifest.json"), JSON.stringify({ headers: [] }));
  serveBrotliStatic(folder);
  server = http.createServer((_req, res) => res.end("from next"));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("serveBrotliStatic", () => {
  it("sends a listed script's .br to a client that accepts brotli", async () => {
    const base = await start();
    const answer = await fetch(`${base}/_next/static/chunks/a.js`, { headers: { "accept-encoding": "br" } });
    expect(answer.headers.get("content-encoding")).toBe("br");
    expect(await answer.text()).toBe("a()");
  });

  it("leaves a listed script whose .br is gone to Next instead of failing the request", async () => {
    const base = await start();
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(`${base}/_next/static/chunks/b.js`, {
        headers: { "accept-encoding": "br" },
      });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe("from next");
    }
  });
});
