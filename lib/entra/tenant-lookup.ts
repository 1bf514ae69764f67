import "server-only";
import { discoveryUrl, tenantIdOfIssuer } from "@/lib/entra/endpoints";
import { GUID_PATTERN } from "@/lib/entra/scopes";
import { PortalError } from "@/lib/errors";
import { upstreamCall } from "@/lib/telemetry/trace";

/**
 * A verified domain → its tenant id, read from the `issuer` of the tenant's OpenID discovery document
 * (`https://login.microsoftonline.com/{tid}/v2.0`). Offline, discoveryUrl() points at the local stand-in.
 */

export interface TenantLookupOptions {
  fetch?: typeof fetch;
  /** Builds the discovery URL; defaults to the routed Entra one. */
  discovery?: (tenant: string) => URL;
  timeoutMs?: number;
  now?: () => number;
}

interface CacheEntry {
  expiresAt: number;
  tenantId?: string;
  notFound?: boolean;
}

const FOUND_TTL_MS = 60 * 60_000;
const NOT_FOUND_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 500;
const cache = new Map<string, CacheEntry>();

export function clearTenantLookupCache(): void {
  cache.clear();
}

function remember(domain: string, entry: CacheEntry): void {
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(domain, entry);
}

/** Resolves a normalised domain (see normaliseTenantInput) to a lower-case tenant id. */
export async function lookupTenantId(domain: string, options: TenantLookupOptions = {}): Promise<string> {
  const now = options.now ?? Date.now;
  const key = domain.toLowerCase();
  const cached = cache.get(key);
  if (cached && cached.expiresAt > now()) {
    if (cached.tenantId) return cached.tenantId;
    throw new PortalError("TENANT_NOT_FOUND");
  }

  return upstreamCall("entra.tenant_lookup", () => lookUp(key, options, now));
}

async function lookUp(key: string, options: TenantLookupOptions, now: () => number): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const url = (options.discovery ?? discoveryUrl)(key);
  let response: Response;
  try {
    response = await doFetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      headers: { accept: "application/json" },
      cache: "no-store",
      redirect: "error",
    });
  } catch (cause) {
    throw new PortalError("ENTRA_UNAVAILABLE", {
      detail:
        "The portal could not reach Microsoft Entra ID to look the domain up. Try again, or enter the tenant id.",
      cause,
    });
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const fields = (body ?? {}) as { issuer?: unknown; error?: unknown; error_codes?: unknown };

  if (response.ok) {
    const tenantId = typeof fields.issuer === "string" ? tenantIdOfIssuer(fields.issuer) : undefined;
    if (tenantId && GUID_PATTERN.test(tenantId)) {
      remember(key, { tenantId, expiresAt: now() + FOUND_TTL_MS });
      return tenantId;
    }
    throw new PortalError("ENTRA_UNAVAILABLE", { detail: "Microsoft Entra ID's answer named no tenant id." });
  }
  const codes = Array.isArray(fields.error_codes) ? fields.error_codes.map(String) : [];
  if (
    (response.status === 400 || response.status === 404) &&
    (fields.error === "invalid_tenant" || codes.includes("90002") || response.status === 404)
  ) {
    remember(key, { notFound: true, expiresAt: now() + NOT_FOUND_TTL_MS });
    throw new PortalError("TENANT_NOT_FOUND");
  }
  throw new PortalError("ENTRA_UNAVAILABLE", {
    detail: `Microsoft Entra ID answered ${response.status} to the domain look-up. Try again, or enter the tenant id.`,
  });
}
