// The simulator's HTTP entry: one listener serving Keystone at /identity and each region's
// services at /<region>/<service>, plus the loopback-only admin API under /_sim/.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cloudsYaml, writeCloudsYaml } from "./clouds-yaml";
import type { CatalogEntry, ServiceCall, SimCore, SimService } from "./core";
import { unauthorizedBody } from "./errors";
import { FaultInjector } from "./faults";
import { ApiError, isObject } from "./http";
import type { SimRequest, SimResponse } from "./http";
import { isRequestId, requestId } from "./ids";
import { Scheduler } from "./scheduler";
import { DEFAULT_DOMAIN_ID, seedState } from "./seed";
import { createComputeService } from "./services/compute";
import { createIdentityService } from "./services/identity";
import { createImageService } from "./services/image";
import { createNetworkService } from "./services/network";
import { createPrometheusService } from "./services/prometheus";
import { createVolumeService } from "./services/volume";
import { BlobStore, Store } from "./state";
import { REGIONS, delayFor } from "./topology";

export interface SimOptions {
  /** 0 = a random free port; default 8790. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persist state to <dataDir>/state.json; null = memory only. */
  dataDir?: string | null;
  /** Transitions in ~20-150 ms instead of seconds. */
  fast?: boolean;
  /** Default "sim-admin". */
  adminPassword?: string;
}

export interface SimHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/identity/v3" */
  authUrl: string;
  regions: string[];
  cloudsYamlPath: string | null;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8790;
export const DEFAULT_ADMIN_PASSWORD = "sim-admin";
/** Image uploads are kept in memory while they arrive; larger bodies get a 413. */
const MAX_BODY_BYTES = 1024 * 1024 * 1024;

interface Mounted {
  services: Map<string, SimService>;
  global: Map<string, SimService>;
  all: SimService[];
}

