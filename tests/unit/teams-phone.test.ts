import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { normalisePrincipalType } from "@/lib/acs/principal-type";
import { mapTeamsPhoneError } from "@/lib/acs/teams-phone-exchange";
import { PortalError } from "@/lib/errors";
import { createMemoryStore } from "@/lib/store/memory";
import { createRedisStore } from "@/lib/store/redis";
import { parseAssignmentForm } from "@/lib/teams-phone/assignment-form";
import { type AuditEntry, createAuditLog } from "@/lib/teams-phone/audit";
import { createTeamsTokenService, teamsTokenCacheKey } from "@/lib/teams-token/service";
import { goodClaims, testConfig, unsignedToken } from "@/tests/integration/support/fixtures";
import { hasRedisServer, startRedis, type TestRedis } from "@/tests/integration/support/redis";

const TENANT = "2b88a774-b406-4fcf-9c4f-d8c37f92cce1";
const OID = "72a52e20-3380-413b-8a70-aa57a4194c13";
const APP = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";

describe("principal types: every spelling seen in the wild becomes the spec's", () => {
  it.each([
    ["user", "user"],
    ["User", "user"],
    [" USER ", "user"],
    ["resourceAccount", "resourceAccount"],
    ["teamsResourceAccount", "resourceAccount"],
    ["TeamsResourceAccount", "resourceAccount"],
    ["resource_account", "resourceAccount"],
  ])("%j → %j", (input, expected) => {
    expect(normalisePrincipalType(input)).toBe(expected);
  });
  it.each(["group", "", "users", 42, null])("refuses %j", (input) => {
    expect(normalisePrincipalType(input)).toBeUndefined();
  });
});

describe("the admin form", () => {
  const form = (fields: Record<string, string | string[]>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
    }
    return data;
  };

  it("merges offered and typed client ids, lower-cased and without duplicates, and sends the spec's type", () => {
    const parsed = parseAssignmentForm(
      form({
        tenantId: TENANT.toUpperCase(),
        objectId: OID,
        principalType: "teamsResourceAccount",
        clientIds: [APP],
        otherClientIds: `${APP.toUpperCase()}, 0f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b`,
      }),
    );
    expect(parsed).toEqual({
      success: true,
      data: {
        tenantId: TENANT,
        objectId: OID,
        principalType: "resourceAccount",
        clientIds: [APP, "0f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b"],
      },
    });
  });

  it("names each bad field", () => {
    const parsed = parseAssignmentForm(
      form({ tenantId: "contoso.com", objectId: OID, principalType: "group", otherClientIds: "nope" }),
    );
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(Object.keys(parsed.fieldErrors).sort()).toEqual(["otherClientIds", "principalType", "tenantId"]);
  });
});

describe("ACS refusals of the Teams Phone exchange → catalogue codes", () => {
  const sdkError = (status: number, body: string) =>
    new Error(`Service request failed. Status: ${status}, Body: ${body}`);
  it.each([
    [403, '{"error":{"code":"AssignmentNotFound","message":"…"}}', "TEAMS_PHONE_NO_ASSIGNMENT"],
    [403, '{"error":{"code":"ClientIdNotAllowed","message":"…"}}', "TEAMS_PHONE_APP_NOT_ALLOWED"],
    [401, '{"error":{"code":"InvalidAccessToken","message":"…"}}', "TEAMS_PHONE_TOKEN_REFUSED"],
    [401, '{"error":{"code":"Denied"}}', "ACS_AUTH_FAILED"],
    [429, "", "ACS_THROTTLED"],
    [503, "not json", "ACS_UNAVAILABLE"],
  ])("%i %s → %s", (status, body, code) => {
    expect(mapTeamsPhoneError(sdkError(status, body)).code).toBe(code);
  });

  it("never copies upstream text into the detail", () => {
    const error = mapTeamsPhoneError(
      sdkError(403, '{"error":{"code":"eyJ.secret token","message":"eyJabc"}}'),
    );
    expect(error.detail ?? "").not.toContain("eyJ");
  });

  it("the SDK's refusal of plain http is a configuration error", () => {
    const error = new Error("Cannot connect to http://x/access while allowInsecureConnection is false.");
    expect(mapTeamsPhoneError(error).code).toBe("NOT_CONFIGURED");
  });
});

