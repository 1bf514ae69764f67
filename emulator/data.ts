import demo from "./demo-data.json" with { type: "json" };

export interface Tenant {
  id: string;
  name: string;
  domain: string;
  consented: boolean;
  hasAcsServicePrincipal: boolean;
  description: string;
}

export interface User {
  username: string;
  name: string;
  oid: string;
  tenantId: string;
  declinesConsent?: boolean;
  grantedScopes?: string[];
  /** App roles assigned to the user on the portal's app registration (Enterprise applications → Users and groups). */
  appRoles?: string[];
  description: string;
}

export type TeamsExtensionPrincipalType = "user" | "resourceAccount";

export interface TeamsExtensionAssignment {
  tenantId: string;
  objectId: string;
  principalType: TeamsExtensionPrincipalType;
  clientIds?: string[];
}

export interface Application {
  clientId: string;
  name: string;
  type: "confidential" | "public";
  clientSecret?: string;
  /** Allowed paths on http(s)://localhost:<any port>; "*" allows any path. */
  redirectPaths: string[];
  description: string;
}

export interface DemoData {
  acs: {
    applicationId: string;
    resource: string;
    accessKey: string;
    resourceId: string;
    /** Object ids holding the Contributor role on the ACS resource (managed-identity callers). */
    contributorPrincipalIds: string[];
    description: string;
  };
  tenants: Tenant[];
  users: User[];
  applications: Application[];
  managedIdentity: { clientId: string; oid: string; tenantId: string; description: string };
  workloadIdentity: WorkloadIdentity;
  vercel: { team: string; teamId: string; project: string; projectId: string; description: string };
  teamsExtension: {
    description: string;
    resourceAccounts: {
      name: string;
      username: string;
      oid: string;
      tenantId: string;
      description: string;
    }[];
    /** Assignments of the demo ACS resource (acs.resourceId) at start and after a reset. */
    assignments: TeamsExtensionAssignment[];
  };
}

/** A federated identity credential: Entra trusts tokens of `issuer` for `subject` with one of `audiences`. */
export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface WorkloadIdentity {
  clientId: string;
  oid: string;
  tenantId: string;
  name: string;
  federatedCredentials: FederatedCredential[];
  description: string;
}

export const demoData = demo as DemoData;

export const ACS_APP_ID = demoData.acs.applicationId;
export const ACS_RESOURCE = demoData.acs.resource;
export const ACS_SCOPES = ["Teams.ManageCalls", "Teams.ManageChats"] as const;
/** Teams Phone extensibility: same resource as the Teams.* scopes, so one access token can carry all three. */
export const TEAMS_EXTENSION_SCOPE = "TeamsExtension.ManageCalls";
/** Every delegated ACS scope the ACS application defines (`.default` still grants the Teams.* pair only). */
export const GRANTABLE_ACS_SCOPES = [...ACS_SCOPES, TEAMS_EXTENSION_SCOPE] as const;
export const COMMUNICATION_RBAC_AUDIENCE = "https://communication.azure.com";
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"];

/** Resolves a tenant by id or verified domain (case-insensitive). */
export function findTenant(idOrDomain: string): Tenant | undefined {
  const key = idOrDomain.toLowerCase();
  return demoData.tenants.find((t) => t.id === key || t.domain === key);
}

export function findUser(username: string): User | undefined {
  const key = username.trim().toLowerCase();
  return demoData.users.find((u) => u.username === key);
}

export function findApplication(clientId: string): Application | undefined {
  const key = clientId.trim().toLowerCase();
  return demoData.applications.find((a) => a.clientId === key);
}

export function tenantOf(user: User): Tenant {
  const tenant = findTenant(user.tenantId);
  if (!tenant) throw new Error(`demo-data.json: user ${user.username} names unknown tenant ${user.tenantId}`);
  return tenant;
}

/**
 * Redirect URIs as Entra matches them for these registrations, all on localhost: https (the normal case of a Web
 * app, here behind a TLS-terminating proxy) or http (allowed for localhost only); Entra ignores the port of
 * localhost URIs; the path must be registered. Any other host is not registered (AADSTS50011).
 */
export function isRegisteredRedirect(app: Application, redirectUri: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (!isLocalhostWebUrl(url) || url.hash !== "") return false;
  if (url.username || url.password) return false;
  return app.redirectPaths.includes("*") || app.redirectPaths.includes(url.pathname);
}

/** http or https on localhost: where this stand-in lets the browser be sent back to. */
export function isLocalhostWebUrl(url: URL): boolean {
  return (url.protocol === "https:" || url.protocol === "http:") && url.hostname === "localhost";
}
