// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ServicePrincipalSteps } from "@/components/admin/service-principal-steps";
import { SettingsTable, type SetupFacts, SetupSteps } from "@/components/admin/setup-steps";

const CLIENT = "8187b4ec-85b5-4e02-bfa3-299ca1e218f6";
const NORTHWIND = "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27";

vi.mock("@/lib/entra/tenant-lookup", async () => {
  const { PortalError } = await import("@/lib/errors");
  return {
    lookupTenantId: vi.fn(async (domain: string) => {
      if (domain === "northwind.com") return NORTHWIND;
      throw new PortalError("TENANT_NOT_FOUND");
    }),
  };
});

const { default: ServicePrincipalPage } = await import("@/app/admin/service-principal/page");

afterEach(cleanup);

const setting = (
  name: string,
  set: boolean,
  requirement: "required" | "one-of-acs" | "recommended" | "optional" = "required",
) => ({
  name,
  about: `About ${name}.`,
  where: `Where ${name}.`,
  requirement,
  set,
  valid: set,
});

function facts(overrides: Partial<SetupFacts> = {}): SetupFacts {
  return {
    clientId: CLIENT,
    callbackUrl: "https://tokens.contoso.com/api/auth/callback/microsoft-entra-id",
    consentResultUrl: "https://tokens.contoso.com/consent/result",
    acs: { kind: "access-key", host: "contoso.communication.azure.com" },
    acsCheck: { status: "reachable", summary: "ACS answered and accepted the portal's credentials." },
    settings: [
      setting("AUTH_SECRET", true),
      setting("AUTH_MICROSOFT_ENTRA_ID_ID", true),
      setting("AUTH_MICROSOFT_ENTRA_ID_SECRET", true),
      setting("ACS_CONNECTION_STRING", true, "one-of-acs"),
    ],
    missing: [],
    ...overrides,
  };
}

function stepStatus(id: string): string | null | undefined {
  return document.querySelector(`[data-step="${id}"] [data-status]`)?.getAttribute("data-status");
}

