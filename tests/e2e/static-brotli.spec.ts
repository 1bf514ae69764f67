import { request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { PORTAL_PORT } from "../../playwright.config";
import { expect, test } from "./fixtures";

/**
 * The standalone server sends the build's scripts in brotli to browsers that take it (scripts/brotli-static.mjs),
 * with the headers Next sends, and falls back to Next's gzip for everyone else.
 */

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The bytes as sent (node:http does not decompress). */
function raw(path: string, headers: Record<string, string>, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: PORTAL_PORT, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

test("Chromium gets every script of a page in brotli", async ({ page }) => {
  const scripts: { url: string; encoding: string | undefined }[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") {
      scripts.push({ url: response.url(), encoding: response.headers()["content-encoding"] });
    }
  });
  await page.goto("/", { waitUntil: "networkidle" });
  expect(scripts.length).toBeGreaterThan(2);
  expect(scripts.filter((s) => s.encoding !== "br")).toEqual([]);
});

test("brotli, gzip and identity carry the same script, with Next's headers", async ({ page }) => {
  let scriptPath = "";
  page.on("request", (request) => {
    if (!scriptPath && request.resourceType() === "script") scriptPath = new URL(request.url()).pathname;
  });
  await page.goto("/", { waitUntil: "networkidle" });
  expect(scriptPath).toMatch(/^\/_next\/static\/.+\.js$/);

  const plain = await raw(scriptPath, { "accept-encoding": "identity" });
  const brotli = await raw(scriptPath, { "accept-encoding": "gzip, deflate, br, zstd" });
  const gzip = await raw(scriptPath, { "accept-encoding": "gzip" });
  const refused = await raw(scriptPath, { "accept-encoding": "br;q=0, gzip" });

  expect(plain.status).toBe(200);
  expect(brotli.headers["content-encoding"]).toBe("br");
  expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
  expect(gzip.headers["content-encoding"]).toBe("gzip");
  expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
  expect(refused.headers["content-encoding"]).toBe("gzip");
  expect(brotli.body.length).toBeLessThan(gzip.body.length);
  for (const header of ["x-content-type-options", "x-frame-options", "referrer-policy", "cache-control"]) {
    expect(brotli.headers[header], header).toBe(plain.headers[header]);
  }
  expect(brotli.headers["x-content-type-options"]).toBe("nosniff");
  expect(brotli.headers["content-type"]).toMatch(/^text\/javascript/);
  expect(brotli.headers.vary).toMatch(/Accept-Encoding/i);

  const head = await raw(scriptPath, { "accept-encoding": "br" }, "HEAD");
  expect(head.status).toBe(200);
  expect(head.body.length).toBe(0);
});

test("a static path answers 404 when unknown and 405 to other methods, never 500", async () => {
  expect((await raw("/_next/static/chunks/not-built.js", { "accept-encoding": "br" })).status).toBe(404);
  for (const method of ["POST", "PUT", "DELETE"]) {
    const answer = await raw("/_next/static/chunks/not-built.js", {}, method);
    expect(answer.status, method).toBe(405);
    expect(answer.headers.allow).toBe("GET, HEAD");
  }
});

test("the framework's scripts carry V8's eager-compile hint, in every encoding; the page's own chunks do not", async ({
  page,
}) => {
  const paths: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") paths.push(new URL(request.url()).pathname);
  });
  await page.goto("/", { waitUntil: "networkidle" });
  const hint = "//# allFunctionsCalledOnLoad\n";
  const scripts = await Promise.all(
    paths.map(async (path) => {
      const plain = await raw(path, { "accept-encoding": "identity" });
      const brotli = await raw(path, { "accept-encoding": "br" });
      const body = plain.body.toString("utf8");
      return {
        path,
        size: plain.body.length,
        hinted: body.startsWith(hint),
        sameInBrotli: brotliDecompressSync(brotli.body).equals(plain.body),
      };
    }),
  );
  expect(scripts.filter((s) => !s.sameInBrotli)).toEqual([]);
  const hinted = scripts.filter((s) => s.hinted);
  // React DOM, the App Router, the RSC client and the Turbopack runtime; the largest script is React DOM's.
  expect(hinted.length).toBeGreaterThanOrEqual(3);
  const largest = scripts.reduce((a, b) => (b.size > a.size ? b : a));
  expect(largest.hinted).toBe(true);
  expect(scripts.some((s) => !s.hinted)).toBe(true);
});
