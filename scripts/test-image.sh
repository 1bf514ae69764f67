#!/usr/bin/env bash
# Builds the portal's container image from the unchanged Dockerfile with podman, starts it configured by environment
# only on the local stand-ins, and runs the end-to-end specs against the running container (playwright.image.config.ts),
# ending with a SIGTERM drain test. Prints the figures: image size, build time, cold start, total time.
# Needs root on Debian (installs podman, runc, debootstrap, chromium with apt-get when missing); no registry: the base
# image node:24-bookworm-slim is made locally from Debian's packages and cached (scripts/image/base-image.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
started=$(date +%s)
now_ms() { date +%s%3N; }

source scripts/ensure-node.sh
source scripts/image/podman-env.sh
bash scripts/ensure-test-tools.sh
[ -x node_modules/.bin/playwright ] || npm ci --no-audit --no-fund

image="${IMAGE_NAME:-localhost/teams-token-portal:test}"
portal_port="${IMAGE_PORTAL_PORT:-3400}"
emulator_port="${IMAGE_EMULATOR_PORT:-3500}"
container="ttp-image-test-$portal_port"
work=.tmp/image
mkdir -p "$work"

bash scripts/image/base-image.sh

# The build: the Dockerfile as it is; the host's CA bundle as a build secret for a TLS-intercepting proxy, if any.
ca_secret=()
for bundle in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
  if [ -s "$bundle" ]; then
    ca_secret=(--secret "id=ca,src=$bundle")
    break
  fi
done
echo "Building $image (log: $work/build.log)"
build_started=$(date +%s)
if ! podman build --format docker "${ca_secret[@]}" --tag "$image" --file Dockerfile . >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  exit 1
fi
build_seconds=$(($(date +%s) - build_started))
image_bytes=$(podman image inspect "$image" --format '{{.Size}}')

# What the image must be, whatever the Dockerfile says later: non-root, a health check, no configuration inside.
[ "$(podman image inspect "$image" --format '{{.Config.User}}')" = "node" ] || {
  echo "The image must run as user node" >&2
  exit 1
}
podman image inspect "$image" --format '{{json .Config.Healthcheck}}' | grep -q api/health || {
  echo "The image has no HEALTHCHECK on /api/health" >&2
  exit 1
}
podman run --rm "$image" sh -c 'touch .next/cache/.writable' 2>"$work/run.log" || {
  cat "$work/run.log" >&2
  echo "The runtime user cannot write .next/cache (next.js #54870)" >&2
  exit 1
}
if podman image inspect "$image" --format '{{range .Config.Env}}{{println .}}{{end}}' |
  grep -E '^(AUTH_|ACS_|AZURE_|REDIS_URL|ALLOWED_|EMULATOR_)'; then
  echo "The image carries portal configuration (above): it must come from the environment at start-up" >&2
  exit 1
fi

cleanup() { podman rm --force --ignore "$container" >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
node --import tsx tests/image/container-env.ts "$portal_port" "$emulator_port" >"$work/portal.env"

# Cold start: from `podman run` to the first 200 on /api/health, then on /.
first_200() {
  local path=$1 deadline=$(($(date +%s) + 90))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$portal_port$path")" = "200" ]; do
    if [ "$(podman inspect --format '{{.State.Running}}' "$container")" != "true" ] || [ "$(date +%s)" -gt "$deadline" ]; then
      echo "The container did not answer 200 on $path:" >&2
      podman logs "$container" >&2 || true
      exit 1
    fi
    sleep 0.05
  done
}
run_started=$(now_ms)
# Without systemd podman logs that it cannot schedule the HEALTHCHECK (it is run below instead): keep that in a log.
podman run --detach --init --name "$container" --network host --env-file "$work/portal.env" "$image" \
  >/dev/null 2>"$work/run.log" || {
  cat "$work/run.log" >&2
  exit 1
}
first_200 /api/health
health_ms=$(($(now_ms) - run_started))
first_200 /
home_ms=$(($(now_ms) - run_started))
podman healthcheck run "$container" >/dev/null || {
  echo "The image's HEALTHCHECK reports the running container unhealthy" >&2
  exit 1
}
# The compiled code the image brings is the runtime user's (Node keeps one compile cache per user id): a fresh
# server.js in the image must read Next.js and the portal from it.
cache_hits=$(podman run --rm --network host --env-file "$work/portal.env" -e PORT="$((portal_port + 7))" \
  -e NODE_DEBUG_NATIVE=COMPILE_CACHE "$image" \
  sh -c 'timeout 8 node server.js 2>&1 | grep -c "reading cache from .* success"' 2>>"$work/run.log" || true)
[ "${cache_hits:-0}" -gt 50 ] || {
  echo "A fresh server in the image read ${cache_hits:-0} modules from the compile cache (expected > 50)" >&2
  exit 1
}

echo "Running the end-to-end specs against the container $container"
tests_started=$(date +%s)
E2E_PORTAL_PORT="$portal_port" E2E_EMULATOR_PORT="$emulator_port" IMAGE_CONTAINER="$container" \
  npx playwright test --config playwright.image.config.ts
tests_seconds=$(($(date +%s) - tests_started))

cat <<FIGURES | tee "$work/figures.txt"
Container image figures ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)
  image size                    $(numfmt --to=si --suffix=B "$image_bytes") ($image)
  build time                    ${build_seconds} s (podman build, layer cache as found)
  cold start to first 200       /api/health ${health_ms} ms, / ${home_ms} ms
  compile cache at start-up     ${cache_hits} modules read compiled
  end-to-end specs              ${tests_seconds} s
  npm run test:image in all     $(($(date +%s) - started)) s
FIGURES
