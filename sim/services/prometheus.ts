// Prometheus HTTP API v1 (per region, mounted at /<region>/prometheus): instant and range
// queries, series, labels and label values over synthetic metrics of the region's servers and
// volumes. Like a Keystone-aware proxy, a project token narrows every answer to that project.
import { resolveToken } from "../auth";
import type { AuthContext } from "../auth";
import type { ServiceCall, SimCore, SimService } from "../core";
import { prometheusBody } from "../errors";
import { ApiError, header, jsonResponse } from "../http";
import type { SimResponse } from "../http";
import { METRICS, SCRAPE_MS, regionSeries } from "./prometheus-series";
import type { Series } from "./prometheus-series";
import {
  Evaluator,
  PromQLError,
  exprType,
  formatValue,
  labelMatches,
  parseDuration,
  parsePromQL,
} from "./promql";
import type { DataSource, Labels, Matcher, Value } from "./promql";

const MAX_POINTS = 11_000;
const FAST_SCRAPE_MS = 1000;

function badData(message: string): ApiError {
  return new ApiError(400, message, "bad_data");
}

/** Query parameters from the URL and, for POST, a form-encoded body (Prometheus accepts both). */
function params(call: ServiceCall): URLSearchParams {
  const out = new URLSearchParams(call.req.query);
  if (call.req.method === "POST" && call.req.body.length > 0) {
    const type = header(call.req, "content-type") ?? "";
    if (!type.includes("application/x-www-form-urlencoded") && type !== "") {
      throw badData(`unsupported content type "${type}", use application/x-www-form-urlencoded`);
    }
    for (const [k, v] of new URLSearchParams(call.req.body.toString("utf8"))) out.append(k, v);
  }
  return out;
}

