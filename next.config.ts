import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // One server for every target: the image, App Service, `npm start` and the end-to-end tests run .next/standalone.
  output: "standalone",
  typedRoutes: false,
  experimental: {
    // Next preloads every route's modules right after start, on the same thread that answers the first requests:
    // the health probe and the first page waited behind all 20 routes (cold start 2.6-4.5 s vs 1.5-2.6 s without,
    // on 2 busy vCPUs). Each route now loads on its first request instead (the demo opens every page before "ready").
    preloadEntriesOnStart: false,
  },
  // Telemetry SDKs load lazily from node_modules, only when an exporter is configured (lib/telemetry/setup.ts):
  // kept out of the server bundle, so a portal without telemetry neither ships nor starts them.
  serverExternalPackages: [
    "@azure/monitor-opentelemetry",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/sdk-metrics",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/exporter-metrics-otlp-http",
    "@opentelemetry/resources",
  ],
  // The build checks the app's own code; `npm run typecheck` checks everything (tests, stand-ins, scripts).
  typescript: { tsconfigPath: "tsconfig.app.json" },
  async headers() {
    // Pages get their CSP and security headers from proxy.ts (per-request nonce); this covers static files too.
    // The build's own scripts and styles get nosniff only: framing and referrer rules apply to documents, and those
    // bytes would ride along with each of the ~8 scripts of every page.
    return [
      { source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] },
      {
        source: "/((?!_next/static/).*)",
        headers: [
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
