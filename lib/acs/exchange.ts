import "server-only";
import type { CommunicationIdentityClient } from "@azure/communication-identity";
import { getAcsClient } from "@/lib/acs/client";
import { mapAcsError } from "@/lib/acs/map-error";
import { type AcsAuth, getConfig } from "@/lib/config";
import { PortalError } from "@/lib/errors";
import { upstreamCall } from "@/lib/telemetry/trace";

export interface ExchangeInput {
  entraToken: string;
  clientId: string;
  userObjectId: string;
}

export interface ExchangedToken {
  token: string;
  expiresOn: Date;
}

export type TeamsTokenExchange = (
  input: ExchangeInput,
  options?: { signal?: AbortSignal },
) => Promise<ExchangedToken>;

export interface ExchangeDependencies {
  client: Pick<CommunicationIdentityClient, "getTokenForTeamsUser">;
  /** The whole exchange, retries included, ends by then (ACS_EXCHANGE_TIMEOUT_MS). */
  timeoutMs: number;
  /** How the client authenticates: decides the remedy for ACS's "Denied". Default: access key. */
  authKind?: AcsAuth["kind"];
}

function validResponse(response: unknown): ExchangedToken {
  const { token, expiresOn } = (response ?? {}) as { token?: unknown; expiresOn?: unknown };
  const expiry =
    expiresOn instanceof Date ? expiresOn : typeof expiresOn === "string" ? new Date(expiresOn) : undefined;
  if (typeof token !== "string" || token.length === 0 || !expiry || Number.isNaN(expiry.getTime())) {
    throw new PortalError("ACS_BAD_RESPONSE");
  }
  return { token, expiresOn: expiry };
}

export function createTeamsTokenExchange({
  client,
  timeoutMs,
  authKind,
}: ExchangeDependencies): TeamsTokenExchange {
  return async function exchangeTeamsToken({ entraToken, clientId, userObjectId }, { signal } = {}) {
    const deadline = AbortSignal.timeout(timeoutMs);
    const abortSignal = signal ? AbortSignal.any([deadline, signal]) : deadline;
    let response: unknown;
    try {
      // Mapped inside the span, so that it records the catalogue code.
      response = await upstreamCall("acs.exchange", () =>
        client
          .getTokenForTeamsUser({ teamsUserAadToken: entraToken, clientId, userObjectId, abortSignal })
          .catch((error: unknown) => {
            throw mapAcsError(error, abortSignal, authKind);
          }),
      );
    } catch (error) {
      throw mapAcsError(error, abortSignal, authKind);
    }
    return validResponse(response);
  };
}

let shared: TeamsTokenExchange | undefined;

/** The process-wide exchange on the shared ACS client and the configured deadline. */
export function exchangeTeamsToken(
  input: ExchangeInput,
  options?: { signal?: AbortSignal },
): Promise<ExchangedToken> {
  shared ??= createTeamsTokenExchange({
    client: getAcsClient(),
    timeoutMs: getConfig().env.ACS_EXCHANGE_TIMEOUT_MS,
    authKind: getConfig().acs.kind,
  });
  return shared(input, options);
}
