import { request } from "node:https";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { isRestError } from "@azure/core-rest-pipeline";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, EXCHANGE_PATH, mint } from "./helpers";

let emu: TestEmulator;
const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  emu = await startTestEmulator();
  // App Service managed identity, as @azure/identity (MSAL) reads it.
  process.env.IDENTITY_ENDPOINT = `${emu.url}/msi/token`;
  process.env.IDENTITY_HEADER = "demo-identity-header";
});
afterAll(async () => {
  if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
  else process.env.IDENTITY_ENDPOINT = saved.endpoint;
  if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
  else process.env.IDENTITY_HEADER = saved.header;
  await emu.close();
});

const args = async () => ({
  teamsUserAadToken: await mint(emu.url),
  clientId: DEMO.portal.clientId,
  userObjectId: DEMO.users.adele.oid,
});

describe("Bearer (Entra RBAC) auth over https with a real @azure/identity credential", () => {
  it("the MSI endpoint answers the App Service 2019-08-01 shape for the SDK's scope", async () => {
    const token = await new ManagedIdentityCredential().getToken("https://communication.azure.com//.default");
    const claims = decodeJwt(token.token);
    expect(claims.aud).toBe("https://communication.azure.com");
    expect(claims.iss).toBe(`https://sts.windows.net/${DEMO.tenants.contoso}/`);
    expect(claims.oid).toBe("46ba69ff-0854-4fe2-a16f-7517bdc3476d");
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
  });

  it("exchanges with ManagedIdentityCredential against the https listener", async () => {
    const client = new CommunicationIdentityClient(emu.httpsUrl as string, new ManagedIdentityCredential(), {
      tlsOptions: { ca: emu.caCert },
      retryOptions: { maxRetries: 0 },
    });
    const result = await client.getTokenForTeamsUser(await args());
    expect(decodeJwt(result.token).skypeid).toBe(`orgid:${DEMO.users.adele.oid}`);
  });

  it("exchanges with DefaultAzureCredential", async () => {
    const client = new CommunicationIdentityClient(emu.httpsUrl as string, new DefaultAzureCredential(), {
      tlsOptions: { ca: emu.caCert },
      retryOptions: { maxRetries: 0 },
    });
    await expect(client.getTokenForTeamsUser(await args())).resolves.toHaveProperty("token");
  });

  it("a token of the wrong audience → 401 Denied", async () => {
    const client = new CommunicationIdentityClient(
      emu.httpsUrl as string,
      { getToken: async () => ({ token: await mint(emu.url), expiresOnTimestamp: Date.now() + 600_000 }) },
      { tlsOptions: { ca: emu.caCert }, retryOptions: { maxRetries: 0 } },
    );
    const error = await client.getTokenForTeamsUser(await args()).catch((e: unknown) => e);
    expect(isRestError(error) && [error.statusCode, error.code]).toEqual([401, "Denied"]);
  });

  it("MSI endpoint refuses a missing or wrong X-IDENTITY-HEADER", async () => {
    const url = `${emu.url}/msi/token?resource=https://communication.azure.com/&api-version=2019-08-01`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { "X-IDENTITY-HEADER": "nope" } })).status).toBe(401);
    const ok = await fetch(url, { headers: { "X-IDENTITY-HEADER": "demo-identity-header" } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, string>;
    expect(body).toMatchObject({ resource: "https://communication.azure.com/", token_type: "Bearer" });
    expect(body.expires_on).toMatch(/^\d+$/);
  });

  it.each([
    ["expired", { audience: "https://communication.azure.com", lifetimeSeconds: -10 }],
    ["wrong audience", { audience: "https://auth.msft.communication.azure.com" }],
  ])("an %s Bearer token → 401 Denied on the wire; a valid one passes auth", async (_n, p) => {
    const bad = await httpsPost(`${emu.httpsUrl}${EXCHANGE_PATH}`, await mint(emu.url, p), "{}");
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body)).toEqual({
      error: { code: "Denied", message: "Denied by the resource provider." },
    });
    const good = await mint(emu.url, { audience: "https://communication.azure.com" });
    const ok = await httpsPost(
      `${emu.httpsUrl}${EXCHANGE_PATH}`,
      good,
      JSON.stringify({ token: "", appId: "x" }),
    );
    expect(ok.status).toBe(400);
  });
});

function httpsPost(url: string, bearer: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        ca: emu.caCert,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
