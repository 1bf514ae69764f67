import { UnsecuredJWT } from "jose";
import { buildConfig, type PortalConfig } from "@/lib/config";

export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const OTHER_TENANT = "11111111-2222-3333-4444-555555555555";
export const USER = "4a3b2c1d-0000-4000-8000-00000000a11c";
export const CLIENT_ID = "0d5f7a2e-1c3b-4e6f-9a8b-7c6d5e4f3a2b";
export const OTHER_APP = "99999999-8888-4777-8666-555555555555";
export const ACS_AUDIENCE = "https://auth.msft.communication.azure.com";
export const TEAMS_SCP = "Teams.ManageCalls Teams.ManageChats";

/** A throwaway but well-formed ACS access key (base64). */
export const ACCESS_KEY = Buffer.from("not-a-real-key-only-for-tests-0123456789").toString("base64");

export function testEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    AUTH_SECRET: "test-secret-that-is-long-enough-0123456789",
    AUTH_MICROSOFT_ENTRA_ID_ID: CLIENT_ID,
    AUTH_MICROSOFT_ENTRA_ID_SECRET: "client-secret",
    ACS_CONNECTION_STRING: `endpoint=http://127.0.0.1:9/;accesskey=${ACCESS_KEY}`,
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string | undefined> = {}): PortalConfig {
  return buildConfig(testEnv(overrides));
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims of a good ACS-audience v1 access token for USER in TENANT, issued to CLIENT_ID. */
export function goodClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return {
    aud: ACS_AUDIENCE,
    iss: `https://sts.windows.net/${TENANT}/`,
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    appid: CLIENT_ID,
    scp: TEAMS_SCP,
    tid: TENANT,
    oid: USER,
    name: "Megan Bowen",
    upn: "megan@contoso.com",
    ...overrides,
  };
}

/** Unsigned: enough for code that only reads claims (the session path's token came from Entra itself). */
export function unsignedToken(claims: Record<string, unknown>): string {
  return new UnsecuredJWT(claims).encode();
}
