// The request core against a tiny local Keystone + Nova (node:http on 127.0.0.1, port 0):
// auth and token reuse, headers, error mapping, retry policy, timeout, breaker, 401 re-auth.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { createOpenStack, toOpenStackRequestId, type OpenStack } from "./client";
import type { RegionConfig } from "./clouds-config";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let base = "";
let seen: Seen[] = [];
let authCalls = 0;
let tokenSeq = 0;
let refuseToken: string | undefined;
let handler: Handler = () => {};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "Content-Type": "application/json",
    "x-compute-request-id": `req-${String(seen.length).padStart(8, "0")}-0000-0000-0000-000000000000`,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const s: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      if (s.url === "/identity/v3/auth/tokens") {
        authCalls++;
        const value = `tok-${++tokenSeq}`;
        const now = Date.now();
        res.writeHead(201, { "Content-Type": "application/json", "X-Subject-Token": value });
        res.end(
          JSON.stringify({
            token: {
              issued_at: new Date(now).toISOString(),
              expires_at: new Date(now + 3_600_000).toISOString(),
              user: { id: "svc-user", name: "svc", domain: { id: "default" } },
              project: { id: "proj-1", name: "portal", domain: { id: "default" } },
              roles: [{ id: "r1", name: "member" }],
              catalog: [
                {
                  type: "compute",
                  endpoints: [
                    {
                      url: `${base}/compute/v2.1`,
                      interface: "public",
                      region_id: "test-region",
                      region: "test-region",
                    },
                  ],
                },
                {
                  type: "network",
                  endpoints: [
                    {
                      url: `${base}/network`,
                      interface: "public",
                      region_id: "test-region",
                      region: "test-region",
                    },
                  ],
                },
                {
                  type: "volumev3",
                  endpoints: [
                    { url: `${base}/volume/v3/proj-1`, interface: "public", region_id: "test-region" },
                  ],
                },
              ],
            },
          }),
        );
        return;
      }
      seen.push(s);
      if (refuseToken && s.headers["x-auth-token"] === refuseToken) {
        json(res, 401, {
          error: {
            code: 401,
            message: "The request you have made requires authentication.",
            title: "Unauthorized",
          },
        });
        return;
      }
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  authCalls = 0;
  refuseToken = undefined;
  handler = (_s, res) =>
    json(res, 200, { flavors: [{ id: "1", name: "m1.tiny", vcpus: 1, ram: 512, disk: 1 }] });
});

function region(): RegionConfig {
  return {
    name: "test-region",
    cloud: "test",
    authUrl: `${base}/identity/v3`,
    credentials: {
      kind: "password",
      username: "svc",
      userDomainName: "Default",
      password: "pw",
      projectName: "portal",
      projectDomainName: "Default",
    },
    interface: "public",
    verify: true,
    endpointOverrides: {},
    apiVersions: {},
  };
}

