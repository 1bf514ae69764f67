import { request } from "node:https";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { isRestError } from "@azure/core-rest-pipeline";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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
    expect(claims.oid).toBe(DEMO.managedIdentity.oid);
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
    const good = await mint(emu.url, {
      audience: "https://communication.azure.com",
      oid: DEMO.managedIdentity.oid,
    });
    const ok = await httpsPost(
      `${emu.httpsUrl}${EXCHANGE_PATH}`,
      good,
      JSON.stringify({ token: "", appId: "x" }),
    );
    expect(ok.status).toBe(400);
  });
});

describe("role assignments: only principals holding Contributor on the ACS resource pass", () => {
  const DENIED = { error: { code: "Denied", message: "Denied by the resource provider." } };
  const miClient = () =>
    new CommunicationIdentityClient(
      emu.httpsUrl as string,
      // A user-assigned identity, as the Bicep gives it to the app (AZURE_CLIENT_ID).
      new ManagedIdentityCredential({ clientId: DEMO.managedIdentity.clientId }),
      { tlsOptions: { ca: emu.caCert }, retryOptions: { maxRetries: 0 } },
    );
  const setRole = (granted: boolean) =>
    emu.control("role-assignments", { principalId: DEMO.managedIdentity.oid, granted });
  afterEach(() => emu.control("reset"));

  it("the demo data gives the portal's managed identity and its Vercel workload identity the role", async () => {
    const stats = await emu.control<{ acsContributors: string[] }>("stats");
    expect(stats.acsContributors).toEqual([DEMO.managedIdentity.oid, DEMO.workloadIdentity.oid]);
  });

  it("a valid managed-identity token of another principal → 401 Denied on the wire", async () => {
    const other = await mint(emu.url, {
      audience: "https://communication.azure.com",
      oid: "0d3c4a70-2c5b-4cbb-9d2a-6f1f3b1e7a11",
    });
    const answer = await httpsPost(`${emu.httpsUrl}${EXCHANGE_PATH}`, other, "{}");
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual(DENIED);
  });

  it("role revoked → the SDK with ManagedIdentityCredential gets 401 Denied; granted again → it exchanges", async () => {
    await expect(miClient().getTokenForTeamsUser(await args())).resolves.toHaveProperty("token");
    await setRole(false);
    const error = await miClient()
      .getTokenForTeamsUser(await args())
      .catch((e: unknown) => e);
    expect(isRestError(error) && [error.statusCode, error.code, error.message]).toEqual([
      401,
      "Denied",
      "Denied by the resource provider.",
    ]);
    await setRole(true);
    await expect(miClient().getTokenForTeamsUser(await args())).resolves.toHaveProperty("token");
  });

  it("DefaultAzureCredential with AZURE_CLIENT_ID of the user-assigned identity exchanges; revoked → Denied", async () => {
    const saved = process.env.AZURE_CLIENT_ID;
    process.env.AZURE_CLIENT_ID = DEMO.managedIdentity.clientId;
    try {
      const client = () =>
        new CommunicationIdentityClient(emu.httpsUrl as string, new DefaultAzureCredential(), {
          tlsOptions: { ca: emu.caCert },
          retryOptions: { maxRetries: 0 },
        });
      await expect(client().getTokenForTeamsUser(await args())).resolves.toHaveProperty("token");
      await setRole(false);
      const error = await client()
        .getTokenForTeamsUser(await args())
        .catch((e: unknown) => e);
      expect(isRestError(error) && [error.statusCode, error.code]).toEqual([401, "Denied"]);
    } finally {
      if (saved === undefined) delete process.env.AZURE_CLIENT_ID;
      else process.env.AZURE_CLIENT_ID = saved;
    }
  });

  it("the MSI endpoint refuses a user-assigned client_id the app does not have", async () => {
    const url = (clientId: string) =>
      `${emu.url}/msi/token?resource=https://communication.azure.com/&api-version=2019-08-01&client_id=${clientId}`;
    const headers = { "X-IDENTITY-HEADER": "demo-identity-header" };
    expect((await fetch(url("0d3c4a70-2c5b-4cbb-9d2a-6f1f3b1e7a11"), { headers })).status).toBe(400);
    const ok = await fetch(url(DEMO.managedIdentity.clientId), { headers });
    expect(ok.status).toBe(200);
    expect(decodeJwt(((await ok.json()) as { access_token: string }).access_token).oid).toBe(
      DEMO.managedIdentity.oid,
    );
  });

  it("the control endpoint validates its body", async () => {
    const res = await fetch(`${emu.url}/_emulator/role-assignments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ principalId: "nope", granted: true }),
    });
    expect(res.status).toBe(400);
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
