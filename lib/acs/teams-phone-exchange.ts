import "server-only";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { RestError } from "@azure/core-rest-pipeline";
import { decodeJwt } from "jose";
import { mapAcsError } from "@/lib/acs/map-error";
import { getConfig } from "@/lib/config";
import { TEAMS_EXTENSION_SCOPE } from "@/lib/entra/scopes";
import { PortalError } from "@/lib/errors";

export interface TeamsPhoneExchangeInput {
  /** The user's Entra access token carrying TeamsExtension.ManageCalls. */
  entraToken: string;
  /** Its expiry, handed to the SDK as the credential's own. */
  entraExpiresAt: Date;
}

export interface TeamsPhoneToken {
  token: string;
  expiresOn: Date;
  /** The ACS identity of the Teams Phone user, `8:acs:<resource>_<tenant>_<oid>`. */
  acsUserId: `8:acs:${string}`;
}

export type TeamsPhoneExchange = (input: TeamsPhoneExchangeInput) => Promise<TeamsPhoneToken>;

/**
 * The SDK's EntraTokenCredential reports a refusal as a plain Error "Service request failed. Status: 403, Body: …"
 * (communication-common 2.5). Only the status and an identifier-like error code are taken from it.
 */
function asRestError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const match = /^Service request failed\. Status: (\d{3}), Body: ([\s\S]*)$/.exec(error.message);
  if (!match) return error;
  let code: string | undefined;
  try {
    const parsed = JSON.parse(match[2] ?? "") as { error?: { code?: unknown } };
    code = typeof parsed.error?.code === "string" ? parsed.error.code : undefined;
  } catch {
    code = undefined;
  }
  return new RestError("ACS refused the Teams Phone exchange.", {
    statusCode: Number(match[1]),
    ...(code ? { code } : {}),
  });
}

/** ACS's Teams-user wording of a 401 does not fit here; the rest of the mapping is shared. */
export function mapTeamsPhoneError(error: unknown, signal?: AbortSignal): PortalError {
  if (error instanceof Error && /allowInsecureConnection is false/.test(error.message)) {
    return new PortalError("NOT_CONFIGURED", {
      detail: "The Teams Phone exchange needs an https ACS endpoint (TEAMS_PHONE_ACS_ENDPOINT).",
    });
  }
  const mapped = mapAcsError(asRestError(error), signal);
  return mapped.code === "ACS_INVALID_ACCESS_TOKEN"
    ? new PortalError("TEAMS_PHONE_TOKEN_REFUSED", {
        ...(mapped.detail ? { detail: mapped.detail } : {}),
      })
    : mapped;
}

function acsUserIdOf(token: string): `8:acs:${string}` {
  let skypeId: unknown;
  try {
    skypeId = decodeJwt(token).skypeid;
  } catch {
    skypeId = undefined;
  }
  if (typeof skypeId !== "string" || !skypeId.startsWith("acs:")) {
    throw new PortalError("ACS_BAD_RESPONSE", { detail: "The Teams Phone token names no ACS identity." });
  }
  return `8:${skypeId}` as `8:acs:${string}`;
}

/**
 * The Teams Phone extensibility exchange with the SDK's own credential (`AzureCommunicationTokenCredential` with the
 * Entra options): POST /access/teamsExtension/:exchangeAccessToken, the user's token as Bearer. One credential per
 * exchange: it would otherwise keep one user's token around. Its internal pre-fetch takes no abort signal, so the
 * deadline is raced here.
 */
export function createTeamsPhoneExchange({
  resourceEndpoint,
  timeoutMs,
}: {
  resourceEndpoint: string;
  timeoutMs: number;
}): TeamsPhoneExchange {
  return async ({ entraToken, entraExpiresAt }) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    let credential: AzureCommunicationTokenCredential | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        deadline.addEventListener("abort", () => reject(new PortalError("ACS_TIMEOUT")), { once: true });
      });
      const exchanged = (async () => {
        credential = new AzureCommunicationTokenCredential({
          resourceEndpoint,
          tokenCredential: {
            getToken: async () => ({ token: entraToken, expiresOnTimestamp: entraExpiresAt.getTime() }),
          },
          scopes: [TEAMS_EXTENSION_SCOPE],
        });
        return credential.getToken({ abortSignal: deadline });
      })();
      exchanged.catch(() => {}); // settled after a timeout: nobody waits for it any more
      const { token, expiresOnTimestamp } = await Promise.race([exchanged, timedOut]);
      if (!token || !Number.isFinite(expiresOnTimestamp)) throw new PortalError("ACS_BAD_RESPONSE");
      return { token, expiresOn: new Date(expiresOnTimestamp), acsUserId: acsUserIdOf(token) };
    } catch (error) {
      throw mapTeamsPhoneError(error, deadline);
    } finally {
      credential?.dispose();
    }
  };
}

let shared: TeamsPhoneExchange | undefined;

/** The process-wide Teams Phone exchange on the configured endpoint and deadline. */
export function exchangeTeamsPhoneToken(input: TeamsPhoneExchangeInput): Promise<TeamsPhoneToken> {
  const config = getConfig();
  shared ??= createTeamsPhoneExchange({
    resourceEndpoint: config.env.TEAMS_PHONE_ACS_ENDPOINT
      ? new URL(config.env.TEAMS_PHONE_ACS_ENDPOINT).origin
      : config.acs.endpoint,
    timeoutMs: config.env.ACS_EXCHANGE_TIMEOUT_MS,
  });
  return shared(input);
}
