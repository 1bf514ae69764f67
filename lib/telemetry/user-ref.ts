import "server-only";
import { createHmac } from "node:crypto";

/**
 * A stable, non-reversible reference to a user for spans and logs: HMAC-SHA256 of tenant and object id under a key
 * derived from AUTH_SECRET, 16 characters. It lets an operator see "the same user failed five times" without the
 * telemetry store holding directory object ids (personal data that outlives the portal's own 12-hour sessions).
 * A plain hash would not do: object ids are enumerable by anyone with directory access.
 */
export function userRef(secret: string, tenantId: string, objectId: string): string {
  return createHmac("sha256", `telemetry-user-ref:${secret}`)
    .update(`${tenantId.toLowerCase()}:${objectId.toLowerCase()}`)
    .digest("base64url")
    .slice(0, 16);
}
