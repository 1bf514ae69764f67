import { decodeJwt } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAcsClient } from "@/lib/acs/client";
import { createTeamsTokenExchange } from "@/lib/acs/exchange";
import type { PortalConfig } from "@/lib/config";
import { createBearerVerifier } from "@/lib/entra/bearer";
import { ENTRA_AUTHORITY, routeToEntra } from "@/lib/entra/endpoints";
import { PortalError, toErrorView } from "@/lib/errors";
import { createMemoryStore } from "@/lib/store/memory";
import { createTeamsTokenService, type TeamsTokenService } from "@/lib/teams-token/service";
import { testConfig } from "@/tests/integration/support/fixtures";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, mint } from "./helpers";

/** The portal's exchange service, real SDK and real Bearer verification, against the Entra / ACS stand-ins. */

interface Stats {
  exchanges: { total: number; succeeded: number; failed: number; byUser: Record<string, number> };
}

let emu: TestEmulator;
let config: PortalConfig;
const adele = DEMO.users.adele;
const contoso = DEMO.tenants.contoso;

function portal(options: { cooldownMs?: number } = {}): TeamsTokenService {
  const verifyBearer = createBearerVerifier(config, {
    jwksUrlFor: (tid) => routeToEntra(`${ENTRA_AUTHORITY}/${tid}/discovery/v2.0/keys`, config.emulatorUrl),
    ...options,
  });
  return createTeamsTokenService({
    config,
    store: createMemoryStore(),
    exchange: createTeamsTokenExchange({
      client: createAcsClient(config),
      timeoutMs: config.env.ACS_EXCHANGE_TIMEOUT_MS,
    }),
    verifyBearer: (token, scopes) => verifyBearer(token, { scopes }),
  });
}

const stats = () => emu.control<Stats>("stats");

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "OK",
    (error: unknown) => (error instanceof PortalError ? error.code : String(error)),
  );
}

beforeAll(async () => {
  emu = await startTestEmulator();
  config = testConfig({
    AUTH_MICROSOFT_ENTRA_ID_ID: DEMO.portal.clientId,
    ACS_CONNECTION_STRING: emu.connectionString,
    ALLOWED_CLIENT_IDS: DEMO.desktop.clientId,
    ALLOWED_TENANT_IDS: `${contoso},${DEMO.tenants.fabrikam}`,
    EMULATOR_URL: emu.url,
    RATE_LIMIT_USER: "1000/60",
    RATE_LIMIT_TENANT: "5000/60",
  });
});
afterAll(() => emu.close());
beforeEach(() => emu.control("reset"));

describe("portal exchange on the stand-ins (session path)", () => {
  it("exchanges; expiresOn equals the Entra token's exp", async () => {
    const entraToken = await mint(emu.url, { lifetimeSeconds: 1800 });
    const result = await portal().getTeamsToken({ entraToken, via: "session" });
    expect(result).toMatchObject({
      teamsUserId: `8:orgid:${adele.oid}`,
      tenantId: contoso,
      userObjectId: adele.oid,
      cached: false,
    });
    expect(Date.parse(result.expiresOn)).toBe((decodeJwt(entraToken).exp as number) * 1000);
    expect(decodeJwt(result.token).skypeid).toBe(`orgid:${adele.oid}`);
    expect((await stats()).exchanges).toMatchObject({ total: 1, succeeded: 1 });
  });

  it("50 concurrent requests for one user → the ACS stand-in sees exactly 1 exchange", async () => {
    const entraToken = await mint(emu.url);
    const svc = portal();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => svc.getTeamsToken({ entraToken, via: "session" })),
    );
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect((await stats()).exchanges).toMatchObject({ total: 1, byUser: { [adele.oid]: 1 } });
  });

  it("200 users × 5 concurrent requests → 200 exchanges", async () => {
    const svc = portal();
    const oids = Array.from(
      { length: 200 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const tokens = await Promise.all(oids.map((oid) => mint(emu.url, { oid })));
    await Promise.all(
      tokens.flatMap((entraToken) =>
        Array.from({ length: 5 }, () => svc.getTeamsToken({ entraToken, via: "session" })),
      ),
    );
    const { exchanges } = await stats();
    expect(exchanges.total).toBe(200);
    expect(Object.values(exchanges.byUser).every((n) => n === 1)).toBe(true);
  });

  it("refuses a token of another app before ACS is called", async () => {
    const entraToken = await mint(emu.url, { appId: DEMO.desktop.clientId });
    expect(await codeOf(portal().getTeamsToken({ entraToken, via: "session" }))).toBe(
      "ENTRA_TOKEN_WRONG_APP",
    );
    expect((await stats()).exchanges.total).toBe(0);
  });
});

