import { CommunicationIdentityClient } from "@azure/communication-identity";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import {
  ACS_SCOPE,
  authorize,
  DEMO,
  discover,
  insecure,
  PORTAL_REDIRECT,
  portalClient,
  signIn,
} from "./helpers";

let emu: TestEmulator;
let as: oauth.AuthorizationServer;
const contoso = DEMO.tenants.contoso;

beforeAll(async () => {
  emu = await startTestEmulator({ keyGraceSeconds: 1 });
  as = await discover(emu.url, contoso, contoso);
});
afterAll(() => emu.close());
beforeEach(() => emu.control("reset"));

async function tokenError(res: Response) {
  const body = (await res.json()) as { error: string; error_description: string; error_codes: number[] };
  return {
    status: res.status,
    error: body.error,
    code: body.error_codes[0],
    description: body.error_description,
  };
}

describe("discovery", () => {
  it("serves the real issuer per tenant id and per verified domain, endpoints on the stand-in", async () => {
    expect(as.issuer).toBe(`https://login.microsoftonline.com/${contoso}/v2.0`);
    expect(as.authorization_endpoint).toBe(`${emu.url}/${contoso}/oauth2/v2.0/authorize`);
    expect(as.token_endpoint).toBe(`${emu.url}/${contoso}/oauth2/v2.0/token`);
    expect(as.jwks_uri).toBe(`${emu.url}/${contoso}/discovery/v2.0/keys`);
    expect(as.end_session_endpoint).toBe(`${emu.url}/${contoso}/oauth2/v2.0/logout`);
    expect(as.id_token_signing_alg_values_supported).toEqual(["RS256"]);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    const byDomain = await discover(emu.url, "fabrikam.com", DEMO.tenants.fabrikam);
    expect(byDomain.issuer).toBe(`https://login.microsoftonline.com/${DEMO.tenants.fabrikam}/v2.0`);
  });

  it.each(["common", "organizations"])("%s uses the templated {tenantid} issuer", async (tenant) => {
    const res = await fetch(`${emu.url}/${tenant}/v2.0/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, string>;
    expect(doc.issuer).toBe("https://login.microsoftonline.com/{tenantid}/v2.0");
    expect(doc.authorization_endpoint).toBe(`${emu.url}/${tenant}/oauth2/v2.0/authorize`);
  });

  it("unknown tenant → 400 invalid_tenant AADSTS90002", async () => {
    const res = await fetch(`${emu.url}/nosuch.example/v2.0/.well-known/openid-configuration`);
    const err = await tokenError(res);
    expect(err).toMatchObject({ status: 400, error: "invalid_tenant", code: 90002 });
    expect(err.description).toMatch(/^AADSTS90002: Tenant 'nosuch.example' not found\. Check to make sure/);
  });

  it("serves JWKS on /{tenant}/discovery/v2.0/keys and /common/discovery/keys", async () => {
    for (const path of [`/${contoso}/discovery/v2.0/keys`, "/common/discovery/keys"]) {
      const jwks = (await (await fetch(`${emu.url}${path}`)).json()) as JSONWebKeySet;
      expect(jwks.keys[0]).toMatchObject({ kty: "RSA", use: "sig" });
    }
  });
});

describe("authorization code flow with PKCE (oauth4webapi, confidential portal app)", () => {
  it("auto-login redirects with code and state, then issues id, access and refresh tokens", async () => {
    const { tokens, auth } = await signIn(as, DEMO.users.adele.username);
    expect(auth.location?.origin + (auth.location?.pathname ?? "")).toBe(PORTAL_REDIRECT);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.scope).toBe(`${ACS_SCOPE}/Teams.ManageCalls ${ACS_SCOPE}/Teams.ManageChats`);
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toBeTruthy();
    const id = oauth.getValidatedIdTokenClaims(tokens);
    expect(id).toMatchObject({
      iss: `https://login.microsoftonline.com/${contoso}/v2.0`,
      aud: DEMO.portal.clientId,
      nonce: auth.nonce,
      tid: contoso,
      oid: DEMO.users.adele.oid,
      name: "Adele Vance",
      preferred_username: "adele@contoso.com",
      email: "adele@contoso.com",
      ver: "2.0",
    });
    const at = decodeJwt(tokens.access_token);
    expect(at).toMatchObject({
      aud: ACS_SCOPE,
      iss: `https://sts.windows.net/${contoso}/`,
      tid: contoso,
      oid: DEMO.users.adele.oid,
      scp: "Teams.ManageCalls Teams.ManageChats",
      appid: DEMO.portal.clientId,
      azp: DEMO.portal.clientId,
      upn: "adele@contoso.com",
      unique_name: "adele@contoso.com",
      ver: "1.0",
    });
    expect((at.exp as number) - (at.iat as number)).toBe(3600);
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({
      alg: "RS256",
      kid: expect.any(String),
    });
  });

  it("the access token is exchanged by the ACS stand-in with the real SDK", async () => {
    const { tokens } = await signIn(as, DEMO.users.adele.username);
    const client = new CommunicationIdentityClient(emu.connectionString, { allowInsecureConnection: true });
    const result = await client.getTokenForTeamsUser({
      teamsUserAadToken: tokens.access_token,
      clientId: DEMO.portal.clientId,
      userObjectId: DEMO.users.adele.oid,
    });
    expect(result.expiresOn.getTime()).toBe((decodeJwt(tokens.access_token).exp as number) * 1000);
  });

  it("codes are single use (AADSTS54005)", async () => {
    const auth = await authorize(as, { loginHint: DEMO.users.adele.username });
    const params = oauth.validateAuthResponse(as, portalClient, auth.location as URL, auth.state);
    const redeem = () =>
      oauth.authorizationCodeGrantRequest(
        as,
        portalClient,
        oauth.ClientSecretBasic(DEMO.portal.secret),
        params,
        PORTAL_REDIRECT,
        auth.verifier,
        insecure,
      );
    expect((await redeem()).status).toBe(200);
    expect(await tokenError(await redeem())).toMatchObject({
      status: 400,
      error: "invalid_grant",
      code: 54005,
    });
  });

  it.each([
    ["a wrong PKCE verifier", { verifier: "x".repeat(43) }, 400, "invalid_grant", 501481],
    ["no client secret", { auth: oauth.None() }, 401, "invalid_client", 7000218],
    ["a wrong client secret", { auth: oauth.ClientSecretPost("wrong") }, 401, "invalid_client", 7000215],
    [
      "another redirect_uri",
      { redirect: "http://localhost:3000/consent/result" },
      400,
      "invalid_grant",
      500112,
    ],
  ])("redeeming with %s fails as Entra does", async (_n, p, status, error, code) => {
    const auth = await authorize(as, { loginHint: DEMO.users.adele.username });
    const params = oauth.validateAuthResponse(as, portalClient, auth.location as URL, auth.state);
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      portalClient,
      "auth" in p ? p.auth : oauth.ClientSecretPost(DEMO.portal.secret),
      params,
      "redirect" in p ? p.redirect : PORTAL_REDIRECT,
      "verifier" in p ? p.verifier : auth.verifier,
      insecure,
    );
    const err = await tokenError(res);
    expect(err).toMatchObject({ status, error, code });
    expect(err.description).toMatch(new RegExp(`^AADSTS${code}: `));
  });

  it("puts the app roles assigned on the portal's registration into its ID token only, as Entra does", async () => {
    const admin = await signIn(as, DEMO.users.diego.username);
    expect(decodeJwt(admin.tokens.id_token as string).roles).toEqual(["TokenPortal.Admin"]);
    expect(decodeJwt(admin.tokens.access_token).roles).toBeUndefined();
    const user = await signIn(as, DEMO.users.adele.username);
    expect(decodeJwt(user.tokens.id_token as string).roles).toBeUndefined();
  });

  it("refresh tokens rotate: the new pair works, the old refresh token stops working", async () => {
    const { tokens } = await signIn(as, DEMO.users.adele.username);
    const refresh = (rt: string) =>
      oauth.refreshTokenGrantRequest(
        as,
        portalClient,
        oauth.ClientSecretPost(DEMO.portal.secret),
        rt,
        insecure,
      );
    const next = await oauth.processRefreshTokenResponse(
      as,
      portalClient,
      await refresh(tokens.refresh_token as string),
    );
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next.id_token).toBeTruthy();
    expect(decodeJwt(next.access_token).scp).toBe("Teams.ManageCalls Teams.ManageChats");
    expect(await tokenError(await refresh(tokens.refresh_token as string))).toMatchObject({
      status: 400,
      error: "invalid_grant",
      code: 70008,
    });
    const stats = await emu.control<{ tokens: Record<string, number> }>("stats");
    expect(stats.tokens).toEqual({ authorization_code: 1, refresh_token: 1, client_credentials: 0 });
  });

  it("the access token lifetime can be changed at runtime", async () => {
    await emu.control("config", { accessTokenLifetimeSeconds: 120 });
    const { tokens } = await signIn(as, DEMO.users.adele.username);
    expect(tokens.expires_in).toBe(120);
    const at = decodeJwt(tokens.access_token);
    expect((at.exp as number) - (at.iat as number)).toBe(120);
  });

  it("real-size tokens (control endpoint) are as large as Entra's, carry its extra claims and still exchange", async () => {
    const small = await signIn(as, DEMO.users.adele.username);
    expect(small.tokens.access_token.length).toBeLessThan(1_500);
    expect((small.tokens.refresh_token ?? "").length).toBeLessThan(100);

    expect(await emu.control("config", { realSizeTokens: true })).toMatchObject({ realSizeTokens: true });
    const { tokens } = await signIn(as, DEMO.users.adele.username);
    // Real Entra: access tokens about 1.5-2.5 KB, refresh tokens about 1-2 KB.
    expect(tokens.access_token.length).toBeGreaterThanOrEqual(1_800);
    expect(tokens.access_token.length).toBeLessThanOrEqual(2_500);
    expect((tokens.refresh_token ?? "").length).toBeGreaterThanOrEqual(1_000);
    expect((tokens.refresh_token ?? "").length).toBeLessThanOrEqual(2_000);
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header.x5t).toBe(header.kid);
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ idtyp: "user", wids: ["b79fbf4d-3ef9-4689-8143-76b194e85509"] });
    for (const name of ["aio", "puid", "sid", "onprem_sid", "xms_ftd", "xms_tcdt"])
      expect(claims).toHaveProperty(name);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      portalClient,
      await oauth.refreshTokenGrantRequest(
        as,
        portalClient,
        oauth.ClientSecretPost(DEMO.portal.secret),
        tokens.refresh_token as string,
        insecure,
      ),
    );
    expect(refreshed.access_token.length).toBeGreaterThanOrEqual(1_800);
    expect((refreshed.refresh_token ?? "").length).toBeGreaterThanOrEqual(1_000);
    const minted = await emu.control<{ access_token: string }>("mint", {
      tenantId: contoso,
      appId: DEMO.portal.clientId,
    });
    expect(minted.access_token.length).toBeGreaterThanOrEqual(1_800);

    const client = new CommunicationIdentityClient(emu.connectionString, { allowInsecureConnection: true });
    const acs = await client.getTokenForTeamsUser({
      teamsUserAadToken: refreshed.access_token,
      clientId: DEMO.portal.clientId,
      userObjectId: DEMO.users.adele.oid,
    });
    expect(acs.token).toBeTruthy();

    await emu.control("reset");
    expect((await signIn(as, DEMO.users.adele.username)).tokens.access_token.length).toBeLessThan(1_500);
  });

  it("a public client (desktop sample) redeems with PKCE and no secret, on any localhost path", async () => {
    const client: oauth.Client = { client_id: DEMO.desktop.clientId };
    const redirect = "http://localhost:53123/";
    const auth = await authorize(as, {
      clientId: DEMO.desktop.clientId,
      redirectUri: redirect,
      loginHint: DEMO.users.adele.username,
    });
    const params = oauth.validateAuthResponse(as, client, auth.location as URL, auth.state);
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirect,
      auth.verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, {
      expectedNonce: auth.nonce,
    });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ appid: DEMO.desktop.clientId, appidacr: "0" });
  });
});

