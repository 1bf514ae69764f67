import { describe, expect, it } from "vitest";
import { banner } from "../../emulator/banner";
import { loadConfig } from "../../emulator/config";
import { startEmulator } from "../../emulator/server";

describe("the stand-ins' ports follow each other (two demos side by side)", () => {
  it("EMULATOR_PORT moves the HTTPS port to EMULATOR_PORT + 1 unless EMULATOR_HTTPS_PORT is set", () => {
    expect(loadConfig({ env: {} })).toMatchObject({ port: 3100, httpsPort: 3101 });
    expect(loadConfig({ env: { EMULATOR_PORT: "4100" } })).toMatchObject({ port: 4100, httpsPort: 4101 });
    expect(loadConfig({ env: { EMULATOR_PORT: "4100", EMULATOR_HTTPS_PORT: "4443" } })).toMatchObject({
      httpsPort: 4443,
    });
    expect(loadConfig({ env: {}, port: 0 })).toMatchObject({ port: 0, httpsPort: 0 });
  });

  it("the portal address (PORT) moves the banner and the v1 admin-consent return address", async () => {
    expect(loadConfig({ env: {} }).portalUrl).toBe("http://localhost:3000");
    const emu = await startEmulator({ env: { PORT: "4000" }, port: 0, httpsPort: false, ipv6: false });
    try {
      expect(banner(emu)).toContain("redirect_uri=http://localhost:4000/consent/result");
      expect(banner(emu)).not.toContain("localhost:3000");
      const tenant = "a6f06ecc-ceb2-4ab4-9017-dde2e68e6645";
      const res = await fetch(
        `${emu.url}/${tenant}/adminconsent?client_id=8187b4ec-85b5-4e02-bfa3-299ca1e218f6`,
        {
          method: "POST",
          body: new URLSearchParams({ emulator_tenant: tenant, emulator_decision: "accept" }),
          redirect: "manual",
        },
      );
      expect(res.headers.get("location")).toBe(
        `http://localhost:4000/consent/result?admin_consent=True&tenant=${tenant}`,
      );
    } finally {
      await emu.close();
    }
  });
});
