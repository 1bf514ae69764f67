import "server-only";
import { createHash } from "node:crypto";
import {
  type CompactJWSHeaderParameters,
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type FlattenedJWSInput,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { LRUCache } from "lru-cache";
import type { PortalConfig } from "@/lib/config";
import {
  ACS_AUDIENCES,
  assertExchangeable,
  type EntraAccessClaims,
  isGuid,
  readAccessTokenClaims,
  type TokenScopePolicy,
} from "@/lib/entra/claims";
import { expectedIssuers, jwksUrl } from "@/lib/entra/endpoints";
import { PortalError } from "@/lib/errors";
import type { OutboundGuard } from "@/lib/limits";
import { getStore, type TokenStore } from "@/lib/store";
import { upstreamCall } from "@/lib/telemetry/trace";

export interface BearerVerifierOptions {
  /** Where a key set is fetched ("common" or a tenant id); defaults to the Entra URL, routed to the stand-in offline. */
  jwksUrlFor?: (tenant: string) => URL;
  /** The fetch behind every key download (tests count calls with it). */
  fetch?: typeof fetch;
  /**
   * No refetch of a key set for an unknown kid within this long after its last fetch: forged-kid floods cost Entra
   * at most one request per key set per period, while a freshly rotated key is honoured within seconds. Default 5 s.
   */
  cooldownMs?: number;
  cacheMaxAgeMs?: number;
  /** Tenants whose own key set is remembered; the least recently used goes first. Default 1 000. */
  maxTenants?: number;
  /** Tenants whose key fetch Entra refused are not asked again for this long. Default 5 min. */
  refusedTtlMs?: number;
  /** At most this many refused tenants are remembered (oldest first out). Default 10 000. */
  maxRefused?: number;
  /**
   * Tokens whose signature was verified are remembered this long (capped at their expiry), so an app that presents
   * the same token for an hour costs one RSA verification, not one per request. Default 5 min; 0 turns it off.
   */
  verifiedTtlMs?: number;
  /** At most this many remembered tokens; the least recently used goes first. Default 10 000. */
  maxVerified?: number;
  /** The portal-wide budget of tenant key-set fetches (TENANT_KEY_FETCH_BUDGET); defaults to the shared store. */
  consumeRate?: TokenStore["consumeRate"];
  now?: () => Date;
}

export interface BearerVerifyContext {
  /** The per-client limit, run right before this request would fetch a tenant's own key set. */
  beforeOutbound?: OutboundGuard;
  /** The delegated scopes the token must carry; default the two Teams scopes (TokenScopePolicy). */
  scopes?: TokenScopePolicy;
}

export interface BearerVerifier {
  (token: string, context?: BearerVerifyContext): Promise<EntraAccessClaims>;
  /** Sizes of the per-tenant and per-token memories, each bounded by its option. */
  memory(): { tenantKeySets: number; refusedTenants: number; verified: number };
}

const MAX_CLOCK_SKEW_SECONDS = 300;

function unverifiedHeader(token: string): { tenantId: string; kid: string } {
  let tid: unknown;
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(token);
    // Checked before any key lookup: `none` and HS256-with-the-public-key forgeries never reach the JWKS.
    if (header.alg !== "RS256") throw new PortalError("BEARER_UNSUPPORTED_ALGORITHM");
    kid = header.kid;
    tid = decodeJwt(token).tid;
  } catch (error) {
    if (error instanceof PortalError) throw error;
    throw new PortalError("BEARER_MALFORMED");
  }
  if (!isGuid(tid))
    throw new PortalError("BEARER_MALFORMED", { detail: "The token has no tenant id (tid)." });
  // Entra always names its key; a missing or outlandish kid would only make the key sets look further.
  if (typeof kid !== "string" || !/^[A-Za-z0-9_=+/.-]{1,128}$/.test(kid))
    throw new PortalError("BEARER_MALFORMED", { detail: "The token names no signing key (kid)." });
  return { tenantId: tid.toLowerCase(), kid };
}

/** Entra answered, but not with keys (e.g. an unknown tenant): not an outage, and not worth asking again soon. */
function isRefusedKeyFetch(error: unknown): boolean {
  return (
    error instanceof errors.JOSEError &&
    !(error instanceof errors.JWKSTimeout) &&
    !(error instanceof errors.JWKSNoMatchingKey) &&
    !(error instanceof errors.JWKSMultipleMatchingKeys)
  );
}

