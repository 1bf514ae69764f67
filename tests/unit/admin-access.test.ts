import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/http/return-path";
import { isPortalAdmin } from "@/lib/session/admin";

const config = { admins: { role: "TokenPortal.Admin", objectIds: ["46ba69ff-0854-4fe2-a16f-7517bdc3476d"] } };
const DIEGO = "34bc4147-581a-440d-9beb-c80408dc4208";

describe("isPortalAdmin", () => {
  it("admits the configured app role from the ID token's roles claim", () => {
    expect(isPortalAdmin({ roles: ["TokenPortal.Admin"], objectId: DIEGO }, config)).toBe(true);
    expect(isPortalAdmin({ roles: ["Other", "TokenPortal.Admin"], objectId: DIEGO }, config)).toBe(true);
  });

  it("admits a listed object id without the role", () => {
    expect(isPortalAdmin({ roles: [], objectId: "46BA69FF-0854-4FE2-A16F-7517BDC3476D" }, config)).toBe(true);
  });

  it("refuses everyone else: no role, a similar role, another role value, no object id", () => {
    expect(isPortalAdmin({ roles: [], objectId: DIEGO }, config)).toBe(false);
    expect(
      isPortalAdmin({ roles: ["tokenportal.admin", "TokenPortal.Admin "], objectId: DIEGO }, config),
    ).toBe(false);
    expect(isPortalAdmin({ roles: ["TokenPortal.Admin"], objectId: "" }, config)).toBe(false);
    expect(
      isPortalAdmin(
        { roles: ["TokenPortal.Admin"], objectId: DIEGO },
        { admins: { role: "Owner", objectIds: [] } },
      ),
    ).toBe(false);
  });
});

describe("safeReturnPath", () => {
  it("keeps a path on this portal", () => {
    expect(safeReturnPath("/admin/diagnostics", "/token")).toBe("/admin/diagnostics");
    expect(safeReturnPath("/consent?tenant=fabrikam.com&app=x", "/token")).toBe(
      "/consent?tenant=fabrikam.com&app=x",
    );
  });

  it("refuses other origins, schemes and odd characters", () => {
    for (const value of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "admin",
      "/admin\nSet-Cookie: x",
      "/<script>",
      "",
      undefined,
      ["/admin"],
      `/${"a".repeat(600)}`,
    ])
      expect(safeReturnPath(value, "/token"), String(value)).toBe("/token");
  });
});
