import "server-only";
import type { HttpHeaders } from "@azure/core-rest-pipeline";

/** What callers are told to wait at most: ACS throttles per 30 s window, so anything far beyond is noise. */
export const MAX_RETRY_AFTER_SECONDS = 300;

/** The wait a 429/503 asks for, in ms, read the way the Azure SDK reads it (ms headers first, then Retry-After). */
export function retryAfterMs(headers: HttpHeaders | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(headers.get(name));
    if (headers.get(name) && Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get("retry-after");
  if (!retryAfter) return undefined;
  const asSeconds = Number(retryAfter);
  if (Number.isFinite(asSeconds) && asSeconds >= 0) return asSeconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Whole seconds, at least 1 (a 0 would invite an instant retry storm), at most MAX_RETRY_AFTER_SECONDS. */
export function boundedRetryAfterSeconds(ms: number | undefined, fallbackSeconds: number): number {
  const seconds = ms === undefined ? fallbackSeconds : Math.ceil(ms / 1000);
  return Math.min(Math.max(seconds, 1), MAX_RETRY_AFTER_SECONDS);
}
