// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const CLIENT = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";
const FABRIKAM = "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645";
const SECRET = "consent-builder-test-secret-0123456789abcdef";

vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "localhost:3200" }) }));
vi.mock("@/lib/config", () => ({
  getConfig: () => ({
    clientId: CLIENT,
    allowedClientIds: [CLIENT, "4565f19d-f385-47bb-92cf-b63ee3e07452"],
    env: { AUTH_SECRET: SECRET },
    emulatorUrl: "http://localhost:3300",
  }),
}));
vi.mock("@/lib/entra/tenant-lookup", async () => {
  const { PortalError } = await import("@/lib/errors");
  return {
    lookupTenantId: vi.fn(async (domain: string) => {
      if (domain === "fabrikam.com") return FABRIKAM;
      if (domain === "down.example") throw new PortalError("ENTRA_UNAVAILABLE");
      throw new PortalError("TENANT_NOT_FOUND");
    }),
  };
});

const { default: ConsentPage } = await import("@/app/consent/page");
const { default: ConsentResultPage } = await import("@/app/consent/result/page");
const { signConsentState } = await import("@/lib/admin/consent-state");

async function renderPage(query: Record<string, string | string[]>) {
  return render(await ConsentPage({ searchParams: Promise.resolve(query) }));
}
async function renderResult(query: Record<string, string | string[]>) {
  return render(await ConsentResultPage({ searchParams: Promise.resolve(query) }));
}

afterEach(cleanup);

describe("the admin-consent builder", () => {
  it("is a GET form prefilled with this portal's client id, and shows no links before input", async () => {
    await renderPage({});
    const tenant = screen.getByLabelText("Tenant id or verified domain");
    const app = screen.getByLabelText("Application (client) id");
    const form = tenant.closest("form");
    expect(form?.getAttribute("method")).toBe("get");
    expect(form?.getAttribute("action")).toBe("/consent");
    expect(tenant).toHaveAttribute("name", "tenant");
    expect(tenant).toHaveValue("");
    expect(app).toHaveAttribute("name", "app");
    expect(app).toHaveValue(CLIENT);
    expect(screen.queryByTestId("consent-urls")).toBeNull();
    expect(screen.queryByTestId("tenant-error")).toBeNull();
  });

  it("opens ready, with no error, from a remedy link that names only the app", async () => {
    await renderPage({ app: CLIENT });
    expect(screen.getByLabelText("Tenant id or verified domain")).toHaveValue("");
    expect(screen.queryByTestId("tenant-error")).toBeNull();
    expect(screen.queryByTestId("app-error")).toBeNull();
  });

  it("says so when the tenant in the address is too long, instead of dropping it silently", async () => {
    await renderPage({ tenant: "a".repeat(5000) });
    expect(screen.getByTestId("tenant-error")).toHaveTextContent("5,000 characters long and was ignored");
    expect(screen.getByLabelText("Tenant id or verified domain")).toHaveValue("");
  });

  it("resolves a domain to its tenant id and builds both URLs with a state that verifies", async () => {
    await renderPage({ tenant: "Fabrikam.com" });
    expect(screen.getByTestId("resolved-tenant")).toHaveTextContent(FABRIKAM);
    expect(screen.getByTestId("consent-v1")).toHaveTextContent(
      `https://login.microsoftonline.com/${FABRIKAM}/adminconsent?client_id=${CLIENT}`,
    );
    const v2 = new URL(screen.getByTestId("consent-v2").textContent ?? "");
    expect(v2.pathname).toBe(`/${FABRIKAM}/v2.0/adminconsent`);
    expect(v2.searchParams.get("redirect_uri")).toBe("http://localhost:3200/consent/result");
    const open = screen.getByRole("link", { name: "Open as admin" });
    const openUrl = new URL(open.getAttribute("href") ?? "");
    expect(openUrl.origin).toBe("http://localhost:3300");
    expect(openUrl.search).toBe(v2.search);

    // The state comes back to the result page, which confirms.
    await renderResult({
      admin_consent: "True",
      tenant: FABRIKAM,
      state: v2.searchParams.get("state") ?? "",
    });
    expect(screen.getByTestId("consent-granted")).toHaveTextContent(`Users of ${FABRIKAM} can now sign in`);
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/");
  });

  it("normalises a braced upper-case GUID and another app id", async () => {
    await renderPage({ tenant: `{${FABRIKAM.toUpperCase()}}`, app: "4565F19D-F385-47BB-92CF-B63EE3E07452" });
    expect(screen.getByTestId("resolved-tenant")).toHaveTextContent(FABRIKAM);
    expect(screen.getByTestId("consent-v1")).toHaveTextContent(
      "client_id=4565f19d-f385-47bb-92cf-b63ee3e07452",
    );
  });

  it.each([
    [{ tenant: "<script>alert(1)</script>" }, "tenant-error", /not a valid domain|may contain only/],
    [{ tenant: "javascript:alert(1)" }, "tenant-error", /not a URL/],
    [{ tenant: "nowhere.example" }, "tenant-error", /knows no tenant with the domain nowhere\.example/],
    [{ tenant: "" }, "tenant-error", /Enter the tenant id/],
    [{ tenant: FABRIKAM, app: '"><img src=x onerror=alert(1)>' }, "app-error", /is a GUID/],
    [
      { tenant: FABRIKAM, app: "0f0f0f0f-1111-4222-8333-444444444444" },
      "app-error",
      /only for the apps it serves/,
    ],
  ])("explains %j without rendering it as markup", async (query, testId, message) => {
    const { container } = await renderPage(query);
    expect(screen.getByTestId(testId)).toHaveTextContent(message);
    expect(screen.queryByTestId("consent-urls")).toBeNull();
    expect(container.querySelector("script, img")).toBeNull();
    const described = screen.getByTestId(testId).id;
    const input = container.querySelector(`[aria-describedby~="${described}"]`);
    expect(input).toHaveAttribute("aria-invalid", "true");
  });

  it("still builds links with the domain when Entra cannot be reached", async () => {
    await renderPage({ tenant: "down.example" });
    expect(screen.getByTestId("resolved-tenant")).toHaveTextContent("not resolved");
    expect(screen.getByTestId("consent-v1")).toHaveTextContent("/down.example/adminconsent");
  });

  it("survives arrays and huge values in the query", async () => {
    await renderPage({ tenant: ["fabrikam.com", "x"], app: "x".repeat(100_000) });
    expect(screen.getByTestId("resolved-tenant")).toHaveTextContent(FABRIKAM);
    expect(screen.getByLabelText("Application (client) id")).toHaveValue(CLIENT);
  });

  it("copies a URL with feedback", async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await renderPage({ tenant: FABRIKAM });
    const urls = screen.getByTestId("consent-urls");
    const button = within(urls).getByRole("button", { name: "Copy v1 consent url" });
    await userEvent.click(button);
    expect(writeText).toHaveBeenCalledWith(
      `https://login.microsoftonline.com/${FABRIKAM}/adminconsent?client_id=${CLIENT}`,
    );
    expect(button).toHaveTextContent("Copied");
  });
});

