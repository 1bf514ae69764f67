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
  TRAILER,
} from "./helpers";

let emu: TestEmulator;
let common: oauth.AuthorizationServer;
const T = DEMO.tenants;

beforeAll(async () => {
  emu = await startTestEmulator();
  const res = await oauth.discoveryRequest(new URL(`${emu.url}/organizations/v2.0`), insecure);
  // Multitenant discovery returns the templated issuer, as Entra does.
  common = await oauth.processDiscoveryResponse(
    new URL("https://login.microsoftonline.com/{tenantid}/v2.0"),
    res,
  );
});
afterAll(() => emu.close());
beforeEach(() => emu.control("reset"));

/** Authorizes through /organizations and returns the error parameters of the redirect. */
async function redirectError(loginHint: string, as = common, scope?: string) {
  const r = await authorize(as, { loginHint, scope });
  expect(r.status).toBe(302);
  const q = (r.location as URL).searchParams;
  expect(`${r.location?.origin}${r.location?.pathname}`).toBe(PORTAL_REDIRECT);
  expect(q.get("state")).toBe(r.state);
  expect(q.get("code")).toBeNull();
  return { error: q.get("error"), description: q.get("error_description") ?? "" };
}

async function consentPage(path: string) {
  const res = await fetch(`${emu.url}${path}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain("Permissions requested — accept for your organization");
  return html;
}

/** Submits the consent page's form for that tenant the way a browser would. */
async function submitConsent(path: string, tenantId: string, decision: "accept" | "cancel") {
  const html = await consentPage(path);
  const form = [...html.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)].find((m) =>
    m[2]?.includes(`value="${tenantId}"`),
  );
  expect(form).toBeTruthy();
  const fields = new URLSearchParams();
  for (const m of (form?.[2] ?? "").matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(decode(m[1] ?? ""), decode(m[2] ?? ""));
  }
  fields.set("emulator_decision", decision);
  const res = await fetch(new URL(decode(form?.[1] ?? ""), emu.url), {
    method: "POST",
    body: fields,
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location") as string);
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

describe("scenario users (redirects with Entra's error texts)", () => {
  it("Megan (Fabrikam, no consent) → consent_required AADSTS65001", async () => {
    const { error, description } = await redirectError(DEMO.users.megan.username);
    expect(error).toBe("consent_required");
    expect(description).toMatch(
      new RegExp(
        `^AADSTS65001: The user or administrator has not consented to use the application with ID '${DEMO.portal.clientId}' named 'Teams Token Portal'\\. Send an interactive authorization request for this user and resource\\.`,
      ),
    );
    expect(description).toMatch(TRAILER);
  });

  it("Nestor (Northwind, no ACS service principal) → invalid_client AADSTS650052", async () => {
    const { error, description } = await redirectError(DEMO.users.nestor.username);
    expect(error).toBe("invalid_client");
    expect(description.split("\r\n")[0]).toBe(
      `AADSTS650052: The app is trying to access a service '${DEMO.acsAppId}'(Azure Communication Services) that your organization '${T.northwind}' lacks a service principal for. Contact your IT Admin to review the configuration of your service subscriptions or consent to the application in order to create the required service principal.`,
    );
    expect(description).toMatch(TRAILER);
  });

  it("Lee is shown the permissions prompt; Cancel → access_denied AADSTS65004, Accept → a code", async () => {
    const prompt = await authorize(common, { loginHint: DEMO.users.lee.username });
    expect(prompt.status).toBe(200);
    expect(prompt.html).toContain("Permissions requested");
    expect(prompt.html).toContain("Teams.ManageChats");
    const cancelled = await authorize(common, {
      loginHint: DEMO.users.lee.username,
      extra: { emulator_consent: "cancel" },
    });
    const q = (cancelled.location as URL).searchParams;
    expect(q.get("error")).toBe("access_denied");
    expect((q.get("error_description") ?? "").split("\r\n")[0]).toBe(
      "AADSTS65004: User declined to consent to access the app.",
    );
    const accepted = await authorize(common, {
      loginHint: DEMO.users.lee.username,
      extra: { emulator_consent: "accept" },
    });
    expect(accepted.location?.searchParams.get("code")).toBeTruthy();
  });

  it("Adele through Fabrikam's authority → AADSTS50020 (user from another tenant)", async () => {
    const fabrikam = await discover(emu.url, T.fabrikam, T.fabrikam);
    const { description } = await redirectError(DEMO.users.adele.username, fabrikam);
    expect(description).toMatch(/^AADSTS50020: User account 'adele@contoso\.com'/);
  });

  it("Lynne's tokens carry only Teams.ManageCalls", async () => {
    const contoso = await discover(emu.url, T.contoso, T.contoso);
    const { tokens } = await signIn(contoso, DEMO.users.lynne.username);
    expect(tokens.scope).toBe(`${ACS_SCOPE}/Teams.ManageCalls`);
    expect(oauth.getValidatedIdTokenClaims(tokens)?.oid).toBe(DEMO.users.lynne.oid);
    const payload = JSON.parse(
      Buffer.from(tokens.access_token.split(".")[1] as string, "base64url").toString(),
    );
    expect(payload.scp).toBe("Teams.ManageCalls");
  });

  it("Lynne gets both Teams scopes once a Contoso admin consents again", async () => {
    const contoso = await discover(emu.url, T.contoso, T.contoso);
    const url = `/${T.contoso}/v2.0/adminconsent?client_id=${DEMO.portal.clientId}&redirect_uri=${encodeURIComponent("http://localhost:3000/consent/result")}&state=s`;
    expect((await submitConsent(url, T.contoso, "accept")).searchParams.get("admin_consent")).toBe("True");
    const { tokens } = await signIn(contoso, DEMO.users.lynne.username);
    expect(tokens.scope).toBe(`${ACS_SCOPE}/Teams.ManageCalls ${ACS_SCOPE}/Teams.ManageChats`);
  });

  it("Alex (Tailspin) signs in fine at Entra", async () => {
    const tailspin = await discover(emu.url, "tailspin.com", T.tailspin);
    const { tokens } = await signIn(tailspin, DEMO.users.alex.username);
    expect(oauth.getValidatedIdTokenClaims(tokens)?.tid).toBe(T.tailspin);
  });

  it("scopes of two resources → AADSTS28000 when the code is redeemed", async () => {
    const contoso = await discover(emu.url, T.contoso, T.contoso);
    const scope = `openid profile offline_access User.Read ${ACS_SCOPE}/Teams.ManageCalls ${ACS_SCOPE}/Teams.ManageChats`;
    const r = await authorize(contoso, { loginHint: DEMO.users.adele.username, scope });
    const params = oauth.validateAuthResponse(contoso, portalClient, r.location as URL, r.state);
    const res = await oauth.authorizationCodeGrantRequest(
      contoso,
      portalClient,
      oauth.ClientSecretPost(DEMO.portal.secret),
      params,
      PORTAL_REDIRECT,
      r.verifier,
      insecure,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string; error_codes: number[] };
    expect(body.error_codes).toEqual([28000]);
    expect(body.error_description).toMatch(
      /^AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource\./,
    );
  });
});

describe("admin consent", () => {
  const v2 = (tenant: string, extra = "") =>
    `/${tenant}/v2.0/adminconsent?client_id=${DEMO.portal.clientId}&scope=${encodeURIComponent(`${ACS_SCOPE}/.default`)}&redirect_uri=${encodeURIComponent("http://localhost:3000/consent/result")}&state=s-123${extra}`;

  it("v2 Accept records consent and redirects with admin_consent=True; Megan then signs in", async () => {
    const back = await submitConsent(v2("fabrikam.com"), T.fabrikam, "accept");
    expect(`${back.origin}${back.pathname}`).toBe("http://localhost:3000/consent/result");
    expect(Object.fromEntries(back.searchParams)).toEqual({
      admin_consent: "True",
      tenant: T.fabrikam,
      state: "s-123",
      scope: `${ACS_SCOPE}/.default`,
    });
    const stats = await emu.control<{ consents: string[] }>("stats");
    expect(stats.consents).toContain(T.fabrikam);
    const fabrikam = await discover(emu.url, T.fabrikam, T.fabrikam);
    const { tokens } = await signIn(fabrikam, DEMO.users.megan.username);
    expect(oauth.getValidatedIdTokenClaims(tokens)?.oid).toBe(DEMO.users.megan.oid);
    await emu.control("reset");
    expect((await redirectError(DEMO.users.megan.username)).error).toBe("consent_required");
  });

  it("v1 without redirect_uri goes back to the portal's /consent/result on localhost:3000", async () => {
    const back = await submitConsent(
      `/${T.fabrikam}/adminconsent?client_id=${DEMO.portal.clientId}`,
      T.fabrikam,
      "accept",
    );
    expect(back.toString()).toBe(
      `http://localhost:3000/consent/result?admin_consent=True&tenant=${T.fabrikam}`,
    );
  });

  it("Cancel → error=access_denied with AADSTS65004, nothing recorded", async () => {
    const back = await submitConsent(v2(T.fabrikam), T.fabrikam, "cancel");
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("error_description")).toMatch(/^AADSTS65004: /);
    expect(back.searchParams.get("state")).toBe("s-123");
    expect((await emu.control<{ consents: string[] }>("stats")).consents).not.toContain(T.fabrikam);
  });

  it("unknown tenant → AADSTS90002 page, unregistered redirect → AADSTS50011 page", async () => {
    const unknown = await fetch(`${emu.url}${v2("nosuch.example")}`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("AADSTS90002");
    const evil = await fetch(
      `${emu.url}/${T.fabrikam}/v2.0/adminconsent?client_id=${DEMO.portal.clientId}&redirect_uri=https://evil.example/cb`,
      { redirect: "manual" },
    );
    expect(evil.status).toBe(400);
    expect(await evil.text()).toContain("AADSTS50011");
  });
});

