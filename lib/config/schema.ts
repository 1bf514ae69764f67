import { z } from "zod";
import { GUID_PATTERN } from "../guid";

/**
 * Every environment variable the portal reads, with what it is and where its value is found.
 * Pure (no `server-only`) so scripts, tests and next.config can validate too; the app reads it via lib/config.
 */

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

const guid = z
  .string()
  .trim()
  .regex(GUID_PATTERN, "must be a GUID such as 00000000-0000-0000-0000-000000000000");

const guidList = z
  .string()
  .trim()
  .transform((value) =>
    value
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((item) => item.toLowerCase()),
  )
  .pipe(z.array(guid));

const originList = z
  .string()
  .trim()
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.url().transform((url) => new URL(url).origin)));

const rate = z
  .string()
  .trim()
  .regex(/^\d+\/\d+$/, "must look like 30/60 (requests per seconds)")
  .transform((value) => {
    const [limit, windowSeconds] = value.split("/").map(Number) as [number, number];
    return { limit, windowSeconds };
  });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const variables = {
  AUTH_SECRET: {
    schema: z
      .string()
      .min(
        32,
        "must be at least 32 characters (generate one with `npx auth secret` or `openssl rand -base64 33`)",
      ),
    about: "Encrypts the session cookie that holds the Entra tokens.",
    where:
      "Generate it yourself; store it in App Service configuration, Key Vault or Vercel environment variables.",
  },
  AUTH_URL: {
    schema: z
      .url()
      .refine((url) => new URL(url).protocol === "https:" || LOOPBACK.includes(new URL(url).hostname), {
        message:
          "must use https (the session cookie is marked Secure only on https); http is for localhost only",
      })
      .optional(),
    about:
      "The portal's public URL, e.g. https://tokens.contoso.com. Required in production (optional on Vercel or with AUTH_TRUST_HOST).",
    where: "Your deployment's URL: App Service → Overview → Default domain, or your custom domain.",
  },
  AUTH_MICROSOFT_ENTRA_ID_ID: {
    schema: guid,
    about: "The app registration's Application (client) ID.",
    where:
      "Azure portal → Microsoft Entra ID → App registrations → your app → Overview → Application (client) ID.",
  },
  AUTH_MICROSOFT_ENTRA_ID_SECRET: {
    schema: z.string().min(1, "is empty"),
    about: "A client secret of the app registration (Web platform).",
    where: "App registrations → your app → Certificates & secrets → New client secret → Value (shown once).",
  },
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: {
    schema: z
      .url()
      .refine((url) => /^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0\/?$/.test(url), {
        message: "must look like https://login.microsoftonline.com/<organizations|tenant id>/v2.0",
      })
      .default("https://login.microsoftonline.com/organizations/v2.0"),
    about: "The Entra authority. Default: the multitenant 'organizations' authority.",
    where: "Keep the default for a multitenant app; a tenant id restricts sign-in to one organization.",
  },
  ACS_CONNECTION_STRING: {
    schema: z
      .string()
      .trim()
      .regex(
        /^endpoint=https?:\/\/[^;]+;accesskey=[A-Za-z0-9+/=]+$/i,
        "must look like endpoint=https://<name>.communication.azure.com/;accesskey=<key>",
      )
      .optional(),
    about: "Authenticates the portal to Azure Communication Services with an access key.",
    where: "Azure portal → your Communication Services resource → Settings → Keys → Connection string.",
  },
  ACS_ENDPOINT: {
    schema: z.url().optional(),
    about:
      "ACS endpoint for Entra (RBAC) authentication with the portal's managed identity, instead of a key.",
    where:
      "Communication Services resource → Overview → Endpoint. Grant the managed identity a role on the resource.",
  },
  ALLOWED_TENANT_IDS: {
    schema: guidList.optional(),
    about: "Comma-separated tenant ids allowed to sign in and get tokens. Empty: every organization.",
    where: "Each customer's Microsoft Entra ID → Overview → Tenant ID.",
  },
  ALLOWED_CLIENT_IDS: {
    schema: guidList.optional(),
    about:
      "Client apps whose Bearer tokens the API accepts (their app id is sent to ACS). Default: this portal's own id.",
    where: "Each client app's App registrations → Overview → Application (client) ID.",
  },
  ALLOWED_ORIGINS: {
    schema: originList.optional(),
    about: "Browser origins allowed to call the token API with a Bearer token (CORS).",
    where: "The URLs of your own web apps, e.g. https://app.contoso.com.",
  },
  EMULATOR_URL: {
    schema: z
      .url()
      .refine((url) => LOOPBACK.includes(new URL(url).hostname), {
        message: "must be a loopback URL such as http://localhost:3100",
      })
      .optional(),
    about:
      "Offline mode: route every Microsoft Entra call to the local stand-in at this URL. Never set in production.",
    where: "Set by `npm run demo` and the tests; see emulator/README.md.",
  },
  ACS_EXCHANGE_TIMEOUT_MS: {
    schema: int(500, 60_000).default(10_000),
    about: "Deadline for one token exchange with ACS, retries included.",
    where: "Optional tuning.",
  },
  ACS_MAX_RETRIES: {
    schema: int(0, 5).default(2),
    about: "Retries of a failed exchange (server errors, throttling with Retry-After).",
    where: "Optional tuning.",
  },
  ACS_MAX_RETRY_DELAY_MS: {
    schema: int(0, 30_000).default(2_000),
    about: "Longest wait between retries; a longer Retry-After is passed on to the caller instead.",
    where: "Optional tuning.",
  },
  TOKEN_CACHE_MARGIN_SECONDS: {
    schema: int(0, 3_000).default(300),
    about: "A cached Teams token is reused until this long before it expires.",
    where: "Optional tuning.",
  },
  ENTRA_REFRESH_MARGIN_SECONDS: {
    schema: int(0, 3_000).default(300),
    about: "The Entra access token in the session is renewed this long before it expires.",
    where: "Optional tuning.",
  },
  CLOCK_SKEW_SECONDS: {
    schema: int(0, 300).default(120),
    about: "Clock skew tolerated when checking token times.",
    where: "Optional tuning.",
  },
  SESSION_MAX_AGE_SECONDS: {
    schema: int(300, 43_200).default(43_200),
    about: "Longest portal session, at most 12 hours.",
    where: "Optional tuning.",
  },
  RATE_LIMIT_USER: {
    schema: rate.default({ limit: 30, windowSeconds: 60 }),
    about:
      "Token requests per user per window (cached answers included), as limit/seconds: stops one looping app.",
    where: "Optional tuning.",
  },
  RATE_LIMIT_TENANT: {
    schema: rate.default({ limit: 600, windowSeconds: 60 }),
    about:
      "Upstream ACS exchanges per tenant per window, as limit/seconds. Cached answers do not count: one organization's many users are served from the cache; this only keeps one tenant from spending the whole ACS_EXCHANGE_BUDGET.",
    where: "Optional tuning.",
  },
  ACS_EXCHANGE_BUDGET: {
    schema: rate.default({ limit: 450, windowSeconds: 30 }),
    about:
      "Upstream exchanges per window for the whole portal, below ACS's limit of 500 per 30 s per resource.",
    where: "Optional tuning; lower it when several portals share one ACS resource.",
  },
  RATE_LIMIT_CLIENT: {
    schema: rate.default({ limit: 10, windowSeconds: 60 }),
    about:
      "Requests per client address per window that make the portal call out (a tenant's own signing keys, a domain look-up on /consent), as limit/seconds.",
    where:
      "Optional tuning. The client address is the right-most X-Forwarded-For entry, i.e. what the nearest proxy saw.",
  },
  TENANT_KEY_FETCH_BUDGET: {
    schema: rate.default({ limit: 30, windowSeconds: 60 }),
    about:
      "Fetches of a tenant's own signing keys per window for the whole portal, as limit/seconds. Entra signs with its common key set; a tenant-specific key is the exception.",
    where: "Optional tuning.",
  },
  REDIS_URL: {
    schema: z
      .url()
      .refine((url) => /^rediss?:$/.test(new URL(url).protocol), {
        message: "must start with redis:// or rediss://",
      })
      .optional(),
    about: "Shared cache, single-flight and rate limits for several instances. Empty: in memory.",
    where: "Azure Cache for Redis → Settings → Access keys (use rediss:// on port 6380).",
  },
  ACS_CREDENTIAL: {
    schema: z.enum(["connection-string", "managed-identity", "vercel-oidc"]).optional(),
    about:
      "How the portal authenticates to ACS. Empty: the connection string if set; else, on Vercel with AZURE_TENANT_ID and AZURE_CLIENT_ID, vercel-oidc (Vercel's OIDC token federated to an Entra workload identity); else managed-identity (DefaultAzureCredential).",
    where: "Set vercel-oidc on Vercel for keyless ACS (README → Deploy on Vercel); leave empty elsewhere.",
  },
  AZURE_TENANT_ID: {
    schema: guid.optional(),
    about:
      "Tenant of the workload identity (user-assigned managed identity) that the Vercel OIDC token is federated to.",
    where: "Azure portal → Managed Identities → your identity → Overview → Tenant ID (your Entra tenant id).",
  },
  AZURE_CLIENT_ID: {
    schema: guid.optional(),
    about:
      "Client id of the portal's user-assigned managed identity: the workload identity on Vercel, the identity to use on Azure.",
    where: "Azure portal → Managed Identities → your identity → Overview → Client ID.",
  },
  AZURE_AUTHORITY_HOST: {
    schema: z
      .url()
      .refine((url) => new URL(url).protocol === "https:", { message: "must use https" })
      .optional(),
    about:
      "Entra authority host for the workload identity. Default https://login.microsoftonline.com; a sovereign cloud's host, or the local stand-in's https URL in tests.",
    where: "Leave empty on the public Azure cloud.",
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    schema: z
      .string()
      .trim()
      .regex(/InstrumentationKey=[0-9a-f-]{36}/i, "must contain InstrumentationKey=<GUID>")
      .optional(),
    about:
      "Sends traces and metrics to Application Insights (Azure Monitor OpenTelemetry). Empty: no Azure Monitor export.",
    where: "Application Insights resource → Overview → Connection String.",
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: z.url().optional(),
    about:
      "Sends traces and metrics over OTLP/HTTP to this collector (used when no Application Insights connection string is set). Empty: telemetry off.",
    where: "Your OpenTelemetry collector, e.g. http://localhost:4318 or your vendor's OTLP endpoint.",
  },
  OTEL_SERVICE_NAME: {
    schema: z.string().trim().min(1).max(100).default("teams-token-portal"),
    about: "Service name on every span and metric (the cloud role name in Application Insights).",
    where: "Optional; name each deployment, e.g. teams-token-portal-prod.",
  },
  LOG_LEVEL: {
    schema: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    about: "Lowest level of the structured JSON log lines the portal writes to stdout/stderr.",
    where: "Optional; debug while investigating, silent in tests.",
  },
  AUTH_TRUST_HOST: {
    schema: z
      .enum(["true", "false"], { message: "must be true or false" })
      .transform((value) => value === "true")
      .optional(),
    about:
      "Without AUTH_URL, take the public URL from X-Forwarded-Host/-Proto. Only behind a reverse proxy you control that overwrites them; Vercel is trusted by itself.",
    where: "Leave unset and set AUTH_URL instead, unless your proxy serves several host names.",
  },
  ADMIN_ROLE: {
    schema: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._:-]{1,120}$/, "must be an app role value such as TokenPortal.Admin")
      .default("TokenPortal.Admin"),
    about:
      "The app role (the ID token's roles claim) that lets a signed-in user see this deployment's diagnostics on /admin.",
    where:
      "App registrations → your app → App roles (value); assign it in Enterprise applications → your app → Users and groups.",
  },
  ADMIN_OBJECT_IDS: {
    schema: guidList.optional(),
    about: "Optional: object ids (oid) of users who are portal admins even without the app role.",
    where: "Microsoft Entra ID → Users → the user → Overview → Object ID.",
  },
  RATE_LIMIT_ADMIN_CHECK: {
    schema: rate.default({ limit: 5, windowSeconds: 60 }),
    about: "Live ACS credential checks per portal admin per window, as limit/seconds.",
    where: "Optional tuning.",
  },
  RATE_LIMIT_ADMIN_CHECK_GLOBAL: {
    schema: rate.default({ limit: 20, windowSeconds: 60 }),
    about: "Live ACS credential checks of all admins together per window (each spends ACS exchange quota).",
    where: "Optional tuning.",
  },
  TEAMS_PHONE_ENABLED: {
    schema: z
      .enum(["true", "false"], { message: "must be true or false" })
      .default("false")
      .transform((value) => value === "true"),
    about:
      "Teams Phone extensibility: sign-in also asks for TeamsExtension.ManageCalls, /token and the API serve a Teams Phone token, and admins manage access assignments.",
    where:
      "Set true once the ACS resource is set up for Teams Phone extensibility and the app registration has the TeamsExtension.ManageCalls permission.",
  },
  TEAMS_PHONE_ACS_ENDPOINT: {
    schema: z
      .url()
      .refine((url) => new URL(url).protocol === "https:", { message: "must be an https:// URL" })
      .optional(),
    about:
      "Endpoint for the Teams Phone token exchange, which the Azure SDK sends over https only. Default: the ACS endpoint above.",
    where: "Leave empty on Azure; the offline demo points it at the stand-in's https listener.",
  },
} as const;

