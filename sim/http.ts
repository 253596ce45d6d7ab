// Minimal HTTP plumbing shared by every simulated service: the parsed request, the reply shape,
// a path router with :params, and the ApiError that each service renders in its own format.
import type { IncomingHttpHeaders } from "node:http";

export interface SimRequest {
  method: string;
  /** Path below the service mount point, without query string, e.g. "/servers/abc/action". */
  path: string;
  /** Full request path as received, used for links and fault matching. */
  fullPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  remoteAddress: string;
  requestId: string;
  globalRequestId: string | null;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** JSON-serialised unless it is a Buffer or string. */
  body?: unknown;
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers?: Record<string, string | string[]>,
): SimResponse {
  return { status, body, headers };
}

export function emptyResponse(status: number, headers?: Record<string, string | string[]>): SimResponse {
  return { status, headers };
}

/** An error a handler raises; `kind` is the Neutron exception type, Keystone title, etc. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parse a JSON body; `onBad` builds the service's own message for malformed input. */
export function readJson(req: SimRequest, onBad: () => ApiError): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString("utf8")) as unknown;
  } catch {
    throw onBad();
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type Params = Record<string, string>;
export type Handler<C> = (ctx: C, params: Params) => SimResponse | Promise<SimResponse>;

interface Route<C> {
  method: string;
  segments: string[];
  handler: Handler<C>;
}

export type RouteMatch<C> =
  | { kind: "found"; handler: Handler<C>; params: Params }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };

/** Segment router: literal segments beat ":param" segments, HEAD falls back to GET. */
export class Router<C> {
  private readonly routes: Route<C>[] = [];

  on(method: string, pattern: string, handler: Handler<C>): this {
    this.routes.push({ method, segments: splitPath(pattern), handler });
    return this;
  }

  get(pattern: string, handler: Handler<C>): this {
    return this.on("GET", pattern, handler);
  }
  post(pattern: string, handler: Handler<C>): this {
    return this.on("POST", pattern, handler);
  }
  put(pattern: string, handler: Handler<C>): this {
    return this.on("PUT", pattern, handler);
  }
  patch(pattern: string, handler: Handler<C>): this {
    return this.on("PATCH", pattern, handler);
  }
  delete(pattern: string, handler: Handler<C>): this {
    return this.on("DELETE", pattern, handler);
  }

  match(method: string, path: string): RouteMatch<C> {
    const parts = splitPath(path);
    const candidates: { route: Route<C>; params: Params; score: number }[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      const score = route.segments.filter((s) => !s.startsWith(":")).length;
      candidates.push({ route, params, score });
    }
    if (candidates.length === 0) return { kind: "none" };
    candidates.sort((a, b) => b.score - a.score);
    const best = candidates[0]?.score ?? 0;
    const top = candidates.filter((c) => c.score === best);
    const wanted = method === "HEAD" ? ["HEAD", "GET"] : [method];
    for (const m of wanted) {
      const hit = top.find((c) => c.route.method === m);
      if (hit) return { kind: "found", handler: hit.route.handler, params: hit.params };
    }
    return { kind: "method", allowed: [...new Set(top.map((c) => c.route.method))] };
  }
}

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], parts: string[]): Params | null {
  if (pattern.length !== parts.length) return null;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return null;
      }
    } else if (p !== v) {
      return null;
    }
  }
  return params;
}

/** Query helpers: OpenStack APIs accept repeated keys and "true"/"1"/"yes" booleans. */
export function queryBool(value: string | null | undefined): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.toLowerCase();
  if (["1", "true", "yes", "on", "t", "y"].includes(v)) return true;
  if (["0", "false", "no", "off", "f", "n"].includes(v)) return false;
  return undefined;
}

/** Resolves a route or raises the 404/405 the service renders in its own format. */
export function resolveRoute<C>(router: Router<C>, req: SimRequest): { handler: Handler<C>; params: Params } {
  const m = router.match(req.method, req.path);
  if (m.kind === "found") return m;
  if (m.kind === "method") {
    throw new ApiError(405, "The method is not allowed for the requested URL.", "HTTPMethodNotAllowed", {
      Allow: m.allowed.join(", "),
    });
  }
  throw new ApiError(404, "The resource could not be found.", "HTTPNotFound");
}

/** Appends query parameters to a URL, keeping existing ones (used for pagination links). */
export function withQuery(base: string, query: URLSearchParams, set: Record<string, string>): string {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(set)) q.set(k, v);
  const text = q.toString();
  return text ? `${base}?${text}` : base;
}

/** A value as error messages print it: strings as they are, anything else as JSON. */
export function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (
    value === undefined ||
    value === null ||
    typeof value === "number" ||
    typeof value === "boolean" ||
    typeof value === "bigint"
  ) {
    return String(value);
  }
  return JSON.stringify(value);
}
