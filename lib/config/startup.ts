import { ConfigError, parseEnv } from "./schema";

/** Stops the server at start-up with a readable list of bad variables (names and reasons only, never values). */
export function checkConfigurationAtStartup(env: Record<string, string | undefined> = process.env): void {
  try {
    parseEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}
