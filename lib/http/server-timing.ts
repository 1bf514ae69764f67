/**
 * A `Server-Timing` header (W3C Server Timing): where a request's time went, readable in the browser's network
 * panel and by `npm run bench`. Durations only, never values: nothing here may carry a token or a user id.
 */
export interface ServerTiming {
  /** Runs `step` and records its duration under `name`, whether it resolves or throws. */
  measure<T>(name: string, step: () => Promise<T>): Promise<T>;
  record(name: string, durationMs: number): void;
  header(): string;
}

const METRIC_NAME = /^[a-z][a-z0-9-]*$/;

export function createServerTiming(now: () => number = () => performance.now()): ServerTiming {
  const entries: string[] = [];
  const record = (name: string, durationMs: number) => {
    if (!METRIC_NAME.test(name)) throw new Error(`Server-Timing metric name ${JSON.stringify(name)}`);
    entries.push(`${name};dur=${Math.max(0, durationMs).toFixed(2)}`);
  };
  return {
    async measure(name, step) {
      const started = now();
      try {
        return await step();
      } finally {
        record(name, now() - started);
      }
    },
    record,
    header: () => entries.join(", "),
  };
}
