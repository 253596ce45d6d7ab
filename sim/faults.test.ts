// Fault injection through /_sim/faults (error rate, status in each service's format, latency,
// timeouts, dropped connections, counts, filters) and /_sim/reset.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FaultInjector } from "./faults";
import type { SimHandle } from "./server";
import { at, bootServer, list, loginAdmin, request, startTestSim, text } from "./test-support";
import type { Reply, Session } from "./test-support";

let sim: SimHandle;
let admin: Session;

beforeAll(async () => {
  sim = await startTestSim();
  admin = await loginAdmin(sim);
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await request("DELETE", `${sim.url}/_sim/faults`);
});

function inject(rule: Record<string, unknown>): Promise<Reply> {
  return request("POST", `${sim.url}/_sim/faults`, { body: rule });
}

describe("fault injection", () => {
  it("fails matching requests with the service's own error body, `count` times", async () => {
    const added = await inject({
      service: "compute",
      method: "GET",
      path: "/flavors",
      errorRate: 1,
      status: 503,
      count: 2,
    });
    expect(added.status).toBe(201);
    expect(at(added.body, "fault")).toMatchObject({
      service: "compute",
      method: "GET",
      status: 503,
      count: 2,
    });
    const first = await admin.nova("GET", "/flavors");
    expect(first.status).toBe(503);
    expect(first.body).toEqual({
      serviceUnavailable: { code: 503, message: "Simulated fault: compute answered 503." },
    });
    expect(first.headers.get("x-openstack-request-id")).toMatch(/^req-/);
    expect((await admin.nova("GET", "/flavors")).status).toBe(503);
    expect((await admin.nova("GET", "/flavors")).status).toBe(200);
    expect(list((await request("GET", `${sim.url}/_sim/faults`)).body, "faults")).toEqual([]);
  });

  it("renders injected errors per service: Neutron, Keystone, Prometheus", async () => {
    await inject({ service: "network", status: 500, message: "boom" });
    const neutron = await admin.call("GET", "network", "/networks");
    expect(neutron.body).toEqual({
      NeutronError: { type: "HTTPInternalServerError", message: "boom", detail: "" },
    });
    await inject({ service: "identity", status: 503 });
    const keystone = await request("GET", `${sim.authUrl}`);
    expect(at(keystone.body, "error.code")).toBe(503);
    await inject({ service: "prometheus", status: 422 });
    const prom = await request("GET", `${sim.url}/region-one/prometheus/api/v1/query?query=up`);
    expect(prom.status).toBe(422);
    expect(at(prom.body, "status")).toBe("error");
  });

  it("only hits requests matching method, path and region", async () => {
    await inject({
      service: "compute",
      method: "POST",
      path: "/servers$",
      region: "region-two",
      status: 500,
    });
    expect((await admin.nova("GET", "/servers")).status).toBe(200);
    expect((await admin.inRegion("region-two").nova("GET", "/servers")).status).toBe(200);
    const r = await admin
      .inRegion("region-two")
      .nova("POST", "/servers", { server: { name: "x", flavorRef: "1", imageRef: "x", networks: "none" } });
    expect(r.status).toBe(500);
    expect(at(r.body, "computeFault.code")).toBe(500);
    const id = await bootServer(admin, "unaffected", null);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("applies an error rate", async () => {
    await inject({ service: "image", errorRate: 0.5, status: 503 });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await admin.call("GET", "image", "/images")).status);
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(55);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });

  it("adds latency, and latency alone does not fail the request", async () => {
    await inject({ service: "compute", latencyMs: 150 });
    const t0 = Date.now();
    const r = await admin.nova("GET", "/flavors");
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it("never answers with `timeout` and destroys the socket with `drop`", async () => {
    await inject({ service: "volume", timeout: true, count: 1 });
    const t0 = Date.now();
    const hung = fetch(admin.url("volume", "/volumes"), {
      headers: { "X-Auth-Token": admin.token },
      signal: AbortSignal.timeout(300),
    });
    await expect(hung).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect((await admin.call("GET", "volume", "/volumes")).status).toBe(200);

    await inject({ service: "volume", drop: true, count: 1 });
    await expect(
      fetch(admin.url("volume", "/volumes"), { headers: { "X-Auth-Token": admin.token } }),
    ).rejects.toThrow(/fetch failed/);
    expect((await admin.call("GET", "volume", "/volumes")).status).toBe(200);
  });

  it("lists, removes one, and validates rules", async () => {
    const a = await inject({ service: "compute", status: 502 });
    await inject({ service: "*", latencyMs: 1 });
    expect(list((await request("GET", `${sim.url}/_sim/faults`)).body, "faults")).toHaveLength(2);
    expect((await request("DELETE", `${sim.url}/_sim/faults/${text(a.body, "fault.id")}`)).status).toBe(204);
    expect(list((await request("GET", `${sim.url}/_sim/faults`)).body, "faults")).toHaveLength(1);
    const bad = await inject({ service: "nova", status: 500 });
    expect(bad.status).toBe(400);
    expect(text(bad.body, "error")).toContain('"service" must be one of');
    expect((await inject({ service: "compute", path: "(" })).status).toBe(400);
    expect((await inject({ service: "compute", errorRate: 2 })).status).toBe(400);
    expect((await inject({ service: "compute", wat: 1 })).status).toBe(400);
    const many = await request("POST", `${sim.url}/_sim/faults`, {
      body: [
        { service: "network", status: 500 },
        { service: "volume", status: 500 },
      ],
    });
    expect(list(many.body, "faults")).toHaveLength(2);
  });

  it("resets the whole cloud with /_sim/reset", async () => {
    const id = await bootServer(admin, "to-be-forgotten", null);
    await inject({ service: "compute", status: 500, path: "/never" });
    expect((await request("POST", `${sim.url}/_sim/reset`)).status).toBe(204);
    expect(list((await request("GET", `${sim.url}/_sim/faults`)).body, "faults")).toEqual([]);
    // Tokens are part of the state: log in again.
    const fresh = await loginAdmin(sim);
    expect((await fresh.nova("GET", `/servers/${id}`)).status).toBe(404);
    admin = fresh;
  });
});

describe("FaultInjector", () => {
  it("decides with the injected random source", () => {
    const rolls = [0.1, 0.9, 0.4];
    const f = new FaultInjector(["compute"], () => rolls.shift() ?? 0);
    f.add({ service: "compute", errorRate: 0.5, status: 500 });
    const target = { service: "compute", region: "region-one", method: "GET", path: "/x" };
    expect(f.decide(target).kind).toBe("status");
    expect(f.decide(target).kind).toBe("none");
    expect(f.decide(target).kind).toBe("status");
    expect(f.list()[0]?.hits).toBe(2);
  });
});
