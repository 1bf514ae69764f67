import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key used only for cached tokens, so AUTH_SECRET itself never touches Redis-bound data. */
export function deriveCacheKey(authSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret, "teams-token-portal", "redis token cache v1", 32));
}

/** AES-256-GCM; the Redis key is the associated data, so a value copied under another user's key fails to open. */
export function sealValue(key: Buffer, plaintext: string, boundTo: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

/** `undefined` for anything that does not open (tampered, other key, AUTH_SECRET rotated): a cache miss. */
export function openValue(key: Buffer, sealed: string, boundTo: string): string | undefined {
  const [version, payload] = sealed.split(".");
  if (version !== VERSION || !payload) return undefined;
  const bytes = Buffer.from(payload, "base64url");
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return undefined;
  }
}
