import { PortalError } from "@/lib/errors";
import { problemResponse } from "@/lib/http/problem";

/**
 * Next.js checks a server action's Origin against X-Forwarded-Host (or Host) itself, but answers a mismatch with a
 * 500 and a logged stack. Checked here first, against the portal's own origin: a cross-site or forged-host action
 * POST gets a 403 FORBIDDEN_ORIGIN instead, and never reaches the action. X-Forwarded-Host counts only when the
 * forwarded headers are trusted: otherwise proxy.ts pins it to the portal's host before Next sees it, so a forged
 * one changes nothing and the request is judged by its Origin alone.
 */
export function refuseForeignAction(
  request: { method: string; headers: Headers; nextUrl: URL },
  portalOrigin: string,
  forwardedHeadersTrusted = true,
): Response | undefined {
  if (request.method !== "POST" || request.nextUrl.pathname.startsWith("/api/")) return undefined;
  const type = request.headers.get("content-type")?.toLowerCase() ?? "";
  const isAction =
    request.headers.has("next-action") ||
    type.startsWith("multipart/form-data") ||
    type.startsWith("application/x-www-form-urlencoded");
  if (!isAction) return undefined;
  const forwardedHost = forwardedHeadersTrusted ? request.headers.get("x-forwarded-host") : null;
  const sameOrigin = request.headers.get("origin") === portalOrigin;
  const sameHost = forwardedHost === null || forwardedHost === new URL(portalOrigin).host;
  return sameOrigin && sameHost ? undefined : problemResponse(new PortalError("FORBIDDEN_ORIGIN"));
}

/**
 * Auth.js answers a `callbackUrl` that is neither a path nor a URL with a 500. Only a same-origin path or URL is
 * ever a valid one, so anything else is refused as a bad request before Auth.js sees it.
 */
export function isAcceptableCallbackUrl(value: string | null, portalOrigin: string): boolean {
  if (value === null) return true;
  if (/^\/(?![/\\])/.test(value)) return true;
  try {
    return new URL(value).origin === portalOrigin;
  } catch {
    return false;
  }
}
