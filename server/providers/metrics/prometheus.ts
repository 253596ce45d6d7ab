// Prometheus HTTP API client for tenant charts. Queries come only from a closed set of templates
// and always carry the caller's project matcher, injected here and escaped, never user PromQL.
import { z } from "zod";
import { env } from "../../env";
import { AppError } from "../../errors";
import type { OpenStack } from "../openstack/client";
import { Resilience, type ResilienceTiming } from "../openstack/resilience";
import { mapTransportError, mapUpstreamResponse } from "../openstack/upstream-errors";

export type InstanceMetric = "cpu" | "memory" | "network_in" | "network_out" | "disk_read" | "disk_write";
export type VolumeMetric = "volume_read" | "volume_write";
export type MetricName = InstanceMetric | VolumeMetric;

export interface MetricTemplate {
  resource: "instance" | "volume";
  unit: "percent" | "bytes" | "bytes_per_second";
  /** PromQL with `{{selector}}` (label matchers, braces included) and `{{window}}` (e.g. 5m). */
  promql: string;
}

/**
 * The default templates follow the series the exporters of our regions (and the sim) publish:
 * counters per instance labelled project_id + instance_id, per volume project_id + volume_id.
 */
export const defaultTemplates: Record<MetricName, MetricTemplate> = {
  cpu: {
    resource: "instance",
    unit: "percent",
    promql: "100 * sum by (instance_id) (rate(openstack_instance_cpu_seconds_total{{selector}}[{{window}}]))",
  },
  memory: {
    resource: "instance",
    unit: "bytes",
    promql: "sum by (instance_id) (openstack_instance_memory_used_bytes{{selector}})",
  },
  network_in: {
    resource: "instance",
    unit: "bytes_per_second",
    promql:
      "sum by (instance_id) (rate(openstack_instance_network_receive_bytes_total{{selector}}[{{window}}]))",
  },
  network_out: {
    resource: "instance",
    unit: "bytes_per_second",
    promql:
      "sum by (instance_id) (rate(openstack_instance_network_transmit_bytes_total{{selector}}[{{window}}]))",
  },
  disk_read: {
    resource: "instance",
    unit: "bytes_per_second",
    promql: "sum by (instance_id) (rate(openstack_instance_disk_read_bytes_total{{selector}}[{{window}}]))",
  },
  disk_write: {
    resource: "instance",
    unit: "bytes_per_second",
    promql: "sum by (instance_id) (rate(openstack_instance_disk_write_bytes_total{{selector}}[{{window}}]))",
  },
  volume_read: {
    resource: "volume",
    unit: "bytes_per_second",
    promql: "sum by (volume_id) (rate(openstack_volume_read_bytes_total{{selector}}[{{window}}]))",
  },
  volume_write: {
    resource: "volume",
    unit: "bytes_per_second",
    promql: "sum by (volume_id) (rate(openstack_volume_write_bytes_total{{selector}}[{{window}}]))",
  },
};

export const metricNames = Object.keys(defaultTemplates) as MetricName[];

/** Escapes a PromQL label value for use inside double quotes. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

const RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface MetricSubject {
  /** Keystone project id of the caller's project: from the server-side scope, never from input. */
  projectId: string;
  /** Instance or volume id (validated; it only narrows what the project matcher allows). */
  resourceId: string;
}

/** Durations for PromQL, e.g. 300 s → "5m". */
function promDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  return s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

export function buildQuery(
  metric: MetricName,
  subject: MetricSubject,
  windowSeconds = 300,
  templates = defaultTemplates,
): string {
  const template = templates[metric];
  if (!template) throw new AppError("INVALID_INPUT", `Unknown metric ${String(metric)}`, { field: "metric" });
  if (!subject.projectId) throw new AppError("INTERNAL", "A metrics query needs the caller's project");
  if (!RESOURCE_ID.test(subject.resourceId)) {
    throw new AppError("INVALID_INPUT", "resourceId: not a valid resource id", { field: "resourceId" });
  }
  const idLabel = template.resource === "instance" ? "instance_id" : "volume_id";
  const selector = `{project_id="${escapeLabelValue(subject.projectId)}",${idLabel}="${escapeLabelValue(subject.resourceId)}"}`;
  return template.promql
    .replaceAll("{{selector}}", selector)
    .replaceAll("{{window}}", promDuration(windowSeconds));
}

