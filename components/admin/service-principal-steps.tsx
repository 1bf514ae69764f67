import { ACS_APP_ID } from "@/lib/entra/scopes";
import { CommandBlock } from "./copy-field";

/** The commands that create the ACS service principal in a tenant, filled in with its id (or a placeholder). */
export function servicePrincipalCommands(tenant: string | undefined) {
  const tid = tenant ?? "<tenant id>";
  return {
    powershell: [
      "Install-Module Microsoft.Graph -Scope CurrentUser",
      `Connect-MgGraph -TenantId "${tid}" -Scopes Application.ReadWrite.All`,
      `New-MgServicePrincipal -AppId "${ACS_APP_ID}"`,
    ].join("\n"),
    azCli: [`az login --tenant ${tid} --allow-no-subscriptions`, `az ad sp create --id ${ACS_APP_ID}`].join(
      "\n",
    ),
  };
}

export function ServicePrincipalSteps({ tenantId }: { tenantId: string | undefined }) {
  const commands = servicePrincipalCommands(tenantId);
  return (
    <div className="space-y-6">
      <section aria-labelledby="sp-powershell" className="card space-y-3">
        <h2 id="sp-powershell" className="text-xl font-semibold">
          With PowerShell (Microsoft Graph module)
        </h2>
        <p className="text-sm">
          Run as an administrator of the tenant who may create applications (Global Administrator, Application
          Administrator or Cloud Application Administrator). The first line is needed once per machine.
        </p>
        <CommandBlock label="PowerShell commands" commands={commands.powershell} />
      </section>
      <section aria-labelledby="sp-az" className="card space-y-3">
        <h2 id="sp-az" className="text-xl font-semibold">
          Or with the Azure CLI
        </h2>
        <CommandBlock label="az CLI commands" commands={commands.azCli} />
      </section>
      <section aria-labelledby="sp-verify" className="card space-y-3">
        <h2 id="sp-verify" className="text-xl font-semibold">
          Check that it worked
        </h2>
        <ol className="list-decimal space-y-1 pl-5 text-sm">
          <li>Microsoft Entra admin center → Identity → Applications → Enterprise applications.</li>
          <li>
            Set the <em>Application type</em> filter to <strong>Microsoft Applications</strong> (or clear it)
            and search for <code className="code">{ACS_APP_ID}</code>.
          </li>
          <li>
            <strong>Azure Communication Services</strong> is listed with that application id. In PowerShell:{" "}
            <code className="code">Get-MgServicePrincipal -Filter "appId eq '{ACS_APP_ID}'"</code>.
          </li>
          <li>
            Users of the tenant sign in again; if the portal has no consent yet, grant admin consent next.
          </li>
        </ol>
      </section>
    </div>
  );
}