function mountServices(core: SimCore): Mounted {
  const regional: SimService[] = [
    createComputeService(core),
    createNetworkService(core),
    createVolumeService(core),
    createImageService(core),
    createPrometheusService(core),
  ];
  const catalog = (): CatalogEntry[] => all.flatMap((s) => s.catalog);
  const identity = createIdentityService(core, { catalog });
  const all = [identity, ...regional];
  return {
    services: new Map(regional.map((s) => [s.mount, s])),
    global: new Map([[identity.mount, identity]]),
    all,
  };
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      if (!tooBig) chunks.push(chunk);
    });
    req.on("end", () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(
  res: ServerResponse,
  method: string,
  out: SimResponse,
  extraHeaders: Record<string, string>,
): void {
  if (res.writableEnded || res.destroyed) return;
  const headers: Record<string, string | string[]> = { ...extraHeaders };
  for (const [k, v] of Object.entries(out.headers ?? {})) headers[k] = v;
  let payload: Buffer | null = null;
  const has = (name: string): boolean =>
    Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
  if (Buffer.isBuffer(out.body)) {
    payload = out.body;
    if (!has("content-type")) headers["Content-Type"] = "application/octet-stream";
  } else if (typeof out.body === "string") {
    payload = Buffer.from(out.body);
    if (!has("content-type")) headers["Content-Type"] = "text/plain; charset=UTF-8";
  } else if (out.body !== undefined) {
    payload = Buffer.from(JSON.stringify(out.body));
    if (!has("content-type")) headers["Content-Type"] = "application/json";
  }
  // 204/304 never carry a body; HEAD answers carry the length of the GET body.
  const noBody = out.status === 204 || out.status === 304;
  if (!noBody) headers["Content-Length"] = String(payload?.length ?? 0);
  res.writeHead(out.status, headers);
  res.end(method === "HEAD" || noBody ? undefined : (payload ?? undefined));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startSim(opts: SimOptions = {}): Promise<SimHandle> {
  const adminPassword = opts.adminPassword ?? DEFAULT_ADMIN_PASSWORD;
  const dataDir = opts.dataDir === undefined ? null : opts.dataDir;
  const fast = opts.fast ?? false;
  const host = opts.host ?? "127.0.0.1";
  const { store } = Store.open(dataDir, () => seedState(adminPassword));
  const scheduler = new Scheduler(store);
  const core: SimCore = {
    fast,
    adminPassword,
    dataDir,
    regions: [...REGIONS],
    baseUrl: "",
    store,
    scheduler,
    blobs: new BlobStore(dataDir),
    delay: (name) => delayFor(name, fast),
  };
  const mounted = mountServices(core);
  const faults = new FaultInjector(mounted.all.map((s) => s.name));
  const hanging = new Set<ServerResponse>();
  let paused = false;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      console.error("[sim] request failed", err);
      if (!res.headersSent)
        send(res, req.method ?? "GET", { status: 500, body: { error: "internal simulator error" } }, {});
      else res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const reqId = requestId();
    const incoming = req.headers["x-openstack-request-id"];
    const globalId = typeof incoming === "string" && isRequestId(incoming) ? incoming : null;
    const base: Record<string, string> = { "X-OpenStack-Request-Id": reqId };
    const body = await readBody(req);
    if (body === null) {
      send(res, method, { status: 413, body: { error: "request body too large" } }, base);
      return;
    }
    const segments = url.pathname.split("/").filter((s) => s.length > 0);
    const first = segments[0] ?? "";

    if (first === "_sim") {
      if (!isLoopback(req.socket.remoteAddress)) {
        send(
          res,
          method,
          { status: 403, body: { error: "the simulator admin API answers on loopback only" } },
          base,
        );
        return;
      }
      send(res, method, await admin(method, segments.slice(1), body), base);
      return;
    }
    if (segments.length === 0) {
      send(res, method, { status: 200, body: index() }, base);
      return;
    }

    let service: SimService | undefined;
    let region = "";
    let rest: string[];
    if (mounted.global.has(first)) {
      service = mounted.global.get(first);
      rest = segments.slice(1);
    } else if ((core.regions as string[]).includes(first)) {
      region = first;
      service = mounted.services.get(segments[1] ?? "");
      rest = segments.slice(2);
    } else {
      rest = [];
    }
    if (!service) {
      send(res, method, { status: 404, body: { error: `nothing is served at ${url.pathname}` } }, base);
      return;
    }
    const root =
      region === "" ? `${core.baseUrl}/${service.mount}` : `${core.baseUrl}/${region}/${service.mount}`;
    const simReq: SimRequest = {
      method,
      path: `/${rest.join("/")}${url.pathname.endsWith("/") && rest.length > 0 ? "/" : ""}`,
      fullPath: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      remoteAddress: req.socket.remoteAddress ?? "",
      requestId: reqId,
      globalRequestId: globalId,
    };
    const call: ServiceCall = { core, region, req: simReq, root };

    const effect = faults.decide({ service: service.name, region, method, path: url.pathname });
    if (effect.kind !== "none" && effect.latencyMs > 0) await sleep(effect.latencyMs);
    if (effect.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (effect.kind === "timeout") {
      // Held until the client gives up or the simulator closes.
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    let out: SimResponse;
    if (effect.kind === "status") {
      out = service.renderError(new ApiError(effect.status, effect.message), call);
    } else {
      try {
        out = await service.handle(call);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401 && err.kind === "keystonemiddleware") {
          // keystonemiddleware answers before the service sees the request, in Keystone's format.
          out = unauthorizedBody(`${core.baseUrl}/identity`);
        } else if (err instanceof ApiError) {
          out = service.renderError(err, call);
          if (err.headers) out.headers = { ...err.headers, ...out.headers };
        } else {
          console.error(`[sim] ${service.name} ${method} ${url.pathname} failed`, err);
          out = service.renderError(
            new ApiError(500, "An unexpected error prevented the server from fulfilling your request."),
            call,
          );
        }
      }
    }
    send(res, method, out, base);
    log({
      at: new Date().toISOString(),
      method,
      path: url.pathname,
      service: service.name,
      region,
      status: out.status,
      requestId: reqId,
      globalRequestId: globalId,
    });
  }

  // The last requests with their ids, so tests can check request-id propagation (real services
  // log the caller's X-OpenStack-Request-Id as the global request id; they do not echo it).
  const requestLog: Record<string, unknown>[] = [];
  function log(entry: Record<string, unknown>): void {
    requestLog.push(entry);
    if (requestLog.length > 500) requestLog.splice(0, requestLog.length - 500);
  }

  function index(): Record<string, unknown> {
    return {
      name: "cirrus-sim",
      identity: `${core.baseUrl}/identity/v3`,
      regions: core.regions.map((region) => ({
        name: region,
        services: [...mounted.services.values()].map((s) => ({
          name: s.name,
          url: `${core.baseUrl}/${region}/${s.mount}`,
        })),
      })),
      admin: `${core.baseUrl}/_sim/`,
    };
  }

  async function admin(method: string, parts: string[], body: Buffer): Promise<SimResponse> {
    const [what, id] = parts;
    const json = (): unknown => {
      if (body.length === 0) return undefined;
      try {
        return JSON.parse(body.toString("utf8")) as unknown;
      } catch {
        throw new ApiError(400, "body is not valid JSON");
      }
    };
    try {
      if (what === undefined && method === "GET") {
        return {
          status: 200,
          body: {
            fast: core.fast,
            dataDir: core.dataDir,
            regions: core.regions,
            faults: faults.list().length,
          },
        };
      }
      if (what === "faults") {
        if (method === "GET" && id === undefined) return { status: 200, body: { faults: faults.list() } };
        if (method === "POST" && id === undefined) {
          const input = json();
          const many = Array.isArray(input)
            ? input
            : isObject(input) && Array.isArray(input.faults)
              ? (input.faults as unknown[])
              : null;
          if (many) return { status: 201, body: { faults: many.map((r) => faults.add(r)) } };
          return { status: 201, body: { fault: faults.add(input) } };
        }
        if (method === "DELETE" && id === undefined) {
          faults.clear();
          return { status: 204 };
        }
        if (method === "DELETE" && id !== undefined) {
          return faults.remove(id)
            ? { status: 204 }
            : { status: 404, body: { error: `no fault rule ${id}` } };
        }
      }
      if (what === "scheduler" && (method === "GET" || method === "POST")) {
        // Tests freeze the clock of asynchronous transitions to look at intermediate states.
        if (method === "POST") {
          const input = json();
          if (!isObject(input) || typeof input.paused !== "boolean")
            throw new ApiError(400, 'body must be {"paused": true|false}');
          paused = input.paused;
          if (paused) scheduler.stop();
          else scheduler.start();
        }
        return { status: 200, body: { paused, pending: store.state.transitions.length } };
      }
      if (what === "reset" && method === "POST") {
        faults.clear();
        for (const res of hanging) res.destroy();
        store.replace(seedState(adminPassword));
        await core.blobs.clear();
        paused = false;
        scheduler.start();
        scheduler.rearm();
        return { status: 204 };
      }
      if (what === "requests" && method === "GET") return { status: 200, body: { requests: requestLog } };
      if (what === "clouds.yaml" && method === "GET") {
        return {
          status: 200,
          headers: { "Content-Type": "application/yaml" },
          body: cloudsYaml(cloudsInput()),
        };
      }
      return { status: 404, body: { error: "unknown simulator admin call" } };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, body: { error: err.message } };
      throw err;
    }
  }

  function cloudsInput(): Parameters<typeof cloudsYaml>[0] {
    const adminProject = Object.values(store.state.identity.projects).find(
      (p) => p.name === "admin" && p.domain_id === DEFAULT_DOMAIN_ID,
    );
    return {
      authUrl: `${core.baseUrl}/identity/v3`,
      regions: core.regions,
      username: "admin",
      password: adminPassword,
      projectName: adminProject?.name ?? "admin",
      domainName: "Default",
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  core.baseUrl = `http://${urlHost}:${port}`;
  scheduler.start();

  let cloudsDir: string | null = null;
  let cloudsYamlPath: string;
  if (dataDir !== null) {
    cloudsYamlPath = join(dataDir, "clouds.yaml");
  } else {
    cloudsDir = await mkdtemp(join(tmpdir(), "cirrus-sim-"));
    cloudsYamlPath = join(cloudsDir, "clouds.yaml");
  }
  await writeCloudsYaml(cloudsYamlPath, cloudsInput());

  let closing: Promise<void> | null = null;
  return {
    url: core.baseUrl,
    authUrl: `${core.baseUrl}/identity/v3`,
    regions: [...core.regions],
    cloudsYamlPath,
    close(): Promise<void> {
      closing ??= (async () => {
        scheduler.stop();
        for (const res of hanging) res.destroy();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          for (const socket of sockets) socket.destroy();
        });
        await store.flush();
        if (cloudsDir !== null) await rm(cloudsDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
