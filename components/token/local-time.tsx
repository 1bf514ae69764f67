"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** A timestamp in the reader's own time zone; the server renders UTC so the first paint matches. */
export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    subscribe,
    () => new Date(iso).toLocaleString(),
    () => `${iso.replace("T", " ").slice(0, 19)} UTC`,
  );
  return <time dateTime={iso}>{text}</time>;
}
