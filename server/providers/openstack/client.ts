// The OpenStack client: per-region Keystone tokens (cached per scope), catalog lookup, and the
// request core every service module uses (microversions, request ids, errors, resilience).
import { createHash } from "node:crypto";
import type { z } from "zod";
import { AppError } from "../../errors";
import { blockStorageApi, type BlockStorageApi } from "./block-storage";
import { apiRoot, findCatalogUrl, serviceLabels, type ServiceType } from "./catalog";
import { loadRegions, type RegionConfig } from "./clouds-config";
import { computeApi, type ComputeApi } from "./compute";
import { identityApi, type IdentityApi } from "./identity";
import { imageApi, type ImageApi } from "./image";
import {
  authRequestBody,
  scopeKey,
  tokenFromResponse,
  type KeystoneToken,
  type TokenScope,
} from "./keystone-auth";
import { networkApi, type NetworkApi } from "./network";
import { createTlsFetch, type FetchLike } from "./node-transport";
import { paginate, type Query } from "./pagination";
import { Resilience, type ResilienceTiming } from "./resilience";
import { TokenCache } from "./token-cache";
import { mapTransportError, mapUpstreamResponse, type UpstreamCallInfo } from "./upstream-errors";

export type { FetchLike } from "./node-transport";
export type { Query } from "./pagination";

export interface OpenStackLogger {
  debug(msg: string, fields: Record<string, unknown>): void;
  warn(msg: string, fields: Record<string, unknown>): void;
}

const silentLogger: OpenStackLogger = { debug() {}, warn() {} };

/** Microversions we code against. 2.90 is the last compute version that still generates key pairs. */
export const defaultMicroversions: Partial<Record<ServiceType, string>> = {
  compute: "2.90",
  "block-storage": "3.64",
  "shared-file-system": "2.65",
  placement: "1.36",
};

export interface OpenStackOptions {
  regions: RegionConfig[];
  timing?: Partial<ResilienceTiming>;
  /** Renew tokens with less than this left (default 5 min). */
  tokenRenewBeforeMs?: number;
  fetch?: FetchLike;
  logger?: OpenStackLogger;
  now?: () => number;
  microversions?: Partial<Record<ServiceType, string>>;
  userAgent?: string;
}

