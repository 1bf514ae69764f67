/**
 * Runs once when the server starts: validates the configuration, so a bad variable is named at once, not deep in a
 * request; then starts OpenTelemetry if an exporter is configured (lib/telemetry/setup.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationAtStartup } = await import("./lib/config/startup");
    const env = checkConfigurationAtStartup();
    if (env.APPLICATIONINSIGHTS_CONNECTION_STRING || env.OTEL_EXPORTER_OTLP_ENDPOINT) {
      const { startTelemetry } = await import("./lib/telemetry/setup");
      await startTelemetry(env);
    }
  }
}