export interface SeriesPoint {
  /** Epoch ms. */
  t: number;
  /** null for NaN/±Inf, which JSON cannot carry. */
  v: number | null;
}

export interface Series {
  labels: Record<string, string>;
  points: SeriesPoint[];
}

export interface MetricResult {
  metric: MetricName;
  unit: MetricTemplate["unit"];
  series: Series[];
}

const sample = z.tuple([z.number(), z.string()]);
const responseSchema = z.discriminatedUnion("status", [
  z.looseObject({
    status: z.literal("success"),
    data: z.discriminatedUnion("resultType", [
      z.looseObject({
        resultType: z.literal("matrix"),
        result: z.array(z.looseObject({ metric: z.record(z.string(), z.string()), values: z.array(sample) })),
      }),
      z.looseObject({
        resultType: z.literal("vector"),
        result: z.array(z.looseObject({ metric: z.record(z.string(), z.string()), value: sample })),
      }),
      z.looseObject({ resultType: z.literal("scalar"), result: sample }),
      z.looseObject({ resultType: z.literal("string"), result: sample }),
    ]),
    warnings: z.array(z.string()).optional(),
  }),
  z.looseObject({
    status: z.literal("error"),
    errorType: z.string().optional(),
    error: z.string().optional(),
  }),
]);

function point([ts, raw]: [number, string]): SeriesPoint {
  const v = Number(raw);
  return { t: Math.round(ts * 1000), v: Number.isFinite(v) ? v : null };
}

/** Parses a Prometheus API answer into series (a vector or scalar becomes one point per series). */
export function parsePrometheusResponse(body: unknown): Series[] {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError("UPSTREAM_ERROR", "Prometheus answered in an unexpected shape", {
      details: { service: "prometheus" },
    });
  }
  const r = parsed.data;
  if (r.status === "error") {
    throw new AppError("UPSTREAM_ERROR", `Prometheus: ${r.error ?? r.errorType ?? "query failed"}`, {
      details: { service: "prometheus", errorType: r.errorType },
    });
  }
  const d = r.data;
  switch (d.resultType) {
    case "matrix":
      return d.result.map((s) => ({ labels: s.metric, points: s.values.map(point) }));
    case "vector":
      return d.result.map((s) => ({ labels: s.metric, points: [point(s.value)] }));
    default:
      return [{ labels: {}, points: [point(d.result)] }];
  }
}

/** Fetches one Prometheus API path (e.g. /api/v1/query) with its query and returns the JSON. */
export type PrometheusTransport = (
  path: string,
  query: Record<string, string>,
  signal?: AbortSignal,
) => Promise<unknown>;

export interface RangeOptions {
  /** Epoch ms. */
  start: number;
  end: number;
  /** Seconds between points; raised when the range would exceed maxPoints. */
  stepSeconds?: number;
  maxPoints?: number;
}

export class PrometheusClient {
  constructor(
    private readonly transport: PrometheusTransport,
    private readonly templates: Record<MetricName, MetricTemplate> = defaultTemplates,
  ) {}

  /** Instant value of a metric (averaged over the last 5 minutes for rates). */
  async query(
    metric: MetricName,
    subject: MetricSubject,
    opts: { time?: number; signal?: AbortSignal } = {},
  ): Promise<MetricResult> {
    const q = buildQuery(metric, subject, 300, this.templates);
    const body = await this.transport(
      "/api/v1/query",
      { query: q, ...(opts.time ? { time: String(opts.time / 1000) } : {}) },
      opts.signal,
    );
    return { metric, unit: this.templates[metric].unit, series: parsePrometheusResponse(body) };
  }

