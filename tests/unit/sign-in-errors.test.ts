import { describe, expect, it } from "vitest";
import { parseEntraError, parseErrorPageQuery, signInErrorPath } from "@/lib/entra/sign-in-errors";
import { catalogue, codeForAadsts, errorCodes } from "@/lib/errors";

const TRAILER = "\r\nTrace ID: 0d3f\r\nCorrelation ID: 8e1a\r\nTimestamp: 2026-11-28 10:00:00Z";

describe("Entra sign-in errors", () => {
  it("maps every AADSTS code of the reference table to its own catalogue entry", () => {
    const table: Record<string, string> = {
      "65001": "AADSTS_CONSENT_REQUIRED",
      "65004": "AADSTS_CONSENT_DECLINED",
      "90094": "AADSTS_ADMIN_CONSENT_REQUIRED",
      "90095": "AADSTS_ADMIN_CONSENT_REQUIRED",
      "650052": "AADSTS_SERVICE_PRINCIPAL_MISSING",
      "500011": "AADSTS_SERVICE_PRINCIPAL_MISSING",
      "700016": "AADSTS_APP_NOT_FOUND",
      "50020": "AADSTS_USER_NOT_IN_TENANT",
      "50194": "AADSTS_USER_NOT_IN_TENANT",
      "7000218": "AADSTS_SECRET_MISSING",
      "7000215": "AADSTS_SECRET_INVALID",
      "7000222": "AADSTS_SECRET_INVALID",
      "9002326": "AADSTS_REDIRECT_PLATFORM",
      "9002327": "AADSTS_REDIRECT_PLATFORM",
      "50011": "AADSTS_REDIRECT_URI_MISMATCH",
      "65005": "AADSTS_API_PERMISSION_MISSING",
      "650056": "AADSTS_API_PERMISSION_MISSING",
      "650057": "AADSTS_API_PERMISSION_MISSING",
      "70011": "AADSTS_INVALID_SCOPE",
      "53003": "AADSTS_CONDITIONAL_ACCESS",
      "50076": "AADSTS_CONDITIONAL_ACCESS",
      "50079": "AADSTS_CONDITIONAL_ACCESS",
      "28000": "AADSTS_MULTIPLE_RESOURCES",
    };
    for (const [number, code] of Object.entries(table)) {
      expect(codeForAadsts(number), number).toBe(code);
      expect(codeForAadsts(`AADSTS${number}`), number).toBe(code);
    }
    expect(codeForAadsts("12345")).toBeUndefined();
  });

  it("keeps the tenant named by AADSTS650052 and nothing of the free text", () => {
    const failure = parseEntraError(
      "invalid_client",
      `AADSTS650052: The app is trying to access a service '1fd5118e-2576-4263-8130-9503064c837a'(Azure Communication Services) that your organization '365CBCF4-cdc1-45fb-b0a3-2d47d3586d27' lacks a service principal for.${TRAILER}`,
    );
    expect(failure).toEqual({
      code: "AADSTS_SERVICE_PRINCIPAL_MISSING",
      aadsts: "650052",
      tenantId: "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27",
    });
  });

  it("treats an unknown AADSTS or a bare access_denied sensibly", () => {
    expect(parseEntraError("invalid_request", "AADSTS99999: something")).toEqual({
      code: "SIGN_IN_FAILED",
      aadsts: "99999",
    });
    expect(parseEntraError("access_denied", null)).toEqual({ code: "AADSTS_CONSENT_DECLINED" });
  });

  it("round-trips through the error page query and refuses hostile values", () => {
    const path = signInErrorPath(
      "AADSTS_SERVICE_PRINCIPAL_MISSING",
      "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27",
      "650052",
    );
    const query = Object.fromEntries(new URL(path, "http://x").searchParams);
    expect(parseErrorPageQuery(query)).toEqual({
      code: "AADSTS_SERVICE_PRINCIPAL_MISSING",
      aadsts: "650052",
      tenantId: "365cbcf4-cdc1-45fb-b0a3-2d47d3586d27",
    });
    expect(parseErrorPageQuery({ error: "<script>", tenant: "x' onload='1", aadsts: "1;drop" })).toEqual({
      code: "SIGN_IN_FAILED",
    });
    expect(parseErrorPageQuery({ error: ["AccessDenied", "x"] })).toEqual({ code: "SIGN_IN_FAILED" });
    expect(parseErrorPageQuery({ aadsts: "65001" }).code).toBe("AADSTS_CONSENT_REQUIRED");
  });

  it("gives every catalogue entry a status, a title and a remedy", () => {
    for (const code of errorCodes) {
      const entry = catalogue[code];
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      expect(entry.title.length, code).toBeGreaterThan(5);
      expect(entry.remedy.length, code).toBeGreaterThan(5);
    }
  });
});
