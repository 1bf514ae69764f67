/**
 * The address a request came from, as the nearest proxy saw it: the right-most X-Forwarded-For entry (App Service,
 * Container Apps and Vercel append the peer's address; Next's own server sets it when absent). Left-hand entries are what the
 * client wrote and are never used. Only a key for per-client limits, never an identity: a client that reaches the
 * server directly can choose it, which is why every per-client limit has a portal-wide budget behind it.
 */
export function clientAddressOf(headers: Pick<Headers, "get">): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim().toLowerCase() ?? "";
  return /^[0-9a-f.:[\]]{2,64}$/.test(last) ? last : "unknown";
}
