import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import {
  PrometheusClient,
  buildQuery,
  escapeLabelValue,
  parsePrometheusResponse,
  urlTransport,
} from "./prometheus";

describe("query templates", () => {
  it("injects the project matcher and the resource id into every template", () => {
    expect(buildQuery("cpu", { projectId: "p1", resourceId: "srv-1" }, 300)).toBe(
      '100 * sum by (instance_id) (rate(openstack_instance_cpu_seconds_total{project_id="p1",instance_id="srv-1"}[5m]))',
    );
    expect(buildQuery("volume_write", { projectId: "p1", resourceId: "vol-1" }, 90)).toContain(
      '{project_id="p1",volume_id="vol-1"}[90s]',
    );
  });

  it("escapes label values so a project id cannot break out of its matcher", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    const q = buildQuery("memory", { projectId: 'x"} or vector(1) or {a="', resourceId: "srv-1" });
    expect(q).toContain('project_id="x\\"} or vector(1) or {a=\\""');
  });

  it("refuses resource ids that are not ids", () => {
    expect(() => buildQuery("cpu", { projectId: "p1", resourceId: 'srv"}' })).toThrow(AppError);
    expect(() => buildQuery("cpu", { projectId: "p1", resourceId: "" })).toThrow(/resourceId/);
  });
});

describe("parsePrometheusResponse", () => {
  it("reads matrices, vectors and scalars into typed series", () => {
    expect(
      parsePrometheusResponse({
        status: "success",
        data: {
          resultType: "matrix",
          result: [
            {
              metric: { instance_id: "a" },
              values: [
                [1700000000, "1.5"],
                [1700000060, "NaN"],
              ],
            },
          ],
        },
      }),
    ).toEqual([
      {
        labels: { instance_id: "a" },
        points: [
          { t: 1700000000000, v: 1.5 },
          { t: 1700000060000, v: null },
        ],
      },
    ]);
    expect(
      parsePrometheusResponse({
        status: "success",
        data: { resultType: "vector", result: [{ metric: {}, value: [1700000000.5, "2"] }] },
      }),
    ).toEqual([{ labels: {}, points: [{ t: 1700000000500, v: 2 }] }]);
    expect(
      parsePrometheusResponse({ status: "success", data: { resultType: "scalar", result: [1, "+Inf"] } }),
    ).toEqual([{ labels: {}, points: [{ t: 1000, v: null }] }]);
  });

  it("turns Prometheus errors into AppError", () => {
    expect(() =>
      parsePrometheusResponse({ status: "error", errorType: "bad_data", error: "parse error at char 3" }),
    ).toThrow(/parse error at char 3/);
    expect(() => parsePrometheusResponse({ nope: true })).toThrow(/unexpected shape/);
  });
});

describe("PrometheusClient over HTTP", () => {
  let server: Server;
  let base = "";
  const queries: URLSearchParams[] = [];
  let failures = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      queries.push(url.searchParams);
      if (failures > 0) {
        failures--;
        res.writeHead(503).end("overloaded");
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      if (url.pathname === "/api/v1/query_range") {
        res.end(
          JSON.stringify({
            status: "success",
            data: {
              resultType: "matrix",
              result: [{ metric: { instance_id: "srv-1" }, values: [[1, "3"]] }],
            },
          }),
        );
      } else {
        res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("sends query_range with a bounded step and retries a 503", async () => {
    failures = 1;
    const client = new PrometheusClient(
      urlTransport(`${base}/api/v1`, { timing: { initialDelayMs: 1, maxDelayMs: 2 } }),
    );
    const end = 1_700_000_000_000;
    const r = await client.queryRange(
      "network_in",
      { projectId: "p1", resourceId: "srv-1" },
      { start: end - 7 * 86_400_000, end, stepSeconds: 15 },
    );
    expect(r.unit).toBe("bytes_per_second");
    expect(r.series[0]?.points).toEqual([{ t: 1000, v: 3 }]);
    const q = queries[queries.length - 1];
    // a week at ≤ 1000 points needs a step of at least 605 s
    expect(Number(q?.get("step"))).toBe(605);
    expect(q?.get("query")).toContain('project_id="p1"');
    expect(q?.get("start")).toBe(String((end - 7 * 86_400_000) / 1000));
  });

  it("rejects an empty range", async () => {
    const client = new PrometheusClient(urlTransport(base));
    await expect(
      client.queryRange("cpu", { projectId: "p", resourceId: "s" }, { start: 10, end: 10 }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
