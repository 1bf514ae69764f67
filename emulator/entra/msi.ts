import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "../context";
import { demoData } from "../data";
import { sendJson } from "../http";
import { mintManagedIdentityToken } from "./tokens";

/**
 * App Service managed identity endpoint (what @azure/identity / MSAL call when IDENTITY_ENDPOINT and IDENTITY_HEADER are
 * set): GET /msi/token?resource=<r>&api-version=2019-08-01 with header X-IDENTITY-HEADER.
 * The SDK's scope "https://communication.azure.com//.default" arrives as resource "https://communication.azure.com/".
 */
export async function handleMsi(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
) {
  const header = req.headers["x-identity-header"];
  if (header !== ctx.config.identityHeader) {
    return sendJson(res, 401, {
      statusCode: 401,
      message:
        "The X-IDENTITY-HEADER header is missing or does not match (emulator: EMULATOR_IDENTITY_HEADER).",
      correlationId: crypto.randomUUID(),
    });
  }
  if (query.get("api-version") !== "2019-08-01") {
    return sendJson(res, 400, { statusCode: 400, message: "api-version must be 2019-08-01." });
  }
  const resource = query.get("resource") ?? "";
  if (!resource) return sendJson(res, 400, { statusCode: 400, message: "resource is required." });
  const mi = demoData.managedIdentity;
  // A user-assigned identity is asked for by client_id (AZURE_CLIENT_ID); App Service refuses one it does not have.
  const clientId = query.get("client_id");
  if (clientId !== null && clientId.toLowerCase() !== mi.clientId) {
    return sendJson(res, 400, {
      statusCode: 400,
      message:
        "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.",
      correlationId: crypto.randomUUID(),
    });
  }
  const lifetime = ctx.state.accessTokenLifetimeSeconds;
  const accessToken = await mintManagedIdentityToken(ctx.keys, {
    tenantId: mi.tenantId,
    oid: mi.oid,
    clientId: mi.clientId,
    audience: resource.replace(/\/+$/, ""),
    lifetimeSeconds: lifetime,
  });
  sendJson(res, 200, {
    access_token: accessToken,
    expires_on: String(Math.floor(Date.now() / 1000) + lifetime),
    resource,
    token_type: "Bearer",
    client_id: mi.clientId,
  });
}
