"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};
const pad = (value: number) => String(value).padStart(2, "0");

/**
 * `2026-12-02 13:05:07 UTC+01:00`: the time in the reader's zone, with its offset, from the Date's own fields.
 * Not toLocaleString: its first call in a page starts ICU's date formatting, 33-66 ms on the main thread (measured
 * in Chromium 156), which made the token page's hydration one long task. The format also reads the same everywhere.
 */
export function formatLocalTime(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const zone = `UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
}

/**
 * A timestamp (ISO, UTC) in the reader's zone. The server renders it in UTC in the same format, since it cannot know
 * the zone; digits of one width keep the swap after hydration from moving the rest of the line.
 */
export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    subscribe,
    () => formatLocalTime(new Date(iso)),
    () => `${iso.replace("T", " ").slice(0, 19)} UTC+00:00`,
  );
  return (
    <time dateTime={iso} className="tabular-nums">
      {text}
    </time>
  );
}
