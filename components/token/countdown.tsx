"use client";

import { useEffect, useState } from "react";

export function formatRemaining(milliseconds: number): string {
  if (milliseconds <= 0) return "expired";
  const total = Math.floor(milliseconds / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0
    ? `${hours} h ${minutes} min`
    : minutes > 0
      ? `${minutes} min ${seconds} s`
      : `${seconds} s`;
}

/** A live "expires in …" that turns into "expired"; screen readers are not told every second. */
export function Countdown({ until, onExpired }: { until: string; onExpired?: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const remaining = new Date(until).getTime() - now;
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (remaining <= 0) onExpired?.();
  }, [remaining, onExpired]);
  return (
    <span data-testid="countdown" className="tabular-nums">
      {formatRemaining(remaining)}
    </span>
  );
}
