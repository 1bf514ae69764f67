import "server-only";
import { getConfig } from "@/lib/config";

import { ENTRA_AUTHORITY } from "./scopes";

export { ENTRA_AUTHORITY };

/**
 * Real Entra URLs stay in every issuer and token; only the network call is sent to the local stand-in
 * when EMULATOR_URL is set (offline demo and tests). In production this is the identity function.
 */
export function routeToEntra(url: string | URL, emulatorUrl = getConfig().emulatorUrl): URL {
  const target = new URL(url);
  if (emulatorUrl && target.origin === ENTRA_AUTHORITY) {
    const local = new URL(emulatorUrl);
    target.protocol = local.protocol;
    target.host = local.host;
  }
  return target;
}

/** The issuers Entra writes into a tenant's tokens: v1 (sts.windows.net) and v2. */
export function expectedIssuers(tenantId: string): string[] {
  return [`https://sts.windows.net/${tenantId}/`, `${ENTRA_AUTHORITY}/${tenantId}/v2.0`];
}

/** The tenant id inside an Entra issuer of either shape, lower-cased; undefined for anything else. */
export function tenantIdOfIssuer(issuer: string): string | undefined {
  return /^https:\/\/(?:login\.microsoftonline\.com|sts\.windows\.net)\/([0-9a-f-]{36})\//i
    .exec(issuer)?.[1]
    ?.toLowerCase();
}

/** The tenant's signing keys (JWKS) URL, as Microsoft publishes it. */
export function jwksUrl(tenantId: string, emulatorUrl = getConfig().emulatorUrl): URL {
  return routeToEntra(`${ENTRA_AUTHORITY}/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`, emulatorUrl);
}

export function discoveryUrl(tenant: string): URL {
  return routeToEntra(
    `${ENTRA_AUTHORITY}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`,
  );
}

export function tokenEndpoint(tenant: string): URL {
  return routeToEntra(`${ENTRA_AUTHORITY}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`);
}
