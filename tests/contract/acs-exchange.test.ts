import { CommunicationIdentityClient } from "@azure/communication-identity";
import { isRestError } from "@azure/core-rest-pipeline";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, EXCHANGE_PATH, mint, signedFetch } from "./helpers";

let emu: TestEmulator;
let client: CommunicationIdentityClient;
const adele = DEMO.users.adele;

async function exchangeError(token: string, appId: string, userId: string, c = client) {
  try {
    await c.getTokenForTeamsUser({ teamsUserAadToken: token, clientId: appId, userObjectId: userId });
  } catch (e) {
    if (!isRestError(e)) throw e;
    return {
      status: e.statusCode,
      code: e.code,
      message: e.message,
      target: (e.details as { error?: { target?: string } } | undefined)?.error?.target,
    };
  }
  throw new Error("exchange unexpectedly succeeded");
}

beforeAll(async () => {
  emu = await startTestEmulator();
  client = new CommunicationIdentityClient(emu.connectionString, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
});
afterAll(() => emu.close());
beforeEach(() => emu.control("reset"));

describe("ACS exchange with the real SDK (recorded cases, api-version 2023-10-01)", () => {
  it("exchanges a valid Teams user token; expiresOn equals the Entra token's exp", async () => {
    const entra = await mint(emu.url, { lifetimeSeconds: 1800 });
    const result = await client.getTokenForTeamsUser({
      teamsUserAadToken: entra,
      clientId: DEMO.portal.clientId,
      userObjectId: adele.oid,
    });
    const exp = decodeJwt(entra).exp as number;
    expect(result.expiresOn.getTime()).toBe(exp * 1000);
    const acs = decodeJwt(result.token);
    expect(acs.skypeid).toBe(`orgid:${adele.oid}`);
    expect(acs.exp).toBe(exp);
    const stats = await emu.control<{
      exchanges: { total: number; succeeded: number; byUser: Record<string, number> };
    }>("stats");
    expect(stats.exchanges).toMatchObject({ total: 1, succeeded: 1, byUser: { [adele.oid]: 1 } });
  });

  it("empty clientId → 400 ValidationError 'AppId: The AppId field is required.' target AppId", async () => {
    expect(await exchangeError(await mint(emu.url), "", adele.oid)).toEqual({
      status: 400,
      code: "ValidationError",
      message: "AppId: The AppId field is required.",
      target: "AppId",
    });
  });

  it("empty userObjectId → 400 ValidationError target UserId", async () => {
    expect(await exchangeError(await mint(emu.url), DEMO.portal.clientId, "")).toEqual({
      status: 400,
      code: "ValidationError",
      message: "UserId: The UserId field is required.",
      target: "UserId",
    });
  });

  it("empty token → 401 InvalidAccessToken", async () => {
    expect(await exchangeError("", DEMO.portal.clientId, adele.oid)).toEqual({
      status: 401,
      code: "InvalidAccessToken",
      message: "Provided access token is not valid.",
      target: undefined,
    });
  });

  it("invalid clientId → 400 'Provided AppId has invalid format.' target appId", async () => {
    expect(await exchangeError(await mint(emu.url), "not-a-guid", adele.oid)).toEqual({
      status: 400,
      code: "ValidationError",
      message: "Provided AppId has invalid format.",
      target: "appId",
    });
  });

  it("invalid userObjectId → 400 'Provided UserId has invalid format.' target userId", async () => {
    expect(await exchangeError(await mint(emu.url), DEMO.portal.clientId, "sanitized")).toEqual({
      status: 400,
      code: "ValidationError",
      message: "Provided UserId has invalid format.",
      target: "userId",
    });
  });

  it.each([
    ["garbage token", async () => "sanitized"],
    ["expired token", async () => mint(emu.url, { lifetimeSeconds: -60 })],
    ["token not yet valid", async () => mint(emu.url, { notBeforeSeconds: 600 })],
    ["wrong audience", async () => mint(emu.url, { audience: "https://graph.microsoft.com" })],
    ["missing Teams.ManageChats", async () => mint(emu.url, { scopes: ["Teams.ManageCalls"] })],
    ["appid of another app", async () => mint(emu.url, { appId: DEMO.desktop.clientId })],
    ["oid of another user", async () => mint(emu.url, { oid: DEMO.users.lynne.oid })],
    [
      "tampered signature",
      async () => {
        const t = await mint(emu.url);
        return `${t.slice(0, -6)}${t.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
      },
    ],
  ])("%s → 401 InvalidAccessToken", async (_name, make) => {
    expect(await exchangeError(await make(), DEMO.portal.clientId, adele.oid)).toMatchObject({
      status: 401,
      code: "InvalidAccessToken",
      message: "Provided access token is not valid.",
    });
  });

  it("wrong access key → 401 Denied", async () => {
    const wrong = new CommunicationIdentityClient(
      `endpoint=${emu.url}/;accesskey=${Buffer.from("not the key").toString("base64")}`,
      { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } },
    );
    expect(await exchangeError(await mint(emu.url), DEMO.portal.clientId, adele.oid, wrong)).toEqual({
      status: 401,
      code: "Denied",
      message: "Denied by the resource provider.",
      target: undefined,
    });
  });
});

describe("ACS exchange on the wire (independent HMAC signer)", () => {
  const body = async () =>
    JSON.stringify({ token: await mint(emu.url), appId: DEMO.portal.clientId, userId: adele.oid });

  it("answers 200 with the recorded headers and expiresOn format", async () => {
    const res = await signedFetch(emu.url, EXCHANGE_PATH, await body());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("api-supported-versions")).toContain("2023-10-01");
    expect(res.headers.get("ms-cv")).toBeTruthy();
    const json = (await res.json()) as { token: string; expiresOn: string };
    expect(Object.keys(json)).toEqual(["token", "expiresOn"]);
    expect(json.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/);
  });

  it("accepts api-version 2025-06-30", async () => {
    const res = await signedFetch(
      emu.url,
      "/teamsUser/:exchangeAccessToken?api-version=2025-06-30",
      await body(),
    );
    expect(res.status).toBe(200);
  });

  it("model-validation errors carry no api-supported-versions header, format errors do (as recorded)", async () => {
    const empty = await signedFetch(
      emu.url,
      EXCHANGE_PATH,
      JSON.stringify({ token: "x", appId: "", userId: adele.oid }),
    );
    expect(empty.status).toBe(400);
    expect(empty.headers.get("api-supported-versions")).toBeNull();
    expect(empty.headers.get("content-type")).toBe("application/json");
    const format = await signedFetch(
      emu.url,
      EXCHANGE_PATH,
      JSON.stringify({ token: "x", appId: "x", userId: adele.oid }),
    );
    expect(format.headers.get("api-supported-versions")).toContain("2023-10-01");
  });

  it.each([
    ["a stale x-ms-date (20 min)", { date: new Date(Date.now() - 20 * 60_000).toUTCString() }],
    [
      "a content hash that does not match the body",
      { contentHash: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
    ],
    ["another key", { key: Buffer.from("x".repeat(32)).toString("base64") }],
  ])("%s → 401 Denied", async (_n, opts) => {
    const res = await signedFetch(emu.url, EXCHANGE_PATH, await body(), opts);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: "Denied", message: "Denied by the resource provider." },
    });
  });

  it("no Authorization header → 401 Denied", async () => {
    const res = await fetch(`${emu.url}${EXCHANGE_PATH}`, { method: "POST", body: await body() });
    expect(res.status).toBe(401);
  });

  it("Bearer over plain http → 401 Denied", async () => {
    const res = await fetch(`${emu.url}${EXCHANGE_PATH}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await mint(emu.url, { audience: "https://communication.azure.com" })}`,
      },
      body: await body(),
    });
    expect(res.status).toBe(401);
  });
});

describe("faults and throttling", () => {
  const sdk = (maxRetries: number) =>
    new CommunicationIdentityClient(emu.connectionString, {
      allowInsecureConnection: true,
      retryOptions: { maxRetries, maxRetryDelayInMs: 2000 },
    });
  const args = async () => ({
    teamsUserAadToken: await mint(emu.url),
    clientId: DEMO.portal.clientId,
    userObjectId: adele.oid,
  });

  it("429 with Retry-After for the next n exchanges; the SDK waits and retries", async () => {
    await emu.control("faults", { kind: "429", count: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await sdk(2).getTokenForTeamsUser(await args());
    expect(result.token).toBeTruthy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const stats = await emu.control<{ exchanges: { total: number; failed: number } }>("stats");
    expect(stats.exchanges).toMatchObject({ total: 2, failed: 1 });
  });

  it("429 on the wire carries Retry-After", async () => {
    await emu.control("faults", { kind: "429", count: 1, retryAfterSeconds: 7 });
    const res = await signedFetch(emu.url, EXCHANGE_PATH, "{}");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
  });

  it("500 → RestError 500", async () => {
    await emu.control("faults", { kind: "500", count: 1 });
    await expect(sdk(0).getTokenForTeamsUser(await args())).rejects.toMatchObject({ statusCode: 500 });
  });

  it("503 with Retry-After", async () => {
    await emu.control("faults", { kind: "503", count: 1, retryAfterSeconds: 2 });
    const res = await signedFetch(emu.url, EXCHANGE_PATH, "{}");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
  });

  it("drop closes the connection without an answer", async () => {
    await emu.control("faults", { kind: "drop", count: 1 });
    await expect(signedFetch(emu.url, EXCHANGE_PATH, "{}")).rejects.toThrow();
    await expect(sdk(0).getTokenForTeamsUser(await args())).resolves.toHaveProperty("token");
  });

  it("delay holds the answer", async () => {
    await emu.control("faults", { kind: "delay", count: 1, delayMs: 300 });
    const started = Date.now();
    await sdk(0).getTokenForTeamsUser(await args());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("rate limit per resource → 429 with Retry-After", async () => {
    const limited = await startTestEmulator({
      acsRateLimit: { count: 2, seconds: 30 },
      httpsPort: false,
    });
    try {
      const token = await mint(limited.url);
      const b = JSON.stringify({ token, appId: DEMO.portal.clientId, userId: adele.oid });
      expect((await signedFetch(limited.url, EXCHANGE_PATH, b)).status).toBe(200);
      expect((await signedFetch(limited.url, EXCHANGE_PATH, b)).status).toBe(200);
      const third = await signedFetch(limited.url, EXCHANGE_PATH, b);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
