import { log } from "@/lib/log";
import { ConfigError, type Env, parseEnv } from "./schema";

/** Stops the server at start-up with a readable list of bad variables (names and reasons only, never values). */
export function checkConfigurationAtStartup(env: Record<string, string | undefined> = process.env): Env {
  try {
    return parseEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error("Teams Token Portal cannot start: its configuration is invalid (see .env.example)", {
      problems: error.problems.join(" | "),
    });
    process.exit(1);
  }
}
