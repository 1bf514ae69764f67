import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { scrub } from "@/lib/log";

/** Attributes in which Next.js and HTTP instrumentations put request URLs. */
const URL_ATTRIBUTES = ["http.target", "http.url", "url.full", "url.query", "next.route", "http.route"];

/**
 * Runs before a span ends, whoever made it (Next.js's own spans included): drops URL query strings, which carry
 * the OAuth authorization code and state on /api/auth/callback, and scrubs anything shaped like a JWT or an e-mail.
 */
export class ScrubbingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _context: Context): void {}

  onEnding(span: Span): void {
    for (const [name, value] of Object.entries(span.attributes)) {
      if (typeof value !== "string") continue;
      let clean = URL_ATTRIBUTES.includes(name) ? value.replace(/\?.*$/, "") : value;
      if (name === "url.query") clean = "";
      clean = scrub(clean);
      if (clean !== value) span.setAttribute(name, clean);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