/** Per portal request: its id (propagated upstream) and cancellation. */
export interface CallContext {
  requestId?: string;
  signal?: AbortSignal;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `X-OpenStack-Request-Id` to send for a portal request id. oslo.middleware accepts an
 * inbound global request id only in the form req-<uuid>, so other ids are hashed into one.
 */
export function toOpenStackRequestId(portalRequestId: string): string {
  const id = portalRequestId.startsWith("req-") ? portalRequestId.slice(4) : portalRequestId;
  if (UUID.test(id)) return `req-${id.toLowerCase()}`;
  const h = createHash("sha256").update(portalRequestId).digest("hex");
  return `req-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface RequestOptions {
  query?: Query;
  /** JSON body. */
  json?: unknown;
  /** Raw body (image data); a stream is sent once, never retried. */
  body?: string | Uint8Array | Blob | ReadableStream<Uint8Array>;
  contentType?: string;
  headers?: Record<string, string>;
  /** Marks a POST safe to resend (e.g. it carries its own idempotency check). */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Use this microversion instead of the default for the call. */
  microversion?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  upstreamRequestId?: string;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

function upstreamRequestIdOf(h: Headers): string | undefined {
  return (
    h.get("x-openstack-request-id") ??
    h.get("x-compute-request-id") ??
    h.get("openstack-request-id") ??
    undefined
  );
}

function buildUrl(base: string, path: string, query?: Query): string {
  const url = new URL(base.replace(/\/+$/, "") + (path.startsWith("/") || path === "" ? path : `/${path}`));
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) url.searchParams.append(k, item);
    else url.searchParams.set(k, String(v));
  }
  return url.toString();
}

function microversionHeaders(type: ServiceType, version: string | undefined): Record<string, string> {
  if (!version) return {};
  switch (type) {
    case "compute":
      return { "OpenStack-API-Version": `compute ${version}`, "X-OpenStack-Nova-API-Version": version };
    case "block-storage":
      return { "OpenStack-API-Version": `volume ${version}` };
    case "shared-file-system":
      return { "X-OpenStack-Manila-API-Version": version };
    case "placement":
      return { "OpenStack-API-Version": `placement ${version}` };
    default:
      return {};
  }
}

/** Region-level clouds.yaml api versions count only when they name a microversion ("2.79", not "2"). */
function regionMicroversions(region: RegionConfig): Partial<Record<ServiceType, string>> {
  const out: Partial<Record<ServiceType, string>> = {};
  const map: Record<string, ServiceType> = {
    compute: "compute",
    volume: "block-storage",
    "block-storage": "block-storage",
    "shared-file-system": "shared-file-system",
    sharev2: "shared-file-system",
    placement: "placement",
  };
  for (const [k, v] of Object.entries(region.apiVersions)) {
    const t = map[k];
    if (t && /^\d+\.\d+$/.test(v) && !/\.0$/.test(v)) out[t] = v;
  }
  return out;
}

export class OpenStack {
  readonly resilience: Resilience;
  readonly logger: OpenStackLogger;
  private readonly regions = new Map<string, RegionConfig>();
  private readonly fetchers = new Map<string, FetchLike>();
  private readonly tokens: TokenCache<KeystoneToken>;
  private readonly now: () => number;
  private readonly capabilities = new Map<string, { value: Promise<unknown>; until: number }>();

  constructor(private readonly opts: OpenStackOptions) {
    for (const r of opts.regions) this.regions.set(r.name, r);
    this.resilience = new Resilience(opts.timing);
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
    this.tokens = new TokenCache<KeystoneToken>((key) => this.issueToken(key), {
      now: this.now,
      ...(opts.tokenRenewBeforeMs !== undefined ? { renewBeforeMs: opts.tokenRenewBeforeMs } : {}),
      onBackgroundError: (key, error) =>
        this.logger.warn("openstack token renewal failed", { key, error: String(error) }),
    });
  }

  regionNames(): string[] {
    return [...this.regions.keys()];
  }

  region(name: string): RegionConfig {
    const r = this.regions.get(name);
    if (!r)
      throw new AppError("NOT_FOUND", `Region ${name} is not configured`, { details: { region: name } });
    return r;
  }

  /** A client acting as the service user in its configured (home) scope: for tenancy and admin reads. */
  admin(region: string, ctx: CallContext = {}): ScopedClient {
    return new ScopedClient(this, this.region(region), { kind: "home" }, ctx);
  }

  /** A client whose every call uses a token scoped to this one Keystone project. */
  forProject(region: string, keystoneProjectId: string, ctx: CallContext = {}): ScopedClient {
    if (!keystoneProjectId)
      throw new AppError("INVALID_INPUT", "A Keystone project id is required", { field: "projectId" });
    return new ScopedClient(
      this,
      this.region(region),
      { kind: "project", projectId: keystoneProjectId },
      ctx,
    );
  }

  /** The cached token of a scope (renewed ahead of expiry, one request for concurrent callers). */
  token(region: string, scope: TokenScope): Promise<KeystoneToken> {
    this.region(region);
    return this.tokens.get(scopeKey(region, scope));
  }

  invalidateToken(region: string, scope: TokenScope, value?: string): void {
    this.tokens.invalidate(scopeKey(region, scope), value);
  }

  microversion(region: RegionConfig, type: ServiceType): string | undefined {
    return regionMicroversions(region)[type] ?? this.opts.microversions?.[type] ?? defaultMicroversions[type];
  }

  fetchFor(region: RegionConfig): FetchLike {
    if (this.opts.fetch) return this.opts.fetch;
    let f = this.fetchers.get(region.name);
    if (!f) {
      f =
        region.verify && !region.cacert
          ? (url, init) => fetch(url, init)
          : createTlsFetch({ verify: region.verify, ...(region.cacert ? { cacert: region.cacert } : {}) });
      this.fetchers.set(region.name, f);
    }
    return f;
  }

  /**
   * Per-region facts that rarely change (API extensions, role ids), computed once per hour.
   * A failed computation is not kept, so the next caller tries again.
   */
  capability<T>(region: string, name: string, compute: () => Promise<T>, ttlMs = 3_600_000): Promise<T> {
    const key = `${region}|${name}`;
    const hit = this.capabilities.get(key);
    if (hit && hit.until > this.now()) return hit.value as Promise<T>;
    const value = compute();
    this.capabilities.set(key, { value, until: this.now() + ttlMs });
    value.catch(() => this.capabilities.delete(key));
    return value;
  }

  get userAgent(): string {
    return this.opts.userAgent ?? "cirrus-portal";
  }

  private async issueToken(key: string): Promise<KeystoneToken> {
    const [regionName, scopePart] = key.split("|") as [string, string];
    const region = this.region(regionName);
    const scope: TokenScope = scopePart.startsWith("project:")
      ? { kind: "project", projectId: scopePart.slice(8) }
      : { kind: "home" };
    const body = JSON.stringify(authRequestBody(region.credentials, scope));
    const url = `${region.authUrl}/auth/tokens`;
    const info: UpstreamCallInfo = {
      service: "identity",
      method: "POST",
      path: "/v3/auth/tokens",
      region: region.name,
    };
    const started = this.now();
    const res = await this.resilience.run(
      async (signal) => {
        let response: Response;
        try {
          response = await this.fetchFor(region)(url, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json",
              "User-Agent": this.userAgent,
            },
            body,
            signal,
          });
        } catch (e) {
          if (signal.aborted) throw e;
          throw mapTransportError(e, info);
        }
        const text = await response.text();
        const requestId = upstreamRequestIdOf(response.headers);
        if (!response.ok) {
          const err = mapUpstreamResponse({
            ...info,
            status: response.status,
            body: text,
            contentType: response.headers.get("content-type") ?? "",
            ...(requestId ? { requestId } : {}),
            retryAfter: response.headers.get("retry-after"),
          });
          if (response.status === 401) {
            throw new AppError(
              "FORBIDDEN",
              `Keystone rejected the portal's credentials for region ${region.name}: ${err.message}`,
              {
                details: { ...err.details, scope: scope.kind === "project" ? scope.projectId : "home" },
              },
            );
          }
          throw err;
        }
        return { text, subject: response.headers.get("x-subject-token"), requestId };
      },
      { info, endpointKey: `identity@${new URL(url).host}`, idempotent: true },
    );
    if (!res.subject)
      throw new AppError("UPSTREAM_ERROR", "Keystone answered without X-Subject-Token", {
        details: { service: "identity" },
      });
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      throw new AppError("UPSTREAM_ERROR", "Keystone returned a token body that is not JSON", {
        details: { service: "identity" },
      });
    }
    const token = tokenFromResponse(res.subject, parsed, this.now());
    this.logger.debug("openstack token issued", {
      region: region.name,
      scope: scope.kind === "project" ? scope.projectId : "home",
      expiresInS: Math.round((token.expiresAt - this.now()) / 1000),
      ms: this.now() - started,
      upstreamRequestId: res.requestId,
    });
    return token;
  }
}

