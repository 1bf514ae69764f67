import "server-only";
import type { CommunicationIdentityClient } from "@azure/communication-identity";
import { getAcsClient } from "@/lib/acs/client";
import { mapAcsError } from "@/lib/acs/map-error";
import { type AcsAuth, getConfig } from "@/lib/config";

/**
 * Is ACS reachable, and does it accept the portal's key or identity? Asks for a Teams token with an obviously
 * invalid Entra token: "InvalidAccessToken" means ACS authenticated the portal and then refused the probe token.
 */

export type AcsProbeStatus = "reachable" | "refused" | "unreachable" | "unexpected";

export interface AcsProbeResult {
  status: AcsProbeStatus;
  /** A sentence for the set-up page; never contains upstream text. */
  summary: string;
  /** The catalogue code the probe's answer maps to. */
  code?: string;
  checkedAt: number;
}

const CACHE_MS = 30_000;
const DEADLINE_MS = 5_000;
const PROBE_USER = "00000000-0000-0000-0000-000000000000";

let cached: { result: AcsProbeResult } | undefined;
let inFlight: Promise<AcsProbeResult> | undefined;

export function clearAcsProbeCache(): void {
  cached = undefined;
  inFlight = undefined;
}

export async function probeAcs(
  client: Pick<CommunicationIdentityClient, "getTokenForTeamsUser">,
  clientId: string,
  options: { deadlineMs?: number; now?: () => number; authKind?: AcsAuth["kind"] } = {},
): Promise<AcsProbeResult> {
  const now = options.now ?? Date.now;
  const signal = AbortSignal.timeout(options.deadlineMs ?? DEADLINE_MS);
  try {
    await client.getTokenForTeamsUser({
      teamsUserAadToken: "probe",
      clientId,
      userObjectId: PROBE_USER,
      abortSignal: signal,
    });
    return {
      status: "unexpected",
      summary:
        "ACS accepted an invalid probe token. Check that the endpoint really is Azure Communication Services.",
      checkedAt: now(),
    };
  } catch (error) {
    if (error instanceof Error && /Credential|AuthenticationError/.test(error.name)) {
      return {
        status: "refused",
        summary:
          "The portal could not get a token for its managed identity, so it cannot authenticate to ACS. Check the identity and its role on the resource.",
        checkedAt: now(),
      };
    }
    const mapped = mapAcsError(error, signal, options.authKind);
    switch (mapped.code) {
      case "ACS_INVALID_ACCESS_TOKEN":
      case "ACS_VALIDATION_ERROR":
        return {
          status: "reachable",
          summary:
            "ACS answered and accepted the portal's credentials (it refused only the deliberately invalid probe token).",
          code: mapped.code,
          checkedAt: now(),
        };
      case "ACS_AUTH_FAILED":
        return {
          status: "refused",
          summary:
            "ACS is reachable but refuses the portal's access key: copy a current connection string from the resource's Keys.",
          code: mapped.code,
          checkedAt: now(),
        };
      case "ACS_IDENTITY_DENIED":
        return {
          status: "refused",
          summary:
            "ACS is reachable but refuses the portal's managed identity: grant it the Contributor role on the ACS resource (az role assignment create --role Contributor), then allow up to ~10 minutes for the assignment to propagate.",
          code: mapped.code,
          checkedAt: now(),
        };
      case "ACS_THROTTLED":
        return {
          status: "reachable",
          summary: "ACS answered (it is throttling requests right now).",
          code: mapped.code,
          checkedAt: now(),
        };
      case "ACS_UNAVAILABLE":
      case "ACS_TIMEOUT":
        return {
          status: "unreachable",
          summary:
            mapped.code === "ACS_TIMEOUT"
              ? "ACS did not answer within 5 seconds. Check the endpoint and the network path."
              : "ACS could not be reached or answered with a server error. Check the endpoint.",
          code: mapped.code,
          checkedAt: now(),
        };
      default:
        return {
          status: "unexpected",
          summary: "ACS answered in an unexpected way.",
          code: mapped.code,
          checkedAt: now(),
        };
    }
  }
}

/** The last probe's result while it is fresh (30 s), without probing. */
export function freshAcsCheck(): AcsProbeResult | undefined {
  return cached && Date.now() - cached.result.checkedAt < CACHE_MS ? cached.result : undefined;
}

/** The last probe's result, however old. */
export function lastAcsCheck(): AcsProbeResult | undefined {
  return cached?.result;
}

/**
 * The portal's own ACS client, probed at most every 30 s unless `force`d; concurrent callers share one probe.
 * Each probe spends one exchange of the ACS resource's quota: callers are portal admins, within their limits
 * (lib/admin/admin-acs-check.ts).
 */
export async function checkAcs({ force = false }: { force?: boolean } = {}): Promise<AcsProbeResult> {
  const fresh = force ? undefined : freshAcsCheck();
  if (fresh) return fresh;
  inFlight ??= (async () => {
    try {
      const config = getConfig();
      return await probeAcs(getAcsClient(), config.clientId, { authKind: config.acs.kind });
    } catch {
      return {
        status: "unexpected" as const,
        summary: "The portal could not create its ACS client. Check ACS_CONNECTION_STRING or ACS_ENDPOINT.",
        checkedAt: Date.now(),
      };
    }
  })().then((result) => {
    cached = { result };
    inFlight = undefined;
    return result;
  });
  return inFlight;
}
