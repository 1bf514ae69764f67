// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import TroubleshootPage from "@/app/troubleshoot/page";
import { searchCatalogue } from "@/components/troubleshoot/search";
import { type CatalogueEntry, catalogue, errorCodes } from "@/lib/errors";

afterEach(cleanup);

async function renderPage(query: Record<string, string | string[]> = {}) {
  return render(await TroubleshootPage({ searchParams: Promise.resolve(query) }));
}

function visibleEntries(container: HTMLElement): string[] {
  return [...container.querySelectorAll<HTMLElement>("[data-entry]")]
    .filter((e) => !e.hidden)
    .map((e) => e.id);
}

describe("searchCatalogue", () => {
  it.each([
    [
      "AADSTS65001: The user or administrator has not consented to use the application with ID '…'.",
      ["AADSTS_CONSENT_REQUIRED"],
    ],
    ["Provided access token is not valid.", ["ACS_INVALID_ACCESS_TOKEN"]],
    // A pasted Denied may be a wrong key or a missing role: both remedies.
    ['{"error":{"code":"Denied","message":"Denied."}}', ["ACS_AUTH_FAILED", "ACS_IDENTITY_DENIED"]],
    ["650052", ["AADSTS_SERVICE_PRINCIPAL_MISSING"]],
    ["aadsts500011", ["AADSTS_SERVICE_PRINCIPAL_MISSING"]],
    ["AADSTS7000222: The provided client secret keys are expired.", ["AADSTS_SECRET_INVALID"]],
    ["CONSENT_STATE_MISMATCH", ["CONSENT_STATE_MISMATCH"]],
    ["InvalidAccessToken", ["ACS_INVALID_ACCESS_TOKEN"]],
  ])("finds %j", (query, expected) => {
    expect(searchCatalogue(query)).toEqual(expected);
  });

  it("matches words of a message, and nothing for nonsense", () => {
    expect(searchCatalogue("conditional access MFA")).toContain("AADSTS_CONDITIONAL_ACCESS");
    expect(searchCatalogue("zzzz qqqq")).toEqual([]);
    expect(searchCatalogue("   ")).toHaveLength(errorCodes.length);
  });

  it("finds every AADSTS and ACS code of the catalogue by its own number", () => {
    for (const code of errorCodes) {
      const entry: CatalogueEntry = catalogue[code];
      for (const n of entry.aadsts ?? []) expect(searchCatalogue(`AADSTS${n}`)).toEqual([code]);
      for (const acs of entry.acs ?? []) expect(searchCatalogue(acs)).toContain(code);
      expect(searchCatalogue(code)).toEqual([code]);
    }
  });
});

describe("the troubleshooting page", () => {
  it("lists every entry with its code as anchor, grouped by who acts", async () => {
    const { container } = await renderPage();
    expect(visibleEntries(container)).toHaveLength(errorCodes.length);
    for (const name of [
      "You can fix these yourself",
      "An administrator of your organization acts",
      "The portal's administrator acts",
    ]) {
      expect(screen.getByRole("heading", { level: 2, name })).toBeInTheDocument();
    }
    const consent = container.querySelector("#AADSTS_CONSENT_REQUIRED");
    expect(consent).toHaveTextContent("AADSTS65001");
    expect(consent?.querySelector('a[href="/consent"]')).toHaveTextContent("Open the admin-consent builder");
    expect(
      container.querySelector("#AADSTS_SERVICE_PRINCIPAL_MISSING a[href='/admin/service-principal']"),
    ).not.toBeNull();
  });

  it("filters on the server from ?q= (works without JavaScript)", async () => {
    const { container } = await renderPage({
      q: "AADSTS65001: The user or administrator has not consented…",
    });
    expect(visibleEntries(container)).toEqual(["AADSTS_CONSENT_REQUIRED"]);
    expect(screen.getByTestId("match-count")).toHaveTextContent("1 error matches.");
    const groups = [...container.querySelectorAll<HTMLElement>("[data-group]")].filter((g) => !g.hidden);
    expect(groups.map((g) => g.dataset.group)).toEqual(["customer-admin"]);
    const box = screen.getByLabelText("Error code or message");
    expect(box).toHaveAttribute("name", "q");
    expect(box.closest("form")).toHaveAttribute("method", "get");
    expect(box.closest("search")).not.toBeNull();
  });

  it("says when nothing matched and survives odd queries", async () => {
    const { container } = await renderPage({ q: ["<script>zzzz</script>", "x"] });
    expect(visibleEntries(container)).toEqual([]);
    expect(screen.getByTestId("match-count")).toHaveTextContent("Nothing matched");
    expect(container.querySelector("script")).toBeNull();
    cleanup();
    const huge = await renderPage({ q: "a".repeat(100_000) });
    expect(visibleEntries(huge.container)).toHaveLength(errorCodes.length);
  });

  it("filters instantly as you type", async () => {
    const { container } = await renderPage();
    const box = screen.getByLabelText("Error code or message");
    await userEvent.type(box, "Provided access token is not valid.");
    expect(visibleEntries(container)).toEqual(["ACS_INVALID_ACCESS_TOKEN"]);
    expect(screen.getByTestId("match-count")).toHaveTextContent("1 error matches.");
    await userEvent.clear(box);
    expect(visibleEntries(container)).toHaveLength(errorCodes.length);
    // Typing 36 keys one by one through jsdom takes 3.5-5 s on a loaded 2-vCPU machine.
  }, 15_000);
});