describe("signing key rotation", () => {
  it("publishes the new key, keeps the old one for the grace period, then retires it", async () => {
    const jwks = async () => (await (await fetch(as.jwks_uri as string)).json()) as JSONWebKeySet;
    const { tokens } = await signIn(as, DEMO.users.adele.username);
    const oldKid = decodeProtectedHeader(tokens.id_token as string).kid;
    const rotated = await emu.control<{ kid: string; previousKid: string }>("rotate-keys");
    expect(rotated.previousKid).toBe(oldKid);
    const during = await jwks();
    expect(during.keys.map((k) => k.kid)).toEqual([rotated.kid, oldKid]);
    await expect(jwtVerify(tokens.id_token as string, createLocalJWKSet(during))).resolves.toBeTruthy();
    const fresh = await signIn(as, DEMO.users.adele.username);
    expect(decodeProtectedHeader(fresh.tokens.id_token as string).kid).toBe(rotated.kid);

    await new Promise((r) => setTimeout(r, 1100));
    const after = await jwks();
    expect(after.keys.map((k) => k.kid)).toEqual([rotated.kid]);
    await expect(jwtVerify(tokens.id_token as string, createLocalJWKSet(after))).rejects.toThrow();
    const client = new CommunicationIdentityClient(emu.connectionString, {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    await expect(
      client.getTokenForTeamsUser({
        teamsUserAadToken: tokens.access_token,
        clientId: DEMO.portal.clientId,
        userObjectId: DEMO.users.adele.oid,
      }),
    ).rejects.toMatchObject({ statusCode: 401, code: "InvalidAccessToken" });
  });
});