/** A client bound to one region, one token scope and one portal request context. */
export class ScopedClient {
  private readonly services = new Map<ServiceType, ServiceClient>();
  private readonly apis = new Map<string, unknown>();

  constructor(
    readonly os: OpenStack,
    readonly region: RegionConfig,
    readonly scope: TokenScope,
    readonly ctx: CallContext,
  ) {}

  /** The same scope with another request context (request id, cancellation). */
  withContext(ctx: CallContext): ScopedClient {
    return new ScopedClient(this.os, this.region, this.scope, ctx);
  }

  token(): Promise<KeystoneToken> {
    return this.os.token(this.region.name, this.scope);
  }

  invalidateToken(value: string): void {
    this.os.invalidateToken(this.region.name, this.scope, value);
  }

  async projectId(): Promise<string> {
    const t = await this.token();
    if (!t.projectId)
      throw new AppError("UPSTREAM_ERROR", "The token is not scoped to a project", {
        details: { region: this.region.name },
      });
    return t.projectId;
  }

  /** The API root of a service for this scope, or undefined when the region lacks it. */
  async findEndpoint(type: ServiceType, token?: KeystoneToken): Promise<string | undefined> {
    const override = this.region.endpointOverrides[type] ?? aliasOverride(this.region, type);
    const t = token ?? (await this.token());
    if (override)
      return apiRoot(
        type,
        override
          .replaceAll("%(project_id)s", t.projectId ?? "")
          .replaceAll("$(project_id)s", t.projectId ?? ""),
        t.projectId,
      );
    const url = findCatalogUrl(t.catalog, type, this.region.name, this.region.interface);
    if (url) return apiRoot(type, url, t.projectId);
    if (type === "identity") return this.region.authUrl;
    return undefined;
  }

  async endpoint(type: ServiceType, token?: KeystoneToken): Promise<string> {
    const url = await this.findEndpoint(type, token);
    if (!url) {
      throw new AppError(
        "UPSTREAM_UNAVAILABLE",
        `Region ${this.region.name} offers no ${serviceLabels[type]} service`,
        {
          details: { region: this.region.name, service: type },
          transient: false,
        },
      );
    }
    return url;
  }

  async hasService(type: ServiceType): Promise<boolean> {
    return (await this.findEndpoint(type)) !== undefined;
  }

  service(type: ServiceType): ServiceClient {
    let s = this.services.get(type);
    if (!s) {
      s = new ServiceClient(this, type);
      this.services.set(type, s);
    }
    return s;
  }

