import type { ServerResponse } from "node:http";
import type { Context } from "../context";
import {
  ACS_RESOURCE,
  demoData,
  findApplication,
  findTenant,
  isRegisteredRedirect,
  type Tenant,
} from "../data";
import { escapeHtml, redirect, sendHtml, withQuery } from "../http";
import { MULTI_TENANT } from "./discovery";
import { ERR, entraErrorBody, page, sendEntraErrorPage } from "./errors";

/** Where the v1 endpoint sends the admin back when the request names no redirect_uri: the configured portal. */
export const v1DefaultRedirect = (portalUrl: string) => `${portalUrl}/consent/result`;

/**
 * GET shows the "Permissions requested" page; POST (from that page) records or refuses consent and redirects back.
 * v2: /{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri&state; v1: /{tenant}/adminconsent?client_id[&redirect_uri&state].
 */
export function handleAdminConsent(
  ctx: Context,
  res: ServerResponse,
  segment: string,
  params: URLSearchParams,
  v2: boolean,
  method: "GET" | "POST",
) {
  const multi = MULTI_TENANT.includes(segment.toLowerCase());
  const pathTenant = multi ? undefined : findTenant(segment);
  if (!multi && !pathTenant) return sendEntraErrorPage(res, 400, ERR.tenantNotFound(segment));
  const clientId = params.get("client_id") ?? "";
  if (!clientId) return sendEntraErrorPage(res, 400, ERR.missingParameter("client_id"));
  const app = findApplication(clientId);
  if (!app) return sendEntraErrorPage(res, 400, ERR.appNotFound(clientId, segment));
  let redirectUri = params.get("redirect_uri") ?? "";
  if (!redirectUri) {
    if (v2) return sendEntraErrorPage(res, 400, ERR.missingParameter("redirect_uri"));
    redirectUri = v1DefaultRedirect(ctx.config.portalUrl);
  }
  if (!isRegisteredRedirect(app, redirectUri)) {
    return sendEntraErrorPage(res, 400, ERR.redirectMismatch(redirectUri, app.clientId));
  }
  const state = params.get("state") ?? undefined;
  const scope = params.get("scope") ?? (v2 ? `${ACS_RESOURCE}/.default` : undefined);

  if (method === "GET") {
    const tenants = pathTenant ? [pathTenant] : demoData.tenants;
    return sendConsentPage(res, segment, params, app.name, tenants, v2);
  }
  const tenant = pathTenant ?? findTenant(params.get("emulator_tenant") ?? "");
  if (!tenant) return sendEntraErrorPage(res, 400, ERR.tenantNotFound(params.get("emulator_tenant") ?? ""));
  if (params.get("emulator_decision") === "accept") {
    ctx.state.grantAdminConsent(tenant.id);
    return redirect(
      res,
      withQuery(redirectUri, {
        admin_consent: "True",
        tenant: tenant.id,
        state,
        scope: v2 ? scope : undefined,
      }),
    );
  }
  const body = entraErrorBody(ERR.consentDeclined());
  redirect(
    res,
    withQuery(redirectUri, {
      error: body.error,
      error_description: body.error_description,
      state,
      tenant: tenant.id,
    }),
  );
}

function sendConsentPage(
  res: ServerResponse,
  segment: string,
  params: URLSearchParams,
  appName: string,
  tenants: Tenant[],
  v2: boolean,
): void {
  const hidden = [...params.entries()]
    .filter(([k]) => !k.startsWith("emulator_"))
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  const action = `/${encodeURIComponent(segment)}${v2 ? "/v2.0" : ""}/adminconsent`;
  const forms = tenants
    .map(
      (t) => `<li><form method="post" action="${escapeHtml(action)}">${hidden}
<input type="hidden" name="emulator_tenant" value="${escapeHtml(t.id)}">
<p>Signed in as an administrator of <strong>${escapeHtml(t.name)}</strong> (${escapeHtml(t.domain)})</p>
<button type="submit" name="emulator_decision" value="accept">Accept</button>
<button type="submit" name="emulator_decision" value="cancel">Cancel</button>
</form></li>`,
    )
    .join("\n");
  sendHtml(
    res,
    200,
    page(
      "Permissions requested",
      `<h1>Permissions requested — accept for your organization</h1>
<p><strong>${escapeHtml(appName)}</strong> needs permission to:</p>
<ul><li>Manage calls in Teams (Azure Communication Services — Teams.ManageCalls)</li>
<li>Manage chats in Teams (Azure Communication Services — Teams.ManageChats)</li>
<li>Sign you in and read your profile (openid, profile, email, offline_access)</li></ul>
<p>If you accept, this app will get access to these resources for all users in your organization.</p>
<ul aria-label="Organizations">${forms}</ul>`,
    ),
  );
}
