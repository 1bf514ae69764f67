import type { NextRequest } from "next/server";
import { portalOrigin as originOf } from "@/lib/admin/origin";
import { getConfig } from "@/lib/config";
import { verifyBearerToken } from "@/lib/entra/bearer";
import { PortalError } from "@/lib/errors";
import { clientAddressOf } from "@/lib/http/client-address";
import { problemResponse } from "@/lib/http/problem";
import { assertSameOrigin, bearerTokenOf, readTokenRequestBody } from "@/lib/http/request-checks";
import { createServerTiming } from "@/lib/http/server-timing";
import { outboundGuard } from "@/lib/limits";
import { withRequestId } from "@/lib/log";
import { readSessionTokens } from "@/lib/session/entra-token";
import { getStore } from "@/lib/store";
import { getTeamsToken, SCOPE_POLICY } from "@/lib/teams-token/service";

export const dynamic = "force-dynamic";

function portalOrigin(request: NextRequest): string {
  return originOf(getConfig(), request.headers);
}

/** CORS only for the browser origins an admin listed, and only for the Bearer flow (no cookies). */
function corsHeaders(request: NextRequest): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin || !getConfig().allowedOrigins.includes(origin)) return { vary: "Origin" };
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST",
    "access-control-allow-headers": "authorization, content-type",
    "access-control-expose-headers": "retry-after, x-request-id",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}

/** Every answer names its request id (the caller's `x-request-id` when plausible); log lines carry the same. */
export function POST(request: NextRequest): Promise<Response> {
  return withRequestId(request.headers.get("x-request-id"), async (requestId) => {
    const response = await exchange(request);
    response.headers.set("x-request-id", requestId);
    return response;
  });
}

async function exchange(request: NextRequest): Promise<Response> {
  const cors = corsHeaders(request);
  const timing = createServerTiming();
  const started = performance.now();
  try {
    const bearer = bearerTokenOf(request);
    let result: Awaited<ReturnType<typeof getTeamsToken>>;
    if (bearer !== undefined) {
      const origin = request.headers.get("origin");
      if (origin && origin !== portalOrigin(request) && !cors["access-control-allow-origin"]) {
        throw new PortalError("FORBIDDEN_ORIGIN");
      }
      const body = await readTokenRequestBody(request);
      const kind = body.kind ?? "teams-user";
      const config = getConfig();
      if (kind === "teams-phone" && !config.env.TEAMS_PHONE_ENABLED)
        throw new PortalError("TEAMS_PHONE_DISABLED");
      // The per-client limit stands in front of any key fetch this token could cause.
      const beforeOutbound = outboundGuard(
        getStore(),
        config.env.RATE_LIMIT_CLIENT,
        clientAddressOf(request.headers),
      );
      const claims = await timing.measure("verify", () =>
        verifyBearerToken(bearer, config, { beforeOutbound, scopes: SCOPE_POLICY[kind] }),
      );
      result = await getTeamsToken({
        kind,
        entraToken: bearer,
        via: "bearer",
        claims,
        forceRefresh: body.forceRefresh ?? false,
      });
    } else {
      assertSameOrigin(request, portalOrigin(request));
      const body = await readTokenRequestBody(request);
      const session = await readSessionTokens(request.headers);
      result = await getTeamsToken({
        kind: body.kind ?? "teams-user",
        entraToken: session.entra.accessToken,
        via: "session",
        forceRefresh: body.forceRefresh ?? false,
      });
    }
    if (result.exchangeMs !== undefined) timing.record("acs", result.exchangeMs);
    timing.record("handler", performance.now() - started);
    return Response.json(
      {
        token: result.token,
        expiresOn: result.expiresOn,
        teamsUserId: result.teamsUserId,
        ...(result.acsUserId ? { kind: result.kind, acsUserId: result.acsUserId } : {}),
        tenantId: result.tenantId,
      },
      { headers: { "cache-control": "no-store", "server-timing": timing.header(), ...cors } },
    );
  } catch (error) {
    timing.record("handler", performance.now() - started);
    return problemResponse(error, { ...cors, "server-timing": timing.header() });
  }
}

export function OPTIONS(request: NextRequest) {
  const cors = corsHeaders(request);
  if (!cors["access-control-allow-origin"]) return problemResponse(new PortalError("FORBIDDEN_ORIGIN"), cors);
  return new Response(null, { status: 204, headers: cors });
}

const methodNotAllowed = () =>
  problemResponse(new PortalError("METHOD_NOT_ALLOWED"), { allow: "POST, OPTIONS" });

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
