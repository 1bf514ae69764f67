import "server-only";
import { createHash } from "node:crypto";
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
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

export interface BearerVerifierOptions {
  /** Where a tenant's keys are fetched; defaults to the Entra URL, routed to the stand-in offline. */
  jwksUrlFor?: (tenantId: string) => URL;
  /**
   * No refetch for an unknown kid within this long after the last fetch: forged-kid floods cost Entra at most one
   * request per tenant per period, while a freshly rotated key is honoured within seconds. Default 5 s.
   */
  cooldownMs?: number;
  cacheMaxAgeMs?: number;
  /** Beyond this many tenants the oldest key set is dropped, so forged tids cannot grow memory. */
  maxTenants?: number;
  /**
   * Tokens whose signature was verified are remembered this long (capped at their expiry), so an app that presents
   * the same token for an hour costs one RSA verification, not one per request. Default 5 min; 0 turns it off.
   */
  verifiedTtlMs?: number;
  /** At most this many remembered tokens; the least recently used goes first. Default 10 000. */
  maxVerified?: number;
  now?: () => Date;
}

/** `scopes`: the delegated scopes the token must carry; default the two Teams scopes (TokenScopePolicy). */
export type BearerVerifier = (token: string, scopes?: TokenScopePolicy) => Promise<EntraAccessClaims>;

const MAX_CLOCK_SKEW_SECONDS = 300;

function unverifiedTenant(token: string): string {
  let tid: unknown;
  try {
    const header = decodeProtectedHeader(token);
    // Checked before any key lookup: `none` and HS256-with-the-public-key forgeries never reach the JWKS.
    if (header.alg !== "RS256") throw new PortalError("BEARER_UNSUPPORTED_ALGORITHM");
    tid = decodeJwt(token).tid;
  } catch (error) {
    if (error instanceof PortalError) throw error;
    throw new PortalError("BEARER_MALFORMED");
  }
  if (!isGuid(tid))
    throw new PortalError("BEARER_MALFORMED", { detail: "The token has no tenant id (tid)." });
  return tid.toLowerCase();
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

/** Full verification of an Entra access token presented by a client app, then the exchange checks. */
export function createBearerVerifier(
  config: PortalConfig,
  options: BearerVerifierOptions = {},
): BearerVerifier {
  const {
    jwksUrlFor = (tenantId: string) => jwksUrl(tenantId, config.emulatorUrl),
    cooldownMs = 5_000,
    cacheMaxAgeMs = 3_600_000,
    maxTenants = 1_000,
    verifiedTtlMs = 300_000,
    maxVerified = 10_000,
  } = options;
  const now = options.now ?? (() => new Date());
  const clockSkewSeconds = Math.min(config.env.CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS);
  const keySets = new Map<string, JWTVerifyGetKey>();
  /** Tenants whose key fetch Entra refused, until when: forged tids must not cost one outbound call each. */
  const refusedTenants = new Map<string, number>();
  const REFUSED_FOR_MS = 300_000;
  /**
   * SHA-256 of the whole token (signature included) → its verified claims. Any other bytes, a forgery or a tampered
   * token, hash differently and are verified in full. A token signed with a key Entra has since withdrawn stays
   * remembered for at most the TTL (5 min, against the hour a key set is cached); every policy check still runs on
   * each request, against the current time.
   */
  const verified = new Map<string, { claims: EntraAccessClaims; until: number }>();

  function rememberVerified(digest: string, claims: EntraAccessClaims): void {
    if (verifiedTtlMs <= 0) return;
    const until = Math.min(now().getTime() + verifiedTtlMs, claims.expiresAt.getTime());
    if (verified.size >= maxVerified) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(digest, { claims, until });
  }

  function recallVerified(digest: string): EntraAccessClaims | undefined {
    const entry = verified.get(digest);
    if (!entry) return undefined;
    verified.delete(digest);
    if (entry.until <= now().getTime()) return undefined;
    verified.set(digest, entry);
    return entry.claims;
  }

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

  function keySetFor(tenantId: string): JWTVerifyGetKey {
    let keySet = keySets.get(tenantId);
    if (keySet) {
      // Least recently used goes first: a flood of new tenants cannot push out the ones in use.
      keySets.delete(tenantId);
      keySets.set(tenantId, keySet);
    } else {
      keySet = createRemoteJWKSet(jwksUrlFor(tenantId), {
        cooldownDuration: cooldownMs,
        cacheMaxAge: cacheMaxAgeMs,
      });
      if (keySets.size >= maxTenants) {
        const oldest = keySets.keys().next().value;
        if (oldest !== undefined) keySets.delete(oldest);
      }
      keySets.set(tenantId, keySet);
    }
    return keySet;
  }

  return async function verifyBearer(token: string, scopes?: TokenScopePolicy): Promise<EntraAccessClaims> {
    const digest = verifiedTtlMs > 0 ? createHash("sha256").update(token).digest("base64url") : "";
    const known = digest ? recallVerified(digest) : undefined;
    if (known) {
      assertPolicy(known, scopes);
      return known;
    }
    const tenantId = unverifiedTenant(token);
    // Refuse unlisted tenants before fetching their keys: no outbound call for tenants we would refuse anyway.
    if (config.allowedTenantIds !== null && !config.allowedTenantIds.includes(tenantId)) {
      throw new PortalError("TENANT_NOT_ALLOWED", { tenantId });
    }
    // Cheap checks on the unverified claims first, so that only plausible tokens cause a key fetch.
    const unverified = readAccessTokenClaims(token);
    if (!expectedIssuers(tenantId).includes(unverified.issuer.toLowerCase()))
      throw new PortalError("BEARER_WRONG_ISSUER");
    if (!ACS_AUDIENCES.includes(unverified.audience)) throw new PortalError("ENTRA_TOKEN_WRONG_AUDIENCE");
    if (!config.allowedClientIds.includes(unverified.appId)) throw new PortalError("CLIENT_APP_NOT_ALLOWED");
    if ((refusedTenants.get(tenantId) ?? 0) > Date.now()) throw new PortalError("BEARER_UNKNOWN_KEY");

    const keySet = keySetFor(tenantId);
    try {
      await jwtVerify(
        token,
        async (header, input) => {
          try {
            return await keySet(header, input);
          } catch (error) {
            if (isRefusedKeyFetch(error)) {
              refusedTenants.set(tenantId, Date.now() + REFUSED_FOR_MS);
              keySets.delete(tenantId);
            }
            throw keyLookupError(error);
          }
        },
        { algorithms: ["RS256"], clockTolerance: clockSkewSeconds, currentDate: now() },
      );
    } catch (error) {
      throw verificationError(error);
    }

    const claims = readAccessTokenClaims(token);
    if (!expectedIssuers(tenantId).includes(claims.issuer.toLowerCase()))
      throw new PortalError("BEARER_WRONG_ISSUER");
    assertPolicy(claims, scopes);
    // Frozen: the same object answers every later request with this token.
    if (digest) rememberVerified(digest, Object.freeze(claims));
    return claims;
  };
}

const verifiers = new WeakMap<PortalConfig, BearerVerifier>();

/** One verifier (and so one key cache per tenant) per configuration, i.e. per process in production. */
export function verifyBearerToken(
  token: string,
  config: PortalConfig,
  scopes?: TokenScopePolicy,
): Promise<EntraAccessClaims> {
  let verifier = verifiers.get(config);
  if (!verifier) {
    verifier = createBearerVerifier(config);
    verifiers.set(config, verifier);
  }
  return verifier(token, scopes);
}