function client(timing: Parameters<typeof createOpenStack>[0]["timing"] = {}): OpenStack {
  return createOpenStack({
    regions: [region()],
    timing: {
      timeoutMs: 2_000,
      maxRetries: 3,
      initialDelayMs: 1,
      maxDelayMs: 5,
      breakerThreshold: 50,
      breakerHalfOpenAfterMs: 100,
      ...timing,
    },
  });
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

describe("auth and headers", () => {
  it("authenticates once, reuses the token and finds endpoints in the catalog", async () => {
    const os = client();
    const c = os.forProject("test-region", "proj-1", { requestId: "3f1e2d4c-0000-4000-8000-00000000abcd" });
    await c.compute.listFlavors();
    await c.compute.listFlavors();
    expect(authCalls).toBe(1);
    const [first] = seen;
    expect(first?.url).toBe("/compute/v2.1/flavors/detail?limit=100");
    expect(first?.headers["x-auth-token"]).toMatch(/^tok-\d+$/);
    expect(first?.headers["openstack-api-version"]).toBe("compute 2.90");
    expect(first?.headers["x-openstack-nova-api-version"]).toBe("2.90");
    expect(first?.headers["x-openstack-request-id"]).toBe("req-3f1e2d4c-0000-4000-8000-00000000abcd");
    expect(await c.endpoint("network")).toBe(`${base}/network/v2.0`);
    expect(await c.endpoint("block-storage")).toBe(`${base}/volume/v3/proj-1`);
    await expect(c.endpoint("load-balancer")).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
  });

  it("scopes each project's token separately", async () => {
    const os = client();
    await os.forProject("test-region", "proj-1").compute.listFlavors();
    await os.forProject("test-region", "proj-2").compute.listFlavors();
    await os.forProject("test-region", "proj-1").compute.listFlavors();
    expect(authCalls).toBe(2);
  });

  it("turns other request ids into the req-<uuid> form oslo accepts", () => {
    expect(toOpenStackRequestId("req-3F1E2D4C-0000-4000-8000-00000000ABCD")).toBe(
      "req-3f1e2d4c-0000-4000-8000-00000000abcd",
    );
    expect(toOpenStackRequestId("01HZX3K")).toMatch(
      /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(toOpenStackRequestId("01HZX3K")).toBe(toOpenStackRequestId("01HZX3K"));
  });

  it("re-authenticates once on 401 and replays the call", async () => {
    const os = client();
    const c = os.forProject("test-region", "proj-1");
    await c.compute.listFlavors();
    const first = String(seen[0]?.headers["x-auth-token"]);
    refuseToken = first;
    const flavors = await c.compute.listFlavors();
    expect(flavors).toHaveLength(1);
    expect(authCalls).toBe(2);
    const tokens = seen.map((s) => s.headers["x-auth-token"]);
    expect(tokens.slice(0, 2)).toEqual([first, first]);
    expect(tokens[2]).not.toBe(first);
  });

  it("gives FORBIDDEN when the fresh token is refused too", async () => {
    const os = client();
    handler = (_s, res) =>
      json(res, 401, { error: { message: "The request you have made requires authentication." } });
    const e = await caught(os.forProject("test-region", "proj-1").compute.listFlavors());
    expect(e.code).toBe("FORBIDDEN");
    expect(authCalls).toBe(2);
  });
});

describe("error mapping on the wire", () => {
  it("carries the upstream message, service and request id", async () => {
    handler = (_s, res) =>
      json(
        res,
        404,
        { itemNotFound: { code: 404, message: "Instance nope could not be found." } },
        { "x-compute-request-id": "req-aaaaaaaa-0000-0000-0000-000000000001" },
      );
    const e = await caught(client().forProject("test-region", "proj-1").compute.getServer("nope"));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toBe("Instance nope could not be found.");
    expect(e.details).toMatchObject({
      service: "compute",
      status: 404,
      upstreamRequestId: "req-aaaaaaaa-0000-0000-0000-000000000001",
      path: "/compute/v2.1/servers/nope",
    });
  });

  it("reports an unexpected answer shape as UPSTREAM_ERROR", async () => {
    handler = (_s, res) => json(res, 200, { server: { id: 5 } });
    const e = await caught(client().forProject("test-region", "proj-1").compute.getServer("x"));
    expect(e.code).toBe("UPSTREAM_ERROR");
  });
});

describe("retry policy", () => {
  it("retries an idempotent GET on 503 until it succeeds", async () => {
    let n = 0;
    handler = (_s, res) =>
      ++n <= 2 ? json(res, 503, { computeFault: { message: "busy" } }) : json(res, 200, { flavors: [] });
    expect(await client().forProject("test-region", "proj-1").compute.listFlavors()).toEqual([]);
    expect(seen).toHaveLength(3);
  });

  it("gives up after maxRetries with the last error", async () => {
    handler = (_s, res) => json(res, 503, { computeFault: { message: "still busy" } });
    const e = await caught(
      client({ maxRetries: 2 }).forProject("test-region", "proj-1").compute.listFlavors(),
    );
    expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(e.message).toBe("still busy");
    expect(e.transient).toBe(true);
    expect(seen).toHaveLength(3);
  });

  it("never retries a plain POST", async () => {
    handler = (_s, res) => json(res, 503, { computeFault: { message: "busy" } });
    const e = await caught(client().forProject("test-region", "proj-1").compute.createKeypair("k"));
    expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(seen).toHaveLength(1);
  });

  it("retries a POST marked idempotent", async () => {
    let n = 0;
    handler = (_s, res) => (++n === 1 ? json(res, 502, {}) : json(res, 200, { output: "login:" }));
    expect(await client().forProject("test-region", "proj-1").compute.consoleOutput("s1")).toBe("login:");
    expect(seen).toHaveLength(2);
  });

  it("does not retry 4xx", async () => {
    handler = (_s, res) =>
      json(res, 409, {
        conflictingRequest: { message: "Cannot 'start' instance s1 while it is in vm_state active" },
      });
    const e = await caught(client().forProject("test-region", "proj-1").compute.getServer("s1"));
    expect(e.code).toBe("CONFLICT");
    expect(seen).toHaveLength(1);
  });

  it("times out a slow answer as UPSTREAM_TIMEOUT and retries it", async () => {
    handler = (_s, res) => setTimeout(() => json(res, 200, { flavors: [] }), 300);
    const e = await caught(
      client({ timeoutMs: 50, maxRetries: 1 }).forProject("test-region", "proj-1").compute.listFlavors(),
    );
    expect(e.code).toBe("UPSTREAM_TIMEOUT");
    expect(seen).toHaveLength(2);
  });

  it("maps a refused connection and retries it even for POST (never sent)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const os = createOpenStack({
      regions: [{ ...region(), endpointOverrides: { compute: `http://127.0.0.1:${port}/v2.1` } }],
      timing: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 },
    });
    let retries = 0;
    os.logger.warn = (msg) => {
      if (msg === "openstack call retried") retries++;
    };
    const e = await caught(os.forProject("test-region", "proj-1").compute.createKeypair("k"));
    expect(e.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(e.details?.errno).toBe("ECONNREFUSED");
    expect(retries).toBe(2);
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures, fails fast, then lets a probe through", async () => {
    let healthy = false;
    handler = (_s, res) => (healthy ? json(res, 200, { flavors: [] }) : json(res, 503, {}));
    const os = client({ maxRetries: 0, breakerThreshold: 3, breakerHalfOpenAfterMs: 150 });
    const c = os.forProject("test-region", "proj-1");
    for (let i = 0; i < 3; i++) await caught(c.compute.listFlavors());
    expect(seen).toHaveLength(3);
    const fast = await caught(c.compute.listFlavors());
    expect(fast.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(fast.details?.circuit).toBe("open");
    expect(seen).toHaveLength(3);
    expect(Object.values(os.resilience.breakerStates())).toContain("open");
    // other services keep their own breaker
    handler = (s, res) =>
      s.url.startsWith("/network") ? json(res, 200, { networks: [] }) : json(res, 503, {});
    expect(await c.network.listExternalNetworks()).toEqual([]);
    healthy = true;
    handler = (_s, res) => json(res, 200, { flavors: [] });
    await new Promise((r) => setTimeout(r, 200));
    expect(await c.compute.listFlavors()).toEqual([]);
  });

  it("does not count 4xx answers against the breaker", async () => {
    handler = (_s, res) => json(res, 404, { itemNotFound: { message: "gone" } });
    const os = client({ maxRetries: 0, breakerThreshold: 2 });
    const c = os.forProject("test-region", "proj-1");
    for (let i = 0; i < 4; i++) expect((await caught(c.compute.getServer("x"))).code).toBe("NOT_FOUND");
    expect(seen).toHaveLength(4);
  });
});