describe("the consent result page", () => {
  const now = () => Math.floor(Date.now() / 1000);
  let state: string;
  beforeEach(async () => {
    state = await signConsentState(SECRET, { tenant: FABRIKAM, appId: CLIENT, issuedAt: now() });
  });

  it("refuses a result whose state does not verify", async () => {
    await renderResult({ admin_consent: "True", tenant: FABRIKAM, state: `${state.slice(0, -2)}xx` });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveAttribute("data-error-code", "CONSENT_STATE_MISMATCH");
    expect(screen.queryByTestId("consent-granted")).toBeNull();
  });

  it("refuses an expired state and one for another tenant", async () => {
    const old = await signConsentState(SECRET, { tenant: FABRIKAM, appId: CLIENT, issuedAt: now() - 3700 });
    await renderResult({ admin_consent: "True", tenant: FABRIKAM, state: old });
    expect(screen.getByRole("alert")).toHaveTextContent(/older than one hour/);
    cleanup();
    await renderResult({ admin_consent: "True", tenant: "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27", state });
    expect(screen.getByRole("alert")).toHaveTextContent(/another tenant/);
  });

  it("shows a declined consent with the catalogue words only", async () => {
    const { container } = await renderResult({
      error: "access_denied",
      error_description: "AADSTS65004: User declined to consent. <img src=x onerror=alert(1)>",
      tenant: FABRIKAM,
      state,
    });
    const alert = screen.getByRole("alert");
    // The reader is the administrator who cancelled: addressed as such, not told to sign in again.
    expect(alert).toHaveAttribute("data-error-code", "ADMIN_CONSENT_DECLINED");
    expect(alert).toHaveTextContent("AADSTS65004");
    expect(screen.getByTestId("who-acts")).toHaveTextContent("You, as an administrator of the organization");
    expect(alert).not.toHaveTextContent("Sign in again");
    expect(container.textContent).not.toContain("onerror");
    expect(container.querySelector("img")).toBeNull();
  });

  it("explains an empty visit", async () => {
    await renderResult({});
    expect(screen.getByRole("heading", { name: "No consent result to show" })).toBeInTheDocument();
  });
});