  /** A metric over a time range, for charts. */
  async queryRange(
    metric: MetricName,
    subject: MetricSubject,
    range: RangeOptions,
    opts: { signal?: AbortSignal } = {},
  ): Promise<MetricResult> {
    if (!(range.end > range.start))
      throw new AppError("INVALID_INPUT", "end: must be after start", { field: "end" });
    const maxPoints = range.maxPoints ?? 1000;
    const spanSeconds = (range.end - range.start) / 1000;
    const step = Math.max(range.stepSeconds ?? 60, Math.ceil(spanSeconds / maxPoints), 1);
    // a rate window of at least two scrape intervals and two steps keeps gaps out of the chart
    const window = Math.max(2 * step, 120);
    const q = buildQuery(metric, subject, window, this.templates);
    const body = await this.transport(
      "/api/v1/query_range",
      { query: q, start: String(range.start / 1000), end: String(range.end / 1000), step: String(step) },
      opts.signal,
    );
    return { metric, unit: this.templates[metric].unit, series: parsePrometheusResponse(body) };
  }
}

/** Transport over a plain URL (PROMETHEUS_URL), with the providers' retry/timeout/breaker policies. */
export function urlTransport(
  baseUrl: string,
  opts: {
    fetch?: (url: string, init: RequestInit) => Promise<Response>;
    timing?: Partial<ResilienceTiming>;
    resilience?: Resilience;
    headers?: Record<string, string>;
  } = {},
): PrometheusTransport {
  const resilience = opts.resilience ?? new Resilience(opts.timing);
  const doFetch = opts.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const root = baseUrl.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  return async (path, query, signal) => {
    const url = new URL(root + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const info = { service: "prometheus", method: "GET", path };
    const text = await resilience.run(
      async (attemptSignal) => {
        let res: Response;
        try {
          res = await doFetch(url.toString(), {
            headers: { Accept: "application/json", ...opts.headers },
            signal: attemptSignal,
          });
        } catch (e) {
          if (attemptSignal.aborted) throw e;
          throw mapTransportError(e, info);
        }
        const body = await res.text();
        // 400/422 carry Prometheus' own error document: parsePrometheusResponse reports it
        if (!res.ok && res.status !== 400 && res.status !== 422) {
          throw mapUpstreamResponse({
            ...info,
            status: res.status,
            body,
            contentType: res.headers.get("content-type") ?? "",
            retryAfter: res.headers.get("retry-after"),
          });
        }
        return body;
      },
      { info, endpointKey: `prometheus@${url.host}`, idempotent: true, ...(signal ? { signal } : {}) },
    );
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AppError("UPSTREAM_ERROR", "Prometheus answered with a body that is not JSON", {
        details: { service: "prometheus" },
      });
    }
  };
}

/**
 * The metrics client of one project in a region: PROMETHEUS_URL when set, else the region's
 * `prometheus`/`metric` catalog entry, called with the project's token (a Keystone-aware proxy
 * in front of Prometheus may use it; plain Prometheus ignores it).
 */
export function prometheusFor(
  os: OpenStack,
  region: string,
  keystoneProjectId: string,
  opts: { prometheusUrl?: string | undefined } = {},
): PrometheusClient {
  const fixed = opts.prometheusUrl ?? env.PROMETHEUS_URL;
  if (fixed) return new PrometheusClient(urlTransport(fixed, { resilience: os.resilience }));
  const svc = os.forProject(region, keystoneProjectId).service("prometheus");
  return new PrometheusClient(async (path, query) => {
    const res = await svc
      .request("GET", path, { query, headers: { Accept: "application/json" } })
      .catch((e: unknown) => {
        // Prometheus' 400/422 bodies explain the failure better than the status
        if (e instanceof AppError && (e.details?.status === 400 || e.details?.status === 422)) {
          throw new AppError("UPSTREAM_ERROR", `Prometheus: ${e.message}`, { details: e.details });
        }
        throw e;
      });
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new AppError("UPSTREAM_ERROR", "Prometheus answered with a body that is not JSON", {
        details: { service: "prometheus" },
      });
    }
  });
}
