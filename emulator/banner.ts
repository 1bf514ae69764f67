import { ACS_SCOPES, demoData } from "./data";
import type { RunningEmulator } from "./server";

/** Human-readable summary of what the emulator serves (printed by `npm run emulator`). */
export function banner(e: RunningEmulator): string {
  const base = e.publicUrl;
  const portal = demoData.applications.find((a) => a.type === "confidential");
  const lines = [
    "",
    "Local stand-ins for Microsoft Entra ID and the ACS identity API (demo values only, nothing here is secret)",
    "",
    "URLs",
    `  Portal (PORT)        ${e.config.portalUrl}   (where admin consent returns by default)`,
    `  HTTP listener        ${e.url}   (loopback only)`,
    `  HTTPS listener       ${e.httpsUrl ?? "disabled"}   (throwaway cert: emulator/certs/cert.pem)`,
    `  Entra authority      ${base}/common/v2.0  (or /organizations/v2.0, /<tenant id or domain>/v2.0)`,
    `  Discovery            ${base}/<tenant>/v2.0/.well-known/openid-configuration`,
    "  Real issuer strings  https://login.microsoftonline.com/<tid>/v2.0",
    `  ACS endpoint         ${e.url}/`,
    `  ACS connection str.  ${e.connectionString}`,
    `  ACS key              ${e.config.acsKey}`,
    `  Managed identity     ${e.url}/msi/token  (IDENTITY_ENDPOINT; IDENTITY_HEADER=${e.config.identityHeader})`,
    `  Vercel OIDC issuer   ${base}/vercel-oidc/${demoData.vercel.team}/.well-known/openid-configuration  (workload identity ${demoData.workloadIdentity.clientId}; tokens: POST /_emulator/vercel-oidc-token)`,
    "",
    "Applications",
    ...demoData.applications.map(
      (a) =>
        `  ${a.name.padEnd(22)} client id ${a.clientId}  ${a.type}${a.clientSecret ? `, secret ${a.clientSecret}` : ", PKCE, no secret"}`,
    ),
    `  ACS application id   ${demoData.acs.applicationId}`,
    `  Scopes               openid profile email offline_access ${ACS_SCOPES.map((s) => `${demoData.acs.resource}/${s}`).join(" ")}`,
    "",
    "Tenants",
    ...demoData.tenants.map((t) => `  ${t.name.padEnd(10)} ${t.id}  ${t.domain.padEnd(14)} ${t.description}`),
    "",
    `Demo users (login_hint=<username>${e.config.autoLogin ? " signs in with no page" : "; auto-login is off"})`,
    ...demoData.users.map(
      (u) => `  ${u.username.padEnd(22)} ${u.name.padEnd(14)} oid ${u.oid}  ${u.description}`,
    ),
    "",
    `Admin consent          ${base}/<tenant>/v2.0/adminconsent?client_id=${portal?.clientId}&scope=${demoData.acs.resource}/.default&redirect_uri=${e.config.portalUrl}/consent/result`,
    "",
    "Settings",
    `  access token lifetime ${e.config.tokenLifetimeSeconds}s, key grace ${e.config.keyGraceSeconds}s, ACS rate limit ${
      e.config.acsRateLimit ? `${e.config.acsRateLimit.count}/${e.config.acsRateLimit.seconds}s` : "off"
    }, real-size tokens ${e.config.realSizeTokens ? "on" : "off"}`,
    "",
    "Control endpoints (loopback, for tests; see emulator/README.md)",
    `  GET  ${e.url}/_emulator/stats`,
    `  POST ${e.url}/_emulator/faults       {"kind":"429|500|503|delay|drop","count":1,"retryAfterSeconds":1,"delayMs":500}`,
    `  POST ${e.url}/_emulator/reset`,
    `  POST ${e.url}/_emulator/config       {"accessTokenLifetimeSeconds":120,"realSizeTokens":true}`,
    `  POST ${e.url}/_emulator/rotate-keys`,
    `  POST ${e.url}/_emulator/mint         {"tenantId":"…","oid":"…","appId":"…"}`,
    "",
    "Press Ctrl+C to stop.",
    "",
  ];
  return lines.join("\n");
}
