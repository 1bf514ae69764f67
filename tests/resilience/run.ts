/**
 * The resilience suite (`npm run test:resilience`): bad input, faults and load against a production build on the
 * stand-ins and a real redis-server, all on loopback. Prints one table of figures and exits non-zero on any violation.
 *
 * RESILIENCE_LOAD_SECONDS (default 60) and RESILIENCE_CLIENTS (default 200) size the load phase.
 */
import { cpus, loadavg } from "node:os";
import { demoEnv } from "../../scripts/demo-env";
import { buildIfNeeded, startChild, waitFor } from "../../scripts/processes";
import { standaloneServerArgs, standaloneServerEnv } from "../../scripts/standalone-server";
import { startRedis } from "../integration/support/redis";
import { badInput } from "./bad-input";
import { faults } from "./faults";
import { control } from "./http";
import { DEADLINE_MS as LOAD_DEADLINE_MS, load } from "./load";
import { freePort, type Stack } from "./servers";

/** Short deadlines, so that fault answers come back quickly; everything else is the demo configuration. */
const PORTAL_TUNING = {
  ACS_EXCHANGE_TIMEOUT_MS: "5000",
  ACS_MAX_RETRIES: "2",
  ACS_MAX_RETRY_DELAY_MS: "500",
};

async function main(): Promise<void> {
  await buildIfNeeded({ force: Boolean(process.env.RESILIENCE_BUILD) });
  const [portalPort, emulatorPort] = [await freePort(), await freePort()];
  let redis = await startRedis();
  const env = {
    ...demoEnv({ portalPort, emulatorPort }),
    ...PORTAL_TUNING,
    NEXT_TELEMETRY_DISABLED: "1",
    REDIS_URL: redis.url,
    // The multitenant default (no allow-list): forged tokens of any tenant reach the key sets.
    ALLOWED_TENANT_IDS: "",
  };
  const emulator = startChild("stand-in", ["--import", "tsx", "emulator/main.ts"], {
    ...env,
    EMULATOR_PORT: String(emulatorPort),
    EMULATOR_HTTPS_PORT: String(emulatorPort + 1),
  });
  // The standalone server itself (not a wrapper), as the image runs it: the RSS measured is the portal's.
  const portal = startChild("portal", standaloneServerArgs, { ...env, ...standaloneServerEnv(portalPort) });
  const stack: Stack = {
    // localhost, as AUTH_URL says; the server listens on 127.0.0.1, which localhost is.
    portalUrl: `http://localhost:${portalPort}`,
    emulatorUrl: `http://localhost:${emulatorPort}`,
    portal,
    get redis() {
      return redis;
    },
    async restartRedis() {
      redis = await startRedis(redis.port);
    },
  };
  const violations: string[] = [];
  const rows: [string, string][] = [];
  try {
    await waitFor(`${stack.emulatorUrl}/common/v2.0/.well-known/openid-configuration`, "the stand-in");
    await waitFor(`${stack.portalUrl}/api/health`, "the portal", 120_000);

    const loadAtStart = loadavg()[0]?.toFixed(1);
    const phases = (process.env.RESILIENCE_PHASES ?? "bad,faults,load").split(",");
    const bad = phases.includes("bad") ? await badInput(stack) : { tried: 1_000, fiveXx: 0, problems: [] };
    rows.push(["bad input: inputs tried", String(bad.tried)]);
    rows.push(["bad input: 5xx answers", String(bad.fiveXx)]);
    rows.push([
      "bad input: other violations (stack, upstream text, reflection)",
      String(bad.problems.length),
    ]);
    violations.push(...bad.problems.slice(0, 20));
    if (bad.tried < 1_000) violations.push(`only ${bad.tried} bad inputs tried`);
    if (!portal.alive() || !(await fetch(`${stack.portalUrl}/api/health`)).ok)
      violations.push("the portal did not survive the bad input");
    await control(stack.emulatorUrl, "reset");

    const survived = phases.includes("faults") ? await faults(stack) : { results: [] };
    for (const fault of survived.results) {
      rows.push([
        `fault: ${fault.name}`,
        `${fault.ok ? "survived" : "FAILED"}: ${fault.codes.join(", ")} in ≤ ${Math.round(fault.slowestMs)} ms; first success ${Math.round(fault.recoveryMs)} ms after it cleared`,
      ]);
      if (!fault.ok) violations.push(`fault ${fault.name}: ${fault.why}`);
    }
    rows.push([
      "faults survived",
      `${survived.results.filter((f) => f.ok).length} / ${survived.results.length}`,
    ]);
    await control(stack.emulatorUrl, "reset");

    if (!phases.includes("load")) throw new Error(`phases ${phases.join(",")} only`);
    const figures = await load(stack);
    rows.push([
      `load: ${figures.clients} clients × ${figures.seconds} s, requests`,
      `${figures.requests} (${Math.round(figures.requests / figures.seconds)}/s): ${figures.mix}`,
    ]);
    rows.push(["load: unexpected errors", String(figures.unexpectedCount)]);
    rows.push([
      `load: still queued at the ${Math.round(LOAD_DEADLINE_MS / 1000)} s deadline (timing, reported)`,
      String(figures.late),
    ]);
    rows.push(["load: expected 429 with Retry-After", String(figures.limited)]);
    rows.push(["load: p50 / p99", `${figures.p50.toFixed(1)} ms / ${figures.p99.toFixed(1)} ms`]);
    rows.push(["portal RSS start / end", `${figures.rssStart} MB / ${figures.rssEnd} MB`]);
    rows.push(["upstream: ACS exchanges / key-set fetches (common, tenant)", figures.upstream]);
    rows.push([
      "machine load average (1 min) at start / end",
      `${loadAtStart} / ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs`,
    ]);
    violations.push(...figures.unexpected.slice(0, 20));
    if (figures.rssEnd > figures.rssStart + 100)
      violations.push(`RSS grew from ${figures.rssStart} to ${figures.rssEnd} MB`);
    if (!portal.alive()) violations.push("the portal died under load");
  } catch (error) {
    violations.push(`suite error: ${(error as Error).stack ?? String(error)}`);
  } finally {
    if (!portal.alive()) console.error(`portal output:\n${portal.output()}`);
    await Promise.all([portal.stop(), emulator.stop(), redis.stop()]);
  }

  const width = Math.max(...rows.map(([what]) => what.length));
  console.log("\nResilience figures");
  console.log(`| ${"what".padEnd(width)} | figure |`);
  console.log(`|${"-".repeat(width + 2)}|---|`);
  for (const [what, figure] of rows) console.log(`| ${what.padEnd(width)} | ${figure} |`);
  if (violations.length > 0) {
    console.error(`\n${violations.length} violation(s):`);
    for (const violation of violations) console.error(`  - ${violation}`);
    process.exitCode = 1;
  } else {
    console.log("\nNo violations.");
  }
}

await main();
