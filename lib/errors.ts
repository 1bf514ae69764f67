/**
 * The one catalogue of everything that can go wrong, for the API (problem+json) and the pages alike.
 * Plain data, no secrets. Client components import only its types: they get an ErrorView from the server, and
 * lib/actors.ts and lib/internal-error.ts for what they name themselves, so the catalogue never ships to the browser
 * (tests/e2e/page-weight.spec.ts holds each page's script to its budget).
 */

import type { Actor } from "./actors";
import { INTERNAL_ENTRY } from "./internal-error";

export { type Actor, actorLabel } from "./actors";

/** Where a person goes next. Pages turn this into a URL with the tenant / app at hand. */
export type RemedyLink =
  | "sign-in"
  | "consent-builder"
  | "service-principal"
  | "admin-setup"
  | "troubleshoot"
  | "retry";

export interface CatalogueEntry {
  status: number;
  title: string;
  explanation: string;
  remedy: string;
  actor: Actor;
  link?: RemedyLink;
  /** AADSTS numbers (without the prefix) that this entry explains. */
  aadsts?: readonly string[];
  /** Error codes returned by the ACS identity API that this entry explains. */
  acs?: readonly string[];
  docs?: string;
}

const LEARN = "https://learn.microsoft.com";

export const catalogue = {
  // Requests to the portal
  UNAUTHENTICATED: {
    status: 401,
    title: "You are not signed in",
    explanation: "This request has no valid portal session or Bearer token.",
    remedy: "Sign in with your work account, then try again.",
    actor: "user",
    link: "sign-in",
  },
  SESSION_EXPIRED: {
    status: 401,
    title: "Your sign-in has expired",
    explanation:
      "The portal could not renew your Microsoft Entra sign-in (the refresh token was refused or expired).",
    remedy: "Sign out and sign in again.",
    actor: "user",
    link: "sign-in",
  },
  FORBIDDEN_ORIGIN: {
    status: 403,
    title: "Request from another site refused",
    explanation: "Cookie-authenticated requests are accepted from this portal's own pages only.",
    remedy: "Call the API from the portal itself, or use a Bearer token from an allowed client app.",
    actor: "app-admin",
  },
  BAD_REQUEST: {
    status: 400,
    title: "The request is malformed",
    explanation: "The request body is not what this endpoint accepts.",
    remedy: 'Send an empty body or a JSON object such as {"forceRefresh": true}.',
    actor: "app-admin",
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: "Method not allowed",
    explanation: "This endpoint answers POST (and OPTIONS for CORS) only.",
    remedy: "Send a POST request.",
    actor: "app-admin",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: "Unsupported content type",
    explanation: "This endpoint accepts application/json only.",
    remedy: "Send the header Content-Type: application/json, or no body at all.",
    actor: "app-admin",
  },
  RATE_LIMITED: {
    status: 429,
    title: "Too many requests",
    explanation: "You or your organization asked for Teams tokens too often in a short time.",
    remedy: "Wait for the time given in Retry-After, then try again. Reuse a token until it nears expiry.",
    actor: "user",
    link: "retry",
  },

  // Checks on the Entra access token, before ACS is called
  ENTRA_TOKEN_MALFORMED: {
    status: 401,
    title: "The Microsoft Entra token is not a valid token",
    explanation: "The access token could not be read as a JWT.",
    remedy: "Sign in again to get a fresh token.",
    actor: "user",
    link: "sign-in",
  },
  ENTRA_TOKEN_EXPIRED: {
    status: 401,
    title: "The Microsoft Entra token has expired",
    explanation: "The access token's lifetime is over and it could not be renewed.",
    remedy: "Sign in again.",
    actor: "user",
    link: "sign-in",
  },
  ENTRA_TOKEN_NOT_YET_VALID: {
    status: 401,
    title: "The Microsoft Entra token is not valid yet",
    explanation: "The token's 'not before' time is in the future; a clock is probably wrong.",
    remedy: "Check the clock of the device and of the server, then try again.",
    actor: "app-admin",
  },
  ENTRA_TOKEN_WRONG_AUDIENCE: {
    status: 401,
    title: "The token is not for Azure Communication Services",
    explanation:
      "The access token was issued for another API. Teams tokens need an Entra token whose audience is https://auth.msft.communication.azure.com.",
    remedy:
      "Request the scopes https://auth.msft.communication.azure.com/Teams.ManageCalls and …/Teams.ManageChats, and no other resource.",
    actor: "app-admin",
    link: "admin-setup",
  },
  ENTRA_TOKEN_MISSING_SCOPE: {
    status: 403,
    title: "A Teams permission is missing",
    explanation:
      "The Entra token must carry both Teams.ManageCalls and Teams.ManageChats, and at least one was not granted. Either the app registration does not list that permission, or your organization's consent was given before it was added: a consent covers only the permissions listed when it was given.",
    remedy:
      "If the app registration lacks it, the portal's administrator adds it (API permissions → Azure Communication Services → Delegated). Then an administrator of your organization grants admin consent again with the link below, which grants both. Then sign out and sign in again.",
    actor: "customer-admin",
    link: "consent-builder",
  },
  ENTRA_TOKEN_WRONG_APP: {
    status: 403,
    title: "The token was issued to another application",
    explanation: "The token's appid/azp claim is not this portal's client id, so ACS would refuse it.",
    remedy: "Sign in through this portal, or use a client app that is on the portal's allow-list.",
    actor: "app-admin",
    link: "admin-setup",
  },
  TENANT_NOT_ALLOWED: {
    status: 403,
    title: "Your organization is not enabled on this portal",
    explanation:
      "The portal only serves the Microsoft Entra tenants on its allow-list, and yours is not on it.",
    remedy: "Ask the portal's administrator to add your tenant id to ALLOWED_TENANT_IDS.",
    actor: "app-admin",
  },

  // Bearer tokens presented by client apps
  BEARER_MALFORMED: {
    status: 401,
    title: "The Bearer token is malformed",
    explanation: "The Authorization header does not hold a signed JWT.",
    remedy: "Send 'Authorization: Bearer <Entra access token for Azure Communication Services>'.",
    actor: "app-admin",
  },
  BEARER_UNSUPPORTED_ALGORITHM: {
    status: 401,
    title: "The token's signing algorithm is refused",
    explanation: "Only RS256 tokens signed by Microsoft Entra ID are accepted.",
    remedy: "Send the access token exactly as Microsoft Entra ID issued it.",
    actor: "app-admin",
  },
  BEARER_UNKNOWN_KEY: {
    status: 401,
    title: "The token's signing key is unknown",
    explanation: "The key id (kid) is not among the keys the issuing tenant publishes.",
    remedy: "Send a token issued by Microsoft Entra ID; a forged or very old token cannot be used.",
    actor: "app-admin",
  },
  BEARER_INVALID_SIGNATURE: {
    status: 401,
    title: "The token's signature is invalid",
    explanation: "The token was altered or not signed by Microsoft Entra ID.",
    remedy: "Send the access token exactly as Microsoft Entra ID issued it.",
    actor: "app-admin",
  },
  BEARER_WRONG_ISSUER: {
    status: 401,
    title: "The token's issuer does not match its tenant",
    explanation: "The iss claim must be Microsoft Entra ID's issuer for the tenant named in tid.",
    remedy: "Send a token issued by Microsoft Entra ID for the user's own tenant.",
    actor: "app-admin",
  },
  CLIENT_APP_NOT_ALLOWED: {
    status: 403,
    title: "This client application is not allowed",
    explanation:
      "The token was issued to an application that is not on the portal's ALLOWED_CLIENT_IDS list.",
    remedy: "The portal's administrator adds the client app's id to ALLOWED_CLIENT_IDS.",
    actor: "app-admin",
  },

  // The ACS identity API
  ACS_INVALID_ACCESS_TOKEN: {
    status: 401,
    title: "Azure Communication Services refused the Entra token",
    explanation:
      "ACS answered 'Provided access token is not valid.': the token is expired, for another app or user, or lacks a Teams permission.",
    remedy: "Sign in again. If it persists, the app's admin checks the API permissions and the client id.",
    actor: "user",
    link: "troubleshoot",
    acs: ["InvalidAccessToken"],
  },
  ACS_VALIDATION_ERROR: {
    status: 502,
    title: "Azure Communication Services rejected the request",
    explanation: "ACS found the app id or user id in the exchange request malformed.",
    remedy: "The app's admin checks AUTH_MICROSOFT_ENTRA_ID_ID (a GUID) and reports the issue.",
    actor: "app-admin",
    link: "admin-setup",
    acs: ["ValidationError"],
  },
  ACS_AUTH_FAILED: {
    status: 502,
    title: "The portal could not authenticate to Azure Communication Services",
    explanation:
      "ACS answered 'Denied' to the portal's access key: the key in ACS_CONNECTION_STRING is wrong or has been rotated.",
    remedy:
      "The app's admin copies a current connection string from the ACS resource (Settings → Keys) into ACS_CONNECTION_STRING and restarts the portal.",
    actor: "app-admin",
    link: "admin-setup",
    acs: ["Denied", "Unauthorized", "Forbidden"],
  },
  ACS_IDENTITY_DENIED: {
    status: 502,
    title: "Azure Communication Services refused the portal's managed identity",
    explanation:
      "ACS answered 'Denied' to the portal's managed identity (ACS_ENDPOINT): the identity holds no role on the ACS resource yet, or a new role assignment has not propagated.",
    remedy:
      "The app's admin grants the portal's managed identity the Contributor role on the ACS resource (az role assignment create --assignee <AZURE_CLIENT_ID of the identity> --role Contributor --scope <ACS resource id>; azd up does this), then allows up to ~10 minutes for the assignment to propagate.",
    actor: "app-admin",
    link: "admin-setup",
    // The same answer as a wrong key: mapAcsError picks this entry when the portal uses managed identity.
    acs: ["Denied"],
  },
  ACS_THROTTLED: {
    status: 429,
    title: "Azure Communication Services is busy",
    explanation:
      "ACS limits token exchanges per resource (500 per 30 seconds) and asked the portal to slow down.",
    remedy: "Try again after the time given in Retry-After.",
    actor: "user",
    link: "retry",
    acs: ["TooManyRequests"],
  },
  ACS_UNAVAILABLE: {
    status: 503,
    title: "Azure Communication Services is unavailable",
    explanation: "ACS could not be reached or answered with a server error.",
    remedy:
      "Try again in a minute. If it persists, the app's admin checks the ACS endpoint and Azure status.",
    actor: "user",
    link: "retry",
  },
  ACS_TIMEOUT: {
    status: 504,
    title: "Azure Communication Services did not answer in time",
    explanation: "The token exchange took longer than the portal's deadline.",
    remedy: "Try again. If it persists, the app's admin checks the network path to ACS.",
    actor: "user",
    link: "retry",
  },
  ACS_BAD_RESPONSE: {
    status: 502,
    title: "Azure Communication Services answered unexpectedly",
    explanation: "The exchange response lacked a token or a valid expiry.",
    remedy: "Try again. If it persists, the app's admin reports it.",
    actor: "app-admin",
  },

  // Keyless ACS from Vercel: the workload identity's own sign-in (Vercel OIDC token as a client assertion)
  ACS_WORKLOAD_IDENTITY_REFUSED: {
    status: 502,
    title: "Microsoft Entra ID refused the portal's workload identity",
    explanation:
      "The portal presented its Vercel OIDC token to get an app token for Azure Communication Services, and Entra refused it: no federated credential matches its issuer, subject and audience (AADSTS70021), the token is outside its valid time range (AADSTS700024), or it is not a valid JWT (AADSTS50027).",
    remedy:
      "The app's admin checks the federated credential on the managed identity: issuer https://oidc.vercel.com/<team>, subject owner:<team>:project:<project>:environment:<environment>, audience https://vercel.com/<team>, and AZURE_TENANT_ID / AZURE_CLIENT_ID.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["70021", "700024", "50027"],
    docs: "https://vercel.com/docs/oidc/azure",
  },
  VERCEL_OIDC_TOKEN_MISSING: {
    status: 503,
    title: "The portal has no Vercel OIDC token",
    explanation:
      "ACS_CREDENTIAL is vercel-oidc, but neither the request (x-vercel-oidc-token) nor VERCEL_OIDC_TOKEN carries a current Vercel OIDC token.",
    remedy:
      "The app's admin enables OIDC Federation (team issuer mode) in the Vercel project's settings and redeploys, or, off Vercel, sets ACS_CONNECTION_STRING or a managed identity instead.",
    actor: "app-admin",
    link: "admin-setup",
    docs: "https://vercel.com/docs/oidc",
  },

  // Teams Phone extensibility (TPE): the second kind of token and its access assignments
  TEAMS_PHONE_DISABLED: {
    status: 404,
    title: "Teams Phone tokens are not enabled on this portal",
    explanation: "This deployment serves Teams-user tokens only; Teams Phone extensibility is switched off.",
    remedy:
      "The portal's administrator sets TEAMS_PHONE_ENABLED=true once the ACS resource is set up for it.",
    actor: "app-admin",
    link: "admin-setup",
  },
  TEAMS_PHONE_SCOPE_MISSING: {
    status: 403,
    title: "The Teams Phone permission is missing",
    explanation:
      "The Entra token lacks the delegated permission TeamsExtension.ManageCalls of Azure Communication Services: the app does not request it, or nobody consented to it yet.",
    remedy:
      "The app's admin adds Azure Communication Services → Delegated → TeamsExtension.ManageCalls to the app registration; an administrator of your organization grants consent again; then sign in again.",
    actor: "customer-admin",
    link: "consent-builder",
  },
  TEAMS_PHONE_NO_ASSIGNMENT: {
    status: 403,
    title: "You have no Teams Phone access on this ACS resource",
    explanation:
      "Azure Communication Services has no Teams Phone access assignment for your account (tenant id + object id), or it was removed; tokens issued before a removal stop working.",
    remedy:
      "Ask the portal's administrator to assign you on the Teams Phone access page (principal type user, with this app's client id), then get the token again.",
    actor: "app-admin",
    acs: ["AssignmentNotFound"],
  },
  TEAMS_PHONE_APP_NOT_ALLOWED: {
    status: 403,
    title: "This app is not allowed by your Teams Phone assignment",
    explanation:
      "Your Teams Phone access assignment lists the client apps you may use, and the app that asked is not among them.",
    remedy:
      "The portal's administrator adds this app's client id to your assignment on the Teams Phone access page.",
    actor: "app-admin",
    acs: ["ClientIdNotAllowed"],
  },
  TEAMS_PHONE_TOKEN_REFUSED: {
    status: 401,
    title: "Azure Communication Services refused the token for Teams Phone",
    explanation:
      "ACS answered 401 to the Teams Phone exchange: the Entra token is expired, for another resource, or lacks TeamsExtension.ManageCalls.",
    remedy:
      "Sign in again. If it persists, the app's admin checks the TeamsExtension.ManageCalls permission.",
    actor: "user",
    link: "sign-in",
  },
  TEAMS_PHONE_ASSIGNMENT_NOT_FOUND: {
    status: 404,
    title: "No Teams Phone access assignment for this principal",
    explanation:
      "Azure Communication Services has no assignment for this tenant id and object id, so there is nothing to remove.",
    remedy:
      "Check the tenant id and object id (Entra admin center → the user or resource account → Object ID).",
    actor: "app-admin",
  },
  TEAMS_PHONE_ASSIGNMENT_INVALID: {
    status: 400,
    title: "The Teams Phone assignment is invalid",
    explanation:
      "The principal type must be user or resource account, the tenant and object ids GUIDs, and every client app id a GUID; ACS refused what was sent.",
    remedy: "Correct the highlighted field and save again.",
    actor: "app-admin",
  },
  TEAMS_PHONE_ADMIN_REQUIRED: {
    status: 403,
    title: "Portal administrators only",
    explanation: "Managing Teams Phone access needs the portal's TokenPortal.Admin app role.",
    remedy: "Sign in with an administrator account, or ask one to assign you the TokenPortal.Admin role.",
    actor: "app-admin",
    link: "sign-in",
  },

  // Sign-in errors from Microsoft Entra ID (AADSTS)
  AADSTS_CONSENT_REQUIRED: {
    status: 403,
    title: "Your organization has not consented to this app yet",
    explanation:
      "Nobody in your organization has granted this portal the Teams permissions (Teams.ManageCalls, Teams.ManageChats).",
    remedy:
      "An administrator of your organization opens the admin-consent link and accepts; then sign in again. Where users may consent themselves, sign in again and accept the prompt.",
    actor: "customer-admin",
    link: "consent-builder",
    aadsts: ["65001"],
    docs: `${LEARN}/entra/identity/enterprise-apps/grant-admin-consent`,
  },
  AADSTS_CONSENT_DECLINED: {
    status: 403,
    title: "Consent was declined",
    explanation: "The permissions prompt was cancelled, so the portal received no token.",
    remedy:
      "Sign in again and accept the permissions, or ask an administrator to grant consent for everyone.",
    actor: "user",
    link: "sign-in",
    aadsts: ["65004"],
  },
  AADSTS_ADMIN_CONSENT_REQUIRED: {
    status: 403,
    title: "An administrator must approve this app",
    explanation: "Your organization does not let users consent to apps themselves.",
    remedy:
      "Send the admin-consent link to an administrator (Global, Application or Cloud application admin), or submit the approval request Microsoft offers.",
    actor: "customer-admin",
    link: "consent-builder",
    aadsts: ["90094", "90095"],
  },
  AADSTS_SERVICE_PRINCIPAL_MISSING: {
    status: 403,
    title: "Azure Communication Services is missing from your organization",
    explanation:
      "Your tenant has no service principal for Azure Communication Services (app id 1fd5118e-2576-4263-8130-9503064c837a), so Entra cannot issue Teams tokens.",
    remedy:
      "An administrator of your organization creates the service principal (PowerShell or az CLI), then you sign in again.",
    actor: "customer-admin",
    link: "service-principal",
    aadsts: ["650052", "500011"],
  },
  AADSTS_APP_NOT_FOUND: {
    status: 400,
    title: "The app registration was not found",
    explanation:
      "The client id is wrong, or the app is single-tenant and you belong to another organization.",
    remedy:
      "The app's admin checks AUTH_MICROSOFT_ENTRA_ID_ID and sets 'Supported account types' to multitenant.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["700016"],
  },
  AADSTS_USER_NOT_IN_TENANT: {
    status: 403,
    title: "Your account is not in the app's tenant",
    explanation:
      "The app signs in users of one organization only, or you used an account from another directory.",
    remedy:
      "The app's admin makes the app multitenant and uses the 'organizations' authority, or invites you as a guest.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["50020", "50194"],
  },
  AADSTS_SECRET_MISSING: {
    status: 500,
    title: "The portal sent no client secret",
    explanation: "The app is registered as a public client, or the secret was not configured.",
    remedy: "Register the redirect URI under the Web platform and set AUTH_MICROSOFT_ENTRA_ID_SECRET.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["7000218"],
  },
  AADSTS_SECRET_INVALID: {
    status: 500,
    title: "The portal's client secret is invalid or expired",
    explanation: "Microsoft Entra ID refused the client secret.",
    remedy:
      "Create a new client secret under Certificates & secrets and update AUTH_MICROSOFT_ENTRA_ID_SECRET.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["7000215", "7000222"],
  },
  AADSTS_REDIRECT_PLATFORM: {
    status: 400,
    title: "The redirect URI is registered under the wrong platform",
    explanation: "The callback URL is registered as a single-page application, but this portal is a web app.",
    remedy: "Move the callback URL to the Web platform in the app registration's Authentication blade.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["9002326", "9002327"],
  },
  AADSTS_REDIRECT_URI_MISMATCH: {
    status: 400,
    title: "The callback URL is not registered",
    explanation: "Microsoft Entra ID does not know this portal's redirect URI.",
    remedy: "Add the exact callback URL shown on the set-up page under Authentication → Web → Redirect URIs.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["50011"],
  },
  AADSTS_API_PERMISSION_MISSING: {
    status: 403,
    title: "The app lacks the Azure Communication Services permissions",
    explanation: "The app registration does not request Teams.ManageCalls and Teams.ManageChats.",
    remedy:
      "In API permissions add Azure Communication Services → Delegated → Teams.ManageCalls and Teams.ManageChats, then grant consent again.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["65005", "650056", "650057"],
  },
  AADSTS_INVALID_SCOPE: {
    status: 400,
    title: "A requested scope is malformed",
    explanation:
      "Teams scopes must be written in full, e.g. https://auth.msft.communication.azure.com/Teams.ManageCalls.",
    remedy: "The app's admin corrects the requested scopes.",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["70011"],
  },
  AADSTS_MULTIPLE_RESOURCES: {
    status: 400,
    title: "Scopes of two APIs were requested at once",
    explanation:
      "Microsoft Entra ID issues an access token for one API per request, so Graph and ACS scopes cannot be mixed.",
    remedy:
      "Request only the Azure Communication Services scopes (plus openid, profile, email, offline_access).",
    actor: "app-admin",
    link: "admin-setup",
    aadsts: ["28000"],
  },
  AADSTS_CONDITIONAL_ACCESS: {
    status: 403,
    title: "Your organization's sign-in policy blocked this",
    explanation:
      "Conditional Access or multifactor authentication requires an interactive sign-in or blocks the request.",
    remedy:
      "Sign in again interactively. If it is still blocked, an administrator reviews the Conditional Access policies.",
    actor: "user",
    link: "sign-in",
    aadsts: ["53003", "50076", "50079"],
  },
  TENANT_NOT_FOUND: {
    status: 404,
    title: "Tenant not found",
    explanation: "Microsoft Entra ID knows no tenant with this id or verified domain.",
    remedy: "Check the spelling; use the Directory (tenant) ID shown in the Entra admin center overview.",
    actor: "customer-admin",
    aadsts: ["90002"],
  },
  CONSENT_STATE_MISMATCH: {
    status: 400,
    title: "The consent response could not be verified",
    explanation:
      "The consent result did not come back with the state this portal sent, so it cannot be trusted.",
    remedy: "Start again from the consent builder.",
    actor: "customer-admin",
    link: "consent-builder",
  },
  SIGN_IN_FAILED: {
    status: 400,
    title: "Sign-in did not complete",
    explanation: "Microsoft Entra ID or the portal stopped the sign-in.",
    remedy: "Try again. If it happens again, look the error code up on the troubleshooting page.",
    actor: "user",
    link: "troubleshoot",
  },
  ENTRA_UNAVAILABLE: {
    status: 503,
    title: "Microsoft Entra ID could not be reached",
    explanation: "The portal could not reach Microsoft Entra ID to renew or check your sign-in.",
    remedy: "Try again in a minute.",
    actor: "user",
    link: "retry",
  },
  NOT_CONFIGURED: {
    status: 503,
    title: "The portal is not fully configured",
    explanation: "A setting the portal needs for this is missing.",
    remedy: "The app's admin completes the configuration shown on the set-up page.",
    actor: "app-admin",
    link: "admin-setup",
  },
  INTERNAL: INTERNAL_ENTRY,

  // Pages and portal administration
  NOT_FOUND: {
    status: 404,
    title: "Page not found",
    explanation: "There is no page at this address.",
    remedy: "Check the address, or start again from the home page.",
    actor: "user",
  },
  ADMIN_ROLE_REQUIRED: {
    status: 403,
    title: "For the portal's administrators only",
    explanation:
      "This deployment's diagnostics are shown to users whose sign-in carries the portal's admin app role (TokenPortal.Admin).",
    remedy:
      "An administrator of the portal's tenant assigns you the app role: Microsoft Entra admin center → Enterprise applications → the portal → Users and groups → Add user/group → select the role. Then sign out and sign in again.",
    actor: "app-admin",
    link: "admin-setup",
  },
  // Admin consent, told to the administrator who acted (the sign-in entries above address users)
  ADMIN_CONSENT_DECLINED: {
    status: 403,
    title: "Admin consent was cancelled",
    explanation:
      "You cancelled Microsoft Entra's consent screen, so nothing was granted for your organization and its users still cannot get a Teams token.",
    remedy:
      "Open the consent link again and choose Accept, signed in as a Global Administrator, an Application Administrator or a Cloud Application Administrator of the organization.",
    actor: "customer-admin",
    link: "consent-builder",
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof catalogue;

export const errorCodes = Object.keys(catalogue) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(catalogue, value);
}

export function describe(code: ErrorCode): CatalogueEntry {
  return catalogue[code];
}

/** The catalogue entry for an AADSTS number ("65001" or "AADSTS65001"), if this portal knows it. */
export function codeForAadsts(aadsts: string): ErrorCode | undefined {
  const number = aadsts.replace(/^AADSTS/i, "");
  return errorCodes.find((code) => (catalogue[code] as CatalogueEntry).aadsts?.includes(number));
}

/** The catalogue entry for an ACS identity API error code such as "InvalidAccessToken". */
export function codeForAcsError(acsCode: string): ErrorCode | undefined {
  return errorCodes.find((code) => (catalogue[code] as CatalogueEntry).acs?.includes(acsCode));
}

/**
 * A failure the portal understands. `detail` is shown to people and returned in problem+json:
 * it must never contain a token, a secret or upstream text that could.
 */
export class PortalError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly tenantId: string | undefined;

  constructor(
    code: ErrorCode,
    options: { detail?: string; retryAfterSeconds?: number; tenantId?: string; cause?: unknown } = {},
  ) {
    super(options.detail ?? catalogue[code].title, { cause: options.cause });
    this.name = "PortalError";
    this.code = code;
    this.detail = options.detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.tenantId = options.tenantId;
  }

  get status(): number {
    return catalogue[this.code].status;
  }
}

export function isPortalError(value: unknown): value is PortalError {
  return value instanceof PortalError;
}

/** A serialisable view of an error, safe for client components and JSON. */
export interface ErrorView {
  code: ErrorCode;
  status: number;
  title: string;
  detail?: string;
  remedy: string;
  actor: Actor;
  link?: RemedyLink;
  retryAfterSeconds?: number;
  tenantId?: string;
}

export function toErrorView(error: unknown): ErrorView {
  const portalError = isPortalError(error) ? error : new PortalError("INTERNAL");
  const entry: CatalogueEntry = catalogue[portalError.code];
  return {
    code: portalError.code,
    status: entry.status,
    title: entry.title,
    detail: portalError.detail ?? entry.explanation,
    remedy: entry.remedy,
    actor: entry.actor,
    ...(entry.link ? { link: entry.link } : {}),
    ...(portalError.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: portalError.retryAfterSeconds }
      : {}),
    ...(portalError.tenantId ? { tenantId: portalError.tenantId } : {}),
  };
}
