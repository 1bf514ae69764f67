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
/** Form field of the user-consent prompt: "accept" or "cancel". */
export const CONSENT_FIELD = "emulator_consent";

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
  if (user.declinesConsent && !ctx.state.userConsents.has(user.username)) {
    // As Entra does where users may consent: the permissions prompt, whose Cancel gives AADSTS65004.
    const decision = params.get(CONSENT_FIELD);
    if (decision === "cancel") return fail(ERR.consentDeclined());
    if (decision !== "accept") return sendUserConsentPage(res, segment, params, app, user);
    ctx.state.userConsents.add(user.username);
  }

  const code = `1.emulator.${randomBytes(32).toString("base64url")}`;
  ctx.state.sweep();
  ctx.state.codes.set(code, {
    clientId: app.clientId,
    username: user.username,
    acsScopes: grantedAcsScopes(ctx.state.partialGrants.get(user.username), scopes.acs),
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

/** The user's consented ACS scopes (Lynne only has Teams.ManageCalls until an admin consents again). */
export function grantedAcsScopes(partialGrant: string[] | undefined, asked: string[]): string[] {
  return partialGrant ? asked.filter((s) => partialGrant.includes(s)) : asked;
}

function sessionState(user: User): string {
  return `${user.oid.slice(0, 8)}-emulator-session`;
}

function hiddenFields(params: URLSearchParams, skip: (name: string) => boolean): string {
  return [...params.entries()]
    .filter(([k]) => !skip(k))
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
}

/** Entra's "Permissions requested" prompt for one user (user consent allowed in the tenant). */
function sendUserConsentPage(
  res: ServerResponse,
  segment: string,
  params: URLSearchParams,
  app: Application,
  user: User,
): void {
  const hidden = `${hiddenFields(params, (k) => k === CONSENT_FIELD || k === USER_FIELD)}<input type="hidden" name="${USER_FIELD}" value="${escapeHtml(user.username)}">`;
  const action = `/${encodeURIComponent(segment)}/oauth2/v2.0/authorize`;
  sendHtml(
    res,
    200,
    page(
      "Permissions requested",
      `<h1>Permissions requested</h1>
<p class="muted">${escapeHtml(user.username)}</p>
<p><strong>${escapeHtml(app.name)}</strong> would like to:</p>
<ul><li>Manage calls in Teams (Azure Communication Services — Teams.ManageCalls)</li>
<li>Manage chats in Teams (Azure Communication Services — Teams.ManageChats)</li>
<li>Sign you in and read your profile; keep access to data you have given it access to</li></ul>
<p>Accepting these permissions means that you allow this app to use your data as specified.</p>
<form method="post" action="${escapeHtml(action)}">${hidden}
<button type="submit" name="${CONSENT_FIELD}" value="cancel">Cancel</button>
<button type="submit" name="${CONSENT_FIELD}" value="accept">Accept</button>
</form>`,
    ),
  );
}

function sendSignInPage(
  res: ServerResponse,
  segment: string,
  params: URLSearchParams,
  app: Application,
): void {
  const hidden = hiddenFields(params, (k) => k === USER_FIELD);
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