function parseTime(name: string, raw: string | null, fallback?: number): number {
  if (raw === null || raw === "") {
    if (fallback !== undefined) return fallback;
    throw badData(`invalid parameter "${name}": cannot parse "" to a valid timestamp`);
  }
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const t = Date.parse(raw);
  if (Number.isNaN(t))
    throw badData(`invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
  return t;
}

function parseStep(raw: string | null): number {
  if (raw === null || raw === "")
    throw badData(`invalid parameter "step": cannot parse "" to a valid duration`);
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const d = parseDuration(raw);
  if (d === null) throw badData(`invalid parameter "step": cannot parse "${raw}" to a valid duration`);
  return d;
}

function parseQuery(raw: string | null): ReturnType<typeof parsePromQL> {
  if (raw === null || raw.trim() === "")
    throw badData(`invalid parameter "query": 1:1: parse error: no expression found in input`);
  try {
    return parsePromQL(raw);
  } catch (err) {
    if (err instanceof PromQLError) throw badData(`invalid parameter "query": ${err.message}`);
    throw err;
  }
}

function seconds(ms: number): number {
  return ms / 1000;
}

function success(data: unknown): SimResponse {
  return jsonResponse(200, { status: "success", data });
}

interface PromCtx {
  core: SimCore;
  region: string;
  /** Project the caller is limited to, or null for an admin or an anonymous loopback caller. */
  projectId: string | null;
}

function dataSource(ctx: PromCtx): DataSource {
  const rs = ctx.core.store.region(ctx.region);
  return {
    // Fast mode scrapes every second, so a new server has samples almost at once.
    step: ctx.core.fast ? FAST_SCRAPE_MS : SCRAPE_MS,
    select(name: string | null, matchers: Matcher[]) {
      const nameMatchers = matchers.filter((m) => m.name === "__name__");
      const wanted = (metric: string): boolean =>
        (name === null || metric === name) && nameMatchers.every((m) => labelMatches(m, metric));
      return regionSeries(ctx.region, rs, wanted, ctx.projectId).filter((s) =>
        matchers.every((m) => m.name === "__name__" || labelMatches(m, s.labels[m.name] ?? "")),
      );
    },
  };
}

function evaluate(ctx: PromCtx, expr: ReturnType<typeof parsePromQL>, t: number): Value {
  try {
    return new Evaluator(dataSource(ctx)).eval(expr, t);
  } catch (err) {
    if (err instanceof PromQLError) throw badData(err.message);
    throw err;
  }
}

function renderInstant(v: Value, t: number): Record<string, unknown> {
  const ts = seconds(t);
  switch (v.type) {
    case "scalar":
      return { resultType: "scalar", result: [ts, formatValue(v.value)] };
    case "string":
      return { resultType: "string", result: [ts, v.value] };
    case "vector":
      return {
        resultType: "vector",
        result: v.samples.map((s) => ({ metric: s.labels, value: [ts, formatValue(s.value)] })),
      };
    case "matrix":
      return {
        resultType: "matrix",
        result: v.series.map((s) => ({
          metric: s.labels,
          values: s.points.map(([pt, pv]) => [seconds(pt), formatValue(pv)]),
        })),
      };
  }
}

function query(ctx: PromCtx, p: URLSearchParams): SimResponse {
  const expr = parseQuery(p.get("query"));
  const t = parseTime("time", p.get("time"), Date.now());
  return success(renderInstant(evaluate(ctx, expr, t), t));
}

function queryRange(ctx: PromCtx, p: URLSearchParams): SimResponse {
  const start = parseTime("start", p.get("start"));
  const end = parseTime("end", p.get("end"));
  if (end < start) throw badData("end timestamp must not be before start time");
  const step = parseStep(p.get("step"));
  if (step <= 0)
    throw badData("zero or negative query resolution step widths are not accepted. Try a positive integer");
  if ((end - start) / step > MAX_POINTS) {
    throw badData(
      "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
    );
  }
  const expr = parseQuery(p.get("query"));
  const type = exprType(expr);
  if (type !== "scalar" && type !== "vector") {
    throw badData(
      `invalid expression type "${type === "matrix" ? "range vector" : type}" for range query, must be Scalar or instant Vector`,
    );
  }
  const series = new Map<string, { metric: Labels; values: [number, string][] }>();
  for (let t = start; t <= end; t += step) {
    const v = evaluate(ctx, expr, t);
    const samples =
      v.type === "scalar" ? [{ labels: {}, value: v.value }] : v.type === "vector" ? v.samples : [];
    for (const s of samples) {
      const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)));
      const row = series.get(key) ?? { metric: s.labels, values: [] };
      row.values.push([seconds(t), formatValue(s.value)]);
      series.set(key, row);
    }
  }
  return success({ resultType: "matrix", result: [...series.values()] });
}

function matchSeries(ctx: PromCtx, p: URLSearchParams, required: boolean): Series[] | null {
  const matches = p.getAll("match[]");
  if (matches.length === 0) {
    if (required) throw badData("no match[] parameter provided");
    return null;
  }
  const source = dataSource(ctx);
  const seen = new Map<string, Series>();
  for (const m of matches) {
    const expr = parseQuery(m);
    if (expr.type !== "selector" || expr.range !== null)
      throw badData(`invalid parameter "match[]": 1:1: parse error: expected vector selector`);
    for (const s of source.select(expr.name, expr.matchers)) seen.set(JSON.stringify(s.labels), s as Series);
  }
  return [...seen.values()];
}

function allSeries(ctx: PromCtx): Series[] {
  return regionSeries(ctx.region, ctx.core.store.region(ctx.region), () => true, ctx.projectId);
}

function route(ctx: PromCtx, call: ServiceCall, path: string): SimResponse {
  const method = call.req.method;
  const get = method === "GET" || method === "HEAD";
  const getOrPost = get || method === "POST";
  if (path === "/api/v1/query" && getOrPost) return query(ctx, params(call));
  if (path === "/api/v1/query_range" && getOrPost) return queryRange(ctx, params(call));
  if (path === "/api/v1/series" && getOrPost) {
    const series = matchSeries(ctx, params(call), true) ?? [];
    return success(series.map((s) => s.labels));
  }
  if (path === "/api/v1/labels" && getOrPost) {
    const series = matchSeries(ctx, params(call), false) ?? allSeries(ctx);
    const names = new Set<string>();
    for (const s of series) for (const k of Object.keys(s.labels)) names.add(k);
    return success([...names].sort());
  }
  const values = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
  if (values && get) {
    const name = decodeURIComponent(values[1] ?? "");
    const series = matchSeries(ctx, params(call), false) ?? allSeries(ctx);
    const out = new Set<string>();
    if (name === "__name__" && series.length === 0 && ctx.projectId === null)
      for (const m of Object.keys(METRICS)) out.add(m);
    for (const s of series) {
      const v = s.labels[name];
      if (v !== undefined && v !== "") out.add(v);
    }
    return success([...out].sort());
  }
  if (path === "/api/v1/metadata" && get) {
    const metric = call.req.query.get("metric");
    const data: Record<string, unknown[]> = {};
    for (const [name, info] of Object.entries(METRICS))
      if (metric === null || metric === name) data[name] = [info];
    return success(data);
  }
  if (path === "/api/v1/status/buildinfo" && get) {
    return success({
      version: "2.53.0",
      revision: "cirrus-sim",
      branch: "sim",
      buildUser: "cirrus",
      buildDate: "20240101-00:00:00",
      goVersion: "go1.22.0",
    });
  }
  if (path === "/api/v1/targets" && get) return success({ activeTargets: [], droppedTargets: [] });
  if (path === "/api/v1/rules" && get) return success({ groups: [] });
  if (path === "/api/v1/alerts" && get) return success({ alerts: [] });
  throw new ApiError(404, "404 page not found", "not_found");
}

function scopeOf(core: SimCore, call: ServiceCall): string | null {
  const token = header(call.req, "x-auth-token");
  if (!token) return null;
  const auth: AuthContext | null = resolveToken(core, token);
  if (!auth)
    throw new ApiError(401, "The request you have made requires authentication.", "keystonemiddleware");
  return auth.isAdmin ? null : auth.projectId;
}

export function createPrometheusService(core: SimCore): SimService {
  return {
    name: "prometheus",
    mount: "prometheus",
    global: false,
    catalog: [
      { type: "prometheus", name: "prometheus", url: (base, region) => `${base}/${region}/prometheus` },
    ],
    async handle(call: ServiceCall): Promise<SimResponse> {
      const path = call.req.path.replace(/\/+$/, "");
      if (path === "/-/healthy" || path === "/-/ready") {
        return {
          status: 200,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
          body: `Prometheus Server is ${path === "/-/ready" ? "Ready" : "Healthy"}.\n`,
        };
      }
      const ctx: PromCtx = { core, region: call.region, projectId: scopeOf(core, call) };
      return route(ctx, call, path);
    },
    renderError(err: ApiError): SimResponse {
      if (err.status === 404 && err.kind === "not_found")
        return {
          status: 404,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
          body: "404 page not found\n",
        };
      const type =
        err.kind === "bad_data" || err.kind === undefined
          ? err.status >= 500
            ? "internal"
            : "bad_data"
          : err.kind;
      return prometheusBody(err.status, err.message, type);
    },
  };
}
