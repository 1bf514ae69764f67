import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { log, setLogSink, withRequestId } from "@/lib/log";
import { ScrubbingSpanProcessor } from "@/lib/telemetry/scrub";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

describe("ScrubbingSpanProcessor (applies to Next.js's own spans too)", () => {
  it("drops URL query strings (the OAuth code) and scrubs JWT- and e-mail-shaped values", () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new ScrubbingSpanProcessor(), new SimpleSpanProcessor(exporter)],
    });
    const span = provider.getTracer("test").startSpan("GET /api/auth/callback/microsoft-entra-id", {
      attributes: {
        "http.target": "/api/auth/callback/microsoft-entra-id?code=0.AAAA-secret-code&state=xyz",
        "url.full": "http://localhost:3000/consent/result?admin_consent=True&tenant=abc",
        "url.query": "code=0.AAAA-secret-code",
        "custom.note": `user adele@contoso.com sent ${JWT}`,
        "http.status_code": 302,
      },
    });
    span.end();
    const [finished] = exporter.getFinishedSpans();
    expect(finished?.attributes).toEqual({
      "http.target": "/api/auth/callback/microsoft-entra-id",
      "url.full": "http://localhost:3000/consent/result",
      "url.query": "",
      "custom.note": "user [email] sent [jwt]",
      "http.status_code": 302,
    });
  });
});

describe("JSON logger", () => {
  afterEach(() => setLogSink(undefined));

  it("writes one JSON object per line with the request id; drops secret-named fields, scrubs values", () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    withRequestId("req-12345678", () =>
      log.warn("refused", {
        code: "ACS_AUTH_FAILED",
        accessToken: JWT,
        detail: `for adele@contoso.com ${JWT}`,
      }),
    );
    withRequestId("bad id with spaces", () => log.error("x"));
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({
      level: "warn",
      event: "refused",
      requestId: "req-12345678",
      code: "ACS_AUTH_FAILED",
      detail: "for [email] [jwt]",
    });
    expect(first).not.toHaveProperty("accessToken");
    expect(second?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
