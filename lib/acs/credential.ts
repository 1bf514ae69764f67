import "server-only";
import { ClientAssertionCredential, DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { getVercelOidcToken } from "@vercel/oidc";
import type { AcsAuth } from "@/lib/config";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export interface AcsCredentialOptions {
  /** A CA certificate (PEM) to trust besides the system ones: the local stand-in's throwaway certificate. */
  tlsCa?: string;
  /** Where the Vercel OIDC token comes from; default @vercel/oidc (request header on Vercel, else VERCEL_OIDC_TOKEN). */
  vercelOidcToken?: () => Promise<string>;
}

/**
 * The TokenCredential of a keyless ACS set-up. On Vercel: Vercel's OIDC token, read on every token request (it is
 * short-lived and, on Vercel, arrives with the request), presented as a client assertion for the workload identity
 * it is federated to. Elsewhere: DefaultAzureCredential (managed identity on Azure; AZURE_CLIENT_ID picks a
 * user-assigned one).
 */
export function acsTokenCredential(
  acs: Exclude<AcsAuth, { kind: "access-key" }>,
  options: AcsCredentialOptions = {},
): TokenCredential {
  if (acs.kind === "managed-identity") return new DefaultAzureCredential();
  const readToken = options.vercelOidcToken ?? (() => getVercelOidcToken());
  const local = acs.authorityHost !== undefined && LOOPBACK_HOSTS.has(new URL(acs.authorityHost).hostname);
  return new ClientAssertionCredential(acs.tenantId, acs.clientId, readToken, {
    ...(acs.authorityHost ? { authorityHost: acs.authorityHost } : {}),
    // A local authority is not one Microsoft's instance discovery knows: never ask Microsoft about it.
    ...(local ? { disableInstanceDiscovery: true } : {}),
    ...(options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {}),
  });
}
