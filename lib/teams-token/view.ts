import type { ErrorView } from "@/lib/errors";

/** What the status page's action returns to the browser: the ACS token for this user, never an Entra token. */
export type TeamsTokenState =
  | { status: "idle" }
  | {
      status: "success";
      token: string;
      expiresOn: string;
      teamsUserId: string;
      tenantId: string;
      cached: boolean;
      at: number;
    }
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
