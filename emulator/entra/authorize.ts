import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Context } from "../context";
import {
  type Application,
  demoData,
  findApplication,
  findUser,
  isRegisteredRedirect,
  tenantOf,
  type User,
} from "../data";
import { escapeHtml, redirect, sendHtml, withQuery } from "../http";
import { CODE_LIFETIME_MS } from "../state";
import { resolveAuthority } from "./discovery";
import { ERR, page, redirectEntraError, sendEntraErrorPage } from "./errors";
import { parseScopes } from "./scopes";

/** Form field the sign-in page posts back with the chosen user. */
export const USER_FIELD = "emulator_user";

/**
 * GET (and POST from the sign-in page) /{tenant}/oauth2/v2.0/authorize.
 * Errors before the redirect URI is trusted are shown as a page; later ones go back to the redirect URI.
 */
export function handleAuthorize(ctx: Context, res: ServerResponse, segment: string, params: URLSearchParams) {
  const authority = resolveAuthority(segment);
  if (!authority) return sendEntraErrorPage(res, 400, ERR.tenantNotFound(segment));
  const clientId = params.get("client_id") ?? "";
  if (!clientId) return sendEntraErrorPage(res, 400, ERR.missingParameter("client_id"));
  const app = findApplication(clientId);
  if (!app) return sendEntraErrorPage(res, 400, ERR.appNotFound(clientId, segment));
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!redirectUri) return sendEntraErrorPage(res, 400, ERR.missingParameter("redirect_uri"));
  if (!isRegisteredRedirect(app, redirectUri)) {
    return sendEntraErrorPage(res, 400, ERR.redirectMismatch(redirectUri, app.clientId));
  }
  const state = params.get("state") ?? undefined;
  const fail = (err: ReturnType<typeof ERR.pkceRequired>) => redirectEntraError(res, redirectUri, err, state);

  const responseType = params.get("response_type") ?? "";
  if (!responseType) return fail(ERR.missingParameter("response_type"));
  if (responseType !== "code") return fail(ERR.unsupportedResponseType(responseType));
  const scope = params.get("scope") ?? "";
  if (!scope.trim()) return fail(ERR.missingParameter("scope"));
  const codeChallenge = params.get("code_challenge") ?? "";
  if (!codeChallenge) return fail(ERR.pkceRequired());
  const method = params.get("code_challenge_method") ?? "plain";
  if (method !== "S256") return fail(ERR.pkceMethod(method));
  const scopes = parseScopes(scope);
  const unknown = scopes.unknownAcs[0];
  if (unknown) return fail(ERR.unknownScope(app.name, unknown, demoData.acs.applicationId));

  const chosen = params.get(USER_FIELD) ?? (ctx.config.autoLogin ? params.get("login_hint") : null);
  const user = chosen ? findUser(chosen) : undefined;
  if (!user) return sendSignInPage(res, segment, params, app);

  const tenant = tenantOf(user);
  if (authority.tid && authority.tid !== tenant.id) {
    return fail(ERR.userNotInTenant(user.username, authority.tid, app.clientId, app.name));
  }
  if (scopes.acs.length > 0 && !tenant.hasAcsServicePrincipal) {
    return fail(ERR.noServicePrincipal(demoData.acs.applicationId, tenant.id));
  }
  if (!ctx.state.consents.has(tenant.id)) return fail(ERR.consentRequired(app.clientId, app.name));
  if (user.declinesConsent) return fail(ERR.consentDeclined());

  const code = `1.emulator.${randomBytes(32).toString("base64url")}`;
  ctx.state.sweep();
  ctx.state.codes.set(code, {
    clientId: app.clientId,
    username: user.username,
    acsScopes: grantedAcsScopes(user, scopes.acs),
    requestedScope: scope,
    oidc: scopes.oidc,
    nonce: params.get("nonce") ?? undefined,
    redirectUri,
    codeChallenge,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
    redeemed: false,
  });
  redirect(res, withQuery(redirectUri, { code, state, session_state: sessionState(user) }));
}

/** The user's consented ACS scopes (Lynne only has Teams.ManageCalls). */
export function grantedAcsScopes(user: User, asked: string[]): string[] {
  return user.grantedScopes ? asked.filter((s) => user.grantedScopes?.includes(s)) : asked;
}

function sessionState(user: User): string {
  return `${user.oid.slice(0, 8)}-emulator-session`;
}

function sendSignInPage(
  res: ServerResponse,
  segment: string,
  params: URLSearchParams,
  app: Application,
): void {
  const hidden = [...params.entries()]
    .filter(([k]) => k !== USER_FIELD)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  const action = `/${encodeURIComponent(segment)}/oauth2/v2.0/authorize`;
  const users = demoData.users
    .map((u) => {
      const tenant = tenantOf(u);
      const id = `user-${u.oid}`;
      return `<li><form method="post" action="${escapeHtml(action)}">${hidden}
<input type="hidden" name="${USER_FIELD}" value="${escapeHtml(u.username)}">
<button type="submit" aria-describedby="${id}">Sign in as ${escapeHtml(u.name)}</button>
<div id="${id}" class="muted">${escapeHtml(u.username)} · ${escapeHtml(tenant.name)} (${escapeHtml(tenant.domain)}) — ${escapeHtml(u.description)}</div>
</form></li>`;
    })
    .join("\n");
  sendHtml(
    res,
    200,
    page(
      "Sign in",
      `<h1>Pick an account</h1>
<p>to continue to <strong>${escapeHtml(app.name)}</strong></p>
<ul aria-label="Demo users">${users}</ul>`,
    ),
  );
}
