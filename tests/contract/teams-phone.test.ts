import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { ManagedIdentityCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { normalisePrincipalType } from "@/lib/acs/principal-type";
import {
  createAssignmentRestClient,
  createTeamsPhoneAssignments,
  type TeamsPhoneAssignments,
} from "@/lib/acs/teams-extension-assignments";
import { createTeamsPhoneExchange } from "@/lib/acs/teams-phone-exchange";
import type { PortalConfig } from "@/lib/config";
import { PortalError } from "@/lib/errors";
import { createMemoryStore } from "@/lib/store/memory";
import { createTeamsTokenService } from "@/lib/teams-token/service";
import { testConfig } from "@/tests/integration/support/fixtures";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, mint, signedFetch } from "./helpers";

/** Teams Phone extensibility (REST 2025-06-30) against the ACS stand-in, with the Azure SDK's own parts. */

const TPE_SCOPE = "https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls";
const ALL_SCOPES = ["Teams.ManageCalls", "Teams.ManageChats", "TeamsExtension.ManageCalls"];
const contoso = DEMO.tenants.contoso;
const adele: string = DEMO.users.adele.oid;
const diego = "34bc4147-581a-440d-9beb-c80408dc4208";
const mainLine = "9c1f7a52-3d4e-4b8a-a6f1-2e5d8c7b9a03";
const RESOURCE_ID = "b1ca8f9b-5bfc-492a-aad9-2e86abf51608";

let emu: TestEmulator;
let config: PortalConfig;
let assignments: TeamsPhoneAssignments;

const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof PortalError ? error.code : String(error)),
  );

beforeAll(async () => {
  emu = await startTestEmulator();
  // The SDK's EntraTokenCredential takes no TLS options: trust the throwaway certificate process-wide, as
  // NODE_EXTRA_CA_CERTS does for the portal's server.
  setDefaultCACertificates([...getCACertificates("default"), emu.caCert]);
  config = testConfig({
    AUTH_MICROSOFT_ENTRA_ID_ID: DEMO.portal.clientId,
    ACS_CONNECTION_STRING: emu.connectionString,
    ALLOWED_CLIENT_IDS: DEMO.desktop.clientId,
    EMULATOR_URL: emu.url,
    TEAMS_PHONE_ENABLED: "true",
  });
  assignments = createTeamsPhoneAssignments({ client: createAssignmentRestClient(config), timeoutMs: 5_000 });
});
afterAll(async () => {
  setDefaultCACertificates(getCACertificates("default"));
  await emu.close();
});
beforeEach(() => emu.control("reset"));

const phoneExchange = () =>
  createTeamsPhoneExchange({ resourceEndpoint: emu.httpsUrl as string, timeoutMs: 5_000 });
const userToken = (oid = adele, params: { appId?: string; scopes?: string[] } = {}) =>
  mint(emu.url, { oid, scopes: ALL_SCOPES, ...params });
const exchangeFor = async (oid = adele, params: { appId?: string; scopes?: string[] } = {}) =>
  phoneExchange()({
    entraToken: await userToken(oid, params),
    entraExpiresAt: new Date(Date.now() + 3_600_000),
  });

