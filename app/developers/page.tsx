import type { Metadata } from "next";
import { CommandBlock } from "@/components/admin/copy-field";
import { ACS_RESOURCE } from "@/lib/entra/scopes";

export const metadata: Metadata = { title: "For developers" };

const SESSION_SAMPLE = `import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import { CallClient } from "@azure/communication-calling";

// Runs in a page served by this portal (same origin): the session cookie authenticates the call.
async function fetchTeamsToken(abortSignal) {
  const response = await fetch("/api/teams-token", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({}),
    signal: abortSignal,
  });
  if (!response.ok) {
    const problem = await response.json(); // application/problem+json
    throw new Error(\`\${problem.code}: \${problem.title}\`);
  }
  const { token } = await response.json();
  return token;
}

const credential = new AzureCommunicationTokenCredential({
  tokenRefresher: fetchTeamsToken,
  refreshProactively: true, // renews shortly before expiresOn
});

const callClient = new CallClient();
const callAgent = await callClient.createTeamsCallAgent(credential);`;

const BEARER_SAMPLE = `import { PublicClientApplication } from "@azure/msal-node"; // or MSAL.NET / MSAL for Python
import { AzureCommunicationTokenCredential } from "@azure/communication-common";

// A native/desktop app signs the user in itself (its own registration, on the portal's ALLOWED_CLIENT_IDS).
const msal = new PublicClientApplication({
  auth: { clientId: "<your desktop app id>", authority: "https://login.microsoftonline.com/organizations" },
});
const scopes = [
  "${ACS_RESOURCE}/Teams.ManageCalls",
  "${ACS_RESOURCE}/Teams.ManageChats",
];

const credential = new AzureCommunicationTokenCredential({
  refreshProactively: true,
  tokenRefresher: async () => {
    const account = (await msal.getTokenCache().getAllAccounts())[0];
    const entra = account
      ? await msal.acquireTokenSilent({ account, scopes })
      : await msal.acquireTokenInteractive({ scopes, openBrowser });
    const response = await fetch("https://<this portal>/api/teams-token", {
      method: "POST",
      headers: { authorization: \`Bearer \${entra.accessToken}\` },
    });
    if (!response.ok) throw new Error((await response.json()).code);
    return (await response.json()).token;
  },
});`;

const RESPONSE_SAMPLE = `HTTP/1.1 200 OK
Content-Type: application/json
Cache-Control: no-store
Server-Timing: verify;dur=0.31, acs;dur=84.20, handler;dur=85.02

{
  "token": "eyJhbGciOiJSUzI1NiIs…",
  "expiresOn": "2025-01-01T12:00:00.000Z",
  "teamsUserId": "8:orgid:37767b2b-2b21-478e-b7a4-fd01d605532c",
  "tenantId": "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645"
}`;

const PROBLEM_SAMPLE = `HTTP/1.1 403 Forbidden
Content-Type: application/problem+json

{
  "type": "/troubleshoot#ENTRA_TOKEN_MISSING_SCOPE",
  "title": "A Teams permission is missing",
  "status": 403,
  "code": "ENTRA_TOKEN_MISSING_SCOPE",
  "detail": "The Entra token must carry both Teams.ManageCalls and Teams.ManageChats; …",
  "remedy": "The app's admin adds both delegated permissions …",
  "actor": "customer-admin"
}`;

const CURL_SAMPLE = `curl -X POST https://<this portal>/api/teams-token \\
  -H "Authorization: Bearer $ENTRA_ACCESS_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"forceRefresh": false}'`;

