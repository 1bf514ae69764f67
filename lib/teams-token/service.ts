import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Span } from "@opentelemetry/api";
import { z } from "zod";
import { exchangeTeamsToken, type TeamsTokenExchange } from "@/lib/acs/exchange";
import { exchangeTeamsPhoneToken, type TeamsPhoneExchange } from "@/lib/acs/teams-phone-exchange";
import { getConfig, type PortalConfig } from "@/lib/config";
import { verifyBearerToken } from "@/lib/entra/bearer";
import {
  assertExchangeable,
  type EntraAccessClaims,
  readAccessTokenClaims,
  type TokenScopePolicy,
} from "@/lib/entra/claims";
import { TEAMS_EXTENSION_SCOPE_NAME } from "@/lib/entra/scopes";
import { isPortalError, PortalError } from "@/lib/errors";
import { enforceRate } from "@/lib/limits";
import { log } from "@/lib/log";
import { getStore, type TokenStore } from "@/lib/store";
import { recordCacheLookup, recordExchange, recordRefusal } from "@/lib/telemetry/metrics";
import { inSpan } from "@/lib/telemetry/trace";
import { userRef } from "@/lib/telemetry/user-ref";

/** The two kinds of ACS token the portal serves: for a Teams user (Teams interop) and for Teams Phone extensibility. */
export type TokenKind = "teams-user" | "teams-phone";
export const TOKEN_KINDS = ["teams-user", "teams-phone"] as const satisfies readonly TokenKind[];

/** What each kind needs of the Entra token. */
export const SCOPE_POLICY: Record<TokenKind, TokenScopePolicy> = {
  "teams-user": {},
  "teams-phone": {
    requiredScopes: [TEAMS_EXTENSION_SCOPE_NAME],
    missingScopeCode: "TEAMS_PHONE_SCOPE_MISSING",
  },
};

export interface TeamsTokenRequest {
  /** Default "teams-user". */
  kind?: TokenKind;
  entraToken: string;
  /** "session": the portal's own sign-in token; "bearer": a client app's token, verified by verifyBearerToken. */
  via: "session" | "bearer";
  /** Bearer path: the verified claims. Without them the token is verified here. */
  claims?: EntraAccessClaims;
  forceRefresh?: boolean;
}

export interface TeamsTokenResult {
  kind: TokenKind;
  token: string;
  /** ISO 8601. */
  expiresOn: string;
  /** The Teams user's id, 8:orgid:<oid> (for both kinds: the Microsoft 365 user behind the token). */
  teamsUserId: `8:orgid:${string}`;
  /** Teams Phone only: the ACS identity the token is for, 8:acs:<resource>_<tenant>_<oid>. */
  acsUserId?: string;
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
  /** Teams Phone extensibility; absent when it is switched off. */
  phoneExchange?: TeamsPhoneExchange;
  verifyBearer?: (token: string, scopes?: TokenScopePolicy) => Promise<EntraAccessClaims>;
  now?: () => Date;
}

export interface TeamsTokenService {
  getTeamsToken(request: TeamsTokenRequest): Promise<TeamsTokenResult>;
  /** Drops a principal's cached tokens of one kind for every app (its Teams Phone assignment was removed). */
  forget(kind: TokenKind, tenantId: string, objectId: string): Promise<void>;
  /** The cached token's expiry and fingerprint for this session's user, with no exchange and no rate cost. */
  peekTeamsToken(entraToken: string, kind?: TokenKind): Promise<HeldTeamsToken | null>;
}

/**
 * What the store holds per key. Read back through zod: with Redis it crossed a process boundary. `exchangeId` names
 * the exchange that produced it; ACS may answer two exchanges within a second with the very same token string.
 */
const cachedTokenSchema = z.object({
  token: z.string().min(1),
  expiresOn: z.iso.datetime(),
  exchangeId: z.string().optional(),
  acsUserId: z.string().optional(),
  issuedAt: z.iso.datetime().optional(),
});
type CachedToken = z.infer<typeof cachedTokenSchema>;

