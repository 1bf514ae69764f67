import { execFile } from "node:child_process";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { EMULATOR_PORT, PORTAL_PORT } from "../../playwright.config";
import { control, mint, requestTeamsToken } from "../e2e/api-helpers";

/**
 * The orchestrator's stop (`podman stop`/`docker stop`: SIGTERM to the container's init, which forwards it to the
 * server) lets an exchange already in flight finish with its token, while new connections are refused at once.
 */
const CONTAINER = process.env.IMAGE_CONTAINER ?? "";
const EMULATOR = `http://localhost:${EMULATOR_PORT}`;
const PORTAL = `http://localhost:${PORTAL_PORT}`;
const EXCHANGE_DELAY_MS = 3_000;
const run = promisify(execFile);

/** Resolves with the connection error code, or "connected". */
const tryConnect = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });

async function exchangeInFlight(): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 5_000; await sleep(50)) {
    const stats = (await (await fetch(`${EMULATOR}/_emulator/stats`)).json()) as { pendingFaults: unknown[] };
    if (stats.pendingFaults.length === 0) return; // the stand-in took the delay fault: ACS is answering slowly
  }
  throw new Error("the exchange never reached the ACS stand-in");
}

test("SIGTERM during a slow ACS exchange: it completes with its token, new connections are refused, then exit", async () => {
  test.skip(!CONTAINER, "IMAGE_CONTAINER is not set (scripts/test-image.sh sets it)");
  await control(EMULATOR, "reset");
  expect(await tryConnect(PORTAL_PORT)).toBe("connected");

  const bearer = await mint(EMULATOR);
  await control(EMULATOR, "faults", { kind: "delay", count: 1, delayMs: EXCHANGE_DELAY_MS });
  const answered = requestTeamsToken(PORTAL, bearer).then((answer) => ({ answer, at: Date.now() }));
  answered.catch(() => {}); // awaited below; a failure is reported there
  await exchangeInFlight();

  const stopped = Date.now();
  // As an orchestrator stops it: SIGTERM, then SIGKILL only if it has not exited within the grace period.
  const stop = run("podman", ["stop", "--time", "30", CONTAINER]);
  await expect.poll(() => tryConnect(PORTAL_PORT), { timeout: 2_000 }).toBe("ECONNREFUSED");
  const refusedAt = Date.now();

  const { answer, at } = await answered;
  expect(answer.status).toBe(200);
  expect(answer.body.token).toEqual(expect.any(String));
  expect(refusedAt, "new connections were refused while the exchange was still in flight").toBeLessThan(at);

  await stop;
  const { stdout } = await run("podman", ["inspect", "--format", "{{.State.ExitCode}}", CONTAINER]);
  expect(Number(stdout.trim()), "exit status of SIGTERM (128 + 15), not of SIGKILL").toBe(143);
  expect(Date.now() - stopped, "promptly after the last answer").toBeLessThan(EXCHANGE_DELAY_MS + 8_000);
});
