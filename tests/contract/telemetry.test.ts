import { metrics } from "@opentelemetry/api";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAcsClient } from "@/lib/acs/client";
import { createTeamsTokenExchange } from "@/lib/acs/exchange";
import { getConfig, type PortalConfig } from "@/lib/config";
import { refreshEntraTokens } from "@/lib/entra/refresh";
import { clearTenantLookupCache, lookupTenantId } from "@/lib/entra/tenant-lookup";
import { isPortalError } from "@/lib/errors";
import { problemResponse } from "@/lib/http/problem";
import { setLogSink, withRequestId } from "@/lib/log";
import { createMemoryStore } from "@/lib/store/memory";
import { createTeamsTokenService, type TeamsTokenService } from "@/lib/teams-token/service";
import { ScrubbingSpanProcessor } from "@/lib/telemetry/scrub";
import { testConfig } from "@/tests/integration/support/fixtures";
import { demoEnv, DEMO as PORTAL_DEMO } from "../../scripts/demo-env";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, mint } from "./helpers";

/**
 * Telemetry never carries a token, a secret or an e-mail: real exchanges (success, cache hit, refusal, upstream
 * failure, Bearer path with a JWKS fetch, Entra refresh, tenant look-up, keyless ACS from Vercel) run against the
 * stand-ins with an in-memory span exporter, a metric reader and a captured log stream; then all three are searched.
 */

class CollectingReader extends MetricReader {
  protected onShutdown = () => Promise.resolve();
  protected onForceFlush = () => Promise.resolve();
}

const WORKLOAD_CLIENT_ID = "5f0c2d1e-8a47-4b6e-9d3c-7e21a4b9c6f0";
const spans = new InMemorySpanExporter();
const reader = new CollectingReader();
const logLines: string[] = [];
/** Every credential the run handles: none may appear in telemetry. */
const secrets = new Set<string>([PORTAL_DEMO.clientSecret, PORTAL_DEMO.authSecret, PORTAL_DEMO.acsKey]);
const emails = Object.values(DEMO.users).map((u) => u.username);
const savedEnv = { ...process.env };

let emu: TestEmulator;
let config: PortalConfig;
let service: TeamsTokenService;
let tracerProvider: NodeTracerProvider;

const remember = (secret: string) => {
  secrets.add(secret);
  return secret;
};

async function entraToken(params: Parameters<typeof mint>[1] & { username?: string } = {}): Promise<string> {
  return remember(await mint(emu.url, { username: DEMO.users.adele.username, ...params } as never));
}

async function outcome(promise: Promise<{ token: string }>): Promise<string> {
  try {
    remember((await promise).token);
    return "OK";
  } catch (error) {
    return isPortalError(error) ? error.code : String(error);
  }
}

beforeAll(async () => {
  emu = await startTestEmulator();
  Object.assign(process.env, demoEnv({ portalPort: 3999, emulatorPort: Number(new URL(emu.url).port) }), {
    ACS_MAX_RETRIES: "0",
    LOG_LEVEL: "debug",
  });
  config = getConfig();
  tracerProvider = new NodeTracerProvider({
    spanProcessors: [new ScrubbingSpanProcessor(), new SimpleSpanProcessor(spans)],
  });
  tracerProvider.register();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  setLogSink((line) => logLines.push(line));
  service = createTeamsTokenService({
    config,
    store: createMemoryStore(),
    exchange: createTeamsTokenExchange({ client: createAcsClient(config), timeoutMs: 10_000 }),
  });
});

afterAll(async () => {
  setLogSink(undefined);
  metrics.disable();
  await tracerProvider.shutdown();
  process.env = savedEnv;
  await emu.close();
});

