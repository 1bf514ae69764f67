"use server";

import { z } from "zod";
import { auth } from "@/auth";
import { isPortalError, PortalError, toErrorView } from "@/lib/errors";
import { log } from "@/lib/log";
import { readSessionTokens } from "@/lib/session/entra-token";
import { getTeamsToken } from "@/lib/teams-token/service";
import type { TeamsPhoneTokenState, TeamsTokenState } from "@/lib/teams-token/view";
import { recordRefusal } from "@/lib/telemetry/metrics";

const input = z.object({ forceRefresh: z.enum(["true", "false"]).optional() });

/** The status page's exchange. Returns the ACS token (meant for this user) and never the Entra token. */
export async function requestTeamsToken(
  _previous: TeamsTokenState,
  formData: FormData,
): Promise<TeamsTokenState> {
  const at = Date.now();
  try {
    // Every action re-checks the session itself: the page that rendered the form proves nothing.
    const session = await auth();
    if (!session?.user) throw new PortalError("UNAUTHENTICATED");
    const parsed = input.safeParse({ forceRefresh: formData.get("forceRefresh") ?? undefined });
    if (!parsed.success) throw new PortalError("BAD_REQUEST");
    const tokens = await readSessionTokens();
    const result = await getTeamsToken({
      entraToken: tokens.entra.accessToken,
      via: "session",
      forceRefresh: parsed.data.forceRefresh === "true",
    });
    return {
      status: "success",
      token: result.token,
      expiresOn: result.expiresOn,
      fingerprint: result.fingerprint,
      ...(result.issuedAt ? { issuedAt: result.issuedAt } : {}),
      teamsUserId: result.teamsUserId,
      tenantId: result.tenantId,
      cached: result.cached,
      renewed: parsed.data.forceRefresh === "true",
      at,
    };
  } catch (error) {
    if (!isPortalError(error)) {
      log.error("unexpected error in the token action", {
        kind: error instanceof Error ? error.name : typeof error,
      });
    }
    recordRefusal(error);
    return { status: "error", error: toErrorView(error), at };
  }
}

/** The Teams Phone card's exchange (Teams Phone extensibility): same session checks, cache and limits. */
export async function requestTeamsPhoneToken(
  _previous: TeamsPhoneTokenState,
  formData: FormData,
): Promise<TeamsPhoneTokenState> {
  const at = Date.now();
  try {
    const session = await auth();
    if (!session?.user) throw new PortalError("UNAUTHENTICATED");
    const parsed = input.safeParse({ forceRefresh: formData.get("forceRefresh") ?? undefined });
    if (!parsed.success) throw new PortalError("BAD_REQUEST");
    const tokens = await readSessionTokens();
    const result = await getTeamsToken({
      kind: "teams-phone",
      entraToken: tokens.entra.accessToken,
      via: "session",
      forceRefresh: parsed.data.forceRefresh === "true",
    });
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
    if (!isPortalError(error)) {
      console.error(`[teams phone action] unexpected ${error instanceof Error ? error.name : typeof error}`);
    }
    return { status: "error", error: toErrorView(error), at };
  }
}
