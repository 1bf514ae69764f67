import { type Actor, type ErrorCode, isPortalError, toErrorView } from "@/lib/errors";
import { log } from "@/lib/log";
import { recordRefusal } from "@/lib/telemetry/metrics";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  remedy: string;
  actor: Actor;
  retryAfterSeconds?: number;
  tenantId?: string;
}

/** RFC 9457 problem details from any thrown value; unknown errors are logged by kind and answered as INTERNAL. */
export function toProblem(error: unknown): ProblemDocument {
  if (!isPortalError(error)) {
    // Log the kind only: an upstream error's message or cause can carry a token.
    log.error("unexpected error", { kind: error instanceof Error ? error.name : typeof error });
  }
  recordRefusal(error);
  const { link: _link, detail, ...view } = toErrorView(error);
  return { type: `/troubleshoot#${view.code}`, ...view, detail: detail ?? view.title };
}

export function problemResponse(error: unknown, headers: HeadersInit = {}): Response {
  const problem = toProblem(error);
  const response = Response.json(problem, {
    status: problem.status,
    headers: {
      "content-type": PROBLEM_CONTENT_TYPE,
      "cache-control": "no-store",
      ...Object.fromEntries(new Headers(headers)),
    },
  });
  if (problem.retryAfterSeconds !== undefined) {
    response.headers.set("retry-after", String(Math.max(1, Math.ceil(problem.retryAfterSeconds))));
  }
  return response;
}
