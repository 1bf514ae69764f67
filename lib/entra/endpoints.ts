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
