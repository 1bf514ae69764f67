import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAcsClient, isLoopback } from "@/lib/acs/client";
import { createTeamsTokenExchange, type TeamsTokenExchange } from "@/lib/acs/exchange";
import { PortalError } from "@/lib/errors";
import { ACCESS_KEY, CLIENT_ID, testConfig, USER } from "@/tests/integration/support/fixtures";

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | "hang";

const ENTRA_TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJzZWNyZXQtZW50cmEtdG9rZW4ifQ.c2lnbmF0dXJl";
const input = { entraToken: ENTRA_TOKEN, clientId: CLIENT_ID, userObjectId: USER };
const acsError = (code: string, message: string, target?: string) => ({
  error: { code, message, ...(target ? { target } : {}) },
});

let server: Server;
let port: number;
let answers: Answer[] = [];
let requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];

function answer(request: IncomingMessage, response: ServerResponse, body: string) {
  requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
  const next = answers.length > 1 ? answers.shift() : answers[0];
  if (!next || next === "hang") return;
  response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
  response.end(next.body === undefined ? "" : JSON.stringify(next.body));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => answer(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answers = [];
  requests = [];
});

function exchangeWith(env: Record<string, string> = {}, endpointPort = port): TeamsTokenExchange {
  const config = testConfig({
    ACS_CONNECTION_STRING: `endpoint=http://127.0.0.1:${endpointPort}/;accesskey=${ACCESS_KEY}`,
    ACS_MAX_RETRIES: "1",
    ACS_MAX_RETRY_DELAY_MS: "1500",
    ...env,
  });
  return createTeamsTokenExchange({
    client: createAcsClient(config),
    timeoutMs: config.env.ACS_EXCHANGE_TIMEOUT_MS,
  });
}