describe("telemetry of real exchanges carries no token, secret or e-mail", () => {
  it("runs the exchanges", async () => {
    await withRequestId("req-telemetry-0001", async () => {
      const adele = await entraToken();
      expect(await outcome(service.getTeamsToken({ entraToken: adele, via: "session" }))).toBe("OK");
      expect(await outcome(service.getTeamsToken({ entraToken: adele, via: "session" }))).toBe("OK");

      const lynne = await entraToken({
        oid: DEMO.users.lynne.oid,
        scopes: ["Teams.ManageCalls"],
        username: DEMO.users.lynne.username,
      } as never);
      expect(await outcome(service.getTeamsToken({ entraToken: lynne, via: "session" }))).toBe(
        "ENTRA_TOKEN_MISSING_SCOPE",
      );

      await emu.control("faults", { kind: "500", count: 1 });
      const other = await entraToken({ oid: DEMO.users.lee.oid, username: DEMO.users.lee.username } as never);
      expect(await outcome(service.getTeamsToken({ entraToken: other, via: "session" }))).toBe(
        "ACS_UNAVAILABLE",
      );

      const desktop = await entraToken({ appId: DEMO.desktop.clientId });
      expect(await outcome(service.getTeamsToken({ entraToken: desktop, via: "bearer" }))).toBe("OK");

      const refresh = remember(`1.emulator.${"r".repeat(64)}`);
      const refused = await refreshEntraTokens(refresh, DEMO.tenants.contoso).catch((e: unknown) => e);
      expect(isPortalError(refused) && refused.code).toBe("SESSION_EXPIRED");
      await problemResponse(refused).text();

      clearTenantLookupCache();
      expect(await lookupTenantId("contoso.com")).toBe(DEMO.tenants.contoso);

      // An unexpected error whose message holds a token and an address: logged by kind only.
      await problemResponse(new Error(`boom ${adele} for ${DEMO.users.adele.username}`)).text();
    });
  });

  it("keyless ACS from Vercel: the OIDC token and the app token stay out too", async () => {
    const vercelToken = remember((await emu.control<{ token: string }>("vercel-oidc-token", {})).token);
    const vercelConfig = testConfig({
      AUTH_MICROSOFT_ENTRA_ID_ID: DEMO.portal.clientId,
      ACS_CONNECTION_STRING: undefined,
      ACS_CREDENTIAL: "vercel-oidc",
      ACS_ENDPOINT: emu.httpsUrl as string,
      AZURE_TENANT_ID: DEMO.tenants.contoso,
      AZURE_CLIENT_ID: WORKLOAD_CLIENT_ID,
      AZURE_AUTHORITY_HOST: emu.httpsUrl as string,
      ACS_MAX_RETRIES: "0",
    });
    const exchange = createTeamsTokenExchange({
      client: createAcsClient(vercelConfig, { tlsCa: emu.caCert, vercelOidcToken: async () => vercelToken }),
      timeoutMs: 10_000,
    });
    const result = await exchange({
      entraToken: await entraToken(),
      clientId: DEMO.portal.clientId,
      userObjectId: DEMO.users.adele.oid,
    });
    remember(result.token);
  });

  it("spans: one per exchange, one per upstream call, nested, with ids and codes only", async () => {
    const finished = spans.getFinishedSpans();
    const names = finished.map((s) => s.name);
    expect(names.filter((n) => n === "teams-token.exchange")).toHaveLength(5);
    for (const upstream of ["acs.exchange", "entra.jwks", "entra.refresh", "entra.tenant_lookup"]) {
      expect(names, upstream).toContain(`upstream ${upstream}`);
    }
    const exchangeIds = new Set(
      finished.filter((s) => s.name === "teams-token.exchange").map((s) => s.spanContext().spanId),
    );
    const acsCalls = finished.filter((s) => s.name === "upstream acs.exchange");
    // Adele issued, Lee failed, the desktop app issued; the Vercel run called ACS outside the service.
    expect(acsCalls).toHaveLength(4);
    expect(acsCalls.filter((s) => exchangeIds.has(s.parentSpanContext?.spanId ?? "")).length).toBe(3);
    const failed = finished.find(
      (s) => s.name === "teams-token.exchange" && s.attributes["error.type"] === "ACS_UNAVAILABLE",
    );
    expect(failed?.attributes).toMatchObject({
      "portal.tenant_id": DEMO.tenants.contoso,
      "portal.via": "session",
    });
    expect(failed?.attributes["portal.user_ref"]).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("metrics: exchanges by outcome, cache hits and misses, refusals by code, upstream latency", async () => {
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const points = (name: string) => all.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
    const sum = (name: string, attrs: Record<string, string>) =>
      points(name)
        .filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v))
        .reduce((n, p) => n + (typeof p.value === "number" ? p.value : 0), 0);
    expect(sum("portal.teams_token.exchanges", { outcome: "issued" })).toBe(2);
    expect(sum("portal.teams_token.exchanges", { outcome: "cached" })).toBe(1);
    expect(sum("portal.teams_token.exchanges", { outcome: "refused" })).toBe(1);
    expect(sum("portal.teams_token.exchanges", { outcome: "failed" })).toBe(1);
    expect(sum("portal.teams_token.cache", { result: "hit" })).toBe(1);
    expect(sum("portal.teams_token.cache", { result: "miss" })).toBe(3);
    for (const code of ["ENTRA_TOKEN_MISSING_SCOPE", "ACS_UNAVAILABLE", "SESSION_EXPIRED", "INTERNAL"]) {
      expect(sum("portal.refusals", { code }), code).toBe(1);
    }
    const upstreams = new Set(points("portal.upstream.duration").map((p) => p.attributes.upstream));
    expect([...upstreams].sort()).toEqual([
      "acs.exchange",
      "entra.jwks",
      "entra.refresh",
      "entra.tenant_lookup",
    ]);
  });

  it("logs: JSON lines with the request id", () => {
    expect(logLines.length).toBeGreaterThan(3);
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.every((e) => typeof e.time === "string" && typeof e.level === "string")).toBe(true);
    expect(entries.filter((e) => e.requestId === "req-telemetry-0001").length).toBeGreaterThan(3);
    expect(entries.find((e) => e.event === "unexpected error")).toMatchObject({
      kind: "Error",
      level: "error",
    });
  });

  it("nothing anywhere: no token, secret, key, e-mail, object id or JWT-shaped string", async () => {
    const { resourceMetrics } = await reader.collect();
    const spanText = JSON.stringify(
      spans.getFinishedSpans().map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
        resource: s.resource.attributes,
      })),
    );
    const telemetry = {
      spans: spanText,
      metrics: JSON.stringify(resourceMetrics),
      logs: logLines.join("\n"),
    };
    expect(secrets.size).toBeGreaterThan(10);
    for (const [where, text] of Object.entries(telemetry)) {
      expect(text.length, where).toBeGreaterThan(100);
      for (const secret of secrets) expect(text.includes(secret), `${where} holds a secret`).toBe(false);
      for (const email of emails) expect(text, where).not.toContain(email);
      expect(text, where).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}/);
      expect(text, where).not.toMatch(/[^\s@"]+@[^\s@"]+\.[a-z]{2,}/i);
      expect(text, where).not.toContain(DEMO.users.adele.oid);
    }
  });
});
