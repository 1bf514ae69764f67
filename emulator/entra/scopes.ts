import { ACS_RESOURCE, ACS_SCOPES, GRANTABLE_ACS_SCOPES, OIDC_SCOPES } from "../data";

const GRAPH = "https://graph.microsoft.com";

export interface ParsedScopes {
  /** OIDC scopes asked for (openid, profile, email, offline_access). */
  oidc: string[];
  /** Resources named by the other scopes (bare names like User.Read belong to Microsoft Graph). */
  resources: string[];
  /** Short names of the ACS scopes asked for (e.g. Teams.ManageCalls). */
  acs: string[];
  /** ACS-resource scopes that the ACS application does not define. */
  unknownAcs: string[];
}

function resourceOf(scope: string): { resource: string; name: string } {
  const slash = scope.lastIndexOf("/");
  if (scope.includes("://") && slash > scope.indexOf("://") + 2) {
    return { resource: scope.slice(0, slash).toLowerCase(), name: scope.slice(slash + 1) };
  }
  return { resource: GRAPH, name: scope };
}

export function parseScopes(scope: string): ParsedScopes {
  const parts = scope.split(/\s+/).filter(Boolean);
  const result: ParsedScopes = { oidc: [], resources: [], acs: [], unknownAcs: [] };
  for (const part of parts) {
    if (OIDC_SCOPES.includes(part.toLowerCase())) {
      result.oidc.push(part.toLowerCase());
      continue;
    }
    const { resource, name } = resourceOf(part);
    if (!result.resources.includes(resource)) result.resources.push(resource);
    if (resource === ACS_RESOURCE) {
      const known = GRANTABLE_ACS_SCOPES.find((s) => s.toLowerCase() === name.toLowerCase());
      if (known) {
        if (!result.acs.includes(known)) result.acs.push(known);
      } else if (name !== ".default") {
        result.unknownAcs.push(name);
      } else {
        for (const s of ACS_SCOPES) if (!result.acs.includes(s)) result.acs.push(s);
      }
    }
  }
  return result;
}

export function fullAcsScope(name: string): string {
  return `${ACS_RESOURCE}/${name}`;
}
