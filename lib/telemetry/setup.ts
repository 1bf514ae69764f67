import type { Env } from "@/lib/config/schema";
import { log } from "@/lib/log";

export type TelemetryMode = "azure-monitor" | "otlp" | "off";

/**
 * Starts OpenTelemetry for the Node.js server (called once from instrumentation.ts). Application Insights when its
 * connection string is set, else OTLP/HTTP when an endpoint is set, else nothing: no SDK is even loaded, and the
 * portal's spans and metrics stay @opentelemetry/api no-ops. The SDKs are imported lazily, so a portal without
 * telemetry never pays their start-up cost.
 */
export async function startTelemetry(env: Env): Promise<TelemetryMode> {
  const { ScrubbingSpanProcessor } = await import("./scrub");
  if (env.APPLICATIONINSIGHTS_CONNECTION_STRING) {
    const [azureMonitor, { resourceFromAttributes }] = await Promise.all([
      import("@azure/monitor-opentelemetry"),
      import("@opentelemetry/resources"),
    ]);
    // biome-ignore lint/correctness/useHookAtTopLevel: Azure Monitor's start function, not a React hook.
    azureMonitor.useAzureMonitor({
      azureMonitorExporterOptions: { connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING },
      resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME }),
      spanProcessors: [new ScrubbingSpanProcessor()],
      enableLiveMetrics: false,
      // Next.js emits its own request spans and the portal its own upstream spans: the distro's HTTP and Azure SDK
      // instrumentations would only duplicate them (and record full URLs).
      instrumentationOptions: {
        http: { enabled: false },
        azureSdk: { enabled: false },
        bunyan: { enabled: false },
        winston: { enabled: false },
      },
    });
    log.info("telemetry started", { exporter: "azure-monitor" });
    return "azure-monitor";
  }
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const [trace, { OTLPTraceExporter }, sdkMetrics, { OTLPMetricExporter }, { resourceFromAttributes }] =
      await Promise.all([
        import("@opentelemetry/sdk-trace-node"),
        import("@opentelemetry/exporter-trace-otlp-http"),
        import("@opentelemetry/sdk-metrics"),
        import("@opentelemetry/exporter-metrics-otlp-http"),
        import("@opentelemetry/resources"),
      ]);
    const { metrics } = await import("@opentelemetry/api");
    const resource = resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME });
    // The exporters read OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) themselves, appending /v1/traces, /v1/metrics.
    new trace.NodeTracerProvider({
      resource,
      spanProcessors: [new ScrubbingSpanProcessor(), new trace.BatchSpanProcessor(new OTLPTraceExporter())],
    }).register();
    metrics.setGlobalMeterProvider(
      new sdkMetrics.MeterProvider({
        resource,
        readers: [new sdkMetrics.PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
      }),
    );
    log.info("telemetry started", { exporter: "otlp" });
    return "otlp";
  }
  return "off";
}
