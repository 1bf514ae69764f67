/**
 * Brotli for the build's static scripts and styles, in the standalone server itself (postbuild copies this file
 * next to server.js and hooks it in: scripts/standalone.ts).
 *
 * Why: Next's own server compresses with gzip only, and the framework's runtime alone (React 19 and the App Router,
 * loaded by every page) is about 128 KB in gzip but 109 KB in brotli. Vercel and CDNs send brotli themselves; a
 * container on Container Apps or App Service has no compressing proxy in front. The files are compressed once at
 * build time (quality 11), so serving them costs a lookup.
 *
 * What it answers: GET or HEAD of a file under /_next/static/ that the build compressed, from a client whose
 * Accept-Encoding takes br, with the headers Next would send (immutable caching, next.config's header rules). Every
 * other request, and any file or rule it is not sure about, goes to Next unchanged, except a method other than GET
 * or HEAD under /_next/static/, which gets a 405 here instead of Next's 500.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";

// RFC 9239: text/javascript is JavaScript's media type.
const CONTENT_TYPES = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** True when the Accept-Encoding header takes brotli (a q of 0 refuses it). */
export function acceptsBrotli(header) {
  if (typeof header !== "string") return false;
  return header.split(",").some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name?.trim() !== "br") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * `dir` is the standalone folder: .next/static holds `<file>.br` beside each listed file, .next/static-brotli.json
 * lists them (paths under /_next/static/), .next/routes-manifest.json has next.config's header rules.
 */
export function serveBrotliStatic(dir) {
  const files = new Set(JSON.parse(readFileSync(path.join(dir, ".next/static-brotli.json"), "utf8")).files);
  const rules = JSON.parse(readFileSync(path.join(dir, ".next/routes-manifest.json"), "utf8")).headers ?? [];
  const compiled = rules.map((rule) => ({
    regex: new RegExp(rule.regex),
    headers: rule.headers,
    conditional: Boolean(rule.has?.length || rule.missing?.length),
  }));
  /** Compressed bodies, read on first use: bounded by the build's own static folder. */
  const bodies = new Map();

  function serve(req, res) {
    const pathname = (req.url ?? "").split("?", 1)[0];
    if (!pathname.startsWith("/_next/static/")) return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      // Next answers these with a 500 (it renders a /405 page the App Router does not have).
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
      res.end("Method Not Allowed");
      return true;
    }
    if (!files.has(pathname)) return false;
    if (!acceptsBrotli(req.headers["accept-encoding"])) return false;
    const matching = compiled.filter((rule) => rule.regex.test(pathname));
    // A header rule with conditions is Next's to evaluate: leave such files to it.
    if (matching.some((rule) => rule.conditional)) return false;
    let body = bodies.get(pathname);
    if (!body) {
      try {
        body = readFileSync(path.join(dir, ".next/static", `${pathname.slice("/_next/static/".length)}.br`));
      } catch {
        // The folder was changed after the build (static files copied over it): Next serves the file as it is.
        files.delete(pathname);
        return false;
      }
      bodies.set(pathname, body);
    }
    for (const rule of matching) for (const { key, value } of rule.headers) res.setHeader(key, value);
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.setHeader("Content-Type", CONTENT_TYPES[path.extname(pathname)] ?? "application/octet-stream");
    res.setHeader("Content-Encoding", "br");
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader("Content-Length", body.length);
    res.statusCode = 200;
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  // Next's start-server creates its http server with one request listener: wrap that listener.
  const createServer = http.createServer;
  http.createServer = function createServerWithBrotli(...args) {
    const at = args.findIndex((arg) => typeof arg === "function");
    if (at !== -1) {
      const listener = args[at];
      args[at] = function brotliFirst(req, res) {
        if (!serve(req, res)) return listener.call(this, req, res);
      };
    }
    return createServer.apply(this, args);
  };
}
