"use server";

import { z } from "zod";
import { auth } from "@/auth";
import { isPortalError, PortalError, toErrorView } from "@/lib/errors";
import { log } from "@/lib/log";
import { readSessionTokens } from "@/lib/session/entra-token";
import { getTeamsToken, type TokenKind } from "@/lib/teams-token/service";
import type { TeamsPhoneTokenState, TeamsTokenState } from "@/lib/teams-token/view";
import { recordRefusal } from "@/lib/telemetry/metrics";

const input = z.object({ forceRefresh: z.enum(["true", "false"]).optional() });

/**
 * One exchange for the session's user, as either card asks for it. Every action re-checks the session itself: the
 * page that rendered the form proves nothing.
 */
async function exchangeForSession(kind: TokenKind, formData: FormData) {
  const session = await auth();
  if (!session?.user) throw new PortalError("UNAUTHENTICATED");
  const parsed = input.safeParse({ forceRefresh: formData.get("forceRefresh") ?? undefined });
  if (!parsed.success) throw new PortalError("BAD_REQUEST");
  const tokens = await readSessionTokens();
  const forceRefresh = parsed.data.forceRefresh === "true";
  const result = await getTeamsToken({
    kind,
    entraToken: tokens.entra.accessToken,
    via: "session",
    forceRefresh,
  });
  return { result, forceRefresh };
}

/** A refusal as the card shows it; an unexpected error is logged by its kind only (never its message). */
function failure(error: unknown, at: number) {
  if (!isPortalError(error)) {
    log.error("unexpected error in the token action", {
      kind: error instanceof Error ? error.name : typeof error,
    });
  }
  recordRefusal(error);
  return { status: "error" as const, error: toErrorView(error), at };
}

/** The status page's exchange. Returns the ACS token (meant for this user) and never the Entra token. */
export async function requestTeamsToken(
  _previous: TeamsTokenState,
  formData: FormData,
): Promise<TeamsTokenState> {
  const at = Date.now();
  try {
    const { result, forceRefresh } = await exchangeForSession("teams-user", formData);
    return {
      status: "success",
      token: result.token,
      expiresOn: result.expiresOn,
      fingerprint: result.fingerprint,
      ...(result.issuedAt ? { issuedAt: result.issuedAt } : {}),
      teamsUserId: result.teamsUserId,
      tenantId: result.tenantId,
      cached: result.cached,
      renewed: forceRefresh,
      at,
    };
  } catch (error) {
    return failure(error, at);
  }
}

/** The Teams Phone card's exchange (Teams Phone extensibility): same session checks, cache and limits. */
export async function requestTeamsPhoneToken(
  _previous: TeamsPhoneTokenState,
  formData: FormData,
): Promise<TeamsPhoneTokenState> {
  const at = Date.now();
  try {
    const { result } = await exchangeForSession("teams-phone", formData);
    if (!result.acsUserId) throw new PortalError("ACS_BAD_RESPONSE");
    return {
      status: "success",
      token: result.token,
      expiresOn: result.expiresOn,
      acsUserId: result.acsUserId,
      tenantId: result.tenantId,
      cached: result.cached,
      at,
    };
  } catch (error) {
    return failure(error, at);
  }
}
