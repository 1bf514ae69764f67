import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { isPortalError } from "@/lib/errors";
import { recordUpstream } from "./metrics";

/**
 * Spans through @opentelemetry/api only (a no-op until instrumentation.ts registers an SDK). Attributes are ids
 * and catalogue codes, never a token, secret, e-mail or UPN; a failure is recorded by its code or error name, never
 * by its message (an upstream message may echo a token), so no recordException.
 */

const TRACER = "teams-token-portal";

/** A failure's safe name: the catalogue code, else the error class. */
export function errorType(error: unknown): string {
  if (isPortalError(error)) return error.code;
  return error instanceof Error ? error.name : typeof error;
}

export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setAttribute("error.type", errorType(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

export type Upstream = "acs.exchange" | "entra.refresh" | "entra.jwks" | "entra.tenant_lookup";

/** One call to ACS or Entra: a client span and a latency measurement labelled by upstream and outcome. */
export async function upstreamCall<T>(upstream: Upstream, fn: (span: Span) => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await inSpan(`upstream ${upstream}`, { "portal.upstream": upstream }, fn, SpanKind.CLIENT);
    recordUpstream(upstream, performance.now() - started, undefined);
    return result;
  } catch (error) {
    recordUpstream(upstream, performance.now() - started, errorType(error));
    throw error;
  }
}
