import "server-only";
import { getConfig } from "@/lib/config";

/** Every page says plainly when sign-in and tokens come from the local stand-ins, not Microsoft. */
export function OfflineBanner() {
  // The configuration is the server's, read at request time (the root layout renders every page per request).
  const { emulatorUrl } = getConfig();
  if (!emulatorUrl) return null;
  return (
    <div
      role="note"
      className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-950 dark:bg-amber-900 dark:text-amber-50"
    >
      <strong>Demo mode:</strong> sign-in and Teams tokens come from the local stand-ins at{" "}
      <span className="font-mono">{emulatorUrl}</span>, not from Microsoft. Nothing here works with real
      Teams.
    </div>
  );
}