export default function DevelopersPage() {
  return (
    <div className="space-y-10">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">For developers</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          How a client app gets an Azure Communication Services token for a Teams user from this portal, and
          what it gets back. The exchange with ACS happens on the portal's server; your app never sees the ACS
          key or the Entra refresh token.
        </p>
      </header>

      <section aria-labelledby="dev-session" className="space-y-3">
        <h2 id="dev-session" className="text-xl font-semibold">
          In a web page of this portal: the session cookie
        </h2>
        <p className="text-sm">
          The Calling SDK's <code className="code">AzureCommunicationTokenCredential</code> calls your{" "}
          <code className="code">tokenRefresher</code> whenever it needs a token. Point it at{" "}
          <code className="code">POST /api/teams-token</code>: the signed-in user's session cookie
          authenticates the request, which is accepted from the portal's own origin only. The portal caches
          the Teams token and renews the Entra token when needed; send{" "}
          <code className="code">{'{"forceRefresh": true}'}</code> to skip the cache.
        </p>
        <CommandBlock label="JavaScript (session)" commands={SESSION_SAMPLE} />
      </section>

      <section aria-labelledby="dev-bearer" className="space-y-3">
        <h2 id="dev-bearer" className="text-xl font-semibold">
          From a native or desktop app: a Bearer token
        </h2>
        <p className="text-sm">
          The app signs the user in with MSAL for the two Teams scopes (and no other API), then sends the
          Entra access token as <code className="code">Authorization: Bearer &lt;token&gt;</code>. The portal
          verifies its signature, issuer, audience (<code className="code">{ACS_RESOURCE}</code>), both scopes
          and lifetime, and accepts only client apps on its <code className="code">ALLOWED_CLIENT_IDS</code>{" "}
          list. Such an app's registration uses the <em>Mobile and desktop applications</em> platform and has{" "}
          <a href="/admin" className="link">
            “Allow public client flows”
          </a>{" "}
          on. Browser apps on other origins additionally need their origin in{" "}
          <code className="code">ALLOWED_ORIGINS</code>.
        </p>
        <CommandBlock label="JavaScript (Bearer, MSAL)" commands={BEARER_SAMPLE} />
        <CommandBlock label="curl" commands={CURL_SAMPLE} />
      </section>

      <section aria-labelledby="dev-response" className="space-y-3">
        <h2 id="dev-response" className="text-xl font-semibold">
          The response
        </h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-[9rem_1fr]">
          <dt className="font-mono font-semibold">token</dt>
          <dd>
            The ACS access token for the Teams user; pass it to the Calling or Chat SDK through the
            credential.
          </dd>
          <dt className="font-mono font-semibold">expiresOn</dt>
          <dd>
            When it expires (ISO 8601, usually an hour ahead). Reuse the token until shortly before then.
          </dd>
          <dt className="font-mono font-semibold">teamsUserId</dt>
          <dd>
            The user's identity in ACS, <code className="code">8:orgid:&lt;oid&gt;</code>.
          </dd>
          <dt className="font-mono font-semibold">tenantId</dt>
          <dd>The user's Microsoft Entra tenant.</dd>
          <dt className="font-mono font-semibold">Server-Timing</dt>
          <dd>
            Where the time went, in milliseconds: <code className="code">verify</code> (the Bearer
            token&apos;s checks), <code className="code">acs</code> (the exchange with Azure Communication
            Services; absent when the token came from the portal&apos;s cache) and{" "}
            <code className="code">handler</code> (all of it). Durations only, never values.
          </dd>
        </dl>
        <CommandBlock label="Success" commands={RESPONSE_SAMPLE} />
      </section>

      <section aria-labelledby="dev-teams-id" className="card space-y-3">
        <h2 id="dev-teams-id" className="text-xl font-semibold">
          What is <code className="code">8:orgid:&lt;oid&gt;</code>?
        </h2>
        <p className="text-sm">
          It is the raw id ACS gives a Microsoft 365 (Teams) user: the prefix{" "}
          <code className="code">8:orgid:</code> followed by the user's <strong>object id</strong> (
          <code className="code">oid</code>) in their own Entra tenant. Use it as a{" "}
          <code className="code">MicrosoftTeamsUserIdentifier</code> (
          <code className="code">{"{ microsoftTeamsUserId: oid }"}</code>) to call or chat with that user. The
          object id differs per tenant, so identify users by <code className="code">tid</code> +{" "}
          <code className="code">oid</code>, never by e-mail or UPN.
        </p>
      </section>

      <section aria-labelledby="dev-teams-phone" className="space-y-3">
        <h2 id="dev-teams-phone" className="text-xl font-semibold">
          Teams Phone tokens (Teams Phone extensibility)
        </h2>
        <p className="text-sm">
          Where the portal has Teams Phone switched on, the same endpoint also serves the second kind of
          token: send <code className="code">{'{"kind": "teams-phone"}'}</code> (with{" "}
          <code className="code">forceRefresh</code> if needed). The Entra token must carry{" "}
          <code className="code">{ACS_RESOURCE}/TeamsExtension.ManageCalls</code> (same resource as the Teams
          scopes, so one token can carry all three), and the user needs a Teams Phone access assignment on the
          portal's ACS resource that allows your app's client id; the portal's administrators manage those.
          The answer adds <code className="code">kind</code> and <code className="code">acsUserId</code>, the
          ACS identity <code className="code">8:acs:&lt;resource&gt;_&lt;tenant&gt;_&lt;oid&gt;</code>.
          Without an assignment the answer is <code className="code">403 TEAMS_PHONE_NO_ASSIGNMENT</code>, an
          app the assignment does not list gets <code className="code">403 TEAMS_PHONE_APP_NOT_ALLOWED</code>,
          and a token without the scope <code className="code">403 TEAMS_PHONE_SCOPE_MISSING</code>. Removing
          an assignment revokes the tokens issued before. The sample client asks for one with{" "}
          <code className="code">--kind teams-phone</code>.
        </p>
      </section>

      <section aria-labelledby="dev-errors" className="space-y-3">
        <h2 id="dev-errors" className="text-xl font-semibold">
          Errors
        </h2>
        <p className="text-sm">
          Every failure is an <code className="code">application/problem+json</code> document (RFC 9457) with
          a stable <code className="code">code</code>, the HTTP status, words for people (
          <code className="code">title</code>, <code className="code">detail</code>,{" "}
          <code className="code">remedy</code>), who must act (<code className="code">actor</code>: user,
          customer-admin or app-admin) and, for 429 and throttling,{" "}
          <code className="code">retryAfterSeconds</code> plus a <code className="code">Retry-After</code>{" "}
          header. Branch on <code className="code">code</code>, never on the text. The{" "}
          <a href="/troubleshoot" className="link">
            troubleshooting page
          </a>{" "}
          lists every code; <code className="code">type</code> links to its entry.
        </p>
        <CommandBlock label="Error" commands={PROBLEM_SAMPLE} />
      </section>
    </div>
  );
}
