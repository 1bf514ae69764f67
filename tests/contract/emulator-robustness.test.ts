import { connect } from "node:net";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../emulator/config";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, EXCHANGE_PATH, mint, signedFetch } from "./helpers";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe("bad input never crashes or hangs", () => {
  it("malformed JSON to the exchange → 400 with the ACS error shape", async () => {
    const res = await signedFetch(emu.url, EXCHANGE_PATH, "{not json");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("ValidationError");
  });

  it("non-string fields → 400", async () => {
    const res = await signedFetch(
      emu.url,
      EXCHANGE_PATH,
      JSON.stringify({ token: 1, appId: [], userId: {} }),
    );
    expect(res.status).toBe(400);
  });

  it("bodies over 64 KB → 413", async () => {
    const res = await fetch(`${emu.url}${EXCHANGE_PATH}`, { method: "POST", body: "x".repeat(70 * 1024) });
    expect(res.status).toBe(413);
    const token = await fetch(`${emu.url}/common/oauth2/v2.0/token`, {
      method: "POST",
      body: "a=".padEnd(80_000, "b"),
    });
    expect(token.status).toBe(413);
  });

  it("wrong methods → 405 with Allow", async () => {
    const res = await fetch(`${emu.url}${EXCHANGE_PATH}`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    const del = await fetch(`${emu.url}/common/v2.0/.well-known/openid-configuration`, { method: "DELETE" });
    expect(del.status).toBe(405);
  });

  it("unknown paths → 404 JSON; malformed percent-encoding → 400", async () => {
    const res = await fetch(`${emu.url}/nope/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NotFound");
    expect((await fetch(`${emu.url}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${emu.url}/_emulator/nothing`, { method: "POST" })).status).toBe(404);
  });

  it("missing or unknown api-version → 400", async () => {
    expect((await signedFetch(emu.url, "/teamsUser/:exchangeAccessToken", "{}")).status).toBe(400);
    expect(
      (await signedFetch(emu.url, "/teamsUser/:exchangeAccessToken?api-version=1999-01-01", "{}")).status,
    ).toBe(400);
  });

  it("token endpoint: unknown client → AADSTS700016, unknown grant → AADSTS70003, garbage code → invalid_grant", async () => {
    const post = (form: Record<string, string>) =>
      fetch(`${emu.url}/organizations/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams(form),
      });
    const unknown = await post({ client_id: "nope", grant_type: "authorization_code" });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error_codes: number[] }).error_codes).toEqual([700016]);
    const secret = { client_id: DEMO.portal.clientId, client_secret: DEMO.portal.secret };
    const grant = await post({ ...secret, grant_type: "password" });
    expect(((await grant.json()) as { error: string }).error).toBe("unsupported_grant_type");
    const code = await post({
      ...secret,
      grant_type: "authorization_code",
      code: "garbage",
      redirect_uri: "x",
    });
    expect(((await code.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("control endpoints validate their input", async () => {
    const bad = await fetch(`${emu.url}/_emulator/faults`, { method: "POST", body: '{"kind":"teapot"}' });
    expect(bad.status).toBe(400);
    const mintBad = await fetch(`${emu.url}/_emulator/mint`, { method: "POST", body: '{"tenantId":"x"}' });
    expect(mintBad.status).toBe(400);
    expect((await fetch(`${emu.url}/_emulator/config`, { method: "POST", body: "{" })).status).toBe(400);
  });

  it("a client that sends half a request is cut off, and the server keeps answering", async () => {
    const port = Number(new URL(emu.url).port);
    const socket = connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write("POST /teamsUser/:exchangeAccessToken HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    socket.write("garbage\r\n\r\n\r\n");
    expect((await fetch(`${emu.url}/healthz`)).status).toBe(200);
    socket.destroy();
  });

  it("200 synthetic users exchange concurrently with the real SDK", async () => {
    await emu.control("reset");
    const client = new CommunicationIdentityClient(emu.connectionString, { allowInsecureConnection: true });
    const oids = Array.from({ length: 200 }, () => crypto.randomUUID());
    const tokens = await Promise.all(oids.map((oid) => mint(emu.url, { oid })));
    const results = await Promise.all(
      oids.map((oid, i) =>
        client.getTokenForTeamsUser({
          teamsUserAadToken: tokens[i] as string,
          clientId: DEMO.portal.clientId,
          userObjectId: oid,
        }),
      ),
    );
    expect(results.every((r) => typeof r.token === "string")).toBe(true);
    const stats = await emu.control<{ exchanges: { succeeded: number; byUser: Record<string, number> } }>(
      "stats",
    );
    expect(stats.exchanges.succeeded).toBe(200);
    expect(Object.keys(stats.exchanges.byUser)).toHaveLength(200);
  });
});

describe("configuration", () => {
  it("rejects bad EMULATOR_* values with a readable message", () => {
    expect(() => loadConfig({ env: { EMULATOR_PORT: "http", EMULATOR_ACS_RATE_LIMIT: "lots" } })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ env: { EMULATOR_ACS_RATE_LIMIT: "lots" } });
    } catch (e) {
      expect((e as Error).message).toContain('EMULATOR_ACS_RATE_LIMIT="lots"');
    }
    expect(loadConfig({ env: { EMULATOR_ACS_RATE_LIMIT: "off", EMULATOR_AUTO_LOGIN: "0" } })).toMatchObject({
      acsRateLimit: null,
      autoLogin: false,
      port: 3100,
      httpsPort: 3101,
      tokenLifetimeSeconds: 3600,
      realSizeTokens: false,
    });
    expect(loadConfig({ env: { EMULATOR_REAL_SIZE_TOKENS: "on" } }).realSizeTokens).toBe(true);
    expect(() => loadConfig({ env: { EMULATOR_REAL_SIZE_TOKENS: "big" } })).toThrow(
      /EMULATOR_REAL_SIZE_TOKENS/,
    );
  });

  it("runs as a child process like `npm run emulator`", async () => {
    const child = await startTestEmulator({
      mode: "child",
      childEnv: { EMULATOR_TOKEN_LIFETIME_SECONDS: "600" },
    });
    try {
      const stats = await child.control<{ accessTokenLifetimeSeconds: number }>("stats");
      expect(stats.accessTokenLifetimeSeconds).toBe(600);
      const discovery = await fetch(`${child.url}/contoso.com/v2.0/.well-known/openid-configuration`);
      expect(((await discovery.json()) as { token_endpoint: string }).token_endpoint).toBe(
        `${child.url}/${DEMO.tenants.contoso}/oauth2/v2.0/token`,
      );
    } finally {
      await child.close();
    }
  });
});
