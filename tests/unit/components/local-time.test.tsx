// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatLocalTime, LocalTime } from "@/components/token/local-time";

const ISO = "2026-12-02T12:05:07.000Z";
const zone = process.env.TZ;

afterEach(() => {
  process.env.TZ = zone;
  vi.restoreAllMocks();
});

describe("formatLocalTime", () => {
  it.each([
    ["UTC", "2026-12-02 12:05:07 UTC+00:00"],
    ["Europe/Berlin", "2026-12-02 13:05:07 UTC+01:00"],
    ["Asia/Kolkata", "2026-12-02 17:35:07 UTC+05:30"],
    ["America/New_York", "2026-12-02 07:05:07 UTC-05:00"],
    ["Pacific/Kiritimati", "2026-12-03 02:05:07 UTC+14:00"],
    ["America/St_Johns", "2026-12-02 08:35:07 UTC-03:30"],
  ])("in %s", (timeZone, expected) => {
    process.env.TZ = timeZone;
    expect(formatLocalTime(new Date(ISO))).toBe(expected);
  });

  it("does not use the browser's locale formatting (ICU's start-up is a long task)", () => {
    const localeString = vi.spyOn(Date.prototype, "toLocaleString");
    const dateTimeFormat = vi.spyOn(Intl, "DateTimeFormat");
    formatLocalTime(new Date(ISO));
    expect(localeString).not.toHaveBeenCalled();
    expect(dateTimeFormat).not.toHaveBeenCalled();
  });
});

describe("LocalTime", () => {
  it("shows the reader's time with its offset, keeps the instant in dateTime, and has digits of one width", () => {
    process.env.TZ = "Asia/Kolkata";
    render(<LocalTime iso={ISO} />);
    const time = screen.getByText("2026-12-02 17:35:07 UTC+05:30");
    expect(time.tagName).toBe("TIME");
    expect(time.getAttribute("datetime")).toBe(ISO);
    expect(time.className).toContain("tabular-nums");
  });
});
