// Keystone of the sim: token issue, the catalog of both regions, keystonemiddleware's 401 in
// front of every service, request ids, version documents and the clouds.yaml it writes.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { SimHandle } from "./server";
import { at, list, loginAdmin, request, startTestSim, text } from "./test-support";
import type { Session } from "./test-support";

let sim: SimHandle;
let admin: Session;

beforeAll(async () => {
  sim = await startTestSim();
  admin = await loginAdmin(sim);
});
afterAll(async () => {
  await sim.close();
});

describe("keystone", () => {
  it("issues a project-scoped token with the admin role and a catalog", async () => {
    const res = await request("POST", `${sim.authUrl}/auth/tokens`, {
      body: {
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: "admin", domain: { name: "Default" }, password: "sim-admin" } },
          },
          scope: { project: { name: "admin", domain: { name: "Default" } } },
        },
      },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-subject-token")).toMatch(/^gAAAAA/);
    expect(at(res.body, "token.project.name")).toBe("admin");
    expect(list(res.body, "token.roles").map((r) => r.name)).toContain("admin");
    expect(text(res.body, "token.expires_at")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("lists every service of both regions on three interfaces", async () => {
    const res = await admin.call("GET", "identity", "/auth/catalog");
    expect(res.status).toBe(200);
    const catalog = list(res.body, "catalog");
    const types = catalog.map((c) => c.type);
    for (const t of ["identity", "compute", "network", "volumev3", "block-storage", "image", "prometheus"])
      expect(types).toContain(t);
    const compute = catalog.find((c) => c.type === "compute");
    const endpoints = list(compute, "endpoints");
    expect(endpoints).toHaveLength(6);
    expect(new Set(endpoints.map((e) => e.region))).toEqual(new Set(["region-one", "region-two"]));
    expect(new Set(endpoints.map((e) => e.interface))).toEqual(new Set(["public", "internal", "admin"]));
    expect(endpoints.find((e) => e.region === "region-two")?.url).toBe(`${sim.url}/region-two/compute/v2.1`);
    const volume = list(
      catalog.find((c) => c.type === "volumev3"),
      "endpoints",
    )[0];
    expect(volume?.url).toBe(`${sim.url}/region-one/volume/v3/${admin.projectId}`);
    expect(
      list(
        catalog.find((c) => c.type === "prometheus"),
        "endpoints",
      )[0]?.url,
    ).toBe(`${sim.url}/region-one/prometheus`);
  });

  it("refuses a wrong password with Keystone's 401", async () => {
    const res = await request("POST", `${sim.authUrl}/auth/tokens`, {
      body: {
        auth: {
          identity: {
            methods: ["password"],
            password: { user: { name: "admin", domain: { id: "default" }, password: "nope" } },
          },
        },
      },
    });
    expect(res.status).toBe(401);
    expect(at(res.body, "error.code")).toBe(401);
    expect(at(res.body, "error.title")).toBe("Unauthorized");
  });

  it("answers services without a valid token with keystonemiddleware's 401", async () => {
    for (const path of [
      "/region-one/compute/v2.1/servers",
      "/region-two/network/v2.0/networks",
      `/region-one/volume/v3/${admin.projectId}/volumes`,
    ]) {
      const res = await request("GET", `${sim.url}${path}`, { headers: { "X-Auth-Token": "bogus" } });
      expect(res.status, path).toBe(401);
      expect(res.body).toEqual({
        error: {
          code: 401,
          title: "Unauthorized",
          message: "The request you have made requires authentication.",
        },
      });
      expect(res.headers.get("www-authenticate")).toBe(`Keystone uri="${sim.url}/identity"`);
    }
  });

  it("puts a request id on every answer and echoes a valid global request id", async () => {
    const plain = await admin.nova("GET", "/flavors");
    expect(plain.headers.get("x-openstack-request-id")).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(plain.headers.get("x-compute-request-id")).toBe(plain.headers.get("x-openstack-request-id"));
    const bad = await request("GET", `${sim.url}/nowhere`);
    expect(bad.status).toBe(404);
    expect(bad.headers.get("x-openstack-request-id")).toMatch(/^req-/);
    const globalId = "req-11111111-2222-3333-4444-555555555555";
    const traced = await admin.call("GET", "network", "/networks", {
      headers: { "X-OpenStack-Request-Id": globalId },
    });
    expect(traced.status).toBe(200);
    // Like OpenStack, the answer carries the service's own id; the caller's is kept as global id.
    expect(traced.headers.get("x-openstack-request-id")).not.toBe(globalId);
    const log = await request("GET", `${sim.url}/_sim/requests`);
    const entry = list(log.body, "requests").find(
      (e) => e.requestId === traced.headers.get("x-openstack-request-id"),
    );
    expect(entry).toMatchObject({ service: "network", status: 200, globalRequestId: globalId });
  });

  it("serves version documents at each service root without a token", async () => {
    const nova = await request("GET", `${sim.url}/region-one/compute/`);
    expect(nova.status).toBe(200);
    expect(list(nova.body, "versions").map((v) => v.id)).toEqual(["v2.0", "v2.1"]);
    const v21 = await request("GET", `${sim.url}/region-one/compute/v2.1/`);
    expect(at(v21.body, "version.version")).toBe("2.93");
    expect(at(v21.body, "version.min_version")).toBe("2.1");
    const neutron = await request("GET", `${sim.url}/region-one/network/`);
    expect(at(neutron.body, "versions.0.id")).toBe("v2.0");
    const cinder = await request("GET", `${sim.url}/region-one/volume/`);
    expect(cinder.status).toBe(300);
    expect(at(cinder.body, "versions.0.version")).toBe("3.70");
    const glance = await request("GET", `${sim.url}/region-one/image/`);
    expect(at(glance.body, "versions.0.id")).toBe("v2.15");
    const keystone = await request("GET", `${sim.url}/identity/v3`);
    expect(at(keystone.body, "version.id")).toBe("v3.14");
  });

  it("writes a clouds.yaml with one admin entry per region", () => {
    const doc = parse(readFileSync(sim.cloudsYamlPath ?? "", "utf8")) as {
      clouds: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.clouds)).toEqual(["cirrus-sim-region-one", "cirrus-sim-region-two"]);
    expect(doc.clouds["cirrus-sim-region-two"]).toMatchObject({
      region_name: "region-two",
      identity_api_version: 3,
      auth: {
        auth_url: sim.authUrl,
        username: "admin",
        password: "sim-admin",
        project_name: "admin",
        user_domain_name: "Default",
      },
    });
  });
});
