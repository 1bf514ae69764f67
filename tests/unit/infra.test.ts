import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CALLBACK_PATH, CONSENT_RESULT_PATH } from "@/lib/admin/origin";
import { type VariableName, variables } from "@/lib/config/schema";

/**
 * The Bicep under infra/ cannot be compiled here, so this reads it as text and checks that it and the portal agree:
 * every setting it gives the app is a variable lib/config/schema.ts knows, every variable the portal needs in
 * production is set (secrets through Key Vault), and azure.yaml, the parameters file and the health route line up.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const MAIN = "infra/main.bicep";
const HOSTS = {
  containerapp: "infra/app/containerapp.bicep",
  appservice: "infra/app/appservice.bicep",
} as const;
type HostKind = keyof typeof HOSTS;

/** Read by the hosting platform or the Node server itself, not by the portal's configuration. */
const PLATFORM_SETTINGS = new Set(["SCM_DO_BUILD_DURING_DEPLOYMENT", "HOSTNAME"]);
/** Values that must never be plain settings: the Bicep passes them as Key Vault references. */
const SECRET_VARIABLES: VariableName[] = [
  "AUTH_SECRET",
  "AUTH_MICROSOFT_ENTRA_ID_SECRET",
  "REDIS_URL",
  "ACS_CONNECTION_STRING",
];
/** Not required by the schema everywhere, but by a production deployment on Azure. */
const REQUIRED_ON_AZURE: VariableName[] = ["AUTH_URL", "ACS_ENDPOINT", "AZURE_CLIENT_ID", "REDIS_URL"];

/** The text between the braces that follow `opening` (which ends with "{"). */
function block(text: string, opening: string): string {
  const start = text.indexOf(opening);
  expect(start, `${opening} not found`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = start + opening.length - 1; i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return text.slice(start + opening.length, i);
  }
  throw new Error(`${opening} is not closed`);
}

/** Top-level `NAME: value` entries of a Bicep object body (environment variable names are upper case). */
function entries(body: string): Map<string, string> {
  return new Map(
    [...body.matchAll(/^\s*([A-Z][A-Z0-9_]*):\s*(.+?)\s*$/gm)].map((m) => [m[1], m[2]] as [string, string]),
  );
}

/** `{ name: 'X', ... }` environment entries a host module adds itself. */
const namedSettings = (bicep: string) =>
  [...bicep.matchAll(/name:\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] as string);

const main = read(MAIN);
const plain = entries(block(main, "var appSettings = {"));
const secret = entries(block(main, "var appSecrets = {"));

function settingsFor(host: HostKind): string[] {
  return [...plain.keys(), ...secret.keys(), ...namedSettings(read(HOSTS[host]))];
}

const schemaNames = new Set(Object.keys(variables));
const requiredBySchema = (Object.keys(variables) as VariableName[]).filter(
  (name) => !variables[name].schema.safeParse(undefined).success,
);

