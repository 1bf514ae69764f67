import { test as base, expect, type Page, type Response } from "@playwright/test";
import { EMULATOR_PORT } from "../../playwright.config";
import { DEMO } from "../../scripts/demo-env";

export const EMULATOR_URL = `http://localhost:${EMULATOR_PORT}`;

export const USERS = {
  adele: "adele@contoso.com",
  megan: "megan@fabrikam.com",
  nestor: "nestor@northwind.com",
  lee: "lee@contoso.com",
  alex: "alex@tailspin.com",
  lynne: "lynne@contoso.com",
  diego: "diego@contoso.com",
} as const;

export const emulator = {
  async stats(): Promise<{
    exchanges: { total: number; succeeded: number; failed: number; byUser: Record<string, number> };
    tokens: { authorization_code: number; refresh_token: number };
  }> {
    return (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json();
  },
  async post(path: string, body: unknown = {}): Promise<void> {
    const response = await fetch(`${EMULATOR_URL}/_emulator/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`);
  },
  reset: () => emulator.post("reset"),
  setTokenLifetime: (seconds: number) => emulator.post("config", { accessTokenLifetimeSeconds: seconds }),
};

/** Signs in through the home page form; the stand-in's auto-login picks the user from the login hint. */
export async function signIn(page: Page, username: string) {
  await page.goto("/");
  await page.getByLabel(/Work email/).fill(username);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
}

function decodeJwtPayload(jwt: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

const ENTRA_AUDIENCES = [
  "https://auth.msft.communication.azure.com",
  "1fd5118e-2576-4263-8130-9503064c837a",
  DEMO.clientId,
];

/** What the browser must never receive: Entra access/id/refresh tokens, the client secret, the ACS key. */
export function findLeaks(text: string): string[] {
  const leaks: string[] = [];
  if (text.includes(DEMO.clientSecret)) leaks.push("client secret");
  if (text.includes(DEMO.acsKey)) leaks.push("ACS access key");
  if (text.includes(DEMO.authSecret)) leaks.push("AUTH_SECRET");
  if (/1\.emulator\.[A-Za-z0-9_-]{20,}/.test(text)) leaks.push("Entra refresh token");
  for (const match of text.matchAll(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g)) {
    const payload = decodeJwtPayload(match[0]);
    // ACS tokens (which the user may see) carry a numeric scp and a skypeid; Entra tokens a string scp or an Entra aud.
    if (payload && (typeof payload.scp === "string" || ENTRA_AUDIENCES.includes(String(payload.aud)))) {
      leaks.push(`Entra token (aud ${String(payload.aud)})`);
    }
  }
  return leaks;
}

async function inspect(response: Response, leaks: string[]) {
  const url = new URL(response.url());
  let body = "";
  try {
    body = (await response.body()).toString("utf8");
  } catch {
    return; // redirects and aborted requests have no body
  }
  const headers = Object.entries(await response.allHeaders())
    .filter(([name]) => name !== "set-cookie")
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
  for (const leak of findLeaks(`${headers}\n${body}`))
    leaks.push(`${leak} in ${response.request().method()} ${url.pathname}`);
}

/** Every test watches every portal response its browser receives (HTML, RSC, JSON, /api/auth/session). */
export const test = base.extend<{ leakWatch: undefined }>({
  leakWatch: [
    async ({ page }, use) => {
      const leaks: string[] = [];
      const pending: Promise<void>[] = [];
      const cspViolations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      page.on("response", (response) => {
        if (new URL(response.url()).port === String(EMULATOR_PORT)) return;
        pending.push(inspect(response, leaks));
      });
      await use(undefined);
      await Promise.all(pending);
      expect(leaks, "secrets or Entra tokens reached the browser").toEqual([]);
      expect(cspViolations, "the page broke its own Content-Security-Policy").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
