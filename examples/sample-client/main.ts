/**
 * Sample client of the Teams Token Portal's API: what the ACS quickstart's console app does, against this portal.
 *
 *   npx tsx examples/sample-client/main.ts --portal http://localhost:3000 \
 *     [--authority http://localhost:3100] [--user adele@contoso.com] [--kind teams-phone] [--show-token]
 *
 * 1. Signs the user in with the public client app "Contoso Desktop Sample" (authorization code + PKCE S256,
 *    no secret), redirect URI on a loopback port, asking Entra for the two Teams scopes of ACS (with --kind
 *    teams-phone: TeamsExtension.ManageCalls, Teams Phone extensibility's scope).
 * 2. Calls POST {portal}/api/teams-token with `Authorization: Bearer <Entra access token>` (and {"kind": …}).
 * 3. Prints the Teams user id and the token's expiry. The token itself only with --show-token.
 *
 * Offline (an --authority on localhost: the stand-in) the sign-in page is skipped: the stand-in signs in the user named
 * by --user (login_hint) and redirects at once, so this program follows that redirect itself. Against real Entra it
 * prints the URL to open in a browser and waits for the redirect.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import * as oauth from "oauth4webapi";

const DEFAULT_CLIENT_ID = "4565f19d-f385-47bb-92cf-b63ee3e07452"; // the demo public client ("Contoso Desktop Sample")
const DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
const ACS_RESOURCE = "https://auth.msft.communication.azure.com";
const SCOPES = {
  "teams-user": [`${ACS_RESOURCE}/Teams.ManageCalls`, `${ACS_RESOURCE}/Teams.ManageChats`],
  "teams-phone": [`${ACS_RESOURCE}/TeamsExtension.ManageCalls`],
} as const;
type Kind = keyof typeof SCOPES;
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const HTTP_TIMEOUT_MS = 30_000;

const USAGE = `Usage: npx tsx examples/sample-client/main.ts --portal <url> [--authority <url>] [--tenant <id|organizations>]
       [--user <upn>] [--client-id <guid>] [--kind teams-user|teams-phone] [--show-token]`;

interface Options {
  portal: URL;
  /** The authority's origin and tenant segment, e.g. https://login.microsoftonline.com/organizations. */
  authority: URL;
  user?: string;
  clientId: string;
  kind: Kind;
  showToken: boolean;
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      portal: { type: "string" },
      authority: { type: "string" },
      tenant: { type: "string" },
      user: { type: "string" },
      "client-id": { type: "string" },
      kind: { type: "string", default: "teams-user" },
      "show-token": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.portal) throw new UsageError("--portal is required.");
  const kind = values.kind ?? "teams-user";
  if (kind !== "teams-user" && kind !== "teams-phone") {
    throw new UsageError("--kind must be teams-user or teams-phone.");
  }
  const authority = new URL(values.authority ?? DEFAULT_AUTHORITY);
  // An authority given as a bare origin gets the tenant segment: multitenant apps sign in on /organizations.
  if (authority.pathname === "/" || authority.pathname === "") {
    authority.pathname = `/${encodeURIComponent(values.tenant ?? "organizations")}`;
  }
  return {
    portal: new URL(values.portal),
    authority,
    ...(values.user ? { user: values.user } : {}),
    clientId: values["client-id"] ?? DEFAULT_CLIENT_ID,
    kind,
    showToken: values["show-token"] ?? false,
  };
}

class UsageError extends Error {}

const isLoopback = (url: URL) => ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);

/** Plain http is allowed for loopback URLs only (the stand-ins); everything else must be https. */
function requireSafeTransport(url: URL, what: string): void {
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url))) {
    throw new UsageError(`${what} must use https (plain http only on localhost): ${url.origin}`);
  }
}

/** The authority's endpoints from its OpenID discovery document. */
async function discover(authority: URL): Promise<oauth.AuthorizationServer> {
  const url = new URL(`${authority.href.replace(/\/$/, "")}/v2.0/.well-known/openid-configuration`);
  const response = await fetch(url, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`Discovery at ${url.origin} answered ${response.status}.`);
  const metadata = (await response.json()) as Partial<oauth.AuthorizationServer>;
  if (typeof metadata.authorization_endpoint !== "string" || typeof metadata.token_endpoint !== "string") {
    throw new Error("The discovery document lacks the authorization or token endpoint.");
  }
  // Entra's multitenant issuer is a template ("{tenantid}"): no ID token is requested, so it is not checked here.
  return {
    issuer: String(metadata.issuer ?? authority.origin),
    authorization_endpoint: metadata.authorization_endpoint,
    token_endpoint: metadata.token_endpoint,
  };
}

/** A one-shot loopback listener for the redirect; Entra allows any port on http://localhost for public clients. */
async function listenForRedirect(): Promise<{ redirectUri: string; callback: Promise<URL>; server: Server }> {
  let resolveCallback: (url: URL) => void = () => undefined;
  const callback = new Promise<URL>((resolve) => {
    resolveCallback = resolve;
  });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", `http://localhost:${(server.address() as AddressInfo).port}`);
    if (url.pathname !== "/") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    response.end("Signed in. You can close this window and return to the console.\n");
    resolveCallback(url);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://localhost:${port}/`, callback, server };
}