describe.each(Object.keys(HOSTS) as HostKind[])("infra → portal settings (%s)", (host) => {
  const module = read(HOSTS[host]);

  it("main.bicep hands this host module both the plain and the Key Vault settings, and it uses both", () => {
    const use = block(main, `module ${host === "containerapp" ? "containerApp" : "appService"} 'app/`);
    expect(use).toMatch(/settings:\s*appSettings/);
    expect(use).toMatch(/secretSettings:\s*appSecrets/);
    // Each entry of both objects becomes one environment variable / app setting named by its key.
    expect(module).toMatch(
      /map\(filter\(items\(settings\), s => !empty\(s\.value\)\), s => \{ name: s\.key, value: s\.value \}\)/,
    );
    expect(module).toMatch(/map\(items\(secretSettings\), s => \{\s*name: s\.key[\s,]/);
    expect(module).toMatch(
      host === "containerapp"
        ? /env: concat\(plainEnv, secretEnv\)/
        : /appSettings: concat\(plainSettings, secretReferences, platformSettings\)/,
    );
  });

  it("every setting it gives the app is a variable lib/config/schema.ts knows", () => {
    const unknown = settingsFor(host).filter(
      (name) => !schemaNames.has(name) && !PLATFORM_SETTINGS.has(name),
    );
    expect(
      unknown,
      "settings the portal does not read (add them to lib/config/schema.ts or remove them)",
    ).toEqual([]);
  });

  it("every variable the portal requires in production is set", () => {
    const given = new Set(settingsFor(host));
    const missing = [...requiredBySchema, ...REQUIRED_ON_AZURE].filter((name) => !given.has(name));
    expect(missing, "required by the portal but not set by the Bicep").toEqual([]);
  });

  it("is keyless: ACS_ENDPOINT with the managed identity, no connection string", () => {
    const given = settingsFor(host);
    expect(given).toContain("ACS_ENDPOINT");
    expect(given).not.toContain("ACS_CONNECTION_STRING");
    expect(plain.get("AZURE_CLIENT_ID")).toBe("identity.outputs.clientId");
  });

  it("is tagged for azd's service `web`", () => {
    expect(module).toMatch(/'azd-service-name':\s*'web'/);
  });
});

describe("secrets come from Key Vault", () => {
  it("no secret variable is a plain setting; each is a Key Vault secret the Bicep creates", () => {
    for (const name of SECRET_VARIABLES)
      expect(plain.has(name), `${name} must not be a plain setting`).toBe(false);
    const created = readdirSync(path.join(ROOT, "infra/app"))
      .map((file) => read(`infra/app/${file}`))
      .flatMap((bicep) =>
        [...bicep.matchAll(/'Microsoft\.KeyVault\/vaults\/secrets@[^']+' = \{[^}]*?name:\s*'([^']+)'/gs)].map(
          (m) => m[1],
        ),
      );
    expect(secret.size).toBeGreaterThan(0);
    for (const [name, secretName] of secret) {
      expect(created, `${name} → Key Vault secret ${secretName}`).toContain(secretName.replace(/'/g, ""));
    }
  });

  it("the app reads them through its identity: Container Apps keyVaultUrl + identity, App Service references", () => {
    const containerApp = read(HOSTS.containerapp);
    expect(containerApp).toMatch(/keyVaultUrl:\s*'\$\{keyVaultUri\}secrets\/\$\{s\.value\}'/);
    expect(containerApp).toMatch(/identity:\s*identityId/);
    const appService = read(HOSTS.appservice);
    expect(appService).toContain(`@Microsoft.KeyVault(SecretUri=\${keyVaultUri}secrets/\${s.value}/)`);
    expect(appService).toMatch(/keyVaultReferenceIdentity:\s*identityId/);
    expect(read("infra/app/keyvault.bicep")).toMatch(/enableRbacAuthorization:\s*true/);
  });
});

describe("health, port and redirect URIs match the portal", () => {
  const routeFile = (urlPath: string) => path.join(ROOT, "app", urlPath, "route.ts");

  it("Container Apps probes and App Service's health check hit the portal's health route", () => {
    const containerApp = read(HOSTS.containerapp);
    const probePath = /healthPath = '([^']+)'/.exec(containerApp)?.[1] ?? "";
    expect(containerApp.match(/httpGet:\s*healthProbe/g)).toHaveLength(3);
    for (const type of ["Startup", "Readiness", "Liveness"])
      expect(containerApp).toContain(`type: '${type}'`);
    const checkPath = /healthCheckPath:\s*'([^']+)'/.exec(read(HOSTS.appservice))?.[1] ?? "";
    for (const urlPath of [probePath, checkPath]) {
      expect(urlPath).toBe("/api/health");
      expect(existsSync(routeFile(urlPath)), `${urlPath} has a route`).toBe(true);
      expect(readFileSync(routeFile(urlPath), "utf8")).toMatch(/export async function GET/);
    }
  });

  it("Container Apps sends traffic to the image's port 3000, with at least 2 replicas and an HTTP scale rule", () => {
    const containerApp = read(HOSTS.containerapp);
    expect(containerApp).toMatch(/var port = 3000/);
    expect(containerApp).toMatch(/targetPort:\s*port/);
    expect(Number(/param minReplicas int = (\d+)/.exec(containerApp)?.[1])).toBeGreaterThanOrEqual(2);
    expect(containerApp).toMatch(/http:\s*\{\s*metadata:\s*\{\s*concurrentRequests/);
    if (existsSync(path.join(ROOT, "Dockerfile"))) expect(read("Dockerfile")).toMatch(/PORT=3000/);
  });

  it("App Service runs the standalone server on Node 24 with at least 2 instances", () => {
    const appService = read(HOSTS.appservice);
    expect(appService).toContain("linuxFxVersion: 'NODE|24-lts'");
    expect(appService).toMatch(/appCommandLine:\s*'node [^']*server\.js'/);
    expect(Number(/param minInstances int = (\d+)/.exec(appService)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it("the redirect URIs it prints are the portal's own callback and consent paths", () => {
    expect(main).toContain(`output ENTRA_REDIRECT_URI_SIGN_IN string = '\${portalUrl}${CALLBACK_PATH}'`);
    expect(main).toContain(
      `output ENTRA_REDIRECT_URI_CONSENT string = '\${portalUrl}${CONSENT_RESULT_PATH}'`,
    );
    expect(plain.get("AUTH_URL")).toBe("portalUrl");
  });
});

describe("managed identity and its role on ACS", () => {
  const acs = read("infra/app/acs.bicep");

  it("Contributor on the ACS resource for the portal's identity, named deterministically", () => {
    expect(acs).toContain("'Microsoft.Communication/communicationServices@2025-05-01'");
    expect(acs).toContain("location: 'global'");
    expect(acs).toContain("var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'");
    expect(acs).toMatch(/scope:\s*acs\s/);
    expect(acs).toContain("name: guid(acs.id, identityId, contributorRoleId)");
    expect(acs).toContain("principalType: 'ServicePrincipal'");
    expect(main).toMatch(
      /principalId:\s*identity\.outputs\.principalId\s+identityId:\s*identity\.outputs\.id/,
    );
  });

  it("keys are off by default", () => {
    expect(main).toContain("param acsDisableLocalAuth bool = true");
    expect(acs).toContain("disableLocalAuth: disableLocalAuth");
  });
});

describe("azd files", () => {
  const params = JSON.parse(read("infra/main.parameters.json")) as {
    parameters: Record<string, { value: unknown }>;
  };
  const bicepParams = new Map(
    [...main.matchAll(/^param (\w+) \w+( = .+)?$/gm)].map((m) => [m[1] as string, Boolean(m[2])]),
  );

  it("every parameter in main.parameters.json exists in main.bicep, and each one without a default is given", () => {
    for (const name of Object.keys(params.parameters)) expect(bicepParams.has(name), name).toBe(true);
    for (const [name, hasDefault] of bicepParams) {
      if (!hasDefault) expect(Object.keys(params.parameters), `${name} has no default`).toContain(name);
    }
  });

  it("every azd variable an admin sets is explained in the README's Azure section", () => {
    const readme = read("README.md");
    const start = readme.indexOf("## Deploy on Azure");
    expect(start, "README has a Deploy on Azure section").toBeGreaterThanOrEqual(0);
    const end = readme.indexOf("\n## ", start + 1);
    const azureSection = readme.slice(start, end === -1 ? undefined : end);
    const adminSet = Object.values(params.parameters)
      .flatMap((p) => [...String(p.value).matchAll(/\$\{(\w+)/g)].map((m) => m[1] as string))
      .filter((name) => !/^(AZURE_|SERVICE_)/.test(name));
    for (const name of adminSet) expect(azureSection, name).toContain(name);
  });

  it("azure.yaml: service `web` on Container Apps, built remotely from the Dockerfile, infra in infra/main", () => {
    const yaml = read("azure.yaml");
    expect(yaml).toMatch(/^infra:\n {2}provider: bicep\n {2}path: infra\n {2}module: main$/m);
    expect(existsSync(path.join(ROOT, "infra/main.bicep"))).toBe(true);
    expect(yaml).toMatch(
      /^services:\n {2}web:\n {4}project: \.\n {4}language: ts\n {4}host: containerapp\n {4}docker:\n {6}path: \.\/Dockerfile\n {6}remoteBuild: true$/m,
    );
  });

  it("the App Service variant deploys the same repo with the same infra and the standalone output", () => {
    const dir = "deploy/appservice";
    const yaml = read(`${dir}/azure.yaml`);
    const infraPath = /^ {2}path: (.+)$/m.exec(yaml)?.[1] ?? "";
    expect(path.resolve(ROOT, dir, infraPath)).toBe(path.join(ROOT, "infra"));
    expect(yaml).toMatch(/^ {2}module: main$/m);
    const project = /^ {4}project: (.+)$/m.exec(yaml)?.[1] ?? "";
    expect(path.resolve(ROOT, dir, project)).toBe(ROOT);
    expect(yaml).toMatch(/^ {4}host: appservice$/m);
    expect(yaml).toMatch(/^ {4}dist: \.next\/standalone$/m);
    expect(yaml).toContain('[ "$HOST_KIND" = appservice ]');
  });

  it("the image and the App Service zip ship .next/standalone as npm run build left it, static files not copied again", () => {
    // postbuild marks the framework's scripts and puts their brotli beside them: a second copy of .next/static
    // would bring back the unmarked scripts, or (rm -rf) drop the brotli files static-brotli.json lists.
    const dockerfile = read("Dockerfile");
    expect(dockerfile).toMatch(/^COPY --from=builder --chown=node:node \/app\/\.next\/standalone \.\/$/m);
    expect(dockerfile).not.toMatch(/^COPY[^\n]*\.next\/static/m);
    const hook = read("deploy/appservice/azure.yaml");
    expect(hook).not.toMatch(/cp -R \.next\/static|rm -rf \.next\/standalone/);
    expect(hook).toContain("test -f .next/standalone/.next/static-brotli.json");
  });

  it("hostKind offers exactly the two hosts the azd files deploy", () => {
    expect(main).toContain("@allowed(['containerapp', 'appservice'])");
    expect(params.parameters.hostKind?.value).toBe(`\${HOST_KIND=containerapp}`);
  });
});
