import "server-only";
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { PortalError } from "@/lib/errors";
import { upstreamCall } from "@/lib/telemetry/trace";
import { tokenEndpoint } from "./endpoints";
import { signInScopes } from "./scopes";

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().optional(),
});

const errorResponse = z.object({ error: z.string(), error_description: z.string().optional() });

export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scope: string | undefined;
}

/** Bounded as well as expiring: a burst of sessions cannot grow it beyond `max`. */
const recent = new LRUCache<string, Promise<RefreshedTokens>>({ max: 10_000, ttl: 60_000 });

/**
 * Renews the Entra access token at the user's own tenant. Requests of one session that carry the same refresh
 * token share one redemption, and its result is remembered for a minute: Entra rotates refresh tokens, and a
 * request still holding the previous cookie must not redeem the old one a second time.
 */
export function refreshEntraTokens(refreshToken: string, tenantId: string): Promise<RefreshedTokens> {
  // Keyed by a hash so that no refresh token sits in memory longer than its request needs it.
  const key = createHash("sha256").update(refreshToken).digest("base64url");
  const known = recent.get(key);
  if (known) return known;
  const result = redeem(refreshToken, tenantId);
  recent.set(key, result);
  result.catch(() => recent.delete(key));
  return result;
}

function redeem(refreshToken: string, tenantId: string): Promise<RefreshedTokens> {
  return upstreamCall("entra.refresh", (span) => {
    span.setAttribute("portal.tenant_id", tenantId);
    return redeemAtEntra(refreshToken, tenantId);
  });
}

async function redeemAtEntra(refreshToken: string, tenantId: string): Promise<RefreshedTokens> {
  const config = getConfig();
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: config.clientId,
    client_secret: config.env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
    refresh_token: refreshToken,
    scope: signInScopes(config.env.TEAMS_PHONE_ENABLED),
  });
  let response: Response;
  try {
    response = await fetch(tokenEndpoint(tenantId), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    throw new PortalError("ENTRA_UNAVAILABLE", { cause });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorResponse.safeParse(json);
    if (response.status >= 500 || !error.success) throw new PortalError("ENTRA_UNAVAILABLE");
    const aadsts = /AADSTS(\d+)/.exec(error.data.error_description ?? "")?.[1];
    const kind = /^[a-z_]{1,64}$/.test(error.data.error) ? error.data.error : "error";
    throw new PortalError("SESSION_EXPIRED", {
      detail: `Microsoft Entra ID refused to renew the sign-in (${kind}${aadsts ? `, AADSTS${aadsts}` : ""}).`,
    });
  }
  const tokens = tokenResponse.safeParse(json);
  if (!tokens.success)
    throw new PortalError("ENTRA_UNAVAILABLE", { detail: "Microsoft Entra ID answered unexpectedly." });
  return {
    accessToken: tokens.data.access_token,
    refreshToken: tokens.data.refresh_token ?? refreshToken,
    expiresAt: Math.floor(Date.now() / 1000) + tokens.data.expires_in,
    scope: tokens.data.scope,
  };
}
