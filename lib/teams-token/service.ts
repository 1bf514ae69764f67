import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { exchangeTeamsToken, type TeamsTokenExchange } from "@/lib/acs/exchange";
import { getConfig, type PortalConfig } from "@/lib/config";
import { verifyBearerToken } from "@/lib/entra/bearer";
import { assertExchangeable, type EntraAccessClaims, readAccessTokenClaims } from "@/lib/entra/claims";
import { PortalError } from "@/lib/errors";
import { getStore, type TokenStore } from "@/lib/store";

export interface TeamsTokenRequest {
  entraToken: string;
  /** "session": the portal's own sign-in token; "bearer": a client app's token, verified by verifyBearerToken. */
  via: "session" | "bearer";
  /** Bearer path: the verified claims. Without them the token is verified here. */
  claims?: EntraAccessClaims;
  forceRefresh?: boolean;
}

export interface TeamsTokenResult {
  token: string;
  /** ISO 8601. */
  expiresOn: string;
  teamsUserId: `8:orgid:${string}`;
  tenantId: string;
  userObjectId: string;
  cached: boolean;
  /** When the portal got this token from ACS (ISO 8601); absent for tokens cached before it was recorded. */
  issuedAt?: string;
  /** First 8 hex digits of the token's SHA-256: tells two tokens apart on screen without showing either. */
  fingerprint: string;
  /** How long the ACS exchange behind this answer took; absent for a cached token. */
  exchangeMs?: number;
}

/** What the status page may show on load about a held token: never the token itself. */
export interface HeldTeamsToken {
  expiresOn: string;
  issuedAt?: string;
  fingerprint: string;
}

export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 8);
}

export interface TeamsTokenServiceDependencies {
  config: PortalConfig;
  store: TokenStore;
  exchange: TeamsTokenExchange;
  verifyBearer?: (token: string) => Promise<EntraAccessClaims>;
  now?: () => Date;
}

export interface TeamsTokenService {
  getTeamsToken(request: TeamsTokenRequest): Promise<TeamsTokenResult>;
  /** The cached token's expiry and fingerprint for this session's user, with no exchange and no rate cost. */
  peekTeamsToken(entraToken: string): Promise<HeldTeamsToken | null>;
}

/**
 * What the store holds per key. Read back through zod: with Redis it crossed a process boundary. `exchangeId` names
 * the exchange that produced it; ACS may answer two exchanges within a second with the very same token string.
 */
const cachedTokenSchema = z.object({
  token: z.string().min(1),
  expiresOn: z.iso.datetime(),
  exchangeId: z.string().optional(),
  issuedAt: z.iso.datetime().optional(),
});
type CachedToken = z.infer<typeof cachedTokenSchema>;

/** Per tenant, user and calling app: a token is never served across any of them. */
export const teamsTokenCacheKey = (claims: EntraAccessClaims): string =>
  `teams-token:v1:${claims.tenantId}:${claims.objectId}:${claims.appId}`;

