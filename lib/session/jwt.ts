import { ACS_RESOURCE, OIDC_SCOPES } from "@/lib/entra/scopes";
import type { ErrorCode } from "@/lib/errors";

/** What the encrypted session cookie holds. Only the server ever decrypts it. */
export interface PortalJwt {
  [claim: string]: unknown;
  name: string | null;
  username: string | null;
  tenantId: string;
  objectId: string;
  /** App roles from the ID token's `roles` claim (assigned on the portal's app registration). */
  roles: string[];
  signedInAt: number;
  entra: {
    accessToken: string;
    refreshToken: string;
    /** Epoch seconds. */
    expiresAt: number;
    scope: string;
  };
  error?: ErrorCode | undefined;
}

/** What the browser may see of a session: identity and status, never a token. */
export interface SessionView {
  user: { name: string | null; username: string | null; tenantId: string; objectId: string; roles: string[] };
  entra: { expiresAt: string; scopes: string[] };
  error?: ErrorCode;
}

declare module "next-auth" {
  interface User {
    username?: string | null;
    tenantId?: string;
    objectId?: string;
    roles?: string[];
  }
  interface Session {
    entra?: SessionView["entra"];
    error?: ErrorCode;
  }
}

function claim(claims: Record<string, unknown>, name: string): string | null {
  const value = claims[name];
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** Role values are short identifiers; a bounded list keeps the cookie small whatever the token holds. */
const ROLE = /^[A-Za-z0-9._:-]{1,120}$/;
const MAX_ROLES = 50;

export function rolesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((role): role is string => typeof role === "string" && ROLE.test(role))
    .slice(0, MAX_ROLES);
}

export function identityFromIdToken(
  claims: Record<string, unknown>,
): Pick<PortalJwt, "name" | "username" | "tenantId" | "objectId" | "roles"> {
  return {
    name: claim(claims, "name"),
    username: claim(claims, "preferred_username") ?? claim(claims, "email"),
    tenantId: (claim(claims, "tid") ?? "").toLowerCase(),
    objectId: (claim(claims, "oid") ?? "").toLowerCase(),
    roles: rolesOf(claims.roles),
  };
}

export function grantedScopes(scope: string): string[] {
  return scope
    .split(/\s+/)
    .filter(Boolean)
    .filter((value) => !(OIDC_SCOPES as readonly string[]).includes(value))
    .map((value) => (value.startsWith(`${ACS_RESOURCE}/`) ? value.slice(ACS_RESOURCE.length + 1) : value));
}

export function toSessionView(token: PortalJwt): SessionView {
  return {
    user: {
      name: token.name,
      username: token.username,
      tenantId: token.tenantId,
      objectId: token.objectId,
      // Sessions started before roles were kept have none.
      roles: rolesOf(token.roles),
    },
    entra: {
      expiresAt: new Date(token.entra.expiresAt * 1000).toISOString(),
      scopes: grantedScopes(token.entra.scope),
    },
    ...(token.error ? { error: token.error } : {}),
  };
}
