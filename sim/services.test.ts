// Smoke tests of Neutron, Cinder and Glance in the sim: the main flows the portal and the CLI
// use, and each service's own error format.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimHandle } from "./server";
import { at, list, loginAdmin, makeNetwork, newMember, startTestSim, text, waitFor } from "./test-support";
import type { Session } from "./test-support";

let sim: SimHandle;
let admin: Session;
let demo: Session;

beforeAll(async () => {
  sim = await startTestSim();
  admin = await loginAdmin(sim);
  demo = await newMember(admin, "demo");
});
afterAll(async () => {
  await sim.close();
});

describe("neutron", () => {
  it("creates a network, subnet, router with gateway and interface, and a floating IP", async () => {
    const { networkId, subnetId } = await makeNetwork(demo, "app", "192.168.50.0/24");
    const subnet = await demo.call("GET", "network", `/subnets/${subnetId}`);
    expect(at(subnet.body, "subnet")).toMatchObject({
      cidr: "192.168.50.0/24",
      gateway_ip: "192.168.50.1",
      allocation_pools: [{ start: "192.168.50.2", end: "192.168.50.254" }],
    });
    const ext = await demo.call("GET", "network", "/networks?router:external=true");
    const publicId = text(ext.body, "networks.0.id");
    const router = await demo.call("POST", "network", "/routers", {
      body: { router: { name: "edge", external_gateway_info: { network_id: publicId } } },
    });
    expect(router.status).toBe(201);
    const routerId = text(router.body, "router.id");
    expect(at(router.body, "router.external_gateway_info.network_id")).toBe(publicId);
    const iface = await demo.call("PUT", "network", `/routers/${routerId}/add_router_interface`, {
      body: { subnet_id: subnetId },
    });
    expect(at(iface.body, "subnet_id")).toBe(subnetId);
    const fip = await demo.call("POST", "network", "/floatingips", {
      body: { floatingip: { floating_network_id: publicId } },
    });
    expect(text(fip.body, "floatingip.floating_ip_address")).toMatch(/^172\.24\.4\.\d+$/);
    const inUse = await demo.call("DELETE", "network", `/networks/${networkId}`);
    expect(inUse.status).toBe(409);
    expect(at(inUse.body, "NeutronError.type")).toBe("NetworkInUse");
  });

  it("creates security group rules and refuses duplicates", async () => {
    const sg = await demo.call("POST", "network", "/security-groups", {
      body: { security_group: { name: "ssh" } },
    });
    const sgId = text(sg.body, "security_group.id");
    expect(list(sg.body, "security_group.security_group_rules")).toHaveLength(2);
    const rule = {
      security_group_rule: {
        security_group_id: sgId,
        direction: "ingress",
        protocol: "tcp",
        port_range_min: 22,
        port_range_max: 22,
        remote_ip_prefix: "0.0.0.0/0",
      },
    };
    expect((await demo.call("POST", "network", "/security-group-rules", { body: rule })).status).toBe(201);
    const dup = await demo.call("POST", "network", "/security-group-rules", { body: rule });
    expect(dup.status).toBe(409);
    expect(at(dup.body, "NeutronError.type")).toBe("SecurityGroupRuleExists");
  });

  it("answers unknown ids in Neutron's format", async () => {
    const r = await demo.call("GET", "network", "/networks/nope");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      NeutronError: { type: "NetworkNotFound", message: "Network nope could not be found.", detail: "" },
    });
  });
});

describe("cinder", () => {
  it("creates a volume (creating → available), snapshots and deletes it", async () => {
    const v = await demo.call("POST", "volume", "/volumes", { body: { volume: { size: 2, name: "data" } } });
    expect(v.status).toBe(202);
    expect(at(v.body, "volume.status")).toBe("creating");
    const id = text(v.body, "volume.id");
    await waitFor(
      "available",
      () => demo.call("GET", "volume", `/volumes/${id}`),
      (r) => at(r.body, "volume.status") === "available",
    );
    const snap = await demo.call("POST", "volume", "/snapshots", {
      body: { snapshot: { volume_id: id, name: "s1" } },
    });
    expect(snap.status).toBe(202);
    const snapId = text(snap.body, "snapshot.id");
    await waitFor(
      "snapshot",
      () => demo.call("GET", "volume", `/snapshots/${snapId}`),
      (r) => at(r.body, "snapshot.status") === "available",
    );
    const blocked = await demo.call("DELETE", "volume", `/volumes/${id}`);
    expect(blocked.status).toBe(400);
    expect(at(blocked.body, "badRequest.code")).toBe(400);
    await demo.call("DELETE", "volume", `/snapshots/${snapId}`);
    await waitFor(
      "snapshot gone",
      () => demo.call("GET", "volume", `/snapshots/${snapId}`),
      (r) => r.status === 404,
    );
    expect((await demo.call("DELETE", "volume", `/volumes/${id}`)).status).toBe(202);
    await waitFor(
      "volume gone",
      () => demo.call("GET", "volume", `/volumes/${id}`),
      (r) => r.status === 404,
    );
    const missing = await demo.call("GET", "volume", `/volumes/${id}`);
    expect(missing.body).toEqual({
      itemNotFound: { code: 404, message: `Volume ${id} could not be found.` },
    });
  });
});

describe("glance", () => {
  it("creates an image, uploads data (active, checksum) and downloads it", async () => {
    const img = await demo.call("POST", "image", "/images", {
      body: { name: "tiny", disk_format: "raw", container_format: "bare", visibility: "private" },
    });
    expect(img.status).toBe(201);
    expect(at(img.body, "status")).toBe("queued");
    const id = text(img.body, "id");
    const put = await demo.call("PUT", "image", `/images/${id}/file`, {
      raw: Buffer.from("0123456789"),
      headers: { "Content-Type": "application/octet-stream" },
    });
    expect(put.status).toBe(204);
    const shown = await demo.call("GET", "image", `/images/${id}`);
    expect(at(shown.body, "status")).toBe("active");
    expect(at(shown.body, "size")).toBe(10);
    expect(at(shown.body, "checksum")).toBe("781e5e245d69b566979b86e28d23f2c7");
    const data = await fetch(demo.url("image", `/images/${id}/file`), {
      headers: { "X-Auth-Token": demo.token },
    });
    expect(await data.text()).toBe("0123456789");
    const hidden = await admin.call("GET", "image", `/images?visibility=private&owner=${demo.projectId}`);
    expect(list(hidden.body, "images").map((i) => i.id)).toContain(id);
    const other = await newMember(admin, "other");
    expect((await other.call("GET", "image", `/images/${id}`)).status).toBe(404);
  });
});
