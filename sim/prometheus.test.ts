// The simulated Prometheus: synthetic series per server and volume, PromQL selectors, rate and
// aggregations, range queries, metadata endpoints, project scoping and the error format.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimHandle } from "./server";
import { parsePromQL } from "./services/promql";
import {
  at,
  bootServer,
  list,
  loginAdmin,
  newMember,
  request,
  startTestSim,
  text,
  waitFor,
  waitServer,
} from "./test-support";
import type { Reply, Session } from "./test-support";
import type { SimState } from "./model";

const HOUR = 3_600_000;
let sim: SimHandle;
let dataDir: string;
let admin: Session;
let demo: Session;
let running: string;
let stopped: string;
let volumeId: string;

/** Moves every server's and volume's history two hours back, so rates have samples to work on. */
function age(file: string, ms: number): void {
  const state = JSON.parse(readFileSync(file, "utf8")) as SimState;
  const iso = (text: string): string =>
    new Date(Date.parse(text.endsWith("Z") ? text : `${text}Z`) - ms)
      .toISOString()
      .replace(/\.(\d{3})Z$/, ".$1000");
  for (const rs of Object.values(state.regions)) {
    for (const s of Object.values(rs.compute.servers)) {
      s.createdAt -= ms;
      if (s.launchedAt !== null) s.launchedAt -= ms;
      s.powerLog = (s.powerLog ?? []).map(([t, on]) => [t - ms, on]);
    }
    for (const v of Object.values(rs.volume.volumes)) {
      v.createdMs -= ms;
      for (const a of v.attachments) a.attached_at = iso(a.attached_at);
    }
  }
  writeFileSync(file, JSON.stringify(state));
}

function prom(s: Session | null, path: string, region = "region-one"): Promise<Reply> {
  return request(
    "GET",
    `${sim.url}/${region}/prometheus/api/v1${path}`,
    s ? { headers: { "X-Auth-Token": s.token } } : {},
  );
}

