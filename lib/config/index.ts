import "server-only";
import { type Env, parseEnv, trustsForwardedHeaders } from "./schema";

export { ConfigError } from "./schema";

export type AcsAuth =
  | { kind: "access-key"; endpoint: string; connectionString: string }
  | { kind: "managed-identity"; endpoint: string }
  /** Vercel's OIDC token, read per request, federated to an Entra workload identity (FACTS §6). */
  | {
      kind: "vercel-oidc";
      endpoint: string;
      tenantId: string;
      clientId: string;
      authorityHost: string | undefined;
    };

export interface PortalConfig {
  env: Env;
  clientId: string;
  issuer: string;
  /** Lower-case tenant ids; `null` means every organization may sign in. */
  allowedTenantIds: readonly string[] | null;
  /** Client apps whose tokens may be exchanged; always includes the portal itself. */
  allowedClientIds: readonly string[];
  allowedOrigins: readonly string[];
  acs: AcsAuth;
  /** Set only for offline runs on the local stand-ins. */
  emulatorUrl: string | undefined;
  /** Whether X-Forwarded-Host/-Proto may name the public origin (AUTH_TRUST_HOST=true, or on Vercel). */
  trustForwardedHeaders: boolean;
  /** Who sees this deployment's diagnostics: the app role, or one of these object ids. */
  admins: { role: string; objectIds: readonly string[] };
}

let cached: PortalConfig | undefined;

function endpointOf(connectionString: string): string {
  const match = /endpoint=([^;]+)/i.exec(connectionString);
  return new URL(match?.[1] ?? "").origin;
}

export function buildConfig(source: Record<string, string | undefined>): PortalConfig {
  const env = parseEnv(source);
  const clientId = env.AUTH_MICROSOFT_ENTRA_ID_ID.toLowerCase();
  const acs = acsAuthOf(env, source.VERCEL === "1");
  return {
    env,
    clientId,
    issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER,
    allowedTenantIds: env.ALLOWED_TENANT_IDS?.length ? env.ALLOWED_TENANT_IDS : null,
    allowedClientIds: [...new Set([clientId, ...(env.ALLOWED_CLIENT_IDS ?? [])])],
    allowedOrigins: env.ALLOWED_ORIGINS ?? [],
    acs,
    emulatorUrl: env.EMULATOR_URL ? new URL(env.EMULATOR_URL).origin : undefined,
    trustForwardedHeaders: trustsForwardedHeaders(source),
    admins: { role: env.ADMIN_ROLE, objectIds: env.ADMIN_OBJECT_IDS ?? [] },
  };
}

/**
 * Credentials for ACS, in this order (DESIGN): the connection string if given; else a TokenCredential: Vercel's OIDC
 * token federated to a workload identity (asked for, or on Vercel with AZURE_TENANT_ID and AZURE_CLIENT_ID set), else
 * the managed identity (DefaultAzureCredential).
 */
function acsAuthOf(env: Env, onVercel: boolean): AcsAuth {
  const wanted =
    env.ACS_CREDENTIAL ??
    (env.ACS_CONNECTION_STRING
      ? "connection-string"
      : onVercel && env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID
        ? "vercel-oidc"
        : "managed-identity");
  if (wanted === "connection-string" && env.ACS_CONNECTION_STRING) {
    return {
      kind: "access-key",
      endpoint: endpointOf(env.ACS_CONNECTION_STRING),
      connectionString: env.ACS_CONNECTION_STRING,
    };
  }
  const endpoint = new URL(env.ACS_ENDPOINT as string).origin;
  if (wanted === "vercel-oidc") {
    return {
      kind: "vercel-oidc",
      endpoint,
      tenantId: (env.AZURE_TENANT_ID as string).toLowerCase(),
      clientId: (env.AZURE_CLIENT_ID as string).toLowerCase(),
      authorityHost: env.AZURE_AUTHORITY_HOST,
    };
  }
  return { kind: "managed-identity", endpoint };
}

/** The validated configuration, parsed once per process. Throws ConfigError naming each bad variable. */
export function getConfig(): PortalConfig {
  cached ??= buildConfig(process.env);
  return cached;
}

export function isTenantAllowed(config: PortalConfig, tenantId: string): boolean {
  return config.allowedTenantIds === null || config.allowedTenantIds.includes(tenantId.toLowerCase());
}
