import { type Counter, type Histogram, type MeterProvider, metrics } from "@opentelemetry/api";
import { isPortalError } from "@/lib/errors";

/**
 * The portal's metrics, through @opentelemetry/api only: without a registered SDK every call is a no-op. Labels are
 * low-cardinality and never personal: outcome, path, catalogue code, upstream name. No tenant, user or token.
 */

const METER = "teams-token-portal";

interface Instruments {
  exchanges: Counter;
  cache: Counter;
  refusals: Counter;
  upstream: Histogram;
}

let current: { provider: MeterProvider; instruments: Instruments } | undefined;

/** Re-resolved when the global provider changes: instruments of the no-op provider would stay no-ops for ever. */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (current?.provider !== provider) {
    const meter = provider.getMeter(METER);
    current = {
      provider,
      instruments: {
        exchanges: meter.createCounter("portal.teams_token.exchanges", {
          description: "Teams-token requests by outcome (issued, cached, refused, failed) and path.",
        }),
        cache: meter.createCounter("portal.teams_token.cache", {
          description: "Token cache look-ups by result (hit, miss).",
        }),
        refusals: meter.createCounter("portal.refusals", {
          description: "Requests answered with a catalogued error, by catalogue code (lib/errors.ts).",
        }),
        upstream: meter.createHistogram("portal.upstream.duration", {
          description: "Duration of calls to ACS and Microsoft Entra ID.",
          unit: "ms",
        }),
      },
    };
  }
  return current.instruments;
}

export type ExchangeOutcome = "issued" | "cached" | "refused" | "failed";

export function recordExchange(outcome: ExchangeOutcome, via: string): void {
  instruments().exchanges.add(1, { outcome, via });
}

export function recordCacheLookup(hit: boolean): void {
  instruments().cache.add(1, { result: hit ? "hit" : "miss" });
}

const counted = new WeakSet<object>();

/** Counts an error once by its catalogue code, however many layers pass it on. */
export function recordRefusal(error: unknown): void {
  if (typeof error === "object" && error !== null) {
    if (counted.has(error)) return;
    counted.add(error);
  }
  instruments().refusals.add(1, { code: isPortalError(error) ? error.code : "INTERNAL" });
}

export function recordUpstream(upstream: string, ms: number, errorType: string | undefined): void {
  instruments().upstream.record(ms, {
    upstream,
    outcome: errorType ? "error" : "ok",
    ...(errorType ? { "error.type": errorType } : {}),
  });
}