describe("assignments through @azure-rest/core-client + createCommunicationAuthPolicy (HMAC)", () => {
  it("reads the demo assignments and a principal without one", async () => {
    expect(await assignments.get(contoso, adele)).toEqual({
      tenantId: contoso,
      objectId: adele,
      principalType: "user",
      clientIds: [DEMO.portal.clientId, DEMO.desktop.clientId],
    });
    expect((await assignments.get(contoso, mainLine))?.principalType).toBe("resourceAccount");
    expect(await assignments.get(contoso, diego)).toBeNull();
  });

  it("PUT creates (201) then replaces (200); DELETE answers 204, then 404", async () => {
    const input = {
      tenantId: contoso,
      objectId: diego,
      principalType: "user" as const,
      clientIds: [DEMO.portal.clientId],
    };
    expect((await assignments.put(input)).created).toBe(true);
    const replaced = await assignments.put({ ...input, principalType: "resourceAccount", clientIds: [] });
    expect(replaced).toEqual({
      created: false,
      assignment: { tenantId: contoso, objectId: diego, principalType: "resourceAccount", clientIds: [] },
    });
    await assignments.remove(contoso, diego);
    expect(await assignments.get(contoso, diego)).toBeNull();
    expect(await codeOf(assignments.remove(contoso, diego))).toBe("TEAMS_PHONE_ASSIGNMENT_NOT_FOUND");
  });

  it("the wire: spec status codes, bodies and the error shape", async () => {
    const path = `/access/teamsExtension/tenants/${contoso}/assignments/${diego}?api-version=2025-06-30`;
    const missing = await signedFetch(emu.url, path, "", { method: "GET" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: "AssignmentNotFound", message: expect.any(String) },
    });
    const created = await signedFetch(emu.url, path, JSON.stringify({ principalType: "user" }), {
      method: "PUT",
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ objectId: diego, tenantId: contoso, principalType: "user" });
    const bad = await signedFetch(emu.url, path, JSON.stringify({ principalType: "User" }), {
      method: "PUT",
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "ValidationError", target: "principalType" });
    const deleted = await signedFetch(emu.url, path, "", { method: "DELETE" });
    expect([deleted.status, await deleted.text()]).toEqual([204, ""]);
    const wrongKey = await signedFetch(emu.url, path, "", {
      method: "GET",
      key: Buffer.alloc(32).toString("base64"),
    });
    expect([wrongKey.status, (await wrongKey.json()).error.code]).toEqual([401, "Denied"]);
  });

  it("the stand-in refuses a non-spec spelling; the portal sends the spec's for every spelling seen in the wild", async () => {
    for (const spelling of [
      "user",
      "User",
      "resourceAccount",
      "teamsResourceAccount",
      "TeamsResourceAccount",
    ]) {
      const principalType = normalisePrincipalType(spelling);
      expect(principalType).toBeDefined();
      if (!principalType) continue;
      await assignments.put({ tenantId: contoso, objectId: diego, principalType, clientIds: [] });
      expect((await assignments.get(contoso, diego))?.principalType).toBe(
        spelling.toLowerCase() === "user" ? "user" : "resourceAccount",
      );
    }
    expect(normalisePrincipalType("group")).toBeUndefined();
  });

  it("non-GUID client ids → TEAMS_PHONE_ASSIGNMENT_INVALID", async () => {
    const put = assignments.put({
      tenantId: contoso,
      objectId: diego,
      principalType: "user",
      clientIds: ["nope"],
    });
    expect(await codeOf(put)).toBe("TEAMS_PHONE_ASSIGNMENT_INVALID");
  });

  it("managed identity (Bearer) on the https listener", async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = `${emu.url}/msi/token`;
    process.env.IDENTITY_HEADER = "demo-identity-header";
    try {
      const rbac = testConfig({ ACS_ENDPOINT: emu.httpsUrl as string, ACS_CONNECTION_STRING: "" });
      const viaMsi = createTeamsPhoneAssignments({
        client: createAssignmentRestClient(rbac, {
          credential: new ManagedIdentityCredential(),
          tlsCa: emu.caCert,
        }),
        timeoutMs: 5_000,
      });
      expect((await viaMsi.get(contoso, adele))?.principalType).toBe("user");
    } finally {
      process.env.IDENTITY_ENDPOINT = saved.endpoint;
      process.env.IDENTITY_HEADER = saved.header;
    }
  });
});

