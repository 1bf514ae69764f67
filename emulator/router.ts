import type { IncomingMessage, ServerResponse } from "node:http";
import { handleExchange } from "./acs/exchange";
import { handleAssignment, handleTeamsExtensionExchange } from "./acs/teams-extension";
import type { Context } from "./context";
import { handleControl } from "./control";
import { handleAuthorize } from "./entra/authorize";
import { handleAdminConsent } from "./entra/consent";
import { handleDiscovery, handleJwks } from "./entra/discovery";
import { handleLogout } from "./entra/logout";
import { handleMsi } from "./entra/msi";
import { handleToken } from "./entra/token";
import { BodyTooLargeError, isLoopback, parseForm, readBody, sendJson } from "./http";
import { handleVercelDiscovery, handleVercelJwks } from "./vercel/oidc";

type Handler = (a: {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  body: Buffer;
  secure: boolean;
}) => Promise<void> | void;

interface Route {
  pattern: RegExp;
  methods: Partial<Record<"get" | "post" | "put" | "delete", Handler>>;
}

/** Query for GET, query + form body for POST (the sign-in and consent pages post their forms back). */
function merged(url: URL, body: Buffer): URLSearchParams {
  const params = new URLSearchParams(url.searchParams);
  for (const [k, v] of parseForm(body)) params.set(k, v);
  return params;
}

function routes(ctx: Context): Route[] {
  const t = "([^/]+)";
  return [
    {
      pattern: /^\/teamsUser\/:exchangeAccessToken$/,
      methods: {
        post: ({ req, res, url, body, secure }) => handleExchange(ctx, req, res, url, body, secure),
      },
    },
    {
      pattern: /^\/access\/teamsExtension\/:exchangeAccessToken$/,
      methods: {
        post: ({ req, res, url, body, secure }) =>
          handleTeamsExtensionExchange(ctx, req, res, url, body, secure),
      },
    },
    (() => {
      const assignment: Handler = ({ req, res, url, body, secure, params }) =>
        handleAssignment(ctx, req, res, url, body, secure, params[0] ?? "", params[1] ?? "");
      return {
        pattern: /^\/access\/teamsExtension\/tenants\/([^/]+)\/assignments\/([^/]+)$/,
        methods: { get: assignment, put: assignment, delete: assignment },
      };
    })(),
    {
      pattern: /^\/msi\/token$/,
      methods: { get: ({ req, res, url }) => handleMsi(ctx, req, res, url.searchParams) },
    },
    {
      pattern: new RegExp(`^/vercel-oidc/${t}/\\.well-known/openid-configuration$`),
      methods: { get: ({ res, params }) => handleVercelDiscovery(ctx, res, params[0] ?? "") },
    },
    {
      pattern: new RegExp(`^/vercel-oidc/${t}/\\.well-known/jwks$`),
      methods: { get: ({ res }) => handleVercelJwks(ctx, res) },
    },
    {
      pattern: new RegExp(`^/${t}/v2\\.0/\\.well-known/openid-configuration$`),
      methods: {
        get: ({ req, res, params, secure }) =>
          handleDiscovery(ctx, res, params[0] ?? "", secure ? `https://${req.headers.host}` : undefined),
      },
    },
    {
      pattern: new RegExp(`^/${t}/discovery/v2\\.0/keys$`),
      methods: { get: ({ res, params }) => handleJwks(ctx, res, params[0] ?? "", true) },
    },
    {
      pattern: new RegExp(`^/${t}/discovery/keys$`),
      methods: { get: ({ res, params }) => handleJwks(ctx, res, params[0] ?? "", false) },
    },
    {
      pattern: new RegExp(`^/${t}/oauth2/v2\\.0/authorize$`),
      methods: {
        get: ({ res, url, params }) => handleAuthorize(ctx, res, params[0] ?? "", url.searchParams),
        post: ({ res, url, params, body }) => handleAuthorize(ctx, res, params[0] ?? "", merged(url, body)),
      },
    },
    {
      pattern: new RegExp(`^/${t}/oauth2/v2\\.0/token$`),
      methods: {
        post: ({ req, res, params, body }) => handleToken(ctx, req, res, params[0] ?? "", parseForm(body)),
      },
    },
    {
      pattern: new RegExp(`^/${t}/oauth2/v2\\.0/logout$`),
      methods: { get: ({ res, url, params }) => handleLogout(res, params[0] ?? "", url.searchParams) },
    },
    {
      pattern: new RegExp(`^/${t}/(v2\\.0/)?adminconsent$`),
      methods: {
        get: ({ res, url, params }) =>
          handleAdminConsent(ctx, res, params[0] ?? "", url.searchParams, Boolean(params[1]), "GET"),
        post: ({ res, url, params, body }) =>
          handleAdminConsent(ctx, res, params[0] ?? "", merged(url, body), Boolean(params[1]), "POST"),
      },
    },
  ];
}

/** Builds the request listener shared by the HTTP and HTTPS servers. */
export function createRouter(ctx: Context, secure: boolean) {
  const table = routes(ctx);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      let path: string;
      try {
        path = decodeURIComponent(url.pathname).replace(/\/{2,}/g, "/");
      } catch {
        sendJson(res, 400, { error: { code: "BadRequest", message: "Malformed URL." } });
        return;
      }
      const method = req.method ?? "GET";
      let body: Buffer = Buffer.alloc(0);
      if (method !== "GET" && method !== "HEAD") {
        try {
          body = await readBody(req);
        } catch (err) {
          if (err instanceof BodyTooLargeError) {
            res.setHeader("Connection", "close");
            sendJson(res, 413, {
              error: { code: "RequestEntityTooLarge", message: "The request body is too large." },
            });
            return;
          }
          res.destroy(); // the client went away mid-body
          return;
        }
      }

      if (path.startsWith("/_emulator/")) {
        if (!isLoopback(req.socket.remoteAddress)) {
          sendJson(res, 403, {
            error: "forbidden",
            message: "Control endpoints answer loopback clients only.",
          });
          return;
        }
        if (await handleControl(ctx, res, method, path.slice("/_emulator/".length), body)) return;
        sendJson(res, 404, { error: "not_found", message: `No control endpoint ${method} ${path}.` });
        return;
      }
      if (path === "/" || path === "/healthz") {
        sendJson(res, 200, {
          status: "ok",
          service: "Entra ID and ACS identity stand-ins",
          publicUrl: ctx.publicUrl(),
        });
        return;
      }
      for (const route of table) {
        const match = route.pattern.exec(path);
        if (!match) continue;
        const handler = (
          {
            GET: route.methods.get,
            POST: route.methods.post,
            PUT: route.methods.put,
            DELETE: route.methods.delete,
          } as Record<string, Handler | undefined>
        )[method];
        if (!handler) {
          const allow = Object.keys(route.methods)
            .map((m) => m.toUpperCase())
            .join(", ");
          res.setHeader("Allow", allow);
          sendJson(res, 405, {
            error: {
              code: "MethodNotAllowed",
              message: `The endpoint only accepts ${allow} requests. Received ${method}.`,
            },
          });
          return;
        }
        await handler({ req, res, url, params: match.slice(1), body, secure });
        return;
      }
      sendJson(res, 404, { error: { code: "NotFound", message: `Resource '${path}' not found.` } });
    } catch (err) {
      console.error("[emulator] handler failed:", err);
      if (!res.headersSent) {
        sendJson(res, 500, {
          error: { code: "InternalServerError", message: "The emulator failed to handle the request." },
        });
      } else {
        res.destroy();
      }
    }
  };
}