type Variables = typeof variables;
export type VariableName = keyof Variables;

const shape = Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.schema])) as {
  [K in VariableName]: Variables[K]["schema"];
};

const emptyToUndefined = (env: Record<string, string | undefined>) =>
  Object.fromEntries(
    Object.keys(variables).map((name) => [name, env[name]?.trim() === "" ? undefined : env[name]]),
  );

export const envSchema = z.object(shape);

const ACS_MISSING =
  "ACS_CONNECTION_STRING is missing: set ACS_CONNECTION_STRING (access key) or ACS_ENDPOINT (managed identity). " +
  `${variables.ACS_CONNECTION_STRING.about} Where: ${variables.ACS_CONNECTION_STRING.where}`;

const AUTH_URL_REQUIRED =
  "AUTH_URL is missing: in production the portal needs its public URL (e.g. https://tokens.contoso.com) for " +
  "sign-in redirects, cookies and the same-origin check, and does not take it from X-Forwarded-Host by itself. " +
  "Set AUTH_URL; or, only behind a reverse proxy you control that overwrites X-Forwarded-Host and X-Forwarded-Proto, " +
  `AUTH_TRUST_HOST=true. Where: ${variables.AUTH_URL.where}`;

/** Whether the platform or the operator vouches for X-Forwarded-Host/-Proto (Vercel sets VERCEL and its own headers). */
export function trustsForwardedHeaders(env: Record<string, string | undefined>): boolean {
  return env.AUTH_TRUST_HOST?.trim() === "true" || Boolean(env.VERCEL?.trim());
}

