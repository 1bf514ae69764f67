import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { expect, test } from "./fixtures";

/** A port that is free now, with its neighbour free too (the stand-in's https listener takes EMULATOR_PORT + 1). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const actual = (server.address() as { port: number }).port;
        server.close(() => resolve(actual));
      });
    });
  for (;;) {
    const port = await listen(0);
    if (
      port < 65_000 &&
      (await listen(port + 1).then(
        () => true,
        () => false,
      ))
    )
      return port;
  }
}

interface Demo {
  portal: number;
  emulator: number;
  output: () => string;
  child: ChildProcess;
}

/** `npm run demo` as a user runs it, reusing the build the e2e run just made. */
async function startDemo(): Promise<Demo> {
  const portal = await freePortPair();
  const emulator = await freePortPair();
  let output = "";
  const child = spawn("npm", ["run", "demo"], {
    env: { ...process.env, PORT: String(portal), EMULATOR_PORT: String(emulator), DEMO_SKIP_BUILD: "1" },
    detached: true, // its own process group, so that the test stops the demo and everything it started
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  await expect.poll(() => output, { timeout: 150_000, intervals: [500] }).toContain("is ready after");
  return { portal, emulator, output: () => output, child };
}

function stopDemo(demo: Demo | undefined) {
  if (demo?.child.pid) {
    try {
      process.kill(-demo.child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

test("two demos run side by side on other ports, and a user signs in on each", async ({ browser }) => {
  test.setTimeout(360_000);
  let first: Demo | undefined;
  let second: Demo | undefined;
  try {
    first = await startDemo();
    second = await startDemo();
    for (const demo of [first, second]) {
      const text = demo.output();
      // "ready" comes last: after the stand-ins' banner, which names this demo's portal, not localhost:3000.
      expect(text.indexOf("is ready after")).toBeGreaterThan(text.indexOf("Press Ctrl+C to stop."));
      expect(text).toContain(`redirect_uri=http://localhost:${demo.portal}/consent/result`);
      expect(text).toContain(`https://localhost:${demo.emulator + 1}`);
      expect(text).not.toContain("localhost:3000");
      expect(text).not.toMatch(/telemetry/i);
      const health = await fetch(`http://localhost:${demo.portal}/api/health`);
      expect(health.status).toBe(200);
    }
    for (const [demo, user] of [
      [first, "adele@contoso.com"],
      [second, "megan@fabrikam.com"],
    ] as const) {
      const context = await browser.newContext({ baseURL: `http://localhost:${demo.portal}` });
      const page = await context.newPage();
      await page.goto("/");
      await page.getByLabel(/Work email/).fill(user);
      await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
      if (user.startsWith("megan")) {
        // Each demo has its own stand-in: Fabrikam's consent here returns to this demo's portal.
        await page.getByRole("link", { name: "Open the admin-consent builder" }).click();
        await page.getByRole("link", { name: "Open as admin" }).click();
        expect(new URL(page.url()).port).toBe(String(demo.emulator));
        await page.getByRole("button", { name: "Accept" }).click();
        await expect(page).toHaveURL(new RegExp(`^http://localhost:${demo.portal}/consent/result\\?`));
        await page.goto("/");
        await page.getByLabel(/Work email/).fill(user);
        await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
      }
      await expect(page).toHaveURL(`http://localhost:${demo.portal}/token`);
      await page.getByRole("button", { name: "Get Teams token" }).click();
      await expect(page.getByTestId("token-status")).toHaveAttribute("data-status", "success");
      await context.close();
    }
  } finally {
    stopDemo(first);
    stopDemo(second);
  }
});