describe("the set-up steps", () => {
  it("show this deployment's values with copy buttons, in order", () => {
    render(<SetupSteps facts={facts()} />);
    const steps = within(screen.getByRole("list", { name: "Set-up steps" })).getAllByRole("heading", {
      level: 3,
    });
    expect(steps.map((h) => h.textContent)).toEqual([
      "1.Register a multitenant application",
      "2.Add this deployment's redirect URIs under the Web platform",
      "3.Create a client secret",
      "4.Add the Azure Communication Services permissions",
      "5.Connect the Azure Communication Services resource",
      "6.Grant admin consent",
    ]);
    expect(screen.getByTestId("client-id")).toHaveTextContent(CLIENT);
    expect(screen.getByTestId("callback-url")).toHaveTextContent(
      "https://tokens.contoso.com/api/auth/callback/microsoft-entra-id",
    );
    expect(screen.getByTestId("consent-result-url")).toHaveTextContent(
      "https://tokens.contoso.com/consent/result",
    );
    expect(screen.getByTestId("acs-host")).toHaveTextContent("contoso.communication.azure.com");
    expect(screen.getByRole("button", { name: "Copy sign-in callback url" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Build an admin-consent link" })).toHaveAttribute(
      "href",
      `/consent?app=${CLIENT}`,
    );
    expect(screen.getByText(/Cloud Application Administrator/)).toBeInTheDocument();
  });

  it("mark what the portal verified as done and the rest as not done or manual", () => {
    render(<SetupSteps facts={facts()} />);
    expect(stepStatus("register")).toBe("done");
    expect(stepStatus("secret")).toBe("done");
    expect(stepStatus("acs")).toBe("done");
    expect(stepStatus("redirect")).toBe("manual");
    expect(stepStatus("permissions")).toBe("manual");
    cleanup();
    render(
      <SetupSteps
        facts={facts({
          clientId: undefined,
          settings: [setting("AUTH_MICROSOFT_ENTRA_ID_SECRET", false)],
          acsCheck: { status: "refused", summary: "ACS is reachable but refuses the portal's credentials." },
        })}
      />,
    );
    expect(stepStatus("register")).toBe("todo");
    expect(stepStatus("secret")).toBe("todo");
    expect(stepStatus("acs")).toBe("todo");
    expect(screen.getByText("· ACS refuses the credentials")).toBeInTheDocument();
    expect(screen.getByText("This deployment has no client id yet.")).toBeInTheDocument();
  });

  it("with managed identity, give the role command for this deployment's identity; with a key, none", () => {
    render(
      <SetupSteps
        facts={facts({
          acs: {
            kind: "managed-identity",
            host: "contoso.communication.azure.com",
            identityClientId: "b66c34b5-98a2-46ac-a455-a9eb7dd05048",
          },
        })}
      />,
    );
    expect(screen.getByTestId("acs-role-command")).toHaveTextContent(
      "az role assignment create --assignee b66c34b5-98a2-46ac-a455-a9eb7dd05048 --role Contributor --scope <ACS resource id>",
    );
    cleanup();
    render(<SetupSteps facts={facts()} />);
    expect(screen.queryByTestId("acs-role-command")).toBeNull();
  });

  it("without diagnostics (the public guide) verify nothing and show no ACS endpoint or check", () => {
    render(
      <SetupSteps
        facts={{
          clientId: CLIENT,
          callbackUrl: "https://tokens.contoso.com/api/auth/callback/microsoft-entra-id",
          consentResultUrl: "https://tokens.contoso.com/consent/result",
        }}
      />,
    );
    for (const id of ["register", "redirect", "secret", "permissions", "acs", "consent"])
      expect(stepStatus(id), id).toBe("manual");
    expect(screen.queryByTestId("acs-host")).toBeNull();
    expect(screen.queryByTestId("acs-check")).toBeNull();
    expect(screen.getByTestId("callback-url")).toBeInTheDocument();
  });

  it("list settings as set or missing, never their values", () => {
    render(
      <SettingsTable
        settings={[setting("AUTH_SECRET", true), setting("AUTH_MICROSOFT_ENTRA_ID_SECRET", false)]}
      />,
    );
    expect(screen.getByRole("rowheader", { name: "AUTH_SECRET" }).closest("tr")).toHaveTextContent("Set");
    expect(
      screen.getByRole("rowheader", { name: "AUTH_MICROSOFT_ENTRA_ID_SECRET" }).closest("tr"),
    ).toHaveTextContent("Missing");
  });
});

describe("the service-principal steps", () => {
  it("fill the tenant into the PowerShell and az commands", () => {
    render(<ServicePrincipalSteps tenantId={NORTHWIND} />);
    const text = document.body.textContent ?? "";
    expect(text).toContain("Install-Module Microsoft.Graph -Scope CurrentUser");
    expect(text).toContain(`Connect-MgGraph -TenantId "${NORTHWIND}" -Scopes Application.ReadWrite.All`);
    expect(text).toContain('New-MgServicePrincipal -AppId "1fd5118e-2576-4263-8130-9503064c837a"');
    expect(text).toContain(`az login --tenant ${NORTHWIND} --allow-no-subscriptions`);
    expect(text).toContain("az ad sp create --id 1fd5118e-2576-4263-8130-9503064c837a");
    expect(screen.getByRole("heading", { name: "Check that it worked" })).toBeInTheDocument();
  });

  it("page resolves a domain and explains an invalid tenant without reflecting it", async () => {
    render(await ServicePrincipalPage({ searchParams: Promise.resolve({ tenant: "northwind.com" }) }));
    expect(screen.getByTestId("sp-tenant")).toHaveTextContent(NORTHWIND);
    expect(document.body.textContent).toContain(`Connect-MgGraph -TenantId "${NORTHWIND}"`);
    cleanup();
    render(
      await ServicePrincipalPage({
        searchParams: Promise.resolve({ tenant: '"; Remove-Item -Recurse C:\\ ; "' }),
      }),
    );
    expect(screen.getByTestId("tenant-error")).toBeInTheDocument();
    expect(document.body.textContent).toContain('Connect-MgGraph -TenantId "<tenant id>"');
    expect(document.querySelector("pre")?.textContent).not.toContain("Remove-Item");
  });
});
