import { CommunicationIdentityClient } from "@azure/communication-identity";
import { ClientAssertionCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAcsClient } from "@/lib/acs/client";
import { createTeamsTokenExchange } from "@/lib/acs/exchange";
import { PortalError } from "@/lib/errors";
import { testConfig } from "@/tests/integration/support/fixtures";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DEMO, mint } from "./helpers";

/**
 * Keyless ACS from Vercel against the stand-ins: Vercel's OIDC token as a client assertion for the workload identity
 * (the Entra stand-in's client-assertion grant), then the ACS exchange with the resulting app token.
 */

const WORKLOAD = {
  clientId: "5f0c2d1e-8a47-4b6e-9d3c-7e21a4b9c6f0",
  oid: "c2e9a7b4-1d35-4f86-a0b2-93d7e5f41a68",
};
const TEAM = "contoso-demo";
const ACS_SCOPE = "https://communication.azure.com//.default";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const contoso = DEMO.tenants.contoso;

let emu: TestEmulator;

type VercelToken = {
  team?: string;
  project?: string;
  environment?: string;
  issuer?: string;
  subject?: string;
  audience?: string;
  lifetimeSeconds?: number;
  signedBy?: "vercel" | "untrusted";
};
const vercelToken = async (p: VercelToken = {}) =>
  (await emu.control<{ token: string }>("vercel-oidc-token", p)).token;

function grant(assertion: string, overrides: Record<string, string> = {}, tenant: string = contoso) {
  return fetch(`${emu.url}/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: WORKLOAD.clientId,
      grant_type: "client_credentials",
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
      scope: ACS_SCOPE,
      ...overrides,
    }),
  });
}

async function entraError(response: Response): Promise<{ status: number; error: string; code: number }> {
  const body = (await response.json()) as { error: string; error_codes: number[]; error_description: string };
  expect(body.error_description).toMatch(/^AADSTS\d+: /);
  return { status: response.status, error: body.error, code: body.error_codes[0] ?? 0 };
}

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.control("reset"));

describe("Vercel OIDC issuer stand-in", () => {
  it("publishes discovery and a JWKS, and mints tokens with Vercel's claims", async () => {
    const discovery = (await (
      await fetch(`${emu.url}/vercel-oidc/${TEAM}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(`https://oidc.vercel.com/${TEAM}`);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    const claims = decodeJwt(await vercelToken());
    expect(claims).toMatchObject({
      iss: `https://oidc.vercel.com/${TEAM}`,
      sub: `owner:${TEAM}:project:teams-token-portal:environment:production`,
      aud: `https://vercel.com/${TEAM}`,
      environment: "production",
    });
  });
});

describe("client-assertion grant (workload identity federation)", () => {
  it("a matching assertion → an app token for ACS that names the workload identity", async () => {
    const response = await grant(await vercelToken());
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe("Bearer");
    expect(decodeJwt(body.access_token)).toMatchObject({
      aud: "https://communication.azure.com",
      iss: `https://sts.windows.net/${contoso}/`,
      appid: WORKLOAD.clientId,
      oid: WORKLOAD.oid,
      tid: contoso,
      idtyp: "app",
    });
  });

  it.each([
    ["subject (preview environment)", { environment: "preview" }],
    ["subject (other project)", { project: "another-project" }],
    ["audience", { audience: "api://AzureADTokenExchange" }],
    ["issuer (global mode)", { issuer: "https://oidc.vercel.com" }],
    ["issuer (other team)", { team: "someone-else" }],
  ])("a wrong %s → 400 AADSTS70021 (no matching federated identity record)", async (_name, p) => {
    expect(await entraError(await grant(await vercelToken(p)))).toEqual({
      status: 400,
      error: "invalid_request",
      code: 70021,
    });
  });

  it("an expired assertion → AADSTS700024 (not within its valid time range)", async () => {
    expect(await entraError(await grant(await vercelToken({ lifetimeSeconds: -600 })))).toMatchObject({
      error: "invalid_client",
      code: 700024,
    });
  });

  it("a signature the issuer did not make, or no JWT at all → AADSTS50027", async () => {
    expect(await entraError(await grant(await vercelToken({ signedBy: "untrusted" })))).toMatchObject({
      code: 50027,
    });
    expect(await entraError(await grant("not-a-jwt"))).toMatchObject({ code: 50027 });
  });

  it("wrong client id or tenant → AADSTS700016; bad scope, assertion type → refused", async () => {
    const token = await vercelToken();
    expect(await entraError(await grant(token, { client_id: DEMO.portal.clientId }))).toMatchObject({
      code: 700016,
    });
    expect(await entraError(await grant(token, {}, DEMO.tenants.fabrikam))).toMatchObject({ code: 700016 });
    expect(
      await entraError(await grant(token, { scope: "https://graph.microsoft.com/User.Read" })),
    ).toMatchObject({ error: "invalid_scope" });
    expect(await entraError(await grant(token, { client_assertion_type: "password" }))).toMatchObject({
      code: 700021,
    });
  });
});

