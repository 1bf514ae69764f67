import { describe, expect, it } from "vitest";
import { catalogue, PortalError, toErrorView } from "@/lib/errors";
import { INTERNAL_ENTRY, INTERNAL_VIEW } from "@/lib/internal-error";

describe("the error boundaries' words (lib/internal-error.ts)", () => {
  it("are the catalogue's INTERNAL entry, as toErrorView renders it", () => {
    expect(catalogue.INTERNAL).toBe(INTERNAL_ENTRY);
    expect(INTERNAL_VIEW).toEqual(toErrorView(new PortalError("INTERNAL")));
  });
});
