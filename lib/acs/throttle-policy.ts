import "server-only";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { boundedRetryAfterSeconds, retryAfterMs } from "@/lib/acs/retry-after";
import { PortalError } from "@/lib/errors";

export const BOUNDED_THROTTLING_POLICY = "portalBoundedThrottlingPolicy";

/**
 * The SDK's retry policy waits exactly Retry-After on 429/503, with no cap (FACTS §2). Placed per retry, this policy
 * sees each response first: a wait longer than `maxWaitMs` is not slept through but surfaced to the caller at once.
 * It throws a non-RestError on purpose: the SDK's retry policy rethrows those without retrying.
 */
export function boundedThrottlingPolicy(maxWaitMs: number): PipelinePolicy {
  return {
    name: BOUNDED_THROTTLING_POLICY,
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 && response.status !== 503) return response;
      const waitMs = retryAfterMs(response.headers);
      if (waitMs === undefined || waitMs <= maxWaitMs) return response;
      const retryAfterSeconds = boundedRetryAfterSeconds(waitMs, 1);
      throw new PortalError(response.status === 429 ? "ACS_THROTTLED" : "ACS_UNAVAILABLE", {
        detail: `ACS answered ${response.status} and asked to wait ${retryAfterSeconds} s.`,
        retryAfterSeconds,
      });
    },
  };
}
