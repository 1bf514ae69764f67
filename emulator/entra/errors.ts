import type { ServerResponse } from "node:http";
import { escapeHtml, newGuid, redirect, sendHtml, sendJson, withQuery } from "../http";

/** Entra's timestamp format in errors: "2025-04-07 01:45:41Z". */
export function entraTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export interface EntraError {
  /** OAuth error code, e.g. invalid_grant. */
  error: string;
  /** AADSTS number. */
  code: number;
  /** Message after "AADSTSnnnnn: ". */
  message: string;
}

export function aadsts(error: string, code: number, message: string): EntraError {
  return { error, code, message };
}

/** "AADSTSnnn: message\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …", as Entra words its descriptions. */
function describeError(err: EntraError, traceId: string, correlationId: string, timestamp: string): string {
  return `AADSTS${err.code}: ${err.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`;
}

export function entraErrorBody(err: EntraError, correlationId = newGuid()) {
  const traceId = newGuid();
  const timestamp = entraTimestamp();
  return {
    error: err.error,
    error_description: describeError(err, traceId, correlationId, timestamp),
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
}

/** JSON error of the token and discovery endpoints. */
export function sendEntraJsonError(
  res: ServerResponse,
  status: number,
  err: EntraError,
  correlationId?: string,
): void {
  sendJson(res, status, entraErrorBody(err, correlationId), {
    "Cache-Control": "no-store",
    Pragma: "no-cache",
  });
}

/** Error delivered back to the client's redirect URI, as Entra does once the redirect URI is trusted. */
export function redirectEntraError(
  res: ServerResponse,
  redirectUri: string,
  err: EntraError,
  state?: string,
): void {
  const body = entraErrorBody(err);
  redirect(
    res,
    withQuery(redirectUri, {
      error: body.error,
      error_description: body.error_description,
      error_uri: body.error_uri,
      state,
    }),
  );
}

/** Error page shown when the request cannot be sent back (unknown tenant, client or redirect URI). */
export function sendEntraErrorPage(res: ServerResponse, status: number, err: EntraError): void {
  const body = entraErrorBody(err);
  sendHtml(
    res,
    status,
    page(
      "Sign in error",
      `<h1>Sorry, but we're having trouble signing you in.</h1>
<p role="alert" id="error-code">AADSTS${body.error_codes[0]}: ${escapeHtml(err.message)}</p>
<dl><dt>Request Id</dt><dd>${body.trace_id}</dd><dt>Correlation Id</dt><dd>${body.correlation_id}</dd><dt>Timestamp</dt><dd>${body.timestamp}</dd></dl>`,
    ),
  );
}

/** Minimal accessible page shell (no script). */
export function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Entra ID stand-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
button{font:inherit;padding:.5rem 1rem;margin:.25rem 0;cursor:pointer}li{margin:.75rem 0;list-style:none}
ul{padding:0}.muted{color:#555}.banner{background:#fff4ce;padding:.5rem;border-radius:4px}</style></head>
<body><p class="banner">Local Entra ID stand-in for development and tests. Not Microsoft.</p><main>${main}</main></body></html>`;
}

export const ERR = {
  tenantNotFound: (tenant: string) =>
    aadsts(
      "invalid_tenant",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  appNotFound: (clientId: string, tenantName: string) =>
    aadsts(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  redirectMismatch: (redirectUri: string, clientId: string) =>
    aadsts(
      "invalid_request",
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),
  missingParameter: (name: string) =>
    aadsts("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedResponseType: (value: string) =>
    aadsts(
      "unsupported_response_type",
      70005,
      `response_type '${value}' is not supported for this application. Use response_type=code.`,
    ),
  pkceRequired: () =>
    aadsts(
      "invalid_request",
      9002325,
      "Proof Key for Code Exchange is required. Send code_challenge with code_challenge_method=S256.",
    ),
  pkceMethod: (method: string) =>
    aadsts(
      "invalid_request",
      501491,
      `Invalid code_challenge_method '${method}'. Only 'S256' is supported by this stand-in.`,
    ),
  multipleResources: (scope: string) =>
    aadsts(
      "invalid_request",
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  unknownScope: (appName: string, scope: string, resource: string) =>
    aadsts(
      "invalid_client",
      650053,
      `The application '${appName}' asked for scope '${scope}' that doesn't exist on the resource '${resource}'. Contact the app vendor.`,
    ),
  consentRequired: (clientId: string, appName: string) =>
    aadsts(
      "consent_required",
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${appName}'. Send an interactive authorization request for this user and resource.`,
    ),
  noServicePrincipal: (acsAppId: string, tid: string) =>
    aadsts(
      "invalid_client",
      650052,
      `The app is trying to access a service '${acsAppId}'(Azure Communication Services) that your organization '${tid}' lacks a service principal for. Contact your IT Admin to review the configuration of your service subscriptions or consent to the application in order to create the required service principal.`,
    ),
  consentDeclined: () => aadsts("access_denied", 65004, "User declined to consent to access the app."),
  userNotInTenant: (username: string, tenantId: string, clientId: string, appName: string) =>
    aadsts(
      "invalid_request",
      50020,
      `User account '${username}' from identity provider 'https://sts.windows.net/${tenantId}/' does not exist in tenant '${tenantId}' and cannot access the application '${clientId}'(${appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    ),
  secretMissing: () =>
    aadsts(
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  secretInvalid: (clientId: string) =>
    aadsts(
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  publicClientSecret: () =>
    aadsts(
      "invalid_request",
      700025,
      "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    ),
  unsupportedGrant: (grant: string) =>
    aadsts("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`),
  malformedGrant: () => aadsts("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."),
  codeRedeemed: () =>
    aadsts(
      "invalid_grant",
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    ),
  grantExpired: () =>
    aadsts(
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    ),
  clientMismatch: () =>
    aadsts(
      "invalid_grant",
      70000,
      "Provided grant is invalid or malformed. The grant was issued to a different client.",
    ),
  replyMismatch: (given: string, expected: string) =>
    aadsts(
      "invalid_grant",
      500112,
      `The reply address '${given}' does not match the reply address '${expected}' provided when requesting Authorization code.`,
    ),
  // Workload identity federation (client-assertion grant); wording as Entra answers it.
  noFederatedIdentity: (claims: { iss?: unknown; sub?: unknown; aud?: unknown }) =>
    aadsts(
      "invalid_request",
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims.iss)}'. Assertion Subject: '${String(claims.sub)}'. Assertion Audience: '${String(claims.aud)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
    ),
  assertionTimeRange: (now: number, nbf: number, exp: number) =>
    aadsts(
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, assertion valid from ${new Date(nbf * 1000).toISOString()}, expiry time of assertion ${new Date(exp * 1000).toISOString()}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  invalidJwt: (why: string) => aadsts("invalid_client", 50027, `JWT token is invalid or malformed. ${why}`),
  invalidAssertionType: (value: string) =>
    aadsts(
      "invalid_request",
      700021,
      `Client assertion type '${value}' is not supported. Use urn:ietf:params:oauth:client-assertion-type:jwt-bearer.`,
    ),
  invalidScope: (scope: string) =>
    aadsts(
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  pkceMismatch: () =>
    aadsts(
      "invalid_grant",
      501481,
      "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    ),
};