describe("the Teams Phone exchange through AzureCommunicationTokenCredential (Entra options)", () => {
  it("the SDK itself gets a token for 8:acs:<resource>_<tenant>_<oid>", async () => {
    const entraToken = await userToken();
    const credential = new AzureCommunicationTokenCredential({
      resourceEndpoint: emu.httpsUrl as string,
      tokenCredential: {
        getToken: async () => ({ token: entraToken, expiresOnTimestamp: Date.now() + 3_600_000 }),
      },
      scopes: [TPE_SCOPE],
    });
    const { token, expiresOnTimestamp } = await credential.getToken();
    credential.dispose();
    expect(decodeJwt(token).skypeid).toBe(`acs:${RESOURCE_ID}_${contoso}_${adele}`);
    expect(expiresOnTimestamp).toBe((decodeJwt(entraToken).exp as number) * 1000);
  });

  it("the portal's exchange returns the ACS identity", async () => {
    const result = await exchangeFor();
    expect(result.acsUserId).toBe(`8:acs:${RESOURCE_ID}_${contoso}_${adele}`);
    expect(result.expiresOn.getTime()).toBeGreaterThan(Date.now());
  });

  it("refuses a principal without an assignment, an app not in clientIds, and a token without the scope", async () => {
    expect(await codeOf(exchangeFor(diego))).toBe("TEAMS_PHONE_NO_ASSIGNMENT");
    await assignments.put({
      tenantId: contoso,
      objectId: diego,
      principalType: "user",
      clientIds: [DEMO.desktop.clientId],
    });
    expect(await codeOf(exchangeFor(diego))).toBe("TEAMS_PHONE_APP_NOT_ALLOWED");
    expect(await codeOf(exchangeFor(diego, { appId: DEMO.desktop.clientId }))).toBe("OK");
    expect(await codeOf(exchangeFor(adele, { scopes: ["Teams.ManageCalls", "Teams.ManageChats"] }))).toBe(
      "TEAMS_PHONE_TOKEN_REFUSED",
    );
  });

  it("deleting the assignment revokes the tokens issued before, and refuses new exchanges", async () => {
    const { token } = await exchangeFor();
    const verify = () => emu.control<{ valid: boolean; reason?: string }>("verify-acs-token", { token });
    expect(await verify()).toEqual({ valid: true });
    await assignments.remove(contoso, adele);
    expect(await verify()).toEqual({ valid: false, reason: "revoked" });
    expect(await codeOf(exchangeFor())).toBe("TEAMS_PHONE_NO_ASSIGNMENT");
  });

  it("plain http is refused by the SDK: a configuration error, not a crash", async () => {
    const overHttp = createTeamsPhoneExchange({ resourceEndpoint: emu.url, timeoutMs: 5_000 });
    const call = overHttp({ entraToken: await userToken(), entraExpiresAt: new Date(Date.now() + 60_000) });
    expect(await codeOf(call)).toBe("NOT_CONFIGURED");
  });

  it("throttling and outages map to the shared codes", async () => {
    await emu.control("faults", { kind: "429", count: 10, retryAfterSeconds: 0 });
    expect(await codeOf(exchangeFor())).toBe("ACS_THROTTLED");
  });
});

describe("lib/teams-token serves the Teams Phone kind through the same cache", () => {
  it("caches per kind: a second call is a hit, a Teams-user token is a different entry", async () => {
    const service = createTeamsTokenService({
      config,
      store: createMemoryStore(),
      exchange: async () => ({ token: "teams-user-token", expiresOn: new Date(Date.now() + 3_600_000) }),
      phoneExchange: phoneExchange(),
    });
    const entraToken = await mint(emu.url, { oid: adele, scopes: ALL_SCOPES });
    const first = await service.getTeamsToken({ kind: "teams-phone", entraToken, via: "session" });
    const second = await service.getTeamsToken({ kind: "teams-phone", entraToken, via: "session" });
    const user = await service.getTeamsToken({ entraToken, via: "session" });
    expect([first.cached, second.cached, second.token === first.token]).toEqual([false, true, true]);
    expect(first.acsUserId).toBe(`8:acs:${RESOURCE_ID}_${contoso}_${adele}`);
    expect(user.token).toBe("teams-user-token");
    await service.forget("teams-phone", contoso, adele);
    expect((await service.getTeamsToken({ kind: "teams-phone", entraToken, via: "session" })).cached).toBe(
      false,
    );
  });

  it("a session token without TeamsExtension.ManageCalls is refused before ACS is asked", async () => {
    const service = createTeamsTokenService({
      config,
      store: createMemoryStore(),
      exchange: async () => ({ token: "x", expiresOn: new Date(Date.now() + 3_600_000) }),
      phoneExchange: phoneExchange(),
    });
    const entraToken = await mint(emu.url, { oid: adele });
    const before = (await emu.control<{ teamsExtension: { exchanges: { total: number } } }>("stats"))
      .teamsExtension;
    expect(await codeOf(service.getTeamsToken({ kind: "teams-phone", entraToken, via: "session" }))).toBe(
      "TEAMS_PHONE_SCOPE_MISSING",
    );
    const after = (await emu.control<{ teamsExtension: { exchanges: { total: number } } }>("stats"))
      .teamsExtension;
    expect(after.exchanges.total).toBe(before.exchanges.total);
  });
});