async function signIn(options: Options): Promise<string> {
  requireSafeTransport(options.authority, "--authority");
  const as = await discover(options.authority);
  const client: oauth.Client = { client_id: options.clientId };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const { redirectUri, callback, server } = await listenForRedirect();
  try {
    const authorizeUrl = new URL(String(as.authorization_endpoint));
    authorizeUrl.searchParams.set("client_id", options.clientId);
    authorizeUrl.searchParams.set("response_type", "code");
    authorizeUrl.searchParams.set("redirect_uri", redirectUri);
    authorizeUrl.searchParams.set("scope", SCOPES[options.kind].join(" "));
    authorizeUrl.searchParams.set("state", state);
    authorizeUrl.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
    authorizeUrl.searchParams.set("code_challenge_method", "S256");
    if (options.user) authorizeUrl.searchParams.set("login_hint", options.user);

    if (isLoopback(authorizeUrl)) {
      // The stand-in signs the hinted user in without a page and answers with the redirect: play the browser.
      const answer = await fetch(authorizeUrl, {
        redirect: "manual",
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      const location = answer.headers.get("location");
      if (answer.status !== 302 || !location) {
        throw new Error(
          `The sign-in did not redirect back (status ${answer.status}). Pass --user with a demo user, e.g. adele@contoso.com.`,
        );
      }
      await fetch(location, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) }).then((r) => r.body?.cancel());
    } else {
      console.log(`Open this URL in a browser to sign in:\n\n  ${authorizeUrl.href}\n`);
    }
    const redirected = await Promise.race([
      callback,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("No sign-in within 5 minutes.")), SIGN_IN_TIMEOUT_MS).unref(),
      ),
    ]);
    const error = redirected.searchParams.get("error");
    if (error) {
      // Entra's description starts with the AADSTS code; the portal's /troubleshoot page explains each one.
      const description = (redirected.searchParams.get("error_description") ?? "").split("\r\n")[0];
      throw new Error(`Sign-in failed: ${error}: ${description}`);
    }
    const params = oauth.validateAuthResponse(as, client, redirected, state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri,
      verifier,
      isLoopback(new URL(String(as.token_endpoint))) ? { [oauth.allowInsecureRequests]: true } : {},
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      requireIdToken: false,
    });
    return tokens.access_token;
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

interface TeamsTokenResponse {
  token: string;
  expiresOn: string;
  teamsUserId: string;
  /** Teams Phone only: the ACS identity, 8:acs:…. */
  acsUserId?: string;
  tenantId: string;
}

interface Problem {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  remedy?: string;
}

async function getTeamsToken(portal: URL, entraToken: string, kind: Kind): Promise<TeamsTokenResponse> {
  requireSafeTransport(portal, "--portal");
  const response = await fetch(new URL("/api/teams-token", portal), {
    method: "POST",
    headers: {
      authorization: `Bearer ${entraToken}`,
      accept: "application/json",
      "content-type": "application/json",
    },
    body: JSON.stringify({ kind }),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new Error(`The portal at ${portal.origin} could not be reached (${causeOf(error)}).`);
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    const retryAfter = response.headers.get("retry-after");
    throw new Error(
      [
        `The portal refused: ${response.status} ${problem.code ?? ""} ${problem.title ?? ""}`.trim(),
        problem.detail,
        problem.remedy ? `Remedy: ${problem.remedy}` : undefined,
        retryAfter ? `Retry after ${retryAfter} s.` : undefined,
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }
  return (await response.json()) as TeamsTokenResponse;
}

/** fetch() reports "fetch failed"; the useful part (ECONNREFUSED, timeout, …) is in the cause. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  return String(cause?.code ?? cause?.message ?? (error as Error)?.message ?? error);
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  console.log(`Signing in${options.user ? ` ${options.user}` : ""} at ${options.authority.href} …`);
  const entraToken = await signIn(options);
  console.log("Signed in. Asking the portal for a Teams token …");
  const result = await getTeamsToken(options.portal, entraToken, options.kind);
  const minutes = Math.round((Date.parse(result.expiresOn) - Date.now()) / 60_000);
  console.log(`Teams user id: ${result.teamsUserId}`);
  if (result.acsUserId) console.log(`ACS identity:  ${result.acsUserId} (Teams Phone)`);
  console.log(`Tenant:        ${result.tenantId}`);
  console.log(`Expires on:    ${result.expiresOn} (in ${minutes} min)`);
  if (options.showToken) console.log(`Token:         ${result.token}`);
  else console.log("Token:         (hidden; pass --show-token to print it)");
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
  else console.error(error instanceof Error ? error.message : String(error));
  // Network errors of the sign-in step: name the cause rather than "fetch failed".
  if (error instanceof TypeError && error.message === "fetch failed")
    console.error(`Cause: ${causeOf(error)}`);
  process.exitCode = 1;
});