function parseCached(value: string | undefined): CachedToken | undefined {
  if (!value) return undefined;
  try {
    const parsed = cachedTokenSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function createTeamsTokenService(deps: TeamsTokenServiceDependencies): TeamsTokenService {
  const { config, store, exchange } = deps;
  const now = deps.now ?? (() => new Date());
  const verifyBearer = deps.verifyBearer ?? ((token: string) => verifyBearerToken(token, config));
  const marginMs = config.env.TOKEN_CACHE_MARGIN_SECONDS * 1000;

  function sessionClaims(entraToken: string): EntraAccessClaims {
    const claims = readAccessTokenClaims(entraToken);
    assertExchangeable(claims, {
      allowedAppIds: [config.clientId],
      allowedTenantIds: config.allowedTenantIds,
      now: now(),
      clockSkewSeconds: config.env.CLOCK_SKEW_SECONDS,
      wrongAppCode: "ENTRA_TOKEN_WRONG_APP",
    });
    return claims;
  }

  async function enforceRateLimits(claims: EntraAccessClaims): Promise<void> {
    const limits = [
      {
        key: `user:${claims.tenantId}:${claims.objectId}`,
        rate: config.env.RATE_LIMIT_USER,
        who: "per user",
      },
      { key: `tenant:${claims.tenantId}`, rate: config.env.RATE_LIMIT_TENANT, who: "per organization" },
    ];
    for (const { key, rate, who } of limits) {
      const decision = await store.consumeRate(key, rate.limit, rate.windowSeconds);
      if (!decision.allowed) {
        throw new PortalError("RATE_LIMITED", {
          detail: `At most ${rate.limit} token requests ${who} every ${rate.windowSeconds} s.`,
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      }
    }
  }

  const stillFresh = (cached: CachedToken | undefined): cached is CachedToken =>
    cached !== undefined && Date.parse(cached.expiresOn) - marginMs > now().getTime();

  function result(claims: EntraAccessClaims, token: CachedToken, exchangeMs?: number): TeamsTokenResult {
    return {
      token: token.token,
      expiresOn: token.expiresOn,
      teamsUserId: `8:orgid:${claims.objectId}`,
      tenantId: claims.tenantId,
      userObjectId: claims.objectId,
      cached: exchangeMs === undefined,
      fingerprint: tokenFingerprint(token.token),
      ...(token.issuedAt ? { issuedAt: token.issuedAt } : {}),
      ...(exchangeMs === undefined ? {} : { exchangeMs }),
    };
  }

  /** The flight's answer, with the exchange it came from, so that a forced refresh can tell renewed from seen. */
  interface Flight {
    answer: TeamsTokenResult;
    exchangeId: string | undefined;
  }

  async function exchangeAndCache(
    request: TeamsTokenRequest,
    claims: EntraAccessClaims,
    key: string,
    replacing: string | undefined,
  ): Promise<Flight> {
    // Re-checked inside the flight: a caller that waited on another instance finds that instance's token here.
    // A forced refresh takes it only if it comes from another exchange than the one it set out to replace, i.e.
    // another instance renewed it meanwhile: concurrent renewals cost one exchange, and no clocks are compared.
    const cached = parseCached(await store.getToken(key));
    if (stillFresh(cached) && (!request.forceRefresh || cached.exchangeId !== replacing)) {
      return { answer: result(claims, cached), exchangeId: cached.exchangeId };
    }
    // ACS allows 500 exchanges per 30 s for the whole resource: keep the portal under it across all tenants.
    const budget = config.env.ACS_EXCHANGE_BUDGET;
    const allowed = await store.consumeRate("acs-exchanges", budget.limit, budget.windowSeconds);
    if (!allowed.allowed) {
      throw new PortalError("ACS_THROTTLED", {
        detail: "The portal's share of the Azure Communication Services exchange quota is used up for now.",
        retryAfterSeconds: allowed.retryAfterSeconds,
      });
    }
    // No per-caller abort signal: the flight is shared, and one caller leaving must not fail the others.
    // The exchange's own deadline bounds it.
    const started = performance.now();
    const exchanged = await exchange({
      entraToken: request.entraToken,
      clientId: claims.appId,
      userObjectId: claims.objectId,
    });
    const exchangeMs = performance.now() - started;
    const fresh: CachedToken = {
      token: exchanged.token,
      expiresOn: exchanged.expiresOn.toISOString(),
      exchangeId: randomUUID(),
      issuedAt: now().toISOString(),
    };
    const ttlSeconds = Math.floor((exchanged.expiresOn.getTime() - marginMs - now().getTime()) / 1000);
    if (ttlSeconds > 0) await store.setToken(key, JSON.stringify(fresh), ttlSeconds);
    return { answer: result(claims, fresh, exchangeMs), exchangeId: fresh.exchangeId };
  }

  return {
    async peekTeamsToken(entraToken) {
      let claims: EntraAccessClaims;
      try {
        claims = sessionClaims(entraToken);
      } catch {
        return null; // the page explains the session's problem itself; there is no usable token to report
      }
      const cached = parseCached(await store.getToken(teamsTokenCacheKey(claims)));
      if (!stillFresh(cached)) return null;
      return {
        expiresOn: cached.expiresOn,
        fingerprint: tokenFingerprint(cached.token),
        ...(cached.issuedAt ? { issuedAt: cached.issuedAt } : {}),
      };
    },
    async getTeamsToken(request) {
      const claims =
        request.via === "session"
          ? sessionClaims(request.entraToken)
          : (request.claims ?? (await verifyBearer(request.entraToken)));
      await enforceRateLimits(claims);
      const key = teamsTokenCacheKey(claims);
      const cached = parseCached(await store.getToken(key));
      if (!request.forceRefresh) {
        if (stillFresh(cached)) return result(claims, cached);
        const flight = await store.singleFlight(key, () => exchangeAndCache(request, claims, key, undefined));
        return flight.answer;
      }
      // Forced refreshes coalesce among themselves, never onto a flight that may answer from the cache. One that
      // joined a flight begun before it read the cache may get back the very exchange it saw: it renews once more.
      const seen = cached?.exchangeId;
      const renew = () =>
        store.singleFlight(`${key}:refresh`, () => exchangeAndCache(request, claims, key, seen));
      const renewed = await renew();
      return seen !== undefined && renewed.exchangeId === seen ? (await renew()).answer : renewed.answer;
    },
  };
}

let shared: TeamsTokenService | undefined;

function sharedService(): TeamsTokenService {
  shared ??= createTeamsTokenService({
    config: getConfig(),
    store: getStore(),
    exchange: exchangeTeamsToken,
  });
  return shared;
}

/** The process-wide service on the configured store and ACS client. */
export function getTeamsToken(request: TeamsTokenRequest): Promise<TeamsTokenResult> {
  return sharedService().getTeamsToken(request);
}

export function peekTeamsToken(entraToken: string): Promise<HeldTeamsToken | null> {
  return sharedService().peekTeamsToken(entraToken);
}

/** A log-safe view of a result: never the token itself. */
export function describeTeamsToken(result: TeamsTokenResult): string {
  return `${result.teamsUserId} in tenant ${result.tenantId}, valid until ${result.expiresOn}${result.cached ? " (cached)" : ""}`;
}
