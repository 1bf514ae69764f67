import { getConfig } from "@/lib/config";
import { getStore } from "@/lib/store";

export const dynamic = "force-dynamic";

/** Liveness plus the state of the shared store; reveals no configuration value. */
export async function GET() {
  const config = getConfig();
  const store = await getStore().health();
  return Response.json(
    {
      status: store.healthy ? "ok" : "degraded",
      store,
      acsAuth: config.acs.kind,
      offline: Boolean(config.emulatorUrl),
    },
    { headers: { "cache-control": "no-store" } },
  );
}