describe("ACS exchange with the federated app token (real @azure/identity and ACS SDK)", () => {
  const args = async () => ({
    teamsUserAadToken: await mint(emu.url),
    clientId: DEMO.portal.clientId,
    userObjectId: DEMO.users.adele.oid,
  });

  it("ClientAssertionCredential → the ACS stand-in's Bearer path → a Teams token", async () => {
    const credential = new ClientAssertionCredential(contoso, WORKLOAD.clientId, () => vercelToken(), {
      authorityHost: emu.httpsUrl as string,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emu.caCert },
    });
    const client = new CommunicationIdentityClient(emu.httpsUrl as string, credential, {
      tlsOptions: { ca: emu.caCert },
      retryOptions: { maxRetries: 0 },
    });
    const result = await client.getTokenForTeamsUser(await args());
    expect(decodeJwt(result.token).skypeid).toBe(`orgid:${DEMO.users.adele.oid}`);
    expect(
      (await emu.control<{ tokens: { client_credentials: number } }>("stats")).tokens.client_credentials,
    ).toBe(1);
  });

  function portalExchange(vercelOidcToken: () => Promise<string>) {
    const config = testConfig({
      AUTH_MICROSOFT_ENTRA_ID_ID: DEMO.portal.clientId,
      ACS_CONNECTION_STRING: undefined,
      ACS_CREDENTIAL: "vercel-oidc",
      ACS_ENDPOINT: emu.httpsUrl as string,
      AZURE_TENANT_ID: contoso,
      AZURE_CLIENT_ID: WORKLOAD.clientId,
      AZURE_AUTHORITY_HOST: emu.httpsUrl as string,
      ACS_MAX_RETRIES: "0",
    });
    expect(config.acs.kind).toBe("vercel-oidc");
    return createTeamsTokenExchange({
      client: createAcsClient(config, { tlsCa: emu.caCert, vercelOidcToken }),
      timeoutMs: 10_000,
    });
  }

  it("the portal's exchange on the vercel-oidc configuration, with @vercel/oidc reading VERCEL_OIDC_TOKEN", async () => {
    const saved = process.env.VERCEL_OIDC_TOKEN;
    process.env.VERCEL_OIDC_TOKEN = await vercelToken();
    try {
      const { getVercelOidcToken } = await import("@vercel/oidc");
      const exchange = portalExchange(() => getVercelOidcToken());
      const { userObjectId, clientId, teamsUserAadToken } = await args();
      const result = await exchange({ entraToken: teamsUserAadToken, clientId, userObjectId });
      expect(decodeJwt(result.token).skypeid).toBe(`orgid:${DEMO.users.adele.oid}`);
    } finally {
      if (saved === undefined) delete process.env.VERCEL_OIDC_TOKEN;
      else process.env.VERCEL_OIDC_TOKEN = saved;
    }
  });

  it("a refused federation → ACS_WORKLOAD_IDENTITY_REFUSED with the AADSTS number, ACS never called", async () => {
    const exchange = portalExchange(() => vercelToken({ environment: "preview" }));
    const { userObjectId, clientId, teamsUserAadToken } = await args();
    const error = await exchange({ entraToken: teamsUserAadToken, clientId, userObjectId }).catch((e) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect([error.code, error.detail]).toEqual([
      "ACS_WORKLOAD_IDENTITY_REFUSED",
      "Microsoft Entra ID answered AADSTS70021.",
    ]);
    expect((await emu.control<{ exchanges: { total: number } }>("stats")).exchanges.total).toBe(0);
  });

  it("no Vercel OIDC token at all → VERCEL_OIDC_TOKEN_MISSING", async () => {
    const exchange = portalExchange(async () => {
      throw Object.assign(new Error("The 'x-vercel-oidc-token' header is missing from the request."), {
        name: "VercelOidcTokenError",
      });
    });
    const { userObjectId, clientId, teamsUserAadToken } = await args();
    const error = await exchange({ entraToken: teamsUserAadToken, clientId, userObjectId }).catch((e) => e);
    expect(error?.code).toBe("VERCEL_OIDC_TOKEN_MISSING");
  });
});