  private api<T>(name: string, make: () => T): T {
    if (!this.apis.has(name)) this.apis.set(name, make());
    return this.apis.get(name) as T;
  }

  get identity(): IdentityApi {
    return this.api("identity", () => identityApi(this.service("identity")));
  }
  get compute(): ComputeApi {
    return this.api("compute", () => computeApi(this.service("compute")));
  }
  get network(): NetworkApi {
    return this.api("network", () => networkApi(this.service("network")));
  }
  get blockStorage(): BlockStorageApi {
    return this.api("blockStorage", () => blockStorageApi(this.service("block-storage")));
  }
  get image(): ImageApi {
    return this.api("image", () => imageApi(this.service("image")));
  }
}

function aliasOverride(region: RegionConfig, type: ServiceType): string | undefined {
  const aliases: Partial<Record<ServiceType, string[]>> = {
    "block-storage": ["volumev3", "volume", "block-store"],
    "shared-file-system": ["sharev2"],
    prometheus: ["metric"],
  };
  for (const a of aliases[type] ?? []) if (region.endpointOverrides[a]) return region.endpointOverrides[a];
  return undefined;
}

/** Requests to one service of a scoped client. */
export class ServiceClient {
  readonly label: string;

  constructor(
    readonly scoped: ScopedClient,
    readonly type: ServiceType,
  ) {
    this.label = serviceLabels[type];
  }

