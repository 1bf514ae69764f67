export const dynamic = "force-dynamic";

/**
 * Benchmark baseline (scripts/bench.ts): a bare route handler of the same build, fixed JSON, no auth, no store.
 * Harmless in production: it reveals nothing and does no work.
 */
export function GET() {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
