import "server-only";
import {
  CommunicationIdentityClient,
  type CommunicationIdentityClientOptions,
} from "@azure/communication-identity";
import type { TokenCredential } from "@azure/identity";
import { acsTokenCredential } from "@/lib/acs/credential";
import { boundedThrottlingPolicy } from "@/lib/acs/throttle-policy";
import { getConfig, type PortalConfig } from "@/lib/config";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopback(endpoint: string): boolean {
  return LOOPBACK_HOSTS.has(new URL(endpoint).hostname);
}

export interface AcsClientOptions {
  /** Keyless modes only; defaults to the configured one (lib/acs/credential.ts). */
  credential?: TokenCredential;
  /** Vercel OIDC mode: where the OIDC token comes from (tests); default @vercel/oidc. */
  vercelOidcToken?: () => Promise<string>;
  /** A CA certificate (PEM) to trust besides the system ones: the local stand-in's throwaway certificate. */
  tlsCa?: string;
}

export function createAcsClient(
  config: PortalConfig,
  options: AcsClientOptions = {},
): CommunicationIdentityClient {
  const clientOptions: CommunicationIdentityClientOptions = {
    retryOptions: {
      maxRetries: config.env.ACS_MAX_RETRIES,
      maxRetryDelayInMs: config.env.ACS_MAX_RETRY_DELAY_MS,
    },
    additionalPolicies: [
      { policy: boundedThrottlingPolicy(config.env.ACS_MAX_RETRY_DELAY_MS), position: "perRetry" },
    ],
    // Plain http is only ever the local stand-in; a real ACS endpoint keeps TLS enforced.
    ...(isLoopback(config.acs.endpoint) ? { allowInsecureConnection: true } : {}),
    ...(options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {}),
  };
  if (config.acs.kind === "access-key") {
    return new CommunicationIdentityClient(config.acs.connectionString, clientOptions);
  }
  const credential =
    options.credential ??
    acsTokenCredential(config.acs, { tlsCa: options.tlsCa, vercelOidcToken: options.vercelOidcToken });
  return new CommunicationIdentityClient(config.acs.endpoint, credential, clientOptions);
}

let shared: CommunicationIdentityClient | undefined;

/** The process-wide client: it holds keep-alive connections and, with managed identity, a token cache. */
export function getAcsClient(): CommunicationIdentityClient {
  shared ??= createAcsClient(getConfig());
  return shared;
}
