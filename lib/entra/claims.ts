import "server-only";
import { decodeJwt, type JWTPayload } from "jose";
import { type ErrorCode, PortalError } from "@/lib/errors";

import { isGuid } from "@/lib/guid";
import { ACS_APP_ID, ACS_RESOURCE, TEAMS_SCOPE_NAMES } from "./scopes";

export { isGuid };

/** The two audiences Entra uses for ACS access tokens (FACTS §3: accept both). */
export const ACS_AUDIENCES: readonly string[] = [ACS_RESOURCE, ACS_APP_ID];

export interface EntraAccessClaims {
  /** Lower-case `tid`. */
  tenantId: string;
  /** Lower-case `oid`: the user's id in their tenant, the only identity we authorize on. */
  objectId: string;
  /** Lower-case `appid` (v1) or `azp` (v2): the client the token was issued to. */
  appId: string;
  scopes: string[];
  audience: string;
  issuer: string;
  expiresAt: Date;
  notBefore?: Date;
  name?: string;
  username?: string;
}

/** Which delegated scopes a token needs, and the code that says one is missing. Default: both Teams scopes. */
export interface TokenScopePolicy {
  requiredScopes?: readonly string[];
  missingScopeCode?: Extract<ErrorCode, "ENTRA_TOKEN_MISSING_SCOPE" | "TEAMS_PHONE_SCOPE_MISSING">;
}

export interface ExchangeablePolicy extends TokenScopePolicy {
  allowedAppIds: readonly string[];
  /** `null`: every tenant. */
  allowedTenantIds: readonly string[] | null;
  now: Date;
  clockSkewSeconds: number;
  /** The session path and the Bearer path refuse a foreign app with different codes. */
  wrongAppCode: Extract<ErrorCode, "ENTRA_TOKEN_WRONG_APP" | "CLIENT_APP_NOT_ALLOWED">;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

const seconds = (value: unknown): Date | undefined =>
  typeof value === "number" && Number.isFinite(value) ? new Date(value * 1000) : undefined;

function audienceOf(aud: JWTPayload["aud"]): string {
  if (typeof aud === "string") return aud;
  // Entra never issues several audiences, but if it did the ACS one is the one that matters.
  return aud?.find((value) => ACS_AUDIENCES.includes(value)) ?? aud?.[0] ?? "";
}

/** Reads (does NOT verify) an Entra access token's claims. */
export function readAccessTokenClaims(token: string): EntraAccessClaims {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token);
  } catch {
    throw new PortalError("ENTRA_TOKEN_MALFORMED");
  }
  const expiresAt = seconds(payload.exp);
  if (!expiresAt)
    throw new PortalError("ENTRA_TOKEN_MALFORMED", { detail: "The token has no expiry (exp)." });
  const notBefore = seconds(payload.nbf);
  const name = text(payload.name);
  const username = text(payload.preferred_username) ?? text(payload.upn) ?? text(payload.unique_name);
  return {
    tenantId: (text(payload.tid) ?? "").toLowerCase(),
    objectId: (text(payload.oid) ?? "").toLowerCase(),
    appId: (text(payload.appid) ?? text(payload.azp) ?? "").toLowerCase(),
    scopes: (text(payload.scp) ?? "").split(" ").filter(Boolean),
    audience: audienceOf(payload.aud),
    issuer: text(payload.iss) ?? "",
    expiresAt,
    ...(notBefore ? { notBefore } : {}),
    ...(name ? { name } : {}),
    ...(username ? { username } : {}),
  };
}

/** `Teams.ManageCalls` whether the token lists it bare or as the full resource URI. */
const scopeName = (scope: string): string => scope.slice(scope.lastIndexOf("/") + 1);

/**
 * Fails with the precise catalogue code before ACS is asked: its own answer to all of these is one vague 401.
 * Authorization rests on tid + oid only, never on a name or e-mail.
 */
export function assertExchangeable(claims: EntraAccessClaims, policy: ExchangeablePolicy): void {
  if (!isGuid(claims.tenantId) || !isGuid(claims.objectId)) {
    throw new PortalError("ENTRA_TOKEN_MALFORMED", {
      detail: "The token lacks a tenant id (tid) or object id (oid).",
    });
  }
  if (!ACS_AUDIENCES.includes(claims.audience)) throw new PortalError("ENTRA_TOKEN_WRONG_AUDIENCE");

  const skewMs = policy.clockSkewSeconds * 1000;
  const now = policy.now.getTime();
  if (claims.expiresAt.getTime() + skewMs <= now) throw new PortalError("ENTRA_TOKEN_EXPIRED");
  if (claims.notBefore && claims.notBefore.getTime() - skewMs > now) {
    throw new PortalError("ENTRA_TOKEN_NOT_YET_VALID");
  }

  if (policy.allowedTenantIds !== null && !policy.allowedTenantIds.includes(claims.tenantId)) {
    throw new PortalError("TENANT_NOT_ALLOWED", { tenantId: claims.tenantId });
  }
  if (!policy.allowedAppIds.includes(claims.appId)) throw new PortalError(policy.wrongAppCode);

  const granted = new Set(claims.scopes.map(scopeName));
  const missing = (policy.requiredScopes ?? TEAMS_SCOPE_NAMES).filter((scope) => !granted.has(scope));
  if (missing.length > 0) {
    throw new PortalError(policy.missingScopeCode ?? "ENTRA_TOKEN_MISSING_SCOPE", {
      detail: `The Entra token lacks the delegated permission ${missing.join(" and ")}.`,
      tenantId: claims.tenantId,
    });
  }
}
