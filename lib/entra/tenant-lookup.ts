import "server-only";
import { LRUCache } from "lru-cache";
import { discoveryUrl, tenantIdOfIssuer } from "@/lib/entra/endpoints";
import { GUID_PATTERN } from "@/lib/entra/scopes";
import { PortalError } from "@/lib/errors";
import type { OutboundGuard } from "@/lib/limits";
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
  /** The per-client limit, run right before a domain not in the cache is looked up at Entra. */
  beforeOutbound?: OutboundGuard;
}

type Answer = { tenantId: string } | { notFound: true };

const FOUND_TTL_MS = 60 * 60_000;
const NOT_FOUND_TTL_MS = 5 * 60_000;
/** Found and not-found answers alike; the least recently used goes first, so memory stays bounded. */
const cache = new LRUCache<string, Answer>({ max: 500 });

export function clearTenantLookupCache(): void {
  cache.clear();
}

/** Resolves a normalised domain (see normaliseTenantInput) to a lower-case tenant id. */
export async function lookupTenantId(domain: string, options: TenantLookupOptions = {}): Promise<string> {
  const key = domain.toLowerCase();
  const cached = cache.get(key);
  if (cached) {
    if ("tenantId" in cached) return cached.tenantId;
    throw new PortalError("TENANT_NOT_FOUND");
  }
  await options.beforeOutbound?.();

  return upstreamCall("entra.tenant_lookup", () => lookUp(key, options));
}

async function lookUp(key: string, options: TenantLookupOptions): Promise<string> {
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
      cache.set(key, { tenantId }, { ttl: FOUND_TTL_MS });
      return tenantId;
    }
    throw new PortalError("ENTRA_UNAVAILABLE", { detail: "Microsoft Entra ID's answer named no tenant id." });
  }
  const codes = Array.isArray(fields.error_codes) ? fields.error_codes.map(String) : [];
  if (
    (response.status === 400 || response.status === 404) &&
    (fields.error === "invalid_tenant" || codes.includes("90002") || response.status === 404)
  ) {
    cache.set(key, { notFound: true }, { ttl: NOT_FOUND_TTL_MS });
    throw new PortalError("TENANT_NOT_FOUND");
  }
  throw new PortalError("ENTRA_UNAVAILABLE", {
    detail: `Microsoft Entra ID answered ${response.status} to the domain look-up. Try again, or enter the tenant id.`,
  });
}
