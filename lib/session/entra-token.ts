import "server-only";
import { headers } from "next/headers";
import { getToken } from "next-auth/jwt";
import { getConfig } from "@/lib/config";
import { PortalError } from "@/lib/errors";
import { isSessionTooOld, sentSecureSessionCookie, sessionCookieName } from "./cookie";
import type { PortalJwt } from "./jwt";

function cookieNames(cookieHeader: string): string[] {
  return cookieHeader.split(";").map((part) => part.split("=")[0]?.trim() ?? "");
}

/**
 * The one reader of the encrypted session cookie outside Auth.js's own callbacks. Only the cookie is read: Auth.js
 * would otherwise accept an `Authorization: Bearer` header as a session, and that header belongs to the token API.
 * getToken() skips Auth.js's callbacks, so the absolute session limit is applied here too. `null`: no session.
 */
export async function readSessionJwt(requestHeaders?: Headers): Promise<PortalJwt | null> {
  const source = requestHeaders ?? (await headers());
  const cookie = source.get("cookie");
  if (!cookie) return null;
  // Auth.js names the cookie after the portal's scheme; follow what the browser sent.
  const name = sessionCookieName(sentSecureSessionCookie(cookieNames(cookie)));
  const token = (await getToken({
    req: { headers: new Headers({ cookie }) },
    secret: getConfig().env.AUTH_SECRET,
    secureCookie: name !== sessionCookieName(false),
    cookieName: name,
    salt: name,
  })) as PortalJwt | null;
  if (!token) return null;
  if (
    isSessionTooOld(token.signedInAt, Math.floor(Date.now() / 1000), getConfig().env.SESSION_MAX_AGE_SECONDS)
  ) {
    throw new PortalError("SESSION_EXPIRED");
  }
  return token;
}

/**
 * The signed-in user's Entra tokens. The request guard has already renewed them when needed and handed the fresh
 * cookie to this request.
 */
export async function readSessionTokens(requestHeaders?: Headers): Promise<PortalJwt> {
  const token = await readSessionJwt(requestHeaders);
  if (token?.error === "SESSION_EXPIRED") throw new PortalError("SESSION_EXPIRED");
  if (!token?.entra?.accessToken || !token.tenantId || !token.objectId)
    throw new PortalError("UNAUTHENTICATED");
  return token;
}