function keyLookupError(error: unknown): PortalError {
  if (error instanceof PortalError) return error;
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new PortalError("BEARER_UNKNOWN_KEY");
  }
  if (isRefusedKeyFetch(error)) return new PortalError("BEARER_UNKNOWN_KEY");
  return new PortalError("ENTRA_UNAVAILABLE", { detail: "The tenant's signing keys could not be fetched." });
}

function verificationError(error: unknown): PortalError {
  if (error instanceof PortalError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new PortalError("BEARER_INVALID_SIGNATURE");
  if (error instanceof errors.JWTExpired) return new PortalError("ENTRA_TOKEN_EXPIRED");
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "nbf") {
    return new PortalError("ENTRA_TOKEN_NOT_YET_VALID");
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new PortalError("BEARER_UNSUPPORTED_ALGORITHM");
  return new PortalError("BEARER_MALFORMED");
}

const isNoMatchingKey = (error: unknown) =>
  error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys;

/**
 * Full verification of an Entra access token presented by a client app, then the exchange checks.
 *
 * Keys: Entra signs access tokens with its tenant-independent key set (`/common/discovery/v2.0/keys`), so every
 * token is tried against that one set first, whatever its `tid`. Only a kid the common set lacks (a tenant with its
 * own signing key, or a forgery) leads to the tenant's own set, and only within two limits: the caller's per-client
 * guard and a portal-wide budget per minute. Forged tokens with ever new `tid`s therefore cost a bounded number of
 * outbound calls, and every per-tenant memory below is an LRU with a size bound.
 */
export function createBearerVerifier(
  config: PortalConfig,
  options: BearerVerifierOptions = {},
): BearerVerifier {
  const {
    jwksUrlFor = (tenant: string) => jwksUrl(tenant, config.emulatorUrl),
    cooldownMs = 5_000,
    cacheMaxAgeMs = 3_600_000,
    maxTenants = 1_000,
    refusedTtlMs = 300_000,
    maxRefused = 10_000,
    verifiedTtlMs = 300_000,
    maxVerified = 10_000,
  } = options;
  const now = options.now ?? (() => new Date());
  const consumeRate = options.consumeRate ?? ((...args) => getStore().consumeRate(...args));
  const clockSkewSeconds = Math.min(config.env.CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS);
  const fetchBudget = config.env.TENANT_KEY_FETCH_BUDGET;

  const keyFetch = options.fetch ?? fetch;
  const remoteKeySet = (tenant: string): JWTVerifyGetKey =>
    createRemoteJWKSet(jwksUrlFor(tenant), {
      cooldownDuration: cooldownMs,
      cacheMaxAge: cacheMaxAgeMs,
      // Only real key fetches are upstream calls; cached key sets cost nothing.
      [customFetch]: (url: string, init: RequestInit) =>
        upstreamCall("entra.jwks", (span) => {
          span.setAttribute("portal.tenant_id", tenant);
          return keyFetch(url, init);
        }),
    });
  const commonKeys = remoteKeySet("common");
  /** Tenants with their own signing keys (the exception). */
  const tenantKeySets = new LRUCache<string, JWTVerifyGetKey>({ max: maxTenants });
  /** Tenants whose key fetch Entra refused: forged tids must not cost one outbound call each. */
  const refusedTenants = new LRUCache<string, true>({ max: maxRefused, ttl: refusedTtlMs });
  /**
   * SHA-256 of the whole token (signature included) → its verified claims. Any other bytes, a forgery or a tampered
   * token, hash differently and are verified in full. A token signed with a key Entra has since withdrawn stays
   * remembered for at most the TTL (5 min, against the hour a key set is cached); every policy check still runs on
   * each request, against the current time.
   */
  const verified = new LRUCache<string, EntraAccessClaims>({
    max: Math.max(1, maxVerified),
    ttl: Math.max(1, verifiedTtlMs),
    perf: { now: () => now().getTime() },
    ttlResolution: 0,
  });

  function assertPolicy(claims: EntraAccessClaims, scopes: TokenScopePolicy | undefined): void {
    assertExchangeable(claims, {
      allowedAppIds: config.allowedClientIds,
      allowedTenantIds: config.allowedTenantIds,
      now: now(),
      clockSkewSeconds,
      wrongAppCode: "CLIENT_APP_NOT_ALLOWED",
      ...scopes,
    });
  }

  /** The tenant's own key set, fetched only within the per-client guard and the portal-wide budget. */
  async function tenantKeySet(tenantId: string, context: BearerVerifyContext): Promise<JWTVerifyGetKey> {
    const known = tenantKeySets.get(tenantId);
    if (known) return known;
    if (refusedTenants.has(tenantId)) throw new PortalError("BEARER_UNKNOWN_KEY");
    await context.beforeOutbound?.();
    const budget = await consumeRate("tenant-key-fetches", fetchBudget.limit, fetchBudget.windowSeconds);
    if (!budget.allowed) {
      throw new PortalError("RATE_LIMITED", {
        detail: "The portal's budget for fetching tenant-specific signing keys is used up for now.",
        retryAfterSeconds: budget.retryAfterSeconds,
      });
    }
    const keySet = remoteKeySet(tenantId);
    tenantKeySets.set(tenantId, keySet);
    return keySet;
  }

  async function keyFor(
    tenantId: string,
    header: CompactJWSHeaderParameters,
    input: FlattenedJWSInput,
    context: BearerVerifyContext,
  ) {
    try {
      return await commonKeys(header, input);
    } catch (error) {
      // Entra unreachable or failing on its common keys is an outage, not a reason to ask every tenant.
      if (!isNoMatchingKey(error)) {
        throw new PortalError("ENTRA_UNAVAILABLE", {
          detail: "Microsoft Entra ID's signing keys could not be fetched.",
        });
      }
    }
    const keySet = await tenantKeySet(tenantId, context);
    try {
      return await keySet(header, input);
    } catch (error) {
      if (isRefusedKeyFetch(error)) {
        refusedTenants.set(tenantId, true);
        tenantKeySets.delete(tenantId);
      }
      throw keyLookupError(error);
    }
  }

  async function verifyBearer(token: string, context: BearerVerifyContext = {}) {
    const digest = verifiedTtlMs > 0 ? createHash("sha256").update(token).digest("base64url") : "";
    const known = digest ? verified.get(digest) : undefined;
    if (known) {
      assertPolicy(known, context.scopes);
      return known;
    }
    const { tenantId } = unverifiedHeader(token);
    // Refuse unlisted tenants before fetching their keys: no outbound call for tenants we would refuse anyway.
    if (config.allowedTenantIds !== null && !config.allowedTenantIds.includes(tenantId)) {
      throw new PortalError("TENANT_NOT_ALLOWED", { tenantId });
    }
    // Cheap checks on the unverified claims first, so that only plausible tokens reach a key set.
    const unverified = readAccessTokenClaims(token);
    if (!expectedIssuers(tenantId).includes(unverified.issuer.toLowerCase()))
      throw new PortalError("BEARER_WRONG_ISSUER");
    if (!ACS_AUDIENCES.includes(unverified.audience)) throw new PortalError("ENTRA_TOKEN_WRONG_AUDIENCE");
    if (!config.allowedClientIds.includes(unverified.appId)) throw new PortalError("CLIENT_APP_NOT_ALLOWED");

    try {
      await jwtVerify(token, (header, input) => keyFor(tenantId, header, input, context), {
        algorithms: ["RS256"],
        clockTolerance: clockSkewSeconds,
        currentDate: now(),
      });
    } catch (error) {
      throw verificationError(error);
    }

    const claims = readAccessTokenClaims(token);
    // The per-tid issuer check: a key of the common set signs for every tenant, so the issuer must match the tid.
    if (!expectedIssuers(tenantId).includes(claims.issuer.toLowerCase()))
      throw new PortalError("BEARER_WRONG_ISSUER");
    assertPolicy(claims, context.scopes);
    if (digest) {
      const ttl = Math.min(verifiedTtlMs, claims.expiresAt.getTime() - now().getTime());
      // Frozen: the same object answers every later request with this token.
      if (ttl > 0) verified.set(digest, Object.freeze(claims), { ttl });
    }
    return claims;
  }

  return Object.assign(verifyBearer, {
    memory: () => ({
      tenantKeySets: tenantKeySets.size,
      refusedTenants: refusedTenants.size,
      verified: verified.size,
    }),
  });
}

const verifiers = new WeakMap<PortalConfig, BearerVerifier>();

/** One verifier (and so one key cache per tenant) per configuration, i.e. per process in production. */
export function verifyBearerToken(
  token: string,
  config: PortalConfig,
  context: BearerVerifyContext = {},
): Promise<EntraAccessClaims> {
  let verifier = verifiers.get(config);
  if (!verifier) {
    verifier = createBearerVerifier(config);
    verifiers.set(config, verifier);
  }
  return verifier(token, context);
}