  /** One call: endpoint from the token's catalog, resilience, 401 → new token and one replay. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const replayable = !(opts.body instanceof ReadableStream);
    const idempotent = replayable && (opts.idempotent ?? IDEMPOTENT.has(method));
    const token = await this.scoped.token();
    try {
      return await this.attempt(method, path, opts, token, idempotent);
    } catch (e) {
      if (!(e instanceof AppError) || e.details?.status !== 401 || !replayable) throw e;
      // Revoked or expired early (Keystone restart, fernet key rotation): one fresh token, one replay
      this.scoped.invalidateToken(token.value);
      const fresh = await this.scoped.token();
      return await this.attempt(method, path, opts, fresh, idempotent);
    }
  }

  private async attempt(
    method: string,
    path: string,
    opts: RequestOptions,
    token: KeystoneToken,
    idempotent: boolean,
  ): Promise<RawResponse> {
    const os = this.scoped.os;
    const region = this.scoped.region;
    const base = await this.scoped.endpoint(this.type, token);
    const url = buildUrl(base, path, opts.query);
    const info: UpstreamCallInfo = {
      service: this.type,
      method,
      path: new URL(url).pathname,
      region: region.name,
    };
    const headers: Record<string, string> = {
      Accept: "application/json",
      "User-Agent": os.userAgent,
      "X-Auth-Token": token.value,
      ...microversionHeaders(this.type, opts.microversion ?? os.microversion(region, this.type)),
      ...(this.scoped.ctx.requestId
        ? { "X-OpenStack-Request-Id": toOpenStackRequestId(this.scoped.ctx.requestId) }
        : {}),
      ...opts.headers,
    };
    let body: string | Uint8Array | Blob | ReadableStream<Uint8Array> | undefined;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["Content-Type"] = opts.contentType ?? "application/json";
    } else if (opts.body !== undefined) {
      body = opts.body;
      headers["Content-Type"] = opts.contentType ?? "application/octet-stream";
    }
    const started = Date.now();
    const fetcher = os.fetchFor(region);
    const result = await os.resilience.run(
      async (signal, attemptNo) => {
        let response: Response;
        try {
          const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
          // the same bytes are resent on a retry: never copied (images can be gigabytes)
          if (body !== undefined) init.body = body as BodyInit;
          if (body instanceof ReadableStream) init.duplex = "half";
          response = await fetcher(url, init);
        } catch (e) {
          if (this.scoped.ctx.signal?.aborted) throw e;
          if (signal.aborted) throw e;
          throw mapTransportError(e, info);
        }
        const text = method === "HEAD" ? "" : await response.text();
        const upstreamRequestId = upstreamRequestIdOf(response.headers);
        if (!response.ok) {
          const err = mapUpstreamResponse({
            ...info,
            status: response.status,
            body: text,
            contentType: response.headers.get("content-type") ?? "",
            ...(upstreamRequestId ? { requestId: upstreamRequestId } : {}),
            retryAfter: response.headers.get("retry-after"),
          });
          // 4xx are the caller's business (a 404 is how find-before-create works): debug only
          os.logger[err.code.startsWith("UPSTREAM_") ? "warn" : "debug"]("openstack call failed", {
            ...err.details,
            code: err.code,
            attempt: attemptNo,
            message: err.message,
            requestId: this.scoped.ctx.requestId,
          });
          throw err;
        }
        return {
          status: response.status,
          headers: response.headers,
          text,
          ...(upstreamRequestId ? { upstreamRequestId } : {}),
        };
      },
      {
        info,
        endpointKey: `${this.type}@${new URL(base).host}`,
        idempotent,
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        ...(this.scoped.ctx.signal ? { signal: this.scoped.ctx.signal } : {}),
        onRetry: (r) =>
          os.logger.warn("openstack call retried", {
            ...info,
            attempt: r.attempt,
            delayMs: r.delayMs,
            error: r.error instanceof Error ? r.error.message : String(r.error),
          }),
      },
    );
    os.logger.debug("openstack call", {
      ...info,
      status: result.status,
      ms: Date.now() - started,
      upstreamRequestId: result.upstreamRequestId,
      requestId: this.scoped.ctx.requestId,
    });
    return result;
  }

  /** A call whose JSON answer is parsed with `schema` (unknown fields are kept by loose schemas). */
  async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    opts: RequestOptions = {},
  ): Promise<z.output<S>> {
    const res = await this.request(method, path, opts);
    return this.parse(schema, res, `${method} ${path}`);
  }

  /** A call whose answer body is not needed. */
  async send(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    return this.request(method, path, opts);
  }

  /** GET that answers undefined on 404 instead of throwing (for find-before-create). */
  async getOrUndefined<S extends z.ZodType>(
    path: string,
    schema: S,
    opts: RequestOptions = {},
  ): Promise<z.output<S> | undefined> {
    try {
      return await this.json("GET", path, schema, opts);
    } catch (e) {
      if (e instanceof AppError && e.code === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  /** Every item of a paginated list, page by page. */
  async *list<S extends z.ZodType>(
    path: string,
    itemsKey: string,
    itemSchema: S,
    opts: { query?: Query; pageSize?: number; max?: number; idField?: string } = {},
  ): AsyncGenerator<z.output<S>, void, undefined> {
    const pages = paginate(
      async (query) => {
        const res = await this.request("GET", path, { query });
        return this.parseText(res, `GET ${path}`);
      },
      { itemsKey, ...opts },
    );
    for await (const item of pages) {
      const parsed = itemSchema.safeParse(item);
      if (!parsed.success) throw this.schemaError(parsed.error, `GET ${path}`);
      yield parsed.data;
    }
  }

  /** A whole list (for the small lists a console shows at once: flavors, zones, types). */
  async listAll<S extends z.ZodType>(
    path: string,
    itemsKey: string,
    itemSchema: S,
    opts: { query?: Query; pageSize?: number; max?: number } = {},
  ): Promise<z.output<S>[]> {
    const out: z.output<S>[] = [];
    for await (const x of this.list(path, itemsKey, itemSchema, opts)) out.push(x);
    return out;
  }

  parse<S extends z.ZodType>(schema: S, res: RawResponse, what: string): z.output<S> {
    const parsed = schema.safeParse(this.parseText(res, what));
    if (!parsed.success) throw this.schemaError(parsed.error, what, res.upstreamRequestId);
    return parsed.data;
  }

  private parseText(res: RawResponse, what: string): unknown {
    if (res.text.trim() === "") return {};
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new AppError(
        "UPSTREAM_ERROR",
        `The ${this.label} service answered ${what} with a body that is not JSON`,
        {
          details: {
            service: this.type,
            ...(res.upstreamRequestId ? { upstreamRequestId: res.upstreamRequestId } : {}),
          },
        },
      );
    }
  }

  private schemaError(error: z.ZodError, what: string, upstreamRequestId?: string): AppError {
    return new AppError(
      "UPSTREAM_ERROR",
      `The ${this.label} service answered ${what} in an unexpected shape`,
      {
        details: {
          service: this.type,
          issues: error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
          ...(upstreamRequestId ? { upstreamRequestId } : {}),
        },
      },
    );
  }
}

let shared: OpenStack | undefined;

/** The process-wide client over the configured regions (clouds.yaml or OS_*). */
export function getOpenStack(): OpenStack {
  shared ??= new OpenStack({ regions: loadRegions() });
  return shared;
}

/** Replaces the process-wide client (the embedded sim passes its regions here at startup). */
export function configureOpenStack(opts: OpenStackOptions): OpenStack {
  shared = new OpenStack(opts);
  return shared;
}

export function createOpenStack(opts: OpenStackOptions): OpenStack {
  return new OpenStack(opts);
}