/** A production server that is not on the local stand-ins must know its public origin. */
function publicUrlUnknown(env: Record<string, string | undefined>, values: Record<string, unknown>): boolean {
  const production = env.NODE_ENV === "production" && !values.EMULATOR_URL;
  return production && !values.AUTH_URL && !trustsForwardedHeaders(env);
}

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Teams Token Portal cannot start: its configuration is invalid.\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`,
    );
    this.name = "ConfigError";
  }
}

/** Parses the environment; the error names each variable, what is wrong and where to find it, never its value. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  const values = emptyToUndefined(env);
  const result = envSchema.safeParse(values);
  const acsMissing = !values.ACS_CONNECTION_STRING && !values.ACS_ENDPOINT;
  const credentialProblems = result.success ? acsCredentialProblems(result.data) : [];
  const urlMissing = publicUrlUnknown(env, values);
  if (result.success && !acsMissing && credentialProblems.length === 0 && !urlMissing) return result.data;
  const problems = (result.error?.issues ?? []).map((issue) => {
    const name = String(issue.path[0] ?? "configuration") as VariableName;
    const variable = variables[name];
    const message = issue.code === "invalid_type" && issue.input === undefined ? "is missing" : issue.message;
    return variable
      ? `${name} ${message}. ${variable.about} Where: ${variable.where}`
      : `${name} ${message}.`;
  });
  if (acsMissing) problems.push(ACS_MISSING);
  problems.push(...credentialProblems);
  if (urlMissing) problems.push(AUTH_URL_REQUIRED);
  throw new ConfigError(problems);
}

/** An explicit ACS_CREDENTIAL needs the variables of its path. */
function acsCredentialProblems(env: Env): string[] {
  const needs: Partial<Record<NonNullable<Env["ACS_CREDENTIAL"]>, VariableName[]>> = {
    "connection-string": ["ACS_CONNECTION_STRING"],
    "managed-identity": ["ACS_ENDPOINT"],
    "vercel-oidc": ["ACS_ENDPOINT", "AZURE_TENANT_ID", "AZURE_CLIENT_ID"],
  };
  const required = env.ACS_CREDENTIAL ? (needs[env.ACS_CREDENTIAL] ?? []) : [];
  return required
    .filter((name) => env[name] === undefined)
    .map(
      (name) =>
        `${name} is missing: ACS_CREDENTIAL=${env.ACS_CREDENTIAL} needs it. ${variables[name].about} Where: ${variables[name].where}`,
    );
}
