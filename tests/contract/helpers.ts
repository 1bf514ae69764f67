import { createHash, createHmac } from "node:crypto";
import * as oauth from "oauth4webapi";
import { type MintParams, mintAccessToken } from "../support/emulator";

/** Demo values of emulator/demo-data.json, restated here so the tests catch an accidental change. */
export const DEMO = {
  portal: {
    clientId: "8187b4ec-85b5-4e02-bfa3-299ca1e218f6",
    secret: "demo-portal-secret-NOT-FOR-PRODUCTION",
  },
  desktop: { clientId: "4565f19d-f385-47bb-92cf-b63ee3e07452" },
  acsKey: "vGBNELfNd2G05f9hWxtqniD/E99bt3B9V7zqT3US+ic=",
  acsAppId: "1fd5118e-2576-4263-8130-9503064c837a",
  tenants: {
    contoso: "2b88a774-b406-4fcf-9c4f-d8c37f92cce1",
    fabrikam: "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645",
    northwind: "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27",
    tailspin: "47a8d52d-a1b2-4adf-851a-6418ad2f9319",
  },
  users: {
    adele: { username: "adele@contoso.com", oid: "72a52e20-3380-413b-8a70-aa57a4194c13" },
    megan: { username: "megan@fabrikam.com", oid: "37767b2b-2b21-478e-b7a4-fd01d605532c" },
    nestor: { username: "nestor@northwind.com", oid: "67543a88-c483-495b-aba8-97f69f7b8d6d" },
    lee: { username: "lee@contoso.com", oid: "437126d9-de63-4a25-b51a-9f259b9095f3" },
    alex: { username: "alex@tailspin.com", oid: "da9c769d-8989-4dda-a345-cb79cf960a31" },
    lynne: { username: "lynne@contoso.com", oid: "06e5a384-6c1d-47a6-a5c7-c345990cd6ea" },
    diego: { username: "diego@contoso.com", oid: "34bc4147-581a-440d-9beb-c80408dc4208" },
  },
  /** The portal's managed identity; it holds the Contributor role on the demo ACS resource. */
  managedIdentity: {
    clientId: "b66c34b5-98a2-46ac-a455-a9eb7dd05048",
    oid: "46ba69ff-0854-4fe2-a16f-7517bdc3476d",
  },
  /** The portal's workload identity on Vercel (federated credential); it holds the role too. */
  workloadIdentity: {
    clientId: "5f0c2d1e-8a47-4b6e-9d3c-7e21a4b9c6f0",
    oid: "c2e9a7b4-1d35-4f86-a0b2-93d7e5f41a68",
  },
} as const;

export const ACS_SCOPE = "https://auth.msft.communication.azure.com";
export const PORTAL_SCOPES = `openid profile email offline_access ${ACS_SCOPE}/Teams.ManageCalls ${ACS_SCOPE}/Teams.ManageChats`;
export const PORTAL_REDIRECT = "http://localhost:3000/api/auth/callback/microsoft-entra-id";
/** "…\r\nTrace ID: <guid>\r\nCorrelation ID: <guid>\r\nTimestamp: yyyy-mm-dd hh:mm:ssZ" */
export const TRAILER =
  /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/;

/** Sends a request to the ACS stand-in signed as FACTS §1 describes (independent of the SDK). */
export function signedFetch(
  endpoint: string,
  pathAndQuery: string,
  body: string,
  opts: { key?: string; date?: string; contentHash?: string; method?: string } = {},
): Promise<Response> {
  const url = new URL(pathAndQuery, endpoint);
  const method = opts.method ?? "POST";
  const date = opts.date ?? new Date().toUTCString();
  const hash = opts.contentHash ?? createHash("sha256").update(body).digest("base64");
  const toSign = `${method}\n${url.pathname}${url.search}\n${date};${url.host};${hash}`;
  const signature = createHmac("sha256", Buffer.from(opts.key ?? DEMO.acsKey, "base64"))
    .update(toSign)
    .digest("base64");
  return fetch(url, {
    method,
    headers: {
      "content-type": "application/json",
      "x-ms-date": date,
      "x-ms-content-sha256": hash,
      authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
    },
    body: method === "GET" ? undefined : body,
  });
}

export const EXCHANGE_PATH = "/teamsUser/:exchangeAccessToken?api-version=2023-10-01";

/** Adele's token for the portal app unless told otherwise. */
export const mint = (url: string, params: MintParams = {}): Promise<string> =>
  mintAccessToken(url, {
    tenantId: DEMO.tenants.contoso,
    oid: DEMO.users.adele.oid,
    appId: DEMO.portal.clientId,
    ...params,
  });

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** Discovery against the stand-in, expecting Entra's real issuer string for that tenant id. */
export async function discover(url: string, tenant: string, tid: string): Promise<oauth.AuthorizationServer> {
  const res = await oauth.discoveryRequest(new URL(`${url}/${tenant}/v2.0`), {
    algorithm: "oidc",
    ...insecure,
  });
  return oauth.processDiscoveryResponse(new URL(`https://login.microsoftonline.com/${tid}/v2.0`), res);
}

export interface AuthorizeResult {
  status: number;
  location: URL | null;
  state: string;
  nonce: string;
  verifier: string;
  html?: string;
}

/** Starts a PKCE authorization request and returns the stand-in's answer (302 followed manually). */
export async function authorize(
  as: oauth.AuthorizationServer,
  p: {
    loginHint?: string;
    clientId?: string;
    redirectUri?: string;
    scope?: string;
    extra?: Record<string, string>;
  } = {},
): Promise<AuthorizeResult> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const u = new URL(as.authorization_endpoint as string);
  u.searchParams.set("client_id", p.clientId ?? DEMO.portal.clientId);
  u.searchParams.set("redirect_uri", p.redirectUri ?? PORTAL_REDIRECT);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("scope", p.scope ?? PORTAL_SCOPES);
  u.searchParams.set("state", state);
  u.searchParams.set("nonce", nonce);
  u.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  u.searchParams.set("code_challenge_method", "S256");
  if (p.loginHint) u.searchParams.set("login_hint", p.loginHint);
  for (const [k, v] of Object.entries(p.extra ?? {})) u.searchParams.set(k, v);
  const res = await fetch(u, { redirect: "manual" });
  const location = res.headers.get("location");
  return {
    status: res.status,
    location: location ? new URL(location) : null,
    state,
    nonce,
    verifier,
    html: res.status === 200 || res.status === 400 ? await res.text() : undefined,
  };
}

export const portalClient: oauth.Client = { client_id: DEMO.portal.clientId };

/** Full sign-in of a demo user through the portal app: authorize (auto-login) then code redemption. */
export async function signIn(as: oauth.AuthorizationServer, loginHint: string) {
  const auth = await authorize(as, { loginHint });
  if (auth.status !== 302 || !auth.location) throw new Error(`authorize answered ${auth.status}`);
  const params = oauth.validateAuthResponse(as, portalClient, auth.location, auth.state);
  const res = await oauth.authorizationCodeGrantRequest(
    as,
    portalClient,
    oauth.ClientSecretPost(DEMO.portal.secret),
    params,
    PORTAL_REDIRECT,
    auth.verifier,
    insecure,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, portalClient, res, {
    expectedNonce: auth.nonce,
    requireIdToken: true,
  });
  return { tokens, auth, params };
}
