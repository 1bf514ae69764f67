import "server-only";
import { headers } from "next/headers";
import { getToken } from "next-auth/jwt";
import { getConfig } from "@/lib/config";
import { PortalError } from "@/lib/errors";
import type { PortalJwt } from "./jwt";

/**
 * Reads the signed-in user's Entra tokens from the encrypted session cookie. The request guard has already
 * renewed them when needed and handed the fresh cookie to this request. Only the cookie is read: Auth.js would
 * otherwise accept an `Authorization: Bearer` header as a session, and that header belongs to the token API.
 */
export async function readSessionTokens(requestHeaders?: Headers): Promise<PortalJwt> {
  const source = requestHeaders ?? (await headers());
  const cookieOnly = new Headers();
  const cookie = source.get("cookie");
  if (cookie) cookieOnly.set("cookie", cookie);
  // Auth.js names the cookie after the request's scheme (https → __Secure- prefix); follow what the browser sent.
  const secureCookie = /(^|;\s*)__Secure-authjs\.session-token/.test(cookie ?? "");
  const token = (await getToken({
    req: { headers: cookieOnly },
    secret: getConfig().env.AUTH_SECRET,
    secureCookie,
    salt: secureCookie ? "__Secure-authjs.session-token" : "authjs.session-token",
  })) as PortalJwt | null;
  if (!token?.entra?.accessToken || !token.tenantId || !token.objectId)
    throw new PortalError("UNAUTHENTICATED");
  const age = Math.floor(Date.now() / 1000) - token.signedInAt;
  // getToken() skips Auth.js callbacks, so the absolute session limit is enforced here too.
  if (typeof token.signedInAt !== "number" || age > getConfig().env.SESSION_MAX_AGE_SECONDS) {
    throw new PortalError("SESSION_EXPIRED");
  }
  if (token.error === "SESSION_EXPIRED") throw new PortalError("SESSION_EXPIRED");
  return token;
}
