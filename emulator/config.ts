import { z } from "zod";
import { demoData } from "./data";

const port = z.coerce.number().int().min(0).max(65535);
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (v) => ["1", "0", "true", "false", "on", "off", "yes", "no"].includes(v),
    "must be on/off, true/false or 1/0",
  )
  .transform((v) => ["1", "true", "on", "yes"].includes(v));

const rateLimit = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === "off" || /^\d+\/\d+$/.test(v), 'must be "<count>/<seconds>" (e.g. "500/30") or "off"')
  .transform((v) => {
    if (v === "off") return null;
    const [count, seconds] = v.split("/").map(Number) as [number, number];
    return { count, seconds };
  })
  .refine((v) => v === null || (v.count > 0 && v.seconds > 0), "count and seconds must be positive");

const envSchema = z.object({
  EMULATOR_PORT: port.default(3100),
  /** Default: EMULATOR_PORT + 1, so that one variable moves both listeners (two demos side by side). */
  EMULATOR_HTTPS_PORT: port.optional(),
  /** The portal's port (the demo's PORT): the banner and the v1 admin-consent default return address follow it. */
  PORT: port.default(3000),
  EMULATOR_PORTAL_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMULATOR_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMULATOR_ACS_KEY: z.base64().min(1).default(demoData.acs.accessKey),
  EMULATOR_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  EMULATOR_AUTO_LOGIN: flag.default(true),
  EMULATOR_ACS_RATE_LIMIT: rateLimit.default({ count: 500, seconds: 30 }),
  EMULATOR_KEY_GRACE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  EMULATOR_IDENTITY_HEADER: z.string().min(1).default("demo-identity-header"),
  EMULATOR_REAL_SIZE_TOKENS: flag.default(false),
});

export interface RateLimit {
  count: number;
  seconds: number;
}

/** Options of startEmulator(); anything left out comes from the environment, then the defaults. */
export interface EmulatorOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  /** HTTPS port; 0 picks a free one; false disables the HTTPS listener. */
  httpsPort?: number | false;
  /** Origin written into discovery documents and redirects; default http://localhost:<actual port>. */
  publicUrl?: string;
  acsKey?: string;
  tokenLifetimeSeconds?: number;
  autoLogin?: boolean;
  /** null disables rate limiting. */
  acsRateLimit?: RateLimit | null;
  keyGraceSeconds?: number;
  identityHeader?: string;
  /** Access and refresh tokens of real Entra size (extra real claims), so session cookies are chunked. */
  realSizeTokens?: boolean;
  /** The portal's origin (default http://localhost:<PORT or 3000>): banner and v1 admin-consent return address. */
  portalUrl?: string;
  /** Also listen on ::1 (default true; silently skipped when unavailable). */
  ipv6?: boolean;
  /** Read EMULATOR_* variables from this object (default process.env); pass {} to ignore the environment. */
  env?: Record<string, string | undefined>;
}

export interface EmulatorConfig {
  port: number;
  httpsPort: number | false;
  publicUrl?: string;
  acsKey: string;
  tokenLifetimeSeconds: number;
  autoLogin: boolean;
  acsRateLimit: RateLimit | null;
  keyGraceSeconds: number;
  identityHeader: string;
  realSizeTokens: boolean;
  portalUrl: string;
  ipv6: boolean;
}

export class ConfigError extends Error {}

/** Validates EMULATOR_* variables; throws ConfigError with one readable line per problem. */
export function loadConfig(options: EmulatorOptions = {}): EmulatorConfig {
  const env = options.env ?? process.env;
  const picked = Object.fromEntries(
    Object.keys(envSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== "")
      .map((k) => [k, env[k]]),
  );
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".")}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`,
    );
    throw new ConfigError(`Invalid emulator environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const httpPort = options.port ?? e.EMULATOR_PORT;
  return {
    port: httpPort,
    httpsPort: options.httpsPort ?? e.EMULATOR_HTTPS_PORT ?? (httpPort === 0 ? 0 : httpPort + 1),
    publicUrl: (options.publicUrl ?? e.EMULATOR_PUBLIC_URL)?.replace(/\/+$/, ""),
    acsKey: options.acsKey ?? e.EMULATOR_ACS_KEY,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? e.EMULATOR_TOKEN_LIFETIME_SECONDS,
    autoLogin: options.autoLogin ?? e.EMULATOR_AUTO_LOGIN,
    acsRateLimit: options.acsRateLimit !== undefined ? options.acsRateLimit : e.EMULATOR_ACS_RATE_LIMIT,
    keyGraceSeconds: options.keyGraceSeconds ?? e.EMULATOR_KEY_GRACE_SECONDS,
    identityHeader: options.identityHeader ?? e.EMULATOR_IDENTITY_HEADER,
    realSizeTokens: options.realSizeTokens ?? e.EMULATOR_REAL_SIZE_TOKENS,
    portalUrl: (options.portalUrl ?? e.EMULATOR_PORTAL_URL ?? `http://localhost:${e.PORT}`).replace(
      /\/+$/,
      "",
    ),
    ipv6: options.ipv6 ?? true,
  };
}
