// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatRemaining } from "@/components/token/countdown";
import { IdentityCard } from "@/components/token/identity-card";
import { TeamsTokenPanel } from "@/components/token/teams-token-panel";
import { PortalError, toErrorView } from "@/lib/errors";

const APP = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";

afterEach(() => vi.useRealTimers());

describe("TeamsTokenPanel", () => {
  it("goes from 'no token yet' to a valid token with expiry, countdown and copy, then renews", async () => {
    const expiresOn = new Date(Date.now() + 3_600_000).toISOString();
    let n = 0;
    const action = vi.fn(async (_previous: unknown, form: FormData) => {
      n += 1;
      return {
        status: "success" as const,
        token: `eyJ0eXAiOiJKV1QifQ.acs-token-body-${n}.signature`,
        expiresOn,
        issuedAt: new Date().toISOString(),
        fingerprint: n === 1 ? "aaaa1111" : "bbbb2222",
        teamsUserId: "8:orgid:0b8d5a44-1111-4a4a-9c9c-222222222222",
        tenantId: "2b88a774-b406-4fcf-9c4f-d8c37f92cce1",
        cached: form.get("forceRefresh") === "false",
        renewed: form.get("forceRefresh") === "true",
        at: Date.now(),
      };
    });
    render(<TeamsTokenPanel action={action} appId={APP} initial={{ status: "idle" }} />);
    expect(screen.getByTestId("token-status")).toHaveAttribute("data-status", "idle");
    expect(screen.getByText(/No Teams token held for you yet/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Get Teams token" }));
    expect(await screen.findByText("Valid")).toBeInTheDocument();
    expect(screen.getByTestId("teams-expires-on")).toHaveAttribute("data-value", expiresOn);
    expect(screen.getByTestId("countdown").textContent).toMatch(/^(59 min \d+ s|1 h 0 min)$/);
    expect(screen.getByText("8:orgid:0b8d5a44-1111-4a4a-9c9c-222222222222")).toBeInTheDocument();
    // The token field's script loads once a token is handed over (LazyTokenSecret).
    expect(await screen.findByRole("textbox", { name: "Token" })).toHaveValue(
      "Hidden (45 characters, fingerprint aaaa1111)",
    );
    expect(screen.getByTestId("teams-fingerprint")).toHaveTextContent("aaaa1111");
    expect(screen.getByRole("button", { name: "Copy token" })).toBeInTheDocument();
    expect(action.mock.calls[0]?.[1].get("forceRefresh")).toBe("false");

    await userEvent.click(screen.getByRole("button", { name: "Renew Teams token" }));
    await vi.waitFor(() => expect(action).toHaveBeenCalledTimes(2));
    expect(action.mock.calls[1]?.[1].get("forceRefresh")).toBe("true");
    expect(await screen.findByTestId("renewal")).toHaveTextContent(
      "Renewed: a new token (fingerprint bbbb2222, was aaaa1111). Its expiry is unchanged",
    );
  }, 15_000);

  it("on load says a valid token is held and until when, without having the token", async () => {
    const expiresOn = new Date(Date.now() + 3_600_000).toISOString();
    const action = vi.fn();
    render(
      <TeamsTokenPanel
        action={action}
        appId={APP}
        initial={{ status: "held", expiresOn, fingerprint: "cccc3333", issuedAt: new Date().toISOString() }}
      />,
    );
    expect(screen.getByText("A valid Teams token is held for you")).toBeInTheDocument();
    expect(screen.getByTestId("teams-expires-on")).toHaveAttribute("data-value", expiresOn);
    expect(screen.getByTestId("teams-fingerprint")).toHaveTextContent("cccc3333");
    expect(screen.queryByRole("textbox", { name: "Token" })).toBeNull();
    expect(screen.getByRole("button", { name: "Get Teams token" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Renew Teams token" })).toBeEnabled();
  });

  it("offers no button when the page already explained why no token can be had", () => {
    render(
      <TeamsTokenPanel action={vi.fn()} appId={APP} initial={{ status: "idle" }} blockedReason="Blocked." />,
    );
    expect(screen.getByRole("button", { name: "Get Teams token" })).toBeDisabled();
    expect(screen.getByTestId("token-blocked")).toHaveTextContent("Blocked.");
  });

  it("shows the reason, the remedy, who acts and the prefilled consent link when the exchange fails", async () => {
    const error = toErrorView(
      new PortalError("ENTRA_TOKEN_MISSING_SCOPE", { tenantId: "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645" }),
    );
    const action = vi.fn(async () => ({ status: "error" as const, error, at: Date.now() }));
    render(<TeamsTokenPanel action={action} appId={APP} initial={{ status: "idle" }} />);
    await userEvent.click(screen.getByRole("button", { name: "Get Teams token" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveAttribute("data-error-code", "ENTRA_TOKEN_MISSING_SCOPE");
    expect(alert).toHaveTextContent("A Teams permission is missing");
    expect(alert).toHaveTextContent("An administrator of your organization");
    expect(screen.getByRole("link", { name: "Open the admin-consent builder" })).toHaveAttribute(
      "href",
      `/consent?tenant=a6f06ecc-ceb2-4ab4-9017-dde2e68e6645&app=${APP}`,
    );
  });

  it("marks the token expired when its countdown runs out", async () => {
    const action = vi.fn(async () => ({
      status: "success" as const,
      token: "t".repeat(40),
      expiresOn: new Date(Date.now() + 2_000).toISOString(),
      fingerprint: "dddd4444",
      teamsUserId: "8:orgid:x",
      tenantId: "t",
      cached: false,
      renewed: false,
      at: Date.now(),
    }));
    render(<TeamsTokenPanel action={action} appId={APP} initial={{ status: "idle" }} />);
    await userEvent.click(screen.getByRole("button", { name: "Get Teams token" }));
    await screen.findByText("Valid");
    // Real time: the countdown ticks every second, as in the browser.
    await vi.waitFor(
      () => expect(screen.getByTestId("token-status")).toHaveAttribute("data-status", "expired"),
      { timeout: 6_000, interval: 200 },
    );
    expect(screen.getByText(/Expired. Renew it/)).toBeInTheDocument();
  });
});

describe("IdentityCard", () => {
  it("shows identity, tenant and which Teams scopes are granted or missing", () => {
    render(
      <IdentityCard
        name="Lynne Robbins"
        username="lynne@contoso.com"
        tenantId="2b88a774-b406-4fcf-9c4f-d8c37f92cce1"
        objectId="oid-1"
        scopes={["Teams.ManageCalls"]}
        entraExpiresAt="2026-11-28T11:00:00.000Z"
      />,
    );
    expect(screen.getByRole("heading", { name: "Signed in as Lynne Robbins" })).toBeInTheDocument();
    expect(screen.getByTestId("scope-Teams.ManageCalls")).toHaveAttribute("data-granted", "true");
    expect(screen.getByTestId("scope-Teams.ManageChats")).toHaveAttribute("data-granted", "false");
    expect(screen.getByText("8:orgid:oid-1", { exact: false })).toBeInTheDocument();
  });

  it("formats remaining time", () => {
    expect(formatRemaining(0)).toBe("expired");
    expect(formatRemaining(45_000)).toBe("45 s");
    expect(formatRemaining(125_000)).toBe("2 min 5 s");
    expect(formatRemaining(3_700_000)).toBe("1 h 1 min");
  });
});
