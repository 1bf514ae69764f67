import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { trace } from "@opentelemetry/api";
import { variables } from "@/lib/config/schema";

/**
 * Structured JSON log lines (one object per line) with the request id and, when tracing is on, the trace id.
 * Fields are plain values; as a second line of defence every string is scrubbed of anything shaped like a JWT or an
 * e-mail address, and fields whose names speak of tokens, secrets, keys or mail are dropped.
 */

type Level = "debug" | "info" | "warn" | "error";
type Field = string | number | boolean | undefined;
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

const requests = new AsyncLocalStorage<{ requestId: string }>();
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Runs `fn` with a request id: the caller's `x-request-id` if it is plausible, else a new one. */
export function withRequestId<T>(incoming: string | null | undefined, fn: (requestId: string) => T): T {
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  return requests.run({ requestId }, () => fn(requestId));
}

export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

const SENSITIVE_NAME = /token|secret|password|passwd|authorization|cookie|key|mail|upn|username|assertion/i;
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const EMAIL_SHAPE = /[^\s@"'<>()]+@[^\s@"'<>()]+\.[A-Za-z]{2,}/g;

export function scrub(text: string): string {
  return text.replace(JWT_SHAPE, "[jwt]").replace(EMAIL_SHAPE, "[email]");
}

type Sink = (line: string, level: Level) => void;
const defaultSink: Sink = (line, level) =>
  (level === "warn" || level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
let sink: Sink = defaultSink;

/** Tests capture the log stream here; `undefined` restores stdout/stderr. */
export function setLogSink(next: Sink | undefined): void {
  sink = next ?? defaultSink;
}

function threshold(): number {
  const parsed = variables.LOG_LEVEL.schema.safeParse(process.env.LOG_LEVEL || undefined);
  return ORDER[parsed.success ? parsed.data : "info"];
}

function write(level: Level, event: string, fields: Record<string, Field> = {}): void {
  if (ORDER[level] < threshold()) return;
  const span = trace.getActiveSpan()?.spanContext();
  const entry: Record<string, Field> = {
    time: new Date().toISOString(),
    level,
    event: scrub(event),
    requestId: currentRequestId(),
    ...(span && span.traceFlags !== 0 ? { traceId: span.traceId, spanId: span.spanId } : {}),
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || SENSITIVE_NAME.test(name)) continue;
    entry[name] = typeof value === "string" ? scrub(value) : value;
  }
  sink(JSON.stringify(entry), level);
}

export const log = {
  debug: (event: string, fields?: Record<string, Field>) => write("debug", event, fields),
  info: (event: string, fields?: Record<string, Field>) => write("info", event, fields),
  warn: (event: string, fields?: Record<string, Field>) => write("warn", event, fields),
  error: (event: string, fields?: Record<string, Field>) => write("error", event, fields),
};