describe("lib/teams-token with the Teams Phone kind", () => {
  const config = testConfig({ TEAMS_PHONE_ENABLED: "true" });
  const token = (scp: string) => unsignedToken(goodClaims({ scp }));
  const phone = vi.fn(async () => ({
    token: `phone-${phone.mock.calls.length}`,
    expiresOn: new Date(Date.now() + 3_600_000),
    acsUserId: "8:acs:r_t_o" as const,
  }));
  const user = async () => ({ token: "user-token", expiresOn: new Date(Date.now() + 3_600_000) });

  it("keys the cache by kind, and refuses a token without TeamsExtension.ManageCalls before ACS", async () => {
    const store = createMemoryStore();
    const service = createTeamsTokenService({ config, store, exchange: user, phoneExchange: phone });
    const all = token("Teams.ManageCalls Teams.ManageChats TeamsExtension.ManageCalls");
    const first = await service.getTeamsToken({ kind: "teams-phone", entraToken: all, via: "session" });
    expect(first).toMatchObject({ kind: "teams-phone", acsUserId: "8:acs:r_t_o", cached: false });
    expect((await service.getTeamsToken({ entraToken: all, via: "session" })).token).toBe("user-token");
    expect(
      (await service.getTeamsToken({ kind: "teams-phone", entraToken: all, via: "session" })).cached,
    ).toBe(true);
    const ids = { tenantId: first.tenantId, objectId: first.userObjectId, appId: config.clientId };
    expect(teamsTokenCacheKey(ids, "teams-phone")).not.toBe(teamsTokenCacheKey(ids, "teams-user"));

    const calls = phone.mock.calls.length;
    const withoutScope = service.getTeamsToken({
      kind: "teams-phone",
      entraToken: token("Teams.ManageCalls Teams.ManageChats"),
      via: "session",
    });
    await expect(withoutScope).rejects.toMatchObject({ code: "TEAMS_PHONE_SCOPE_MISSING" });
    expect(phone.mock.calls.length).toBe(calls);
  });

  it("forget() drops the cached Teams Phone token so a removed assignment is asked again", async () => {
    const service = createTeamsTokenService({
      config,
      store: createMemoryStore(),
      exchange: user,
      phoneExchange: phone,
    });
    const all = token("Teams.ManageCalls Teams.ManageChats TeamsExtension.ManageCalls");
    const first = await service.getTeamsToken({ kind: "teams-phone", entraToken: all, via: "session" });
    await service.forget("teams-phone", first.tenantId.toUpperCase(), first.userObjectId);
    expect(
      (await service.getTeamsToken({ kind: "teams-phone", entraToken: all, via: "session" })).cached,
    ).toBe(false);
  });

  it("without the switch the kind is refused with TEAMS_PHONE_DISABLED", async () => {
    const service = createTeamsTokenService({
      config: testConfig(),
      store: createMemoryStore(),
      exchange: user,
    });
    const request = service.getTeamsToken({ kind: "teams-phone", entraToken: token("x"), via: "session" });
    await expect(request).rejects.toBeInstanceOf(PortalError);
    await expect(request).rejects.toMatchObject({ code: "TEAMS_PHONE_DISABLED" });
  });
});

const entry = (n: number): AuditEntry => ({
  at: new Date(Date.UTC(2026, 11, 2, 4, 0, n)).toISOString(),
  actor: { name: "Diego Siciliani", username: "diego@contoso.com", tenantId: TENANT, objectId: OID },
  action: n % 2 ? "create" : "remove",
  target: { tenantId: TENANT, objectId: OID },
});

describe("the audit log", () => {
  it("keeps entries newest first, bounded, and skips what does not parse", async () => {
    const store = createMemoryStore();
    const log = createAuditLog(store);
    for (let n = 1; n <= 3; n += 1) await log.record(entry(n));
    await store.appendLog("audit:teams-phone-assignments:v1", "{not json", 500);
    expect((await log.recent()).map((e) => e.at)).toEqual([entry(3).at, entry(2).at, entry(1).at]);
    await store.appendLog("k", "a", 2);
    await store.appendLog("k", "b", 2);
    await store.appendLog("k", "c", 2);
    expect(await store.readLog("k", 10)).toEqual(["c", "b"]);
  });

  describe.skipIf(!hasRedisServer)("in Redis", () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it("survives a new store instance (a restart, another instance)", async () => {
      const options = { authSecret: "test-secret-that-is-long-enough-0123456789", lockTtlMs: 5_000 };
      const quiet = { warn: vi.fn(), info: vi.fn() };
      const first = createRedisStore({ url: redis.url, logger: quiet, ...options });
      await createAuditLog(first).record(entry(1));
      await first.close();
      const second = createRedisStore({ url: redis.url, logger: quiet, ...options });
      expect(await createAuditLog(second).recent()).toEqual([entry(1)]);
      await second.deleteToken("nothing-there");
      await second.close();
    });
  });
});