describe("portal exchange on the stand-ins (Bearer path)", () => {
  it("verifies a client app's token and exchanges with that app's id", async () => {
    const entraToken = await mint(emu.url, { appId: DEMO.desktop.clientId });
    const result = await portal().getTeamsToken({ entraToken, via: "bearer" });
    expect(result.teamsUserId).toBe(`8:orgid:${adele.oid}`);
    expect((await stats()).exchanges).toMatchObject({ total: 1, succeeded: 1 });
  });

  it("refuses forged and wrong tokens, and ACS sees no exchange", async () => {
    const svc = portal();
    const good = await mint(emu.url, { appId: DEMO.desktop.clientId });
    const [header, payload, signature] = good.split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(good), oid: DEMO.users.lee.oid })).toString("base64url")}.${signature}`;
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    const cases: [string, Promise<string>][] = [
      ["BEARER_INVALID_SIGNATURE", Promise.resolve(tampered)],
      ["BEARER_UNSUPPORTED_ALGORITHM", Promise.resolve(none)],
      ["ENTRA_TOKEN_EXPIRED", mint(emu.url, { appId: DEMO.desktop.clientId, lifetimeSeconds: -600 })],
      [
        "ENTRA_TOKEN_WRONG_AUDIENCE",
        mint(emu.url, { appId: DEMO.desktop.clientId, audience: "https://graph.microsoft.com" }),
      ],
      [
        "ENTRA_TOKEN_MISSING_SCOPE",
        mint(emu.url, {
          appId: DEMO.desktop.clientId,
          scopes: ["https://auth.msft.communication.azure.com/Teams.ManageCalls"],
        }),
      ],
      ["CLIENT_APP_NOT_ALLOWED", mint(emu.url, { appId: "0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b" })],
      [
        "TENANT_NOT_ALLOWED",
        mint(emu.url, {
          appId: DEMO.desktop.clientId,
          tenantId: DEMO.tenants.tailspin,
          oid: DEMO.users.alex.oid,
        }),
      ],
    ];
    for (const [expected, token] of cases) {
      expect([expected, await codeOf(svc.getTeamsToken({ entraToken: await token, via: "bearer" }))]).toEqual(
        [expected, expected],
      );
    }
    expect((await stats()).exchanges.total).toBe(0);
  });

  it("honours key rotation: a token signed with the new key is accepted after one refetch", async () => {
    const svc = portal({ cooldownMs: 0 });
    await svc.getTeamsToken({
      entraToken: await mint(emu.url, { appId: DEMO.desktop.clientId }),
      via: "bearer",
    });
    await emu.control("rotate-keys");
    const rotated = await mint(emu.url, { appId: DEMO.desktop.clientId, oid: DEMO.users.lee.oid });
    expect(await codeOf(svc.getTeamsToken({ entraToken: rotated, via: "bearer" }))).toBe("OK");
  });
});

describe("portal exchange with managed identity (ACS_ENDPOINT) over the stand-in's https", () => {
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  beforeAll(() => {
    // App Service managed identity, as DefaultAzureCredential reads it.
    process.env.IDENTITY_ENDPOINT = `${emu.url}/msi/token`;
    process.env.IDENTITY_HEADER = "demo-identity-header";
  });
  afterAll(() => {
    for (const [name, value] of [
      ["IDENTITY_ENDPOINT", saved.endpoint],
      ["IDENTITY_HEADER", saved.header],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("exchanges with DefaultAzureCredential", async () => {
    const rbacConfig = testConfig({
      AUTH_MICROSOFT_ENTRA_ID_ID: DEMO.portal.clientId,
      ACS_CONNECTION_STRING: undefined,
      ACS_ENDPOINT: emu.httpsUrl ?? "",
    });
    expect(rbacConfig.acs.kind).toBe("managed-identity");
    const exchange = createTeamsTokenExchange({
      client: createAcsClient(rbacConfig, { tlsCa: emu.caCert }),
      timeoutMs: rbacConfig.env.ACS_EXCHANGE_TIMEOUT_MS,
    });
    const entraToken = await mint(emu.url);
    const result = await exchange({ entraToken, clientId: DEMO.portal.clientId, userObjectId: adele.oid });
    expect(result.expiresOn.getTime()).toBe((decodeJwt(entraToken).exp as number) * 1000);
  });

  it("maps a managed-identity credential ACS refuses to ACS_IDENTITY_DENIED (the role remedy)", async () => {
    const rbacConfig = testConfig({ ACS_CONNECTION_STRING: undefined, ACS_ENDPOINT: emu.httpsUrl ?? "" });
    const wrongAudience = {
      getToken: async () => ({ token: await mint(emu.url), expiresOnTimestamp: Date.now() + 600_000 }),
    };
    const exchange = createTeamsTokenExchange({
      client: createAcsClient(rbacConfig, { credential: wrongAudience, tlsCa: emu.caCert }),
      timeoutMs: rbacConfig.env.ACS_EXCHANGE_TIMEOUT_MS,
      authKind: rbacConfig.acs.kind,
    });
    const entraToken = await mint(emu.url);
    expect(
      await codeOf(exchange({ entraToken, clientId: DEMO.portal.clientId, userObjectId: adele.oid })),
    ).toBe("ACS_IDENTITY_DENIED");
  });

  it("the identity's role removed → ACS_IDENTITY_DENIED, whose remedy is the role assignment; restored → OK", async () => {
    const rbacConfig = testConfig({
      ACS_CONNECTION_STRING: undefined,
      ACS_ENDPOINT: emu.httpsUrl ?? "",
      AZURE_CLIENT_ID: DEMO.managedIdentity.clientId,
    });
    const savedClientId = process.env.AZURE_CLIENT_ID;
    process.env.AZURE_CLIENT_ID = DEMO.managedIdentity.clientId;
    try {
      const exchange = createTeamsTokenExchange({
        client: createAcsClient(rbacConfig, { tlsCa: emu.caCert }),
        timeoutMs: rbacConfig.env.ACS_EXCHANGE_TIMEOUT_MS,
        authKind: rbacConfig.acs.kind,
      });
      const input = async () => ({
        entraToken: await mint(emu.url),
        clientId: DEMO.portal.clientId,
        userObjectId: adele.oid,
      });
      expect(await codeOf(exchange(await input()))).toBe("OK");
      await emu.control("role-assignments", { principalId: DEMO.managedIdentity.oid, granted: false });
      const error = await exchange(await input()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortalError);
      const view = toErrorView(error);
      expect(view).toMatchObject({ code: "ACS_IDENTITY_DENIED", status: 502, actor: "app-admin" });
      expect(view.remedy).toContain("Contributor role on the ACS resource");
      expect(view.remedy).toContain("az role assignment create");
      expect(view.remedy).toContain("~10 minutes");
      expect(view.remedy).not.toMatch(/connection string/i);
      await emu.control("role-assignments", { principalId: DEMO.managedIdentity.oid, granted: true });
      expect(await codeOf(exchange(await input()))).toBe("OK");
    } finally {
      if (savedClientId === undefined) delete process.env.AZURE_CLIENT_ID;
      else process.env.AZURE_CLIENT_ID = savedClientId;
    }
  });

  it("a wrong access key keeps the connection-string remedy (ACS_AUTH_FAILED), not the role one", async () => {
    const keyConfig = testConfig({
      ACS_CONNECTION_STRING: `endpoint=${emu.url}/;accesskey=${Buffer.from("wrong key").toString("base64")}`,
    });
    const exchange = createTeamsTokenExchange({
      client: createAcsClient(keyConfig),
      timeoutMs: keyConfig.env.ACS_EXCHANGE_TIMEOUT_MS,
      authKind: keyConfig.acs.kind,
    });
    const error = await exchange({
      entraToken: await mint(emu.url),
      clientId: DEMO.portal.clientId,
      userObjectId: adele.oid,
    }).catch((e: unknown) => e);
    const view = toErrorView(error);
    expect(view.code).toBe("ACS_AUTH_FAILED");
    expect(view.remedy).toContain("connection string");
    expect(view.remedy).not.toContain("role");
  });
});
