import type { ServerResponse } from "node:http";
import type { Context } from "../context";
import { findTenant } from "../data";
import { sendJson } from "../http";
import { ERR, sendEntraJsonError } from "./errors";
import { applyEntraFault } from "./faults";
import { entraIssuerV2, stsIssuerV1 } from "./tokens";

export const MULTI_TENANT = ["common", "organizations"];

/** Resolves the {tenant} path segment: a tenant id, a verified domain, "common" or "organizations". */
export function resolveAuthority(segment: string): { tid: string | null; multi: boolean } | null {
  const lower = segment.toLowerCase();
  if (MULTI_TENANT.includes(lower)) return { tid: null, multi: true };
  const tenant = findTenant(lower);
  return tenant ? { tid: tenant.id, multi: false } : null;
}

/**
 * `httpsOrigin`: asked on the HTTPS listener, the endpoints stay on it. MSAL (the workload identity's
 * ClientAssertionCredential) accepts only https authorities and then posts to the discovered token endpoint.
 */
export function handleDiscovery(ctx: Context, res: ServerResponse, segment: string, httpsOrigin?: string) {
  const authority = resolveAuthority(segment);
  if (!authority) {
    sendEntraJsonError(res, 400, ERR.tenantNotFound(segment));
    return;
  }
  const base = httpsOrigin ?? ctx.publicUrl();
  const tid = authority.tid ?? "{tenantid}";
  const pathTenant = authority.tid ?? segment.toLowerCase();
  sendJson(
    res,
    200,
    {
      token_endpoint: `${base}/${pathTenant}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/${pathTenant}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: entraIssuerV2(tid),
      request_uri_parameter_supported: false,
      userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
      authorization_endpoint: `${base}/${pathTenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${pathTenant}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${pathTenant}/oauth2/v2.0/logout`,
      claims_supported: [
        "sub",
        "iss",
        "cloud_instance_name",
        "cloud_instance_host_name",
        "cloud_graph_host_name",
        "msgraph_host",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "acr",
        "nonce",
        "preferred_username",
        "name",
        "tid",
        "ver",
        "at_hash",
        "c_hash",
        "email",
      ],
      kerberos_endpoint: `${base}/${pathTenant}/kerberos`,
      code_challenge_methods_supported: ["S256"],
      tenant_region_scope: "NA",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    },
    { "Cache-Control": "max-age=86400, private", "Access-Control-Allow-Origin": "*" },
  );
}

export async function handleJwks(ctx: Context, res: ServerResponse, segment: string, v2: boolean) {
  if (await applyEntraFault(ctx, undefined, res, "entra-keys")) return;
  const authority = resolveAuthority(segment);
  if (!authority) {
    sendEntraJsonError(res, 400, ERR.tenantNotFound(segment));
    return;
  }
  const tid = authority.tid ?? "{tenantid}";
  if (authority.multi) ctx.state.keyFetches.common += 1;
  else ctx.state.keyFetches.tenant += 1;
  sendJson(res, 200, ctx.keys.jwks(v2 ? entraIssuerV2(tid) : stsIssuerV1(tid)), {
    "Cache-Control": "max-age=86400, private",
    "Access-Control-Allow-Origin": "*",
  });
}