/** Per kind, tenant, user and calling app: a token is never served across any of them. */
export const teamsTokenCacheKey = (
  claims: Pick<EntraAccessClaims, "tenantId" | "objectId" | "appId">,
  kind: TokenKind = "teams-user",
): string =>
  kind === "teams-user"
    ? `teams-token:v1:${claims.tenantId}:${claims.objectId}:${claims.appId}`
    : `${kind}-token:v1:${claims.tenantId}:${claims.objectId}:${claims.appId}`;

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
  const verifyBearer =
    deps.verifyBearer ??
    ((token: string, scopes?: TokenScopePolicy) => verifyBearerToken(token, config, { scopes }));
  const marginMs = config.env.TOKEN_CACHE_MARGIN_SECONDS * 1000;

  function sessionClaims(entraToken: string, kind: TokenKind): EntraAccessClaims {
    const claims = readAccessTokenClaims(entraToken);
    assertExchangeable(claims, {
      ...SCOPE_POLICY[kind],
      allowedAppIds: [config.clientId],
      allowedTenantIds: config.allowedTenantIds,
      now: now(),
      clockSkewSeconds: config.env.CLOCK_SKEW_SECONDS,
      wrongAppCode: "ENTRA_TOKEN_WRONG_APP",
    });
    return claims;
  }

  /** Every request of a verified user, cached or not: stops one looping app or person. */
  function enforceUserLimit(claims: EntraAccessClaims): Promise<void> {
    const rate = config.env.RATE_LIMIT_USER;
    return enforceRate(
      store,
      `user:${claims.tenantId}:${claims.objectId}`,
      rate,
      `At most ${rate.limit} token requests per user every ${rate.windowSeconds} s.`,
    );
  }

  /**
   * Only requests that need an upstream exchange: the tenant's share (RATE_LIMIT_TENANT), then the portal-wide
   * budget under ACS's per-resource limit. Cached answers never count here, so many users of one organization
   * are served from the cache however many they are.
   */
  async function enforceExchangeLimits(claims: EntraAccessClaims): Promise<void> {
    const tenantRate = config.env.RATE_LIMIT_TENANT;
    await enforceRate(
      store,
      `tenant-exchanges:${claims.tenantId}`,
      tenantRate,
      `At most ${tenantRate.limit} new Teams token exchanges per organization every ${tenantRate.windowSeconds} s; cached tokens are still served.`,
    );
    // ACS allows 500 exchanges per 30 s for the whole resource: keep the portal under it across all tenants.
    const budget = config.env.ACS_EXCHANGE_BUDGET;
    const allowed = await store.consumeRate("acs-exchanges", budget.limit, budget.windowSeconds);
    if (!allowed.allowed) {
      throw new PortalError("ACS_THROTTLED", {
        detail: "The portal's share of the Azure Communication Services exchange quota is used up for now.",
        retryAfterSeconds: allowed.retryAfterSeconds,
      });
    }
  }

  const stillFresh = (cached: CachedToken | undefined): cached is CachedToken =>
    cached !== undefined && Date.parse(cached.expiresOn) - marginMs > now().getTime();

  function result(
    kind: TokenKind,
    claims: EntraAccessClaims,
    token: CachedToken,
    exchangeMs?: number,
  ): TeamsTokenResult {
    return {
      kind,
      token: token.token,
      expiresOn: token.expiresOn,
      teamsUserId: `8:orgid:${claims.objectId}`,
      ...(token.acsUserId ? { acsUserId: token.acsUserId } : {}),
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
    kind: TokenKind,
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
      return { answer: result(kind, claims, cached), exchangeId: cached.exchangeId };
    }
    await enforceExchangeLimits(claims);
    // No per-caller abort signal: the flight is shared, and one caller leaving must not fail the others.
    // The exchange's own deadline bounds it.
    const started = performance.now();
    const exchanged = await exchangeFor(kind, request, claims);
    const exchangeMs = performance.now() - started;
    const fresh: CachedToken = {
      token: exchanged.token,
      expiresOn: exchanged.expiresOn.toISOString(),
      exchangeId: randomUUID(),
      ...(exchanged.acsUserId ? { acsUserId: exchanged.acsUserId } : {}),
      issuedAt: now().toISOString(),
    };
    const ttlSeconds = Math.floor((exchanged.expiresOn.getTime() - marginMs - now().getTime()) / 1000);
    if (ttlSeconds > 0) await store.setToken(key, JSON.stringify(fresh), ttlSeconds);
    return { answer: result(kind, claims, fresh, exchangeMs), exchangeId: fresh.exchangeId };
  }

  async function exchangeFor(
    kind: TokenKind,
    request: TeamsTokenRequest,
    claims: EntraAccessClaims,
  ): Promise<{ token: string; expiresOn: Date; acsUserId?: string }> {
    if (kind === "teams-user") {
      return exchange({
        entraToken: request.entraToken,
        clientId: claims.appId,
        userObjectId: claims.objectId,
      });
    }
    if (!deps.phoneExchange) throw new PortalError("TEAMS_PHONE_DISABLED");
    return deps.phoneExchange({ entraToken: request.entraToken, entraExpiresAt: claims.expiresAt });
  }

  async function getTeamsToken(request: TeamsTokenRequest, span: Span): Promise<TeamsTokenResult> {
    const kind = request.kind ?? "teams-user";
    if (kind === "teams-phone" && !deps.phoneExchange) throw new PortalError("TEAMS_PHONE_DISABLED");
    const claims =
      request.via === "session"
        ? sessionClaims(request.entraToken, kind)
        : (request.claims ?? (await verifyBearer(request.entraToken, SCOPE_POLICY[kind])));
    span.setAttributes({
      "portal.token_kind": kind,
      "portal.tenant_id": claims.tenantId,
      "portal.client_app_id": claims.appId,
      "portal.user_ref": userRef(config.env.AUTH_SECRET, claims.tenantId, claims.objectId),
    });
    await enforceUserLimit(claims);
    const key = teamsTokenCacheKey(claims, kind);
    const cached = parseCached(await store.getToken(key));
    if (!request.forceRefresh) {
      const hit = stillFresh(cached);
      recordCacheLookup(hit);
      if (hit) return result(kind, claims, cached);
      const flight = await store.singleFlight(key, () =>
        exchangeAndCache(kind, request, claims, key, undefined),
      );
      return flight.answer;
    }
    // Forced refreshes coalesce among themselves, never onto a flight that may answer from the cache. One that
    // joined a flight begun before it read the cache may get back the very exchange it saw: it renews once more.
    const seen = cached?.exchangeId;
    const renew = () =>
      store.singleFlight(`${key}:refresh`, () => exchangeAndCache(kind, request, claims, key, seen));
    const renewed = await renew();
    return seen !== undefined && renewed.exchangeId === seen ? (await renew()).answer : renewed.answer;
  }

  return {
    async forget(kind, tenantId, objectId) {
      const ids = { tenantId: tenantId.toLowerCase(), objectId: objectId.toLowerCase() };
      await Promise.all(
        config.allowedClientIds.map((appId) =>
          store.deleteToken(teamsTokenCacheKey({ ...ids, appId }, kind)),
        ),
      );
    },
    async peekTeamsToken(entraToken, kind = "teams-user") {
      let claims: EntraAccessClaims;
      try {
        claims = sessionClaims(entraToken, kind);
      } catch {
        return null; // the page explains the session's problem itself; there is no usable token to report
      }
      const cached = parseCached(await store.getToken(teamsTokenCacheKey(claims, kind)));
      if (!stillFresh(cached)) return null;
      return {
        expiresOn: cached.expiresOn,
        fingerprint: tokenFingerprint(cached.token),
        ...(cached.issuedAt ? { issuedAt: cached.issuedAt } : {}),
      };
    },
    getTeamsToken(request) {
      const attributes = { "portal.via": request.via, "portal.force_refresh": request.forceRefresh === true };
      return inSpan("teams-token.exchange", attributes, async (span) => {
        try {
          const answer = await getTeamsToken(request, span);
          span.setAttribute("portal.cached", answer.cached);
          recordExchange(answer.cached ? "cached" : "issued", request.via);
          log.debug("teams token served", {
            via: request.via,
            cached: answer.cached,
            tenantId: answer.tenantId,
            exchangeMs: answer.exchangeMs,
          });
          return answer;
        } catch (error) {
          const refused = isPortalError(error) && error.status < 500;
          recordExchange(refused ? "refused" : "failed", request.via);
          recordRefusal(error);
          (refused ? log.info : log.warn)("teams token refused", {
            via: request.via,
            code: isPortalError(error) ? error.code : "INTERNAL",
            tenantId: isPortalError(error) ? error.tenantId : undefined,
          });
          throw error;
        }
      });
    },
  };
}

