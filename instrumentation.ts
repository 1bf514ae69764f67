/** Validates the configuration when the server starts, so a bad variable is named at once, not deep in a request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, parseEnv } = await import("./lib/config/schema");
  try {
    parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
