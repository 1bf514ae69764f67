/**
 * A path on this portal to return to after sign-in, or the fallback: never another origin (`//evil`, `/\evil`,
 * `https://…`), never whitespace or control characters. Open redirects start with a trusted "return to" parameter.
 */
const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/;

export function safeReturnPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || value.length > 512 || !SAFE_PATH.test(value)) return fallback;
  return value;
}