function q(query: string, extra = ""): string {
  return `/query?query=${encodeURIComponent(query)}${extra}`;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "cirrus-sim-prom-"));
  sim = await startTestSim({ dataDir });
  admin = await loginAdmin(sim);
  demo = await newMember(admin, "demo");
  running = await bootServer(demo, "busy", null);
  stopped = await bootServer(demo, "idle", null);
  await bootServer(admin, "admin-box", null);
  const vol = await demo.call("POST", "volume", "/volumes", { body: { volume: { size: 1, name: "data" } } });
  volumeId = text(vol.body, "volume.id");
  await waitFor(
    "volume",
    () => demo.call("GET", "volume", `/volumes/${volumeId}`),
    (r) => at(r.body, "volume.status") === "available",
  );
  await demo.nova("POST", `/servers/${running}/os-volume_attachments`, { volumeAttachment: { volumeId } });
  await waitFor(
    "attach",
    () => demo.call("GET", "volume", `/volumes/${volumeId}`),
    (r) => at(r.body, "volume.status") === "in-use",
  );
  await demo.nova("POST", `/servers/${stopped}/action`, { "os-stop": null });
  await waitServer(demo, stopped, "SHUTOFF");
  await sim.close();
  age(join(dataDir, "state.json"), 2 * HOUR);
  sim = await startTestSim({ dataDir });
});
afterAll(async () => {
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("prometheus", () => {
  it("answers an instant selector with labelled samples", async () => {
    const r = await prom(null, q(`cirrus_instance_cpu_utilization{instance_id="${running}"}`));
    expect(r.status).toBe(200);
    expect(at(r.body, "status")).toBe("success");
    expect(at(r.body, "data.resultType")).toBe("vector");
    const result = list(r.body, "data.result");
    expect(result).toHaveLength(1);
    expect(at(result[0], "metric")).toMatchObject({
      __name__: "cirrus_instance_cpu_utilization",
      project_id: demo.projectId,
      instance_id: running,
      instance_name: "busy",
      region: "region-one",
    });
    expect(["az-1", "az-2", "az-3"]).toContain(at(result[0], "metric.availability_zone"));
    const [ts, value] = at(result[0], "value") as [number, string];
    expect(typeof ts).toBe("number");
    expect(Number(value)).toBeGreaterThan(0);
    expect(Number(value)).toBeLessThanOrEqual(100);
    const again = await prom(
      null,
      q(`cirrus_instance_cpu_utilization{instance_id="${running}"}`, `&time=${ts}`),
    );
    expect(at(again.body, "data.result.0.value")).toEqual([ts, value]);
  });

  it("gives stopped servers no CPU and flat counters", async () => {
    const cpu = await prom(null, q(`cirrus_instance_cpu_utilization{instance_id="${stopped}"}`));
    expect(at(cpu.body, "data.result.0.value.1")).toBe("0");
    const rate = await prom(
      null,
      q(`rate(openstack_instance_cpu_seconds_total{instance_id="${stopped}"}[5m])`),
    );
    expect(at(rate.body, "data.result.0.value.1")).toBe("0");
    const busy = await prom(
      null,
      q(`rate(cirrus_instance_network_receive_bytes_total{instance_id="${running}"}[5m])`),
    );
    expect(Number(at(busy.body, "data.result.0.value.1"))).toBeGreaterThan(1000);
    expect(at(busy.body, "data.result.0.metric.__name__")).toBeUndefined();
    const irate = await prom(
      null,
      q(`irate(cirrus_instance_disk_write_bytes_total{instance_id="${running}"}[5m])`),
    );
    expect(Number(at(irate.body, "data.result.0.value.1"))).toBeGreaterThan(0);
    const vol = await prom(null, q(`rate(cirrus_volume_write_bytes_total{volume_id="${volumeId}"}[5m])`));
    expect(Number(at(vol.body, "data.result.0.value.1"))).toBeGreaterThan(0);
    expect(at(vol.body, "data.result.0.metric.instance_id")).toBe(running);
  });

  it("supports matchers (=, !=, =~, !~) and sum/avg/max by", async () => {
    const names = async (query: string): Promise<unknown[]> =>
      list((await prom(null, q(query))).body, "data.result")
        .map((r) => at(r, "metric.instance_name"))
        .sort();
    expect(await names(`cirrus_instance_memory_used_bytes{instance_name=~"busy|idle"}`)).toEqual([
      "busy",
      "idle",
    ]);
    expect(await names(`cirrus_instance_memory_used_bytes{instance_name!~"busy|idle"}`)).toEqual([
      "admin-box",
    ]);
    expect(await names(`cirrus_instance_memory_used_bytes{project_id!="${demo.projectId}"}`)).toEqual([
      "admin-box",
    ]);
    const sum = await prom(null, q(`sum by (project_id) (cirrus_instance_memory_used_bytes)`));
    const rows = list(sum.body, "data.result");
    expect(rows.map((r) => at(r, "metric"))).toEqual(
      expect.arrayContaining([{ project_id: demo.projectId }, { project_id: admin.projectId }]),
    );
    const avg = await prom(
      null,
      q(`avg by (project_id) (cirrus_instance_cpu_utilization{project_id="${demo.projectId}"})`),
    );
    const max = await prom(
      null,
      q(`max by (project_id) (cirrus_instance_cpu_utilization{project_id="${demo.projectId}"})`),
    );
    const busyCpu = await prom(null, q(`cirrus_instance_cpu_utilization{instance_id="${running}"}`));
    expect(Number(at(max.body, "data.result.0.value.1"))).toBeCloseTo(
      Number(at(busyCpu.body, "data.result.0.value.1")),
      5,
    );
    expect(Number(at(avg.body, "data.result.0.value.1"))).toBeCloseTo(
      Number(at(busyCpu.body, "data.result.0.value.1")) / 2,
      5,
    );
    const tmpl = await prom(
      null,
      q(
        `100 * sum by (instance_id) (rate(openstack_instance_cpu_seconds_total{project_id="${demo.projectId}",instance_id="${running}"}[5m]))`,
      ),
    );
    expect(Number(at(tmpl.body, "data.result.0.value.1"))).toBeGreaterThan(0);
    const scalar = await prom(null, q("1 + 2 * 3"));
    expect(at(scalar.body, "data")).toMatchObject({
      resultType: "scalar",
      result: [expect.any(Number) as unknown, "7"],
    });
    const filtered = await prom(null, q(`cirrus_instance_cpu_utilization > 1000`));
    expect(list(filtered.body, "data.result")).toEqual([]);
  });

  it("answers range queries as matrices", async () => {
    const end = Math.floor(Date.now() / 1000);
    const r = await prom(
      null,
      `/query_range?query=${encodeURIComponent(`rate(cirrus_instance_network_transmit_bytes_total{instance_id="${running}"}[5m])`)}&start=${end - 3600}&end=${end}&step=60`,
    );
    expect(at(r.body, "data.resultType")).toBe("matrix");
    const points = at(r.body, "data.result.0.values") as [number, string][];
    expect(points).toHaveLength(61);
    expect(points[1]?.[0]).toBe(end - 3600 + 60);
    expect(new Set(points.map(([, v]) => v)).size).toBeGreaterThan(10);
    const post = await request("POST", `${sim.url}/region-one/prometheus/api/v1/query_range`, {
      raw: new URLSearchParams({
        query: "sum(cirrus_instance_memory_used_bytes)",
        start: String(end - 600),
        end: String(end),
        step: "5m",
      }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(list(post.body, "data.result.0.values")).toHaveLength(3);
  });

  it("lists labels, label values and series", async () => {
    const labels = await prom(null, "/labels");
    expect(at(labels.body, "data")).toEqual(
      expect.arrayContaining([
        "__name__",
        "project_id",
        "instance_id",
        "volume_id",
        "region",
        "availability_zone",
        "instance_name",
      ]),
    );
    const values = await prom(null, "/label/__name__/values");
    expect(at(values.body, "data")).toEqual(
      expect.arrayContaining(["cirrus_instance_cpu_utilization", "cirrus_volume_read_bytes_total"]),
    );
    const series = await prom(
      null,
      `/series?match[]=${encodeURIComponent(`cirrus_volume_read_bytes_total`)}`,
    );
    expect(list(series.body, "data").map((s) => s.volume_id)).toEqual([volumeId]);
    const none = await prom(null, "/series");
    expect(none.body).toEqual({
      status: "error",
      errorType: "bad_data",
      error: "no match[] parameter provided",
    });
  });

  it("narrows everything to the token's project (admins and anonymous callers see all)", async () => {
    const mine = await prom(demo, q("cirrus_instance_cpu_utilization"));
    expect(new Set(list(mine.body, "data.result").map((r) => at(r, "metric.project_id")))).toEqual(
      new Set([demo.projectId]),
    );
    const all = await prom(admin, q("cirrus_instance_cpu_utilization"));
    expect(list(all.body, "data.result")).toHaveLength(3);
    const bad = await request("GET", `${sim.url}/region-one/prometheus/api/v1/query?query=up`, {
      headers: { "X-Auth-Token": "nope" },
    });
    expect(bad.status).toBe(401);
    const other = await prom(null, q("cirrus_instance_cpu_utilization"), "region-two");
    expect(list(other.body, "data.result")).toEqual([]);
  });

  it("reports errors in Prometheus's format", async () => {
    const parse = await prom(null, q("sum(("));
    expect(parse.status).toBe(400);
    expect(at(parse.body, "status")).toBe("error");
    expect(at(parse.body, "errorType")).toBe("bad_data");
    expect(text(parse.body, "error")).toMatch(/^invalid parameter "query": 1:\d+: parse error: /);
    const fn = await prom(null, q("nosuchfn(up)"));
    expect(text(fn.body, "error")).toBe(
      'invalid parameter "query": 1:1: parse error: unknown function with name "nosuchfn"',
    );
    const type = await prom(null, q("rate(cirrus_instance_cpu_utilization)"));
    expect(text(type.body, "error")).toBe(
      'expected type range vector in call to function "rate", got instant vector',
    );
    const now = Math.floor(Date.now() / 1000);
    const range = await prom(
      null,
      `/query_range?query=cirrus_instance_cpu_utilization[5m]&start=${now - 60}&end=${now}&step=15`,
    );
    expect(text(range.body, "error")).toBe(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    const backwards = await prom(null, `/query_range?query=up&start=${now}&end=${now - 60}&step=15`);
    expect(text(backwards.body, "error")).toBe("end timestamp must not be before start time");
    const zero = await prom(null, `/query_range?query=up&start=${now - 60}&end=${now}&step=0`);
    expect(text(zero.body, "error")).toBe(
      "zero or negative query resolution step widths are not accepted. Try a positive integer",
    );
    const many = await prom(null, `/query_range?query=up&start=${now - 86400}&end=${now}&step=1`);
    expect(text(many.body, "error")).toContain("exceeded maximum resolution of 11,000 points");
    const time = await prom(null, q("up", "&time=yesterday"));
    expect(text(time.body, "error")).toBe(
      'invalid parameter "time": cannot parse "yesterday" to a valid timestamp',
    );
  });

  it("parses the PromQL the portal's templates use", () => {
    expect(
      parsePromQL(
        '100 * sum by (instance_id) (rate(openstack_instance_cpu_seconds_total{project_id="p",instance_id="i"}[5m]))',
      ).type,
    ).toBe("binary");
    expect(parsePromQL("sum(x) by (y)").type).toBe("aggregate");
    expect(() => parsePromQL("{}")).toThrow(/at least one non-empty matcher/);
    expect(parsePromQL("x offset 5m")).toMatchObject({ type: "selector", offset: 300_000 });
  });
});
