import { describe, expect, it } from "vitest";
import { errorPageWordsFor } from "@/components/error-page-words";

describe("the error page's words for the failing page's section", () => {
  it("sends the token page's visitors to troubleshooting", () => {
    expect(errorPageWordsFor("/token")).toEqual({
      heading: "Your Teams token page could not be shown",
      back: { href: "/troubleshoot", label: "Troubleshooting" },
    });
  });

  it("sends every set-up page back to the set-up guide", () => {
    for (const path of ["/admin", "/admin/diagnostics", "/admin/teams-phone"]) {
      expect(errorPageWordsFor(path).back?.href, path).toBe("/admin");
    }
  });

  it("leaves other pages, and look-alike paths, to the default words", () => {
    for (const path of ["/", "/consent", "/tokens", "/administer"])
      expect(errorPageWordsFor(path), path).toEqual({});
  });
});
