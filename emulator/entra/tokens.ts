import { createHash, randomBytes } from "node:crypto";
import { ACS_RESOURCE, type Application, type User } from "../data";
import type { KeyStore } from "./keys";

export const entraIssuerV2 = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;
export const stsIssuerV1 = (tid: string) => `https://sts.windows.net/${tid}/`;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Pairwise subject per (user, app), stable, as Entra's `sub`. */
export function pairwiseSub(oid: string, clientId: string): string {
  return createHash("sha256").update(`${oid}|${clientId}`).digest("base64url").slice(0, 43);
}

function splitName(name: string): { given_name: string; family_name: string } {
  const [given = "", ...rest] = name.split(" ");
  return { given_name: given, family_name: rest.join(" ") };
}

export function uti(): string {
  return randomBytes(16).toString("base64url").slice(0, 22);
}

export function mintIdToken(
  keys: KeyStore,
  p: { user: User; app: Application; nonce?: string; lifetimeSeconds: number },
): Promise<string> {
  const iat = nowSeconds();
  return keys.sign({
    aud: p.app.clientId,
    iss: entraIssuerV2(p.user.tenantId),
    iat,
    nbf: iat,
    exp: iat + p.lifetimeSeconds,
    email: p.user.username,
    name: p.user.name,
    ...(p.nonce ? { nonce: p.nonce } : {}),
    oid: p.user.oid,
    preferred_username: p.user.username,
    ...(p.user.appRoles?.length ? { roles: p.user.appRoles } : {}),
    rh: "0.emulator.",
    // Entra lists the app roles assigned to the user on the app the ID token is for; in the demo data only the
    // portal (the confidential app) defines roles.
    ...(p.user.appRoles?.length && p.app.type === "confidential" ? { roles: p.user.appRoles } : {}),
    sub: pairwiseSub(p.user.oid, p.app.clientId),
    tid: p.user.tenantId,
    uti: uti(),
    ver: "2.0",
  });
}

export interface AccessTokenInput {
  tenantId: string;
  oid: string;
  appId: string;
  /** Short scope names, e.g. ["Teams.ManageCalls", "Teams.ManageChats"]. */
  scopes: string[];
  lifetimeSeconds: number;
  notBeforeSeconds?: number;
  audience?: string;
  /** Default: the v1 issuer of `tenantId`. */
  issuer?: string;
  name?: string;
  username?: string;
  confidentialClient?: boolean;
  /** Add the claims that make real Entra tokens 1.5-2.5 KB (see realSizeClaims). */
  realSize?: boolean;
  /** The client's display name (`app_displayname`), for real-size tokens. */
  appName?: string;
}

/** Entra's built-in "User" directory role template, which every member's token lists in `wids`. */
const WIDS_USER = "b79fbf4d-3ef9-4689-8143-76b194e85509";

const hashOf = (text: string) => createHash("sha256").update(text).digest();

/**
 * The claims a real Entra v1 access token carries besides the ones the exchange checks: the sign-in session id,
 * the on-premises SID of a synced user, directory roles, opaque service blobs (`aio`, `xms_ftd`, `rh`)
 * and tenant facts. Values are stable per user where Entra's are (puid, onprem_sid); the opaque blobs and the
 * session id are fresh. With the 2048-bit signature and an `x5t` header the token is about 2 KB, as real ones are.
 */
function realSizeClaims(p: AccessTokenInput): Record<string, unknown> {
  const user = hashOf(p.oid);
  const rid = [0, 4, 8].map((at) => user.readUInt32BE(at)).join("-");
  return {
    acct: 0,
    aio: randomBytes(90).toString("base64"),
    amr: ["pwd", "mfa"],
    app_displayname: p.appName ?? "Teams Token Portal",
    idtyp: "user",
    onprem_sid: `S-1-5-21-${rid}-${1100 + (user.readUInt16BE(12) % 8000)}`,
    puid: `1003${user.subarray(14, 20).toString("hex").toUpperCase()}`,
    rh: `1.${randomBytes(42).toString("base64url")}.`,
    sid: crypto.randomUUID(),
    signin_state: ["kmsi"],
    tenant_region_scope: "NA",
    wids: [WIDS_USER],
    xms_ftd: randomBytes(48).toString("base64url"),
    xms_idrel: "1 20",
    xms_tcdt: 1_589_414_400,
    xms_tdbr: "US",
  };
}

/** Opaque refresh token; real Entra's are encrypted blobs of 1-2 KB, so real-size ones are 1.4 KB. */
export function mintRefreshToken(realSize: boolean): string {
  return `1.emulator.${randomBytes(realSize ? 1_050 : 48).toString("base64url")}`;
}

/** v1 access token for the ACS resource, with the claims of FACTS §3 (appid and azp both set). */
export function mintAccessToken(keys: KeyStore, p: AccessTokenInput): Promise<string> {
  const iat = nowSeconds();
  const username = p.username ?? `${p.oid}@synthetic.invalid`;
  return keys.sign(
    {
      aud: p.audience ?? ACS_RESOURCE,
      iss: p.issuer ?? stsIssuerV1(p.tenantId),
      iat,
      nbf: iat + (p.notBeforeSeconds ?? 0),
      exp: iat + p.lifetimeSeconds,
      acr: "1",
      amr: ["pwd"],
      appid: p.appId,
      appidacr: p.confidentialClient === false ? "0" : "1",
      azp: p.appId,
      ...splitName(p.name ?? "Synthetic User"),
      ipaddr: "127.0.0.1",
      name: p.name ?? "Synthetic User",
      oid: p.oid,
      rh: "0.emulator.",
      scp: p.scopes.join(" "),
      sub: pairwiseSub(p.oid, p.appId),
      tid: p.tenantId,
      unique_name: username,
      upn: username,
      uti: uti(),
      ver: "1.0",
      ...(p.realSize ? realSizeClaims(p) : {}),
    },
    p.realSize ? { x5t: true } : undefined,
  );
}

/** App-only token of the portal's managed identity (App Service MSI). */
export function mintManagedIdentityToken(
  keys: KeyStore,
  p: { tenantId: string; oid: string; clientId: string; audience: string; lifetimeSeconds: number },
): Promise<string> {
  const iat = nowSeconds();
  return keys.sign({
    aud: p.audience,
    iss: stsIssuerV1(p.tenantId),
    iat,
    nbf: iat,
    exp: iat + p.lifetimeSeconds,
    aio: "emulator",
    appid: p.clientId,
    appidacr: "2",
    idp: stsIssuerV1(p.tenantId),
    idtyp: "app",
    oid: p.oid,
    rh: "0.emulator.",
    sub: p.oid,
    tid: p.tenantId,
    uti: uti(),
    ver: "1.0",
    xms_mirid:
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/demo/providers/Microsoft.Web/sites/teams-token-portal",
  });
}
