import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { parseEntraError, signInErrorPath } from "@/lib/entra/sign-in-errors";

/**
 * Entra reports sign-in failures (AADSTS…) as `error` query parameters on the callback. Auth.js reduces them
 * to a generic "Configuration" error, so the callback is read first and sent to the portal's own error page
 * with the catalogue code. Only when this browser started a sign-in (its state cookie is present).
 */
export async function GET(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const startedHere = request.cookies.getAll().some((cookie) => cookie.name.endsWith("authjs.state"));
  if (pathname.endsWith("/callback/microsoft-entra-id") && searchParams.has("error") && startedHere) {
    const failure = parseEntraError(searchParams.get("error"), searchParams.get("error_description"));
    return new Response(null, {
      status: 303,
      headers: { location: signInErrorPath(failure.code, failure.tenantId, failure.aadsts) },
    });
  }
  return handlers.GET(request);
}

export const { POST } = handlers;
