/** Validates the configuration when the server starts, so a bad variable is named at once, not deep in a request. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationAtStartup } = await import("./lib/config/startup");
    checkConfigurationAtStartup();
  }
}
