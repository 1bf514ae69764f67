/**
 * Runs once when the server starts: validates the configuration, so a bad variable is named at once, not deep in a
 * request; then starts OpenTelemetry if an exporter is configured (lib/telemetry/setup.ts). Not awaited: loading an
 * exporter SDK (Azure Monitor's takes seconds of CPU) must not hold back readiness; the portal's instruments pick
 * the providers up as soon as they are registered.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationAtStartup } = await import("./lib/config/startup");
    const env = checkConfigurationAtStartup();
    if (env.APPLICATIONINSIGHTS_CONNECTION_STRING || env.OTEL_EXPORTER_OTLP_ENDPOINT) {
      const [{ startTelemetry }, { log }] = await Promise.all([
        import("./lib/telemetry/setup"),
        import("./lib/log"),
      ]);
      startTelemetry(env).catch((error: unknown) =>
        log.error("telemetry failed to start", { kind: error instanceof Error ? error.name : typeof error }),
      );
    }
  }
}
