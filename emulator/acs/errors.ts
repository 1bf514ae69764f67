import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const SUPPORTED_API_VERSIONS = [
  "2021-03-07",
  "2021-10-31-preview",
  "2022-06-01",
  "2022-10-01",
  "2023-10-01",
  "2025-03-02-preview",
  "2025-06-30",
];
/** Value of the api-supported-versions header in the recordings (newer ones accepted too). */
const API_SUPPORTED_VERSIONS_HEADER =
  "2021-10-31-preview, 2022-06-01, 2022-10-01, 2023-10-01, 2025-03-02-preview";

/** Response headers the recorded ACS responses carry. */
export function acsHeaders(
  req: IncomingMessage,
  startedAt: number,
  withVersions: boolean,
): Record<string, string> {
  const clientRequestId = req.headers["x-ms-client-request-id"];
  return {
    ...(withVersions ? { "api-supported-versions": API_SUPPORTED_VERSIONS_HEADER } : {}),
    "MS-CV": `${randomBytes(16).toString("base64").replace(/=+$/, "").slice(0, 22)}.0`,
    "Request-Context": "appId=",
    "Strict-Transport-Security": "max-age=31536000;includeSubDomains",
    "x-azure-ref": `0${randomBytes(24).toString("base64").replace(/[+/=]/g, "")}`,
    "X-Cache": "CONFIG_NOCACHE",
    ...(typeof clientRequestId === "string" ? { "x-ms-client-request-id": clientRequestId } : {}),
    "X-Processing-Time": `${Date.now() - startedAt}ms`,
    "request-id": randomUUID(),
  };
}

export interface AcsError {
  status: number;
  code?: string;
  message: string;
  target?: string;
  /** Recorded responses of model validation carry no api-supported-versions header. */
  withVersions?: boolean;
  headers?: Record<string, string>;
}

export function sendAcsError(
  req: IncomingMessage,
  res: ServerResponse,
  startedAt: number,
  err: AcsError,
): void {
  const body = JSON.stringify({
    error: {
      ...(err.code ? { code: err.code } : {}),
      message: err.message,
      ...(err.target ? { target: err.target } : {}),
    },
  });
  res.writeHead(err.status, {
    ...acsHeaders(req, startedAt, err.withVersions ?? false),
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    ...err.headers,
  });
  res.end(body);
}

export const ACS_ERR = {
  denied: (): AcsError => ({ status: 401, code: "Denied", message: "Denied by the resource provider." }),
  required: (field: "AppId" | "UserId"): AcsError => ({
    status: 400,
    code: "ValidationError",
    message: `${field}: The ${field} field is required.`,
    target: field,
  }),
  invalidFormat: (field: "AppId" | "UserId"): AcsError => ({
    status: 400,
    code: "ValidationError",
    message: `Provided ${field} has invalid format.`,
    target: field === "AppId" ? "appId" : "userId",
    withVersions: true,
  }),
  invalidToken: (): AcsError => ({
    status: 401,
    code: "InvalidAccessToken",
    message: "Provided access token is not valid.",
  }),
  /** *(inferred)* The recordings do not cover a body that is not JSON. */
  malformedBody: (): AcsError => ({
    status: 400,
    code: "ValidationError",
    message: "The request body is not valid JSON or does not match TeamsUserExchangeTokenRequest.",
    target: "body",
  }),
  missingApiVersion: (): AcsError => ({
    status: 400,
    code: "ApiVersionUnspecified",
    message: "An API version is required, but was not specified.",
  }),
  unsupportedApiVersion: (version: string): AcsError => ({
    status: 400,
    code: "UnsupportedApiVersion",
    message: `The HTTP resource that matches the request URI does not support the API version '${version}'.`,
  }),
  throttled: (retryAfterSeconds: number): AcsError => ({
    status: 429,
    code: "TooManyRequests",
    message: `Rate limit exceeded. Retry after ${retryAfterSeconds} seconds.`,
    headers: { "Retry-After": String(retryAfterSeconds) },
  }),
  internal: (): AcsError => ({
    status: 500,
    code: "InternalServerError",
    message: "An internal error occurred.",
  }),
  unavailable: (retryAfterSeconds?: number): AcsError => ({
    status: 503,
    code: "ServiceUnavailable",
    message: "The service is temporarily unavailable.",
    headers: retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : {},
  }),
};
