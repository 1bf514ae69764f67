import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_PATTERN = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/;

/**
 * Verifies access-key (HMAC-SHA256) auth exactly as @azure/communication-common signs it (FACTS §1):
 * METHOD\n pathAndQuery\n date;host;contentHash — with x-ms-content-sha256 matching the body and a fresh x-ms-date.
 */
export function verifyHmac(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  accessKey: string,
  now = Date.now(),
): boolean {
  const auth = req.headers.authorization ?? "";
  const match = AUTH_PATTERN.exec(auth);
  if (match?.[1]?.toLowerCase() !== "x-ms-date;host;x-ms-content-sha256") return false;
  const date = header(req, "x-ms-date") ?? header(req, "date");
  const contentHash = header(req, "x-ms-content-sha256");
  const host = header(req, "host");
  if (!date || !contentHash || !host) return false;
  const when = Date.parse(date);
  if (Number.isNaN(when) || Math.abs(now - when) > MAX_SKEW_MS) return false;
  if (createHash("sha256").update(body).digest("base64") !== contentHash) return false;
  const query = url.searchParams.toString();
  const pathAndQuery = query ? `${url.pathname}?${query}` : url.pathname;
  const stringToSign = `${req.method}\n${pathAndQuery}\n${date};${host};${contentHash}`;
  const expected = createHmac("sha256", Buffer.from(accessKey, "base64"))
    .update(stringToSign, "utf8")
    .digest();
  const given = Buffer.from(match[2] ?? "", "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
