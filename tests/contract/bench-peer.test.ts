import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPeer } from "../../scripts/bench/peer";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, mint } from "./helpers";

/**
 * The benchmark's peer (scripts/bench/peer.ts: Express + express-jwt/jwks-rsa + the ACS SDK, as the Azure sample is
 * built) against the real stand-ins, so the side-by-side benchmark cannot silently compare with a broken server.
 */

let emu: TestEmulator;
let peer: Awaited<ReturnType<typeof startPeer>>;
const contoso = DEMO.tenants.contoso;
const adele = DEMO.users.adele;

beforeAll(async () => {
  emu = await startTestEmulator({ httpsPort: false });
  peer = await startPeer({
    port: 0,
    acsConnectionString: emu.connectionString,
    jwksUri: `${emu.url}/common/discovery/v2.0/keys`,
    audience: "https://auth.msft.communication.azure.com",
    issuer: `https://sts.windows.net/${contoso}/`,
    clientId: DEMO.desktop.clientId,
  });
});
afterAll(async () => {
  await peer?.close();
  await emu?.close();
});

const ask = (token: string) =>
  fetch(`${peer.url}/api/token/teams`, { headers: { authorization: `Bearer ${token}` } });

describe("bench peer (the sample's design)", () => {
  it("answers a valid Teams user's Entra token with an ACS token, one exchange per request (no cache)", async () => {
    const token = await mint(emu.url, { appId: DEMO.desktop.clientId });
    const before = await emu.control<{ exchanges: { byUser: Record<string, number> } }>("stats");
    for (let i = 0; i < 2; i++) {
      const res = await ask(token);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { token: string; expiresOn: unknown };
      expect(body.token.split(".")).toHaveLength(3);
      expect(body.expiresOn).toBeTruthy();
    }
    const after = await emu.control<{ exchanges: { byUser: Record<string, number> } }>("stats");
    expect((after.exchanges.byUser[adele.oid] ?? 0) - (before.exchanges.byUser[adele.oid] ?? 0)).toBe(2);
  });

  it("refuses a forged signature, another issuer and no token with 401, without calling ACS", async () => {
    const token = await mint(emu.url, { appId: DEMO.desktop.clientId });
    const [head, payload] = token.split(".");
    const forged = `${head}.${payload}.${"A".repeat(342)}`;
    const otherTenant = await mint(emu.url, {
      appId: DEMO.desktop.clientId,
      tenantId: DEMO.tenants.fabrikam,
    });
    const before = await emu.control<{ exchanges: { total: number } }>("stats");
    expect((await ask(forged)).status).toBe(401);
    expect((await ask(otherTenant)).status).toBe(401);
    expect((await fetch(`${peer.url}/api/token/teams`)).status).toBe(401);
    const after = await emu.control<{ exchanges: { total: number } }>("stats");
    expect(after.exchanges.total).toBe(before.exchanges.total);
  });

  it("passes a throttled ACS answer on as 429 once the SDK has used its retries", async () => {
    const token = await mint(emu.url, { appId: DEMO.desktop.clientId });
    // The SDK's throttling policy retries 3 times after Retry-After: 4 throttled answers exhaust it.
    await emu.control("faults", { kind: "429", count: 4, retryAfterSeconds: 0 });
    const res = await ask(token);
    expect(res.status).toBe(429);
    expect((await ask(token)).status).toBe(200);
  });
});
