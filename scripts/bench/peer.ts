/**
 * The benchmark's PEER: the server a Contoso engineer would deploy instead of the portal, built from the design of the
 * Azure sample `communication-services-authentication-hero-nodejs` (its `GET /api/token/teams`), not from its code:
 * Express, `express-jwt` with `jwks-rsa` checking the Bearer token's RS256 signature against Entra's published keys,
 * audience and issuer as configured for one tenant, then `CommunicationIdentityClient.getTokenForTeamsUser` with a
 * connection string on EVERY request (no cache). Failures are passed on: 401 for a bad token, the ACS error's own
 * status (429 when ACS throttles) for a failed exchange.
 *
 * Run as a child process by scripts/bench.ts (`node --import tsx scripts/bench/peer.ts`), configured by environment:
 * PEER_PORT, PEER_ACS_CONNECTION_STRING, PEER_JWKS_URI, PEER_AUDIENCE, PEER_ISSUER, PEER_CLIENT_ID. Loopback only.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CommunicationIdentityClient } from "@azure/communication-identity";
import express, { type NextFunction, type Request, type Response } from "express";
import { expressjwt, type Request as JwtRequest, UnauthorizedError } from "express-jwt";
import jwksRsa from "jwks-rsa";

export interface PeerOptions {
  port: number;
  /** endpoint=<ACS or the latency proxy>/;accesskey=… */
  acsConnectionString: string;
  /** Entra's key set, e.g. <stand-in>/common/discovery/v2.0/keys */
  jwksUri: string;
  /** The ACS resource audience the Teams user's Entra token is issued for. */
  audience: string;
  /** The single tenant's v1 issuer (https://sts.windows.net/<tid>/), as a one-tenant app configures it. */
  issuer: string;
  /** The app's client id, sent to ACS with the exchange (the sample reads it from its configuration). */
  clientId: string;
}

export function createPeerApp(options: PeerOptions): express.Express {
  // The stand-in (or the latency proxy in front of it) speaks plain HTTP on loopback; real ACS is https.
  const identity = new CommunicationIdentityClient(options.acsConnectionString, {
    allowInsecureConnection: true,
  });
  const app = express();
  app.disable("x-powered-by");
  app.get(
    "/api/token/teams",
    expressjwt({
      secret: jwksRsa.expressJwtSecret({
        jwksUri: options.jwksUri,
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 10,
      }) as jwksRsa.GetVerificationKey,
      algorithms: ["RS256"],
      audience: options.audience,
      issuer: options.issuer,
    }),
    async (req: JwtRequest, res: Response, next: NextFunction) => {
      try {
        const bearer = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
        const oid = typeof req.auth?.oid === "string" ? req.auth.oid : "";
        const token = await identity.getTokenForTeamsUser({
          teamsUserAadToken: bearer,
          clientId: options.clientId,
          userObjectId: oid,
        });
        res.json(token);
      } catch (error) {
        next(error);
      }
    },
  );
  // The sample passes errors on with their status: 401 from express-jwt, the ACS error's status from the SDK.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof UnauthorizedError) {
      res.status(401).json({ error: error.code, message: error.message });
      return;
    }
    const status = (error as { statusCode?: unknown }).statusCode;
    const code = typeof status === "number" && status >= 400 && status < 600 ? status : 500;
    res.status(code).json({ error: (error as { code?: string }).code ?? "Error" });
  });
  return app;
}

export async function startPeer(options: PeerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = createPeerApp(options).listen(options.port, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const peer = await startPeer({
    port: Number(required("PEER_PORT")),
    acsConnectionString: required("PEER_ACS_CONNECTION_STRING"),
    jwksUri: required("PEER_JWKS_URI"),
    audience: required("PEER_AUDIENCE"),
    issuer: required("PEER_ISSUER"),
    clientId: required("PEER_CLIENT_ID"),
  });
  console.log(`peer listening on ${peer.url}`);
  process.once("SIGTERM", () => void peer.close().then(() => process.exit(0)));
}
