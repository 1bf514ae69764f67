import "server-only";
import { createCommunicationAuthPolicy, parseConnectionString } from "@azure/communication-common";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import {
  type Client,
  createRestError,
  getClient,
  type PathUncheckedResponse,
  type ResourceMethods,
  type StreamableMethod,
} from "@azure-rest/core-client";
import { isLoopback } from "@/lib/acs/client";
import { mapAcsError } from "@/lib/acs/map-error";
import { normalisePrincipalType, type PrincipalType } from "@/lib/acs/principal-type";
import { boundedThrottlingPolicy } from "@/lib/acs/throttle-policy";
import { getConfig, type PortalConfig } from "@/lib/config";
import { PortalError } from "@/lib/errors";

/** No released npm SDK has these operations (FACTS §7): REST 2025-06-30 through the Azure SDK's own pipeline. */
export const TEAMS_EXTENSION_API_VERSION = "2025-06-30";
const ASSIGNMENT_PATH = "/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}";

export interface TeamsPhoneAssignment {
  tenantId: string;
  objectId: string;
  principalType: PrincipalType;
  clientIds: string[];
}

export interface AssignmentInput {
  tenantId: string;
  objectId: string;
  principalType: PrincipalType;
  clientIds: string[];
}

export interface TeamsPhoneAssignments {
  /** `null` when the principal has no assignment (404). */
  get(tenantId: string, objectId: string): Promise<TeamsPhoneAssignment | null>;
  /** Creates (201) or replaces (200) it; `created` tells which. */
  put(input: AssignmentInput): Promise<{ assignment: TeamsPhoneAssignment; created: boolean }>;
  /** Removes it, which revokes the principal's Teams Phone tokens. */
  remove(tenantId: string, objectId: string): Promise<void>;
}

export interface AssignmentClientOptions {
  /** Managed-identity mode only; defaults to DefaultAzureCredential. */
  credential?: TokenCredential;
  /** A CA certificate (PEM) to trust besides the system ones: the local stand-in's throwaway certificate. */
  tlsCa?: string;
}

export function createAssignmentRestClient(
  config: PortalConfig,
  options: AssignmentClientOptions = {},
): Client {
  const { endpoint, credential } =
    config.acs.kind === "access-key"
      ? parseConnectionString(config.acs.connectionString)
      : { endpoint: config.acs.endpoint, credential: options.credential ?? new DefaultAzureCredential() };
  return getClient(endpoint, {
    retryOptions: {
      maxRetries: config.env.ACS_MAX_RETRIES,
      maxRetryDelayInMs: config.env.ACS_MAX_RETRY_DELAY_MS,
    },
    additionalPolicies: [
      // The SDK's own signing: HMAC-SHA256 with the access key, or a Bearer token of the managed identity.
      { policy: createCommunicationAuthPolicy(credential), position: "perRetry" },
      { policy: boundedThrottlingPolicy(config.env.ACS_MAX_RETRY_DELAY_MS), position: "perRetry" },
    ],
    ...(isLoopback(endpoint) ? { allowInsecureConnection: true } : {}),
    ...(options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {}),
  });
}

function parseAssignment(
  body: unknown,
  fallback: { tenantId: string; objectId: string },
): TeamsPhoneAssignment {
  const raw = (body ?? {}) as Record<string, unknown>;
  const principalType = normalisePrincipalType(raw.principalType);
  if (!principalType)
    throw new PortalError("ACS_BAD_RESPONSE", { detail: "ACS answered without a principal type." });
  const clientIds = Array.isArray(raw.clientIds)
    ? raw.clientIds.filter((id): id is string => typeof id === "string").map((id) => id.toLowerCase())
    : [];
  return {
    tenantId: typeof raw.tenantId === "string" ? raw.tenantId.toLowerCase() : fallback.tenantId,
    objectId: typeof raw.objectId === "string" ? raw.objectId.toLowerCase() : fallback.objectId,
    principalType,
    clientIds,
  };
}

/** The field ACS named as wrong, if it is one we know; never upstream free text. */
function validationDetail(response: PathUncheckedResponse): string {
  const target = (response.body as { error?: { target?: unknown } } | undefined)?.error?.target;
  const known = ["principalType", "clientIds", "tenantId", "objectId"];
  return typeof target === "string" && known.includes(target)
    ? `ACS answered 400 ValidationError for ${target}.`
    : "ACS answered 400 ValidationError.";
}

function failure(response: PathUncheckedResponse, signal: AbortSignal, notFound: boolean): PortalError {
  const status = Number(response.status);
  if (status === 404 && notFound) return new PortalError("TEAMS_PHONE_ASSIGNMENT_NOT_FOUND");
  if (status === 400)
    return new PortalError("TEAMS_PHONE_ASSIGNMENT_INVALID", { detail: validationDetail(response) });
  return mapAcsError(createRestError(response), signal);
}

export function createTeamsPhoneAssignments({
  client,
  timeoutMs,
}: {
  client: Client;
  timeoutMs: number;
}): TeamsPhoneAssignments {
  const call = async (
    tenantId: string,
    objectId: string,
    send: (
      resource: ResourceMethods<StreamableMethod>,
      abortSignal: AbortSignal,
    ) => PromiseLike<PathUncheckedResponse>,
  ) => {
    const abortSignal = AbortSignal.timeout(timeoutMs);
    const resource = client.pathUnchecked(ASSIGNMENT_PATH, tenantId, objectId);
    try {
      return { response: await send(resource, abortSignal), abortSignal };
    } catch (error) {
      throw mapAcsError(error, abortSignal);
    }
  };
  const queryParameters = { "api-version": TEAMS_EXTENSION_API_VERSION };

  return {
    async get(tenantId, objectId) {
      const { response, abortSignal } = await call(tenantId, objectId, (r, signal) =>
        r.get({ queryParameters, abortSignal: signal }),
      );
      if (response.status === "404") return null;
      if (response.status !== "200") throw failure(response, abortSignal, false);
      return parseAssignment(response.body, { tenantId, objectId });
    },
    async put({ tenantId, objectId, principalType, clientIds }) {
      const { response, abortSignal } = await call(tenantId, objectId, (r, signal) =>
        r.put({ queryParameters, abortSignal: signal, body: { principalType, clientIds } }),
      );
      if (response.status !== "200" && response.status !== "201") throw failure(response, abortSignal, false);
      return {
        assignment: parseAssignment(response.body, { tenantId, objectId }),
        created: response.status === "201",
      };
    },
    async remove(tenantId, objectId) {
      const { response, abortSignal } = await call(tenantId, objectId, (r, signal) =>
        r.delete({ queryParameters, abortSignal: signal }),
      );
      if (response.status !== "204" && response.status !== "200") throw failure(response, abortSignal, true);
    },
  };
}

let shared: TeamsPhoneAssignments | undefined;

/** The process-wide assignment client on the configured ACS credential. */
export function getTeamsPhoneAssignments(): TeamsPhoneAssignments {
  const config = getConfig();
  shared ??= createTeamsPhoneAssignments({
    client: createAssignmentRestClient(config),
    timeoutMs: config.env.ACS_EXCHANGE_TIMEOUT_MS,
  });
  return shared;
}