let shared: TeamsTokenService | undefined;

function sharedService(): TeamsTokenService {
  const config = getConfig();
  shared ??= createTeamsTokenService({
    config,
    store: getStore(),
    exchange: exchangeTeamsToken,
    ...(config.env.TEAMS_PHONE_ENABLED ? { phoneExchange: exchangeTeamsPhoneToken } : {}),
  });
  return shared;
}

/** The process-wide service on the configured store and ACS client. */
export function getTeamsToken(request: TeamsTokenRequest): Promise<TeamsTokenResult> {
  return sharedService().getTeamsToken(request);
}

/** Forgets a principal's cached tokens of one kind on the process-wide service (and, with Redis, everywhere). */
export function forgetCachedTokens(kind: TokenKind, tenantId: string, objectId: string): Promise<void> {
  return sharedService().forget(kind, tenantId, objectId);
}

export function peekTeamsToken(entraToken: string, kind?: TokenKind): Promise<HeldTeamsToken | null> {
  return sharedService().peekTeamsToken(entraToken, kind);
}

/** A log-safe view of a result: never the token itself. */
export function describeTeamsToken(result: TeamsTokenResult): string {
  return `${result.acsUserId ?? result.teamsUserId} in tenant ${result.tenantId}, valid until ${result.expiresOn}${result.cached ? " (cached)" : ""}`;
}
