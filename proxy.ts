import { type NextRequest, NextResponse } from "next/server";
import { auth } from "@/auth";
import { publicOrigin } from "@/lib/admin/origin";
import { getConfig } from "@/lib/config";
import { ENTRA_AUTHORITY } from "@/lib/entra/scopes";
import { refuseForeignAction } from "@/lib/http/action-guard";
import { contentSecurityPolicy, securityHeaders } from "@/lib/security/headers";

type SessionRefresh = (request: NextRequest, context: never) => Promise<Response>;

/**
 * Runs Auth.js for this request: it renews the Entra token when due and answers with the new cookie. With lazy
 * initialisation (auth.ts), `auth(handler)` resolves to the wrapped handler instead of returning it
 * (nextauthjs/next-auth#11544), so it is awaited; the configuration is read only when the handler runs.
 */
const refreshSession = Promise.resolve(
  auth(() => undefined) as unknown as SessionRefresh | Promise<SessionRefresh>,
);

/** Auth.js's session cookie, plain or __Secure-, whole or in chunks (.0, .1, …). */
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export async function proxy(request: NextRequest) {
  const config = getConfig();
  const foreignAction = refuseForeignAction(request, publicOrigin(config.env.AUTH_URL, request.headers));
  if (foreignAction) return foreignAction;
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    signInOrigins: [config.emulatorUrl ?? ENTRA_AUTHORITY],
    development: process.env.NODE_ENV === "development",
    https,
  });

  // Without a session cookie there is nothing to renew: anonymous pages and Bearer API calls skip Auth.js.
  const hasSession = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
  const sessionResponse = hasSession ? await (await refreshSession)(request, {} as never) : new Response();
  const renewed = new NextResponse(null, { headers: sessionResponse.headers }).cookies.getAll();

  // The page, action or route behind this guard must see the renewed cookie too; otherwise it would redeem
  // the already-rotated refresh token a second time.
  for (const cookie of renewed) {
    if (cookie.value === "" || cookie.maxAge === 0) request.cookies.delete(cookie.name);
    else request.cookies.set(cookie.name, cookie.value);
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
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
  ],
};
