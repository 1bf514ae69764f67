/** Microsoft Entra ID's public cloud authority; every issuer and consent URL starts with it. */
export const ENTRA_AUTHORITY = "https://login.microsoftonline.com";

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

/** Azure Communication Services' first-party application, present in every tenant that can issue Teams tokens. */
export const ACS_APP_ID = "1fd5118e-2576-4263-8130-9503064c837a";

export const ACS_RESOURCE = "https://auth.msft.communication.azure.com";

export const TEAMS_SCOPES = [
  `${ACS_RESOURCE}/Teams.ManageCalls`,
  `${ACS_RESOURCE}/Teams.ManageChats`,
] as const;

/** The short names Entra puts in the access token's `scp` claim. */
export const TEAMS_SCOPE_NAMES = ["Teams.ManageCalls", "Teams.ManageChats"] as const;

/**
 * One resource per request: Entra refuses Graph scopes next to ACS ones (AADSTS28000),
 * so the sign-in access token is the ACS token itself.
 */
export const SIGN_IN_SCOPES = [...OIDC_SCOPES, ...TEAMS_SCOPES].join(" ");

/** Teams Phone extensibility's delegated scope: same resource as the Teams.* scopes, so one token carries all. */
export const TEAMS_EXTENSION_SCOPE = `${ACS_RESOURCE}/TeamsExtension.ManageCalls`;
export const TEAMS_EXTENSION_SCOPE_NAME = "TeamsExtension.ManageCalls";

/** The sign-in scopes, with TeamsExtension.ManageCalls when Teams Phone is switched on (TEAMS_PHONE_ENABLED). */
export function signInScopes(teamsPhone: boolean): string {
  return teamsPhone ? `${SIGN_IN_SCOPES} ${TEAMS_EXTENSION_SCOPE}` : SIGN_IN_SCOPES;
}

export { GUID_PATTERN } from "@/lib/guid";
