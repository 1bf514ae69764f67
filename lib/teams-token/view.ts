import type { ErrorView } from "@/lib/errors";

/** What the status page knows about a held Teams token without the token: when it was issued and expires. */
export interface TeamsTokenFacts {
  expiresOn: string;
  /** When the portal got it from ACS (ISO 8601), when known. */
  issuedAt?: string;
  /** First 8 hex digits of the token's SHA-256, computed on the server. */
  fingerprint: string;
}

/**
 * What the status page's action returns to the browser: the ACS token for this user, never an Entra token.
 * "held": on load, a valid token is cached for this user; the token itself is sent only when asked for.
 */
export type TeamsTokenState =
  | { status: "idle" }
  | ({ status: "held" } & TeamsTokenFacts)
  | ({
      status: "success";
      token: string;
      teamsUserId: string;
      tenantId: string;
      cached: boolean;
      /** Whether this answer came from a renewal (a new exchange was asked for). */
      renewed: boolean;
      at: number;
    } & TeamsTokenFacts)
  | { status: "error"; error: ErrorView; at: number };

/** The Teams Phone card's state: the ACS token of the user's Teams Phone identity (8:acs:…), never an Entra token. */
export type TeamsPhoneTokenState =
  | { status: "idle" }
  | {
      status: "success";
      token: string;
      expiresOn: string;
      acsUserId: string;
      tenantId: string;
      cached: boolean;
      at: number;
    }
  | { status: "error"; error: ErrorView; at: number };