async function failure(promise: Promise<unknown>): Promise<PortalError> {
  const error = await promise.then(
    () => expect.unreachable("the exchange should fail"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PortalError);
  expect(JSON.stringify({ ...(error as object), m: (error as Error).message })).not.toContain(ENTRA_TOKEN);
  return error as PortalError;
}

describe("exchangeTeamsToken against a recorded ACS", () => {
  it("exchanges with the real SDK: body, path and HMAC signature as ACS expects", async () => {
    answers = [{ status: 200, body: { token: "acs-token", expiresOn: "2025-04-07T03:12:33.1704731+00:00" } }];
    const result = await exchangeWith()(input);
    expect(result).toEqual({ token: "acs-token", expiresOn: new Date("2025-04-07T03:12:33.170Z") });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/teamsUser/:exchangeAccessToken?api-version=2023-10-01");
    expect(request?.body).toBe(JSON.stringify({ token: ENTRA_TOKEN, appId: CLIENT_ID, userId: USER }));
    expect(request?.headers.authorization).toMatch(
      /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=/,
    );
  });

  it.each<[unknown, string]>([
    [{}, "empty body"],
    [{ token: "", expiresOn: "2025-04-07T03:12:33Z" }, "empty token"],
    [{ token: "acs-token" }, "no expiry"],
    [{ token: "acs-token", expiresOn: "not a date" }, "invalid expiry"],
  ])("refuses a 200 with %j (%s)", async (body) => {
    answers = [{ status: 200, body }];
    expect((await failure(exchangeWith()(input))).code).toBe("ACS_BAD_RESPONSE");
  });

  it("maps 401 InvalidAccessToken", async () => {
    answers = [{ status: 401, body: acsError("InvalidAccessToken", "Provided access token is not valid.") }];
    const error = await failure(exchangeWith()(input));
    expect(error.code).toBe("ACS_INVALID_ACCESS_TOKEN");
    expect(error.detail).toBe("ACS answered 401 InvalidAccessToken.");
  });

  it("maps 400 ValidationError", async () => {
    answers = [
      { status: 400, body: acsError("ValidationError", "Provided AppId has invalid format.", "appId") },
    ];
    expect((await failure(exchangeWith()(input))).code).toBe("ACS_VALIDATION_ERROR");
  });

  it("maps 401 Denied and a bare 403 to an authentication failure of the portal", async () => {
    answers = [{ status: 401, body: acsError("Denied", "Denied by the resource provider.") }];
    expect((await failure(exchangeWith()(input))).code).toBe("ACS_AUTH_FAILED");
    answers = [{ status: 403 }];
    expect((await failure(exchangeWith()(input))).code).toBe("ACS_AUTH_FAILED");
  });

  it("with managed identity, 401 Denied and a bare 403 mean a missing role: ACS_IDENTITY_DENIED", async () => {
    const config = testConfig({
      ACS_CONNECTION_STRING: `endpoint=http://127.0.0.1:${port}/;accesskey=${ACCESS_KEY}`,
      ACS_MAX_RETRIES: "0",
    });
    const exchange = createTeamsTokenExchange({
      client: createAcsClient(config),
      timeoutMs: config.env.ACS_EXCHANGE_TIMEOUT_MS,
      authKind: "managed-identity",
    });
    answers = [{ status: 401, body: acsError("Denied", "Denied by the resource provider.") }];
    expect((await failure(exchange(input))).code).toBe("ACS_IDENTITY_DENIED");
    answers = [{ status: 403 }];
    expect((await failure(exchange(input))).code).toBe("ACS_IDENTITY_DENIED");
  });

  it("never echoes upstream message text into detail", async () => {
    answers = [{ status: 401, body: acsError("InvalidAccessToken", `bad token ${ENTRA_TOKEN}`) }];
    const error = await failure(exchangeWith()(input));
    expect(error.detail).toBe("ACS answered 401 InvalidAccessToken.");
  });

  it("waits a short Retry-After and succeeds", async () => {
    answers = [
      { status: 429, headers: { "retry-after": "1" } },
      { status: 200, body: { token: "acs-token", expiresOn: "2025-04-07T03:12:33Z" } },
    ];
    const started = Date.now();
    expect((await exchangeWith()(input)).token).toBe("acs-token");
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("surfaces a Retry-After beyond ACS_MAX_RETRY_DELAY_MS at once, instead of waiting it", async () => {
    answers = [{ status: 429, headers: { "retry-after": "60" } }];
    const started = Date.now();
    const error = await failure(exchangeWith()(input));
    expect(error).toMatchObject({ code: "ACS_THROTTLED", retryAfterSeconds: 60 });
    expect(requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("bounds an absurd Retry-After and reads retry-after-ms", async () => {
    answers = [{ status: 429, headers: { "retry-after": "86400" } }];
    expect(await failure(exchangeWith()(input))).toMatchObject({
      code: "ACS_THROTTLED",
      retryAfterSeconds: 300,
    });
    answers = [{ status: 429, headers: { "retry-after-ms": "4500" } }];
    expect(await failure(exchangeWith()(input))).toMatchObject({
      code: "ACS_THROTTLED",
      retryAfterSeconds: 5,
    });
  });

  it("passes on throttling once the retries are spent", async () => {
    answers = [{ status: 429, headers: { "retry-after": "1" } }];
    const error = await failure(exchangeWith({ ACS_MAX_RETRIES: "1" })(input));
    expect(error).toMatchObject({ code: "ACS_THROTTLED", retryAfterSeconds: 1 });
    expect(requests).toHaveLength(2);
  });

  it("maps a 429 without Retry-After to ACS's 30 s window", async () => {
    answers = [{ status: 429 }];
    expect(await failure(exchangeWith()(input))).toMatchObject({
      code: "ACS_THROTTLED",
      retryAfterSeconds: 30,
    });
    expect(requests).toHaveLength(1);
  });

  it("maps a 503 with a long Retry-After to unavailable, passing the wait on", async () => {
    answers = [{ status: 503, headers: { "retry-after": "120" } }];
    expect(await failure(exchangeWith()(input))).toMatchObject({
      code: "ACS_UNAVAILABLE",
      retryAfterSeconds: 120,
    });
  });

  it("retries server errors a bounded number of times, then reports unavailable", async () => {
    answers = [{ status: 500, body: acsError("InternalError", "boom") }];
    const error = await failure(exchangeWith({ ACS_MAX_RETRIES: "2", ACS_MAX_RETRY_DELAY_MS: "50" })(input));
    expect(error.code).toBe("ACS_UNAVAILABLE");
    expect(requests).toHaveLength(3);
  });

  it("reports unavailable when nothing listens", async () => {
    const error = await failure(exchangeWith({ ACS_MAX_RETRIES: "0" }, 9)(input));
    expect(error.code).toBe("ACS_UNAVAILABLE");
  });

  it("gives up at the deadline", async () => {
    answers = ["hang"];
    const started = Date.now();
    const error = await failure(exchangeWith({ ACS_EXCHANGE_TIMEOUT_MS: "500" })(input));
    expect(error.code).toBe("ACS_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("stops when the caller aborts", async () => {
    answers = ["hang"];
    const error = await failure(exchangeWith()(input, { signal: AbortSignal.timeout(100) }));
    expect(error.code).toBe("ACS_TIMEOUT");
  });
});

describe("createAcsClient", () => {
  it.each([
    ["http://localhost:3100/", true],
    ["http://127.0.0.1:3100", true],
    ["http://[::1]:3100", true],
    ["https://contoso.communication.azure.com/", false],
    ["http://localhost.evil.example/", false],
  ])("isLoopback(%s) is %s", (endpoint, expected) => {
    expect(isLoopback(endpoint)).toBe(expected);
  });

  it("keeps TLS enforced for a non-loopback endpoint: plain http is refused before any request", async () => {
    const config = testConfig({
      ACS_CONNECTION_STRING: `endpoint=http://acs.example.test/;accesskey=${ACCESS_KEY}`,
      ACS_MAX_RETRIES: "0",
    });
    const exchange = createTeamsTokenExchange({ client: createAcsClient(config), timeoutMs: 2_000 });
    const error = await failure(exchange(input));
    expect(error.code).toBe("ACS_UNAVAILABLE");
    expect(error.cause).toBeUndefined();
  });
});
