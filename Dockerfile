# The portal as one image, configured only by environment at start-up (README "Container image").
# Multi-stage, in the style of Next.js's examples/with-docker: install, build (no configuration, no secret), then a
# slim runtime with the standalone server only, as the non-root `node` user.

FROM node:24-bookworm-slim AS base
ENV NEXT_TELEMETRY_DISABLED=1

# 1. Dependencies. Behind a TLS-intercepting proxy, pass its CA bundle as a build secret (never a build argument):
#    docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt .   (podman build: the same flag)
FROM base AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=ca,required=false \
    --mount=type=cache,target=/root/.npm \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi; \
    npm ci --no-audit --no-fund

# 2. Build. The portal's variables are read and validated when the server starts, so the build gets none.
FROM base AS builder
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# 3. Runtime: the standalone server; .next/cache writable by `node` (next.js #54870). `npm run build` has already put
#    the static files in the standalone folder, as served (compile hint, brotli: scripts/standalone.ts): copying
#    .next/static again would put the unmarked scripts beside the marked .br files. The compile cache for its
#    modules is made again below, as the runtime user.
FROM node:24-bookworm-slim AS runner
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
RUN mkdir -p .next/cache && chown -R node:node .next
COPY --from=builder --chown=node:node /app/.next/standalone ./
USER node
# V8's compiled code for the server's modules, made as the runtime user (Node keeps one compile cache per user id).
RUN node warm-compile-cache.mjs
EXPOSE 3000
# Liveness on the health endpoint (200 also when Redis is degraded: the portal then serves from memory).
# Node's own fetch: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Heap capped as in `npm start`. On SIGTERM the server stops accepting connections, lets in-flight requests finish,
# then exits (Next's start-server). Run it under an init (`docker run --init`, `podman run --init`) as PID 1.
CMD ["node", "--max-old-space-size=192", "server.js"]
