import path from "node:path";

/**
 * The portal's configuration for offline runs on the local stand-ins (demo and tests). Every value here is a
 * public demo value that only the stand-ins accept; none of them works against Microsoft.
 */
export const DEMO = {
  clientId: "8187b4ec-85b5-4e02-bfa3-299ca1e218f6",
  clientSecret: "demo-portal-secret-NOT-FOR-PRODUCTION",
  sampleClientId: "4565f19d-f385-47bb-92cf-b63ee3e07452",
  acsKey: "vGBNELfNd2G05f9hWxtqniD/E99bt3B9V7zqT3US+ic=",
  authSecret: "demo-auth-secret-for-the-local-stand-ins-only-0123456789",
  tenants: {
    contoso: "2b88a774-b406-4fcf-9c4f-d8c37f92cce1",
    fabrikam: "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645",
    northwind: "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27",
    tailspin: "47a8d52d-a1b2-4adf-851a-6418ad2f9319",
  },
} as const;

export function demoEnv({
  portalPort,
  emulatorPort,
}: {
  portalPort: number;
  emulatorPort: number;
}): Record<string, string> {
  const emulatorUrl = `http://localhost:${emulatorPort}`;
  return {
    AUTH_SECRET: DEMO.authSecret,
    AUTH_URL: `http://localhost:${portalPort}`,
    AUTH_MICROSOFT_ENTRA_ID_ID: DEMO.clientId,
    AUTH_MICROSOFT_ENTRA_ID_SECRET: DEMO.clientSecret,
    AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/organizations/v2.0",
    ACS_CONNECTION_STRING: `endpoint=${emulatorUrl}/;accesskey=${DEMO.acsKey}`,
    // Tailspin is left out on purpose: it demonstrates the tenant allow-list.
    ALLOWED_TENANT_IDS: [DEMO.tenants.contoso, DEMO.tenants.fabrikam, DEMO.tenants.northwind].join(","),
    ALLOWED_CLIENT_IDS: [DEMO.clientId, DEMO.sampleClientId].join(","),
    EMULATOR_URL: emulatorUrl,
    // Teams Phone extensibility: the SDK's exchange is https only, so it goes to the stand-in's https listener,
    // whose throwaway certificate Node trusts through NODE_EXTRA_CA_CERTS (read when the process starts).
    TEAMS_PHONE_ENABLED: "true",
    TEAMS_PHONE_ACS_ENDPOINT: `https://localhost:${emulatorPort + 1}`,
    EMULATOR_HTTPS_PORT: String(emulatorPort + 1),
    NODE_EXTRA_CA_CERTS: path.resolve("emulator/certs/cert.pem"),
  };
}
