import { decodeJwt } from "jose";
import { isPortalError } from "@/lib/errors";
import { isSessionTooOld } from "./cookie";
import { identityFromIdToken, type PortalJwt } from "./jwt";

/**
 * The session's life, as Auth.js's `jwt` callback runs it on every read: started at sign-in, renewed before the
 * Entra token expires, ended at the absolute limit. Pure apart from the injected refresh, so every branch is tested.
 */

export interface SessionPolicy {
  /** The absolute limit from sign-in (SESSION_MAX_AGE_SECONDS, at most 12 hours). */
  maxAgeSeconds: number;
  /** Renew the Entra token this long before it expires (ENTRA_REFRESH_MARGIN_SECONDS). */
  refreshMarginSeconds: number;
}

export interface RefreshResult {
  accessToken: string;
  refreshToken: string;
  /** Epoch seconds. */
  expiresAt: number;
  scope: string | undefined;
}

export type RefreshTokens = (refreshToken: string, tenantId: string) => Promise<RefreshResult>;

/** The Entra token's own `exp`, so that the Teams token's expiry can be compared to it to the second. */
export function expiryOf(accessToken: string | undefined, fallback: number): number {
  try {
    const { exp } = decodeJwt(accessToken ?? "");
    return typeof exp === "number" ? exp : fallback;
  } catch {
    return fallback;
  }
}

export interface SignInAccount {
  access_token?: string | undefined;
  refresh_token?: string | undefined;
  expires_at?: number | undefined;
  scope?: string | undefined;
}

/** The session cookie's content right after sign-in: identity and roles from the ID token, the Entra tokens. */
export function startSession(
  account: SignInAccount,
  idTokenClaims: Record<string, unknown>,
  now: number,
): PortalJwt {
  return {
    ...identityFromIdToken(idTokenClaims),
    signedInAt: now,
    entra: {
      accessToken: account.access_token ?? "",
      refreshToken: account.refresh_token ?? "",
      expiresAt: expiryOf(account.access_token, account.expires_at ?? now),
      scope: account.scope ?? "",
    },
  };
}

/** A session that can no longer be renewed keeps its identity (to say so on the page), never its tokens. */
function expired(current: PortalJwt): PortalJwt {
  return {
    ...current,
    error: "SESSION_EXPIRED",
    entra: { ...current.entra, accessToken: "", refreshToken: "" },
  };
}

/**
 * The next content of the session cookie, or `null` to end the session (Auth.js then deletes the cookie).
 * - past the absolute limit (or malformed): ended;
 * - Entra token not yet due: unchanged;
 * - renewed: new tokens, error cleared;
 * - refresh refused by Entra (or no refresh token): marked SESSION_EXPIRED and its tokens dropped;
 * - Entra unreachable: kept with ENTRA_UNAVAILABLE while the current token is still valid, else SESSION_EXPIRED
 *   with its refresh token kept, so that the next request renews it once Entra is back.
 */
export async function renewSession(
  current: PortalJwt,
  { now, policy, refresh }: { now: number; policy: SessionPolicy; refresh: RefreshTokens },
): Promise<PortalJwt | null> {
  if (!current.entra || isSessionTooOld(current.signedInAt, now, policy.maxAgeSeconds)) return null;
  if (current.entra.expiresAt - policy.refreshMarginSeconds > now) return current;
  if (!current.entra.refreshToken) return expired(current);
  try {
    const refreshed = await refresh(current.entra.refreshToken, current.tenantId);
    return {
      ...current,
      error: undefined,
      entra: {
        accessToken: refreshed.accessToken,
        refreshToken: refreshed.refreshToken,
        expiresAt: expiryOf(refreshed.accessToken, refreshed.expiresAt),
        scope: refreshed.scope ?? current.entra.scope,
      },
    };
  } catch (error) {
    const code = isPortalError(error) ? error.code : "ENTRA_UNAVAILABLE";
    if (code === "SESSION_EXPIRED") return expired(current);
    return { ...current, error: current.entra.expiresAt <= now ? "SESSION_EXPIRED" : code };
  }
}