describe("authorize endpoint checks", () => {
  it("unknown client_id → AADSTS700016 page, no redirect", async () => {
    const r = await authorize(common, { clientId: "00000000-0000-0000-0000-000000000001" });
    expect(r.status).toBe(400);
    expect(r.html).toContain(
      "AADSTS700016: Application with identifier &#39;00000000-0000-0000-0000-000000000001&#39;",
    );
  });

  it.each(["https://evil.example/api/auth/callback/microsoft-entra-id", "http://localhost:3000/elsewhere"])(
    "unregistered redirect_uri %s → AADSTS50011 page, no redirect",
    async (redirectUri) => {
      const r = await authorize(common, { redirectUri, loginHint: DEMO.users.adele.username });
      expect(r.status).toBe(400);
      expect(r.html).toContain("AADSTS50011");
    },
  );

  it("https redirect URIs of a Web app are accepted (the portal behind a TLS proxy); http only on localhost", async () => {
    const https = await authorize(common, {
      redirectUri: "https://localhost:4225/api/auth/callback/microsoft-entra-id",
      loginHint: DEMO.users.adele.username,
    });
    expect(https.status).toBe(302);
    expect(https.location?.origin).toBe("https://localhost:4225");
    expect(https.location?.searchParams.get("code")).toBeTruthy();
    for (const redirectUri of [
      "http://portal.contoso.com/api/auth/callback/microsoft-entra-id",
      "ftp://localhost/api/auth/callback/microsoft-entra-id",
      "https://localhost:4225/api/auth/callback/other",
    ]) {
      const refused = await authorize(common, { redirectUri, loginHint: DEMO.users.adele.username });
      expect(refused.status, redirectUri).toBe(400);
      expect(refused.html).toContain("AADSTS50011");
    }
  });

  it("sign-out returns to an https or http localhost post_logout_redirect_uri", async () => {
    for (const target of ["https://localhost:4225/", "http://localhost:3000/"]) {
      const res = await fetch(
        `${emu.url}/common/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(target)}`,
        { redirect: "manual" },
      );
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(target);
    }
  });

  it("the port of a localhost redirect URI is ignored", async () => {
    const r = await authorize(common, {
      redirectUri: "http://localhost:4567/api/auth/callback/microsoft-entra-id",
      loginHint: DEMO.users.adele.username,
    });
    expect(r.status).toBe(302);
    expect(r.location?.searchParams.get("code")).toBeTruthy();
  });

  it("PKCE is required (S256 only)", async () => {
    const r = await authorize(common, {
      loginHint: DEMO.users.adele.username,
      extra: { code_challenge_method: "plain" },
    });
    expect(r.location?.searchParams.get("error")).toBe("invalid_request");
    const u = new URL(common.authorization_endpoint as string);
    u.search = new URLSearchParams({
      client_id: DEMO.portal.clientId,
      redirect_uri: PORTAL_REDIRECT,
      response_type: "code",
      scope: "openid",
      state: "st",
      login_hint: DEMO.users.adele.username,
    }).toString();
    const res = await fetch(u, { redirect: "manual" });
    const loc = new URL(res.headers.get("location") as string);
    expect(loc.searchParams.get("error")).toBe("invalid_request");
    expect(loc.searchParams.get("state")).toBe("st");
  });

  it("without login_hint shows an escaped sign-in page; posting a user back signs in", async () => {
    const r = await authorize(common, { extra: { state: '"><script>alert(1)</script>' } });
    expect(r.status).toBe(200);
    const html = r.html as string;
    for (const name of [
      "Adele Vance",
      "Megan Bowen",
      "Nestor Wilke",
      "Lee Gu",
      "Alex Wilber",
      "Lynne Robbins",
    ]) {
      expect(html).toContain(`Sign in as ${name}`);
    }
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
    const fields = new URLSearchParams();
    for (const m of (form?.[2] ?? "").matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields.set(decode(m[1] ?? ""), decode(m[2] ?? ""));
    }
    const res = await fetch(new URL(decode(form?.[1] ?? ""), emu.url), {
      method: "POST",
      body: fields,
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location") as string);
    expect(loc.searchParams.get("code")).toBeTruthy();
    expect(loc.searchParams.get("state")).toBe('"><script>alert(1)</script>');
  });

  it("auto-login can be switched off", async () => {
    const manual = await startTestEmulator({ autoLogin: false, httpsPort: false });
    try {
      const res = await fetch(
        `${manual.url}/organizations/oauth2/v2.0/authorize?client_id=${DEMO.portal.clientId}&redirect_uri=${encodeURIComponent(PORTAL_REDIRECT)}&response_type=code&scope=openid&code_challenge=abc&code_challenge_method=S256&login_hint=adele@contoso.com`,
        { redirect: "manual" },
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Pick an account");
    } finally {
      await manual.close();
    }
  });
});
