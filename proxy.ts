import { NextRequest, NextResponse } from "next/server";
import { authGuard } from "@/auth";
import { portalOrigin } from "@/lib/admin/origin";
import { getConfig } from "@/lib/config";
import { ENTRA_AUTHORITY } from "@/lib/entra/scopes";
import { refuseForeignAction } from "@/lib/http/action-guard";
import { contentSecurityPolicy, securityHeaders } from "@/lib/security/headers";
import { isSessionCookie } from "@/lib/session/cookie";

type SessionRefresh = (request: NextRequest, context: never) => Promise<Response>;

/**
 * Runs Auth.js for this request: it renews the Entra token when due and answers with the new cookie. With lazy
 * initialisation (auth.ts), `auth(handler)` resolves to the wrapped handler instead of returning it
 * (nextauthjs/next-auth#11544), so it is awaited; the configuration is read only when the handler runs.
 */
const refreshSession = Promise.resolve(
  authGuard(() => undefined) as unknown as SessionRefresh | Promise<SessionRefresh>,
);

/**
 * The request headers the page, action or route behind this guard sees (and Auth.js, whose sign-in, sign-out and
 * callback build their URLs from X-Forwarded-Host/-Proto): forwarded headers pinned to the configured origin,
 * unless the operator or the platform vouches for them (AUTH_TRUST_HOST=true, Vercel).
 */
function pinnedHeaders(source: Headers, origin: string, trusted: boolean): Headers {
  const headers = new Headers(source);
  if (trusted) return headers;
  const url = new URL(origin);
  headers.set("x-forwarded-host", url.host);
  headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  return headers;
}

export async function proxy(request: NextRequest) {
  const config = getConfig();
  const origin = portalOrigin(config, request.headers);
  // Next.js answers a cross-site or forged-host server-action POST with a 500; refuse it first with a 403.
  const foreignAction = refuseForeignAction(request, origin, config.trustForwardedHeaders);
  if (foreignAction) return foreignAction;
  if (request.nextUrl.pathname.startsWith("/api/auth/")) {
    // Auth.js's own routes read and write the session themselves; they only get the pinned forwarded headers
    // (their request URL, and so the callback's redirect, is built from X-Forwarded-Proto).
    const headers = pinnedHeaders(request.headers, origin, config.trustForwardedHeaders);
    return NextResponse.next({ request: { headers } });
  }
  const https = origin.startsWith("https:");
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    signInOrigins: [config.emulatorUrl ?? ENTRA_AUTHORITY],
    development: process.env.NODE_ENV === "development",
    https,
  });

  // Without a session cookie there is nothing to renew: anonymous pages and Bearer API calls skip Auth.js.
  const hasSession = request.cookies.getAll().some((cookie) => isSessionCookie(cookie.name));
  const sessionResponse = hasSession
    ? await (await refreshSession)(
        new NextRequest(request, {
          headers: pinnedHeaders(request.headers, origin, config.trustForwardedHeaders),
        }),
        {} as never,
      )
    : new Response();
  const renewed = new NextResponse(null, { headers: sessionResponse.headers }).cookies.getAll();

  // The page, action or route behind this guard must see the renewed cookie too; otherwise it would redeem
  // the already-rotated refresh token a second time.
  for (const cookie of renewed) {
    if (cookie.value === "" || cookie.maxAge === 0) request.cookies.delete(cookie.name);
    else request.cookies.set(cookie.name, cookie.value);
  }
  const requestHeaders = pinnedHeaders(request.headers, origin, config.trustForwardedHeaders);
  requestHeaders.set("x-nonce", nonce);
  // Where to come back to after sign-in (app/lib/require-admin.ts checks it again before redirecting there).
  requestHeaders.set("x-portal-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  requestHeaders.set("content-security-policy", csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const header of sessionResponse.headers.getSetCookie()) response.headers.append("set-cookie", header);
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(securityHeaders(https))) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    // Pages: Next's prefetches skip the guard (they render nothing the user sees yet).
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
    // APIs with the session cookie: always. Bearer calls carry no session to renew, and the route reads the Bearer
    // token alone when one is sent, so they skip the guard (security headers come from next.config.ts). The public
    // probes /api/ping and /api/health hold no session either.
    { source: "/api/((?!auth/|ping$|health$).*)", missing: [{ type: "header", key: "authorization" }] },
    // Auth.js's routes: only the forwarded headers are pinned (see above).
    "/api/auth/:path*",
  ],
};
