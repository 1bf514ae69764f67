import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { portalOrigin } from "@/lib/admin/origin";
import { getConfig } from "@/lib/config";
import { parseEntraError, signInErrorPath } from "@/lib/entra/sign-in-errors";
import { PortalError } from "@/lib/errors";
import { isAcceptableCallbackUrl } from "@/lib/http/action-guard";
import { problemResponse } from "@/lib/http/problem";

/** A callbackUrl Auth.js would choke on (a 500) is a bad request; in the query or in a posted form. */
async function badCallbackUrl(request: NextRequest): Promise<Response | undefined> {
  const origin = portalOrigin(getConfig(), request.headers);
  const values = [request.nextUrl.searchParams.get("callbackUrl")];
  const type = request.headers.get("content-type") ?? "";
  if (request.method === "POST" && type.startsWith("application/x-www-form-urlencoded")) {
    const form = await request
      .clone()
      .text()
      .then((text) => new URLSearchParams(text))
      .catch(() => new URLSearchParams());
    values.push(form.get("callbackUrl"));
  }
  return values.every((value) => isAcceptableCallbackUrl(value, origin))
    ? undefined
    : problemResponse(
        new PortalError("BAD_REQUEST", { detail: "callbackUrl must be a path of this portal." }),
      );
}

/**
 * Entra reports sign-in failures (AADSTS…) as `error` query parameters on the callback. Auth.js reduces them
 * to a generic "Configuration" error, so the callback is read first and sent to the portal's own error page
 * with the catalogue code. Only when this browser started a sign-in (its state cookie is present).
 */
export async function GET(request: NextRequest) {
  const refused = await badCallbackUrl(request);
  if (refused) return refused;
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

export async function POST(request: NextRequest) {
  return (await badCallbackUrl(request)) ?? handlers.POST(request);
}
