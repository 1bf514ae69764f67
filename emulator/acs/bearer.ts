import type { IncomingMessage } from "node:http";
import { COMMUNICATION_RBAC_AUDIENCE } from "../data";
import type { KeyStore } from "../entra/keys";

/**
 * Entra (RBAC) auth: a Bearer token from the managed-identity endpoint, audience https://communication.azure.com,
 * signed by the Entra stand-in and not expired, whose principal (`oid`) holds the Contributor role on the resource
 * (`contributors`). Accepted only on the HTTPS listener (the SDK refuses Bearer over http).
 */
export async function verifyBearer(
  req: IncomingMessage,
  keys: KeyStore,
  contributors: ReadonlySet<string>,
): Promise<boolean> {
  const auth = req.headers.authorization ?? "";
  const match = /^Bearer (.+)$/i.exec(auth);
  if (!match?.[1]) return false;
  const claims = await keys.verifySignature(match[1].trim());
  if (!claims) return false;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) return false;
  if (typeof claims.nbf === "number" && claims.nbf > now + 300) return false;
  const aud = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "") : "";
  if (aud !== COMMUNICATION_RBAC_AUDIENCE) return false;
  if (typeof claims.iss !== "string" || !claims.iss.startsWith("https://sts.windows.net/")) return false;
  // A valid token of a principal without the role: ACS answers the same 401 Denied.
  return typeof claims.oid === "string" && contributors.has(claims.oid.toLowerCase());
}

export function isBearer(req: IncomingMessage): boolean {
  return /^Bearer /i.test(req.headers.authorization ?? "");
}
