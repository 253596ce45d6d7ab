// Nova in the sim: a server's life from BUILD to gone, every server action with its state
// machine, 409s on wrong states and on locked servers, and the JSON shapes at 2.1 and 2.93.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimHandle } from "./server";
import {
  at,
  bootServer,
  frozen,
  imageId,
  list,
  loginAdmin,
  makeNetwork,
  newMember,
  startTestSim,
  text,
  waitFor,
  waitGone,
  waitServer,
} from "./test-support";
import type { Session } from "./test-support";

let sim: SimHandle;
let admin: Session;
let demo: Session;
let net: { networkId: string; subnetId: string };

beforeAll(async () => {
  sim = await startTestSim();
  admin = await loginAdmin(sim);
  demo = await newMember(admin, "demo");
  net = await makeNetwork(demo, "demo-net");
});
afterAll(async () => {
  await sim.close();
});

/** Fires an action and waits until the server has left `transient` statuses. */
async function act(s: Session, id: string, body: unknown, settle: string, mv = "2.93"): Promise<void> {
  const r = await s.nova("POST", `/servers/${id}/action`, body, mv);
  expect([200, 202, 204], r.text).toContain(r.status);
  await waitServer(s, id, settle);
}

describe("server lifecycle", () => {
  it("builds: BUILD/scheduling, then ACTIVE with ports, addresses and the 2.93 shape", async () => {
    const image = await imageId(demo, "cirros-0.6.2");
    const { r, building } = await frozen(sim, async () => {
      const created = await demo.nova("POST", "/servers", {
        server: {
          name: "web-1",
          flavorRef: "1",
          imageRef: image,
          networks: [{ uuid: net.networkId }],
          metadata: { role: "web" },
          user_data: "aGVsbG8=",
        },
      });
      return { r: created, building: await demo.nova("GET", `/servers/${text(created.body, "server.id")}`) };
    });
    expect(r.status).toBe(202);
    const id = text(r.body, "server.id");
    expect(r.headers.get("location")).toBe(`${sim.url}/region-one/compute/v2.1/servers/${id}`);
    expect(at(r.body, "server.OS-DCF:diskConfig")).toBe("MANUAL");
    expect(at(r.body, "server.security_groups")).toEqual([{ name: "default" }]);
    expect(text(r.body, "server.adminPass")).toHaveLength(12);
    expect(r.headers.get("openstack-api-version")).toBe("compute 2.93");
    expect(r.headers.get("x-openstack-nova-api-version")).toBe("2.93");
    expect(r.headers.get("vary")).toBe("OpenStack-API-Version, X-OpenStack-Nova-API-Version");

    expect(at(building.body, "server.status")).toBe("BUILD");
    expect(at(building.body, "server.OS-EXT-STS:vm_state")).toBe("building");
    expect(at(building.body, "server.OS-EXT-STS:task_state")).toBe("scheduling");
    expect(at(building.body, "server.hostId")).toBe("");
    expect(at(building.body, "server.OS-EXT-AZ:availability_zone")).toBe("");
    expect(at(building.body, "server.addresses")).toEqual({});
    expect(at(building.body, "server.security_groups")).toBeUndefined();

    const s = await waitServer(demo, id, "ACTIVE");
    expect(s).toMatchObject({
      id,
      name: "web-1",
      tenant_id: demo.projectId,
      user_id: demo.userId,
      metadata: { role: "web" },
      image: {
        id: image,
        links: [{ rel: "bookmark", href: `${sim.url}/region-one/compute/images/${image}` }],
      },
      flavor: {
        vcpus: 1,
        ram: 512,
        disk: 1,
        ephemeral: 0,
        swap: 0,
        original_name: "m1.tiny",
        extra_specs: {},
      },
      accessIPv4: "",
      accessIPv6: "",
      "OS-DCF:diskConfig": "MANUAL",
      progress: 0,
      config_drive: "",
      key_name: null,
      "OS-SRV-USG:terminated_at": null,
      security_groups: [{ name: "default" }],
      "OS-EXT-STS:vm_state": "active",
      "OS-EXT-STS:power_state": 1,
      "os-extended-volumes:volumes_attached": [],
      locked: false,
      locked_reason: null,
      description: null,
      tags: [],
      trusted_image_certificates: null,
      "OS-EXT-SRV-ATTR:hostname": "web-1",
      server_groups: [],
    });
    expect(s.hostId).toMatch(/^[0-9a-f]{56}$/);
    expect(["az-1", "az-2", "az-3"]).toContain(s["OS-EXT-AZ:availability_zone"]);
    expect(s["OS-SRV-USG:launched_at"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(s.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // A member sees none of the admin-only extended attributes.
    expect(s["OS-EXT-SRV-ATTR:host"]).toBeUndefined();
    expect(s["OS-EXT-SRV-ATTR:user_data"]).toBeUndefined();
    const addr = list(s, "addresses.demo-net");
    expect(addr).toHaveLength(1);
    expect(addr[0]).toMatchObject({ version: 4, "OS-EXT-IPS:type": "fixed" });
    expect(text(addr[0], "addr")).toMatch(/^10\.10\.0\.\d+$/);
    expect(text(addr[0], "OS-EXT-IPS-MAC:mac_addr")).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    const ports = await demo.call("GET", "network", `/ports?device_id=${id}`);
    expect(list(ports.body, "ports")).toHaveLength(1);
    expect(at(ports.body, "ports.0.device_owner")).toBe(
      `compute:${String(s["OS-EXT-AZ:availability_zone"])}`,
    );
    expect(at(ports.body, "ports.0.status")).toBe("ACTIVE");

    const asAdmin = await admin.nova("GET", `/servers/${id}`);
    expect(at(asAdmin.body, "server.OS-EXT-SRV-ATTR:host")).toMatch(/^r1-az\d-cmp\d\d$/);
    expect(at(asAdmin.body, "server.OS-EXT-SRV-ATTR:instance_name")).toMatch(/^instance-[0-9a-f]{8}$/);
    expect(at(asAdmin.body, "server.OS-EXT-SRV-ATTR:user_data")).toBe("aGVsbG8=");
    expect(at(asAdmin.body, "server.OS-EXT-SRV-ATTR:reservation_id")).toMatch(/^r-[a-z0-9]{8}$/);
    expect(at(asAdmin.body, "server.host_status")).toBe("UP");

    const actions = await demo.nova("GET", `/servers/${id}/os-instance-actions`);
    expect(at(actions.body, "instanceActions.0")).toMatchObject({
      action: "create",
      instance_uuid: id,
      message: null,
    });
  });

  it("renders the 2.1 shape: flavor as a link, no 2.x-only fields", async () => {
    const id = await bootServer(demo, "old-client", net.networkId);
    const r = await demo.nova("GET", `/servers/${id}`, undefined, "2.1");
    expect(r.headers.get("openstack-api-version")).toBe("compute 2.1");
    const s = at(r.body, "server");
    expect(at(s, "flavor")).toEqual({
      id: "1",
      links: [{ rel: "bookmark", href: `${sim.url}/region-one/compute/flavors/1` }],
    });
    for (const key of [
      "locked",
      "locked_reason",
      "description",
      "tags",
      "server_groups",
      "trusted_image_certificates",
    ])
      expect(at(s, key), key).toBeUndefined();
    expect(at(s, "os-extended-volumes:volumes_attached")).toEqual([]);
  });

  it("negotiates microversions like Nova", async () => {
    const latest = await demo.call("GET", "compute", "/flavors", {
      headers: { "OpenStack-API-Version": "compute latest" },
    });
    expect(latest.headers.get("openstack-api-version")).toBe("compute 2.93");
    const legacy = await demo.call("GET", "compute", "/flavors", {
      headers: { "X-OpenStack-Nova-API-Version": "2.60" },
    });
    expect(legacy.headers.get("openstack-api-version")).toBe("compute 2.60");
    const plain = await demo.call("GET", "compute", "/flavors");
    expect(plain.headers.get("openstack-api-version")).toBe("compute 2.1");
    const tooNew = await demo.nova("GET", "/flavors", undefined, "2.94");
    expect(tooNew.status).toBe(406);
    expect(at(tooNew.body, "computeFault.message")).toBe(
      "Version 2.94 is not supported by the API. Minimum is 2.1 and maximum is 2.93.",
    );
    const garbage = await demo.nova("GET", "/flavors", undefined, "2.x");
    expect(garbage.status).toBe(400);
    expect(at(garbage.body, "badRequest.message")).toBe(
      "API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.",
    );
  });

  it("deletes: deleting, then 404; its ports go away", async () => {
    const id = await bootServer(demo, "short-lived", net.networkId);
    const { del, during } = await frozen(sim, async () => ({
      del: await demo.nova("DELETE", `/servers/${id}`),
      during: await demo.nova("GET", `/servers/${id}`),
    }));
    expect(del.status).toBe(204);
    expect(at(during.body, "server.OS-EXT-STS:task_state")).toBe("deleting");
    await waitGone(demo, id);
    const gone = await demo.nova("GET", `/servers/${id}`);
    expect(gone.body).toEqual({ itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
    const ports = await demo.call("GET", "network", `/ports?device_id=${id}`);
    expect(list(ports.body, "ports")).toEqual([]);
  });

  it("goes to ERROR with a fault when the build fails", async () => {
    const image = await imageId(demo, "cirros-0.6.2");
    const r = await demo.nova("POST", "/servers", {
      server: {
        name: "doomed",
        flavorRef: "1",
        imageRef: image,
        networks: "none",
        metadata: { _sim_fail: "schedule" },
      },
    });
    const id = text(r.body, "server.id");
    const s = await waitServer(demo, id, "ERROR");
    expect(at(s, "fault.code")).toBe(500);
    expect(at(s, "fault.message")).toBe("No valid host was found. There are not enough hosts available.");
    expect(s["OS-EXT-STS:vm_state"]).toBe("error");
    const stop = await demo.nova("POST", `/servers/${id}/action`, { "os-start": null });
    expect(stop.body).toEqual({
      conflictingRequest: {
        code: 409,
        message: `Cannot 'start' instance ${id} while it is in vm_state error`,
      },
    });
  });
});

describe("server actions", () => {
  let id: string;
  beforeAll(async () => {
    id = await bootServer(demo, "acted-on", net.networkId);
  });

  it("os-stop / os-start, with 409 on the wrong state", async () => {
    const { stop, during } = await frozen(sim, async () => ({
      stop: await demo.nova("POST", `/servers/${id}/action`, { "os-stop": null }),
      during: await demo.nova("GET", `/servers/${id}`),
    }));
    expect(stop.status).toBe(202);
    expect(stop.text).toBe("");
    expect(at(during.body, "server.OS-EXT-STS:task_state")).toBe("powering-off");
    const s = await waitServer(demo, id, "SHUTOFF");
    expect(s["OS-EXT-STS:vm_state"]).toBe("stopped");
    expect(s["OS-EXT-STS:power_state"]).toBe(4);
    expect(s.progress).toBeUndefined();
    const again = await demo.nova("POST", `/servers/${id}/action`, { "os-stop": null });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      conflictingRequest: {
        code: 409,
        message: `Cannot 'stop' instance ${id} while it is in vm_state stopped`,
      },
    });
    const pause = await demo.nova("POST", `/servers/${id}/action`, { pause: null });
    expect(at(pause.body, "conflictingRequest.message")).toBe(
      `Cannot 'pause' instance ${id} while it is in vm_state stopped`,
    );
    await act(demo, id, { "os-start": null }, "ACTIVE");
    const start = await demo.nova("POST", `/servers/${id}/action`, { "os-start": null });
    expect(at(start.body, "conflictingRequest.message")).toBe(
      `Cannot 'start' instance ${id} while it is in vm_state active`,
    );
  });

  it("refuses a second action while a task is running", async () => {
    const busy = await frozen(sim, async () => {
      await demo.nova("POST", `/servers/${id}/action`, { "os-stop": null });
      return demo.nova("POST", `/servers/${id}/action`, { reboot: { type: "HARD" } });
    });
    expect(busy.status).toBe(409);
    expect(at(busy.body, "conflictingRequest.message")).toBe(
      `Cannot 'reboot' instance ${id} while it is in task_state powering-off`,
    );
    await waitServer(demo, id, "SHUTOFF");
    await act(demo, id, { "os-start": null }, "ACTIVE");
  });

  it("pause / unpause and suspend / resume", async () => {
    await act(demo, id, { pause: null }, "PAUSED");
    expect(at((await demo.nova("GET", `/servers/${id}`)).body, "server.OS-EXT-STS:power_state")).toBe(3);
    await act(demo, id, { unpause: null }, "ACTIVE");
    await act(demo, id, { suspend: null }, "SUSPENDED");
    const wrong = await demo.nova("POST", `/servers/${id}/action`, { unpause: null });
    expect(at(wrong.body, "conflictingRequest.message")).toBe(
      `Cannot 'unpause' instance ${id} while it is in vm_state suspended`,
    );
    await act(demo, id, { resume: null }, "ACTIVE");
  });

  it("reboot SOFT (REBOOT) and HARD (HARD_REBOOT, also from SHUTOFF); validates the type", async () => {
    const soft1 = await frozen(sim, async () => {
      await demo.nova("POST", `/servers/${id}/action`, { reboot: { type: "SOFT" } });
      return demo.nova("GET", `/servers/${id}`);
    });
    expect(at(soft1.body, "server.status")).toBe("REBOOT");
    await waitServer(demo, id, "ACTIVE");
    const hard1 = await frozen(sim, async () => {
      await demo.nova("POST", `/servers/${id}/action`, { reboot: { type: "HARD" } });
      return demo.nova("GET", `/servers/${id}`);
    });
    expect(at(hard1.body, "server.status")).toBe("HARD_REBOOT");
    await waitServer(demo, id, "ACTIVE");
    await act(demo, id, { "os-stop": null }, "SHUTOFF");
    const soft = await demo.nova("POST", `/servers/${id}/action`, { reboot: { type: "SOFT" } });
    expect(at(soft.body, "conflictingRequest.message")).toBe(
      `Cannot 'reboot' instance ${id} while it is in vm_state stopped`,
    );
    await act(demo, id, { reboot: { type: "hard" } }, "ACTIVE");
    const bad = await demo.nova("POST", `/servers/${id}/action`, { reboot: { type: "BAD" } });
    expect(bad.body).toEqual({
      badRequest: {
        code: 400,
        message:
          "Invalid input for field/attribute type. Value: BAD. 'BAD' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']",
      },
    });
    const missing = await demo.nova("POST", `/servers/${id}/action`, { reboot: {} });
    expect(at(missing.body, "badRequest.message")).toBe(
      "Invalid input for field/attribute reboot. Value: {}. 'type' is a required property",
    );
  });

  it("resize → VERIFY_RESIZE → revertResize restores the old flavor; resize → confirmResize keeps the new", async () => {
    const same = await demo.nova("POST", `/servers/${id}/action`, { resize: { flavorRef: "1" } });
    expect(at(same.body, "badRequest.message")).toBe("When resizing, instances must change flavor!");
    const missing = await demo.nova("POST", `/servers/${id}/action`, { resize: { flavorRef: "nope" } });
    expect(at(missing.body, "badRequest.message")).toBe("Flavor nope could not be found.");
    const early = await demo.nova("POST", `/servers/${id}/action`, { confirmResize: null });
    expect(at(early.body, "conflictingRequest.message")).toBe(
      `Cannot 'confirmResize' instance ${id} while it is in vm_state active`,
    );

    const resizing = await frozen(sim, async () => {
      await demo.nova("POST", `/servers/${id}/action`, { resize: { flavorRef: "2" } });
      return demo.nova("GET", `/servers/${id}`);
    });
    expect(at(resizing.body, "server.status")).toBe("RESIZE");
    let s = await waitServer(demo, id, "VERIFY_RESIZE");
    expect(s["OS-EXT-STS:vm_state"]).toBe("resized");
    expect(at(s, "flavor.original_name")).toBe("m1.small");
    const { revert, reverting } = await frozen(sim, async () => ({
      revert: await demo.nova("POST", `/servers/${id}/action`, { revertResize: null }),
      reverting: await demo.nova("GET", `/servers/${id}`),
    }));
    expect(revert.status).toBe(202);
    expect(at(reverting.body, "server.status")).toBe("REVERT_RESIZE");
    s = await waitServer(demo, id, "ACTIVE");
    expect(at(s, "flavor.original_name")).toBe("m1.tiny");

    await demo.nova("POST", `/servers/${id}/action`, { resize: { flavorRef: "2" } });
    await waitServer(demo, id, "VERIFY_RESIZE");
    const confirm = await demo.nova("POST", `/servers/${id}/action`, { confirmResize: null });
    expect(confirm.status).toBe(204);
    s = await waitServer(demo, id, "ACTIVE");
    expect(at(s, "flavor.original_name")).toBe("m1.small");
    const actions = list(
      (await demo.nova("GET", `/servers/${id}/os-instance-actions`)).body,
      "instanceActions",
    ).map((a) => a.action);
    expect(actions.slice(0, 4)).toEqual(["confirmResize", "resize", "revertResize", "resize"]);
  });

  it("lock (2.73 reason) blocks the owner with 409; an admin lock cannot be lifted by the owner", async () => {
    const lock = await demo.nova("POST", `/servers/${id}/action`, { lock: { locked_reason: "maintenance" } });
    expect(lock.status).toBe(202);
    const s = at((await demo.nova("GET", `/servers/${id}`)).body, "server");
    expect(at(s, "locked")).toBe(true);
    expect(at(s, "locked_reason")).toBe("maintenance");
    for (const body of [{ "os-stop": null }, { reboot: { type: "SOFT" } }, { resize: { flavorRef: "3" } }]) {
      const r = await demo.nova("POST", `/servers/${id}/action`, body);
      expect(r.body).toEqual({ conflictingRequest: { code: 409, message: `Instance ${id} is locked` } });
    }
    const del = await demo.nova("DELETE", `/servers/${id}`);
    expect(del.status).toBe(409);
    expect(at(del.body, "conflictingRequest.message")).toBe(`Instance ${id} is locked`);
    const old = await demo.nova("POST", `/servers/${id}/action`, { lock: { locked_reason: "x" } }, "2.72");
    expect(old.status).toBe(400);
    await demo.nova("POST", `/servers/${id}/action`, { unlock: null });

    await admin.nova("POST", `/servers/${id}/action`, { lock: null });
    const denied = await demo.nova("POST", `/servers/${id}/action`, { unlock: null });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      forbidden: {
        code: 403,
        message: "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.",
      },
    });
    await act(admin, id, { "os-stop": null }, "SHUTOFF");
    await admin.nova("POST", `/servers/${id}/action`, { unlock: null });
    await act(demo, id, { "os-start": null }, "ACTIVE");
  });

  it("createImage: image_id at 2.45+, Location below; the snapshot becomes active in Glance", async () => {
    const { r, snapping, twice } = await frozen(sim, async () => ({
      r: await demo.nova("POST", `/servers/${id}/action`, {
        createImage: { name: "snap-1", metadata: { purpose: "backup" } },
      }),
      snapping: await demo.nova("GET", `/servers/${id}`),
      twice: await demo.nova("POST", `/servers/${id}/action`, { createImage: { name: "snap-x" } }),
    }));
    expect(r.status).toBe(202);
    const imageIdValue = text(r.body, "image_id");
    expect(at(snapping.body, "server.OS-EXT-STS:task_state")).toBe("image_snapshot_pending");
    expect(at(twice.body, "conflictingRequest.message")).toBe(
      `Cannot 'createImage' instance ${id} while it is in task_state image_snapshot_pending`,
    );
    await waitServer(demo, id, "ACTIVE");
    const image = await waitFor(
      "snapshot to be active",
      () => demo.call("GET", "image", `/images/${imageIdValue}`),
      (x) => at(x.body, "status") === "active",
    );
    expect(image.body).toMatchObject({
      name: "snap-1",
      image_type: "snapshot",
      instance_uuid: id,
      purpose: "backup",
      owner: demo.projectId,
      visibility: "private",
    });
    const busy = await demo.nova(
      "POST",
      `/servers/${id}/action`,
      { createImage: { name: "snap-2" } },
      "2.44",
    );
    expect(busy.status).toBe(202);
    expect(busy.text).toBe("");
    expect(busy.headers.get("location")).toMatch(
      new RegExp(`^${sim.url}/region-one/image/v2/images/[0-9a-f-]{36}$`),
    );
    await waitServer(demo, id, "ACTIVE");
    const noName = await demo.nova("POST", `/servers/${id}/action`, { createImage: {} });
    expect(at(noName.body, "badRequest.message")).toBe(
      "Invalid input for field/attribute createImage. Value: {}. 'name' is a required property",
    );
  });

  it("rebuild: REBUILD → ACTIVE on the new image, with the answer carrying adminPass", async () => {
    const debian = await imageId(demo, "debian-12");
    const r = await demo.nova("POST", `/servers/${id}/action`, {
      rebuild: { imageRef: debian, name: "rebuilt" },
    });
    expect(r.status).toBe(202);
    expect(at(r.body, "server.status")).toBe("REBUILD");
    expect(text(r.body, "server.adminPass")).toHaveLength(12);
    const s = await waitServer(demo, id, "ACTIVE");
    expect(at(s, "image.id")).toBe(debian);
    expect(s.name).toBe("rebuilt");
    const missing = await demo.nova("POST", `/servers/${id}/action`, { rebuild: {} });
    expect(at(missing.body, "badRequest.message")).toBe(
      "Invalid input for field/attribute rebuild. Value: {}. 'imageRef' is a required property",
    );
  });

  it("os-getConsoleOutput returns the last `length` lines", async () => {
    const all = await demo.nova("POST", `/servers/${id}/action`, { "os-getConsoleOutput": {} });
    expect(all.status).toBe(200);
    expect(text(all.body, "output")).toContain("cloud-init");
    const tail = await demo.nova("POST", `/servers/${id}/action`, { "os-getConsoleOutput": { length: 2 } });
    expect(text(tail.body, "output").split("\n")).toHaveLength(2);
    const bad = await demo.nova("POST", `/servers/${id}/action`, { "os-getConsoleOutput": { length: "x" } });
    expect(bad.status).toBe(400);
  });

  it("remote-consoles gives a noVNC URL; unknown types are refused", async () => {
    const r = await demo.nova("POST", `/servers/${id}/remote-consoles`, {
      remote_console: { protocol: "vnc", type: "novnc" },
    });
    expect(r.status).toBe(200);
    expect(at(r.body, "remote_console.protocol")).toBe("vnc");
    const url = text(r.body, "remote_console.url");
    expect(url).toMatch(/vnc_lite\.html\?path=%3Ftoken%3D[0-9a-f]{32}$/);
    expect((await fetch(url)).status).toBe(200);
    const bad = await demo.nova("POST", `/servers/${id}/remote-consoles`, {
      remote_console: { protocol: "vnc", type: "xvpvnc" },
    });
    expect(at(bad.body, "badRequest.message")).toBe("Unavailable console type xvpvnc.");
  });

  it("addSecurityGroup / removeSecurityGroup change the server's ports", async () => {
    const sg = await demo.call("POST", "network", "/security-groups", {
      body: { security_group: { name: "web" } },
    });
    const sgId = text(sg.body, "security_group.id");
    expect(
      (await demo.nova("POST", `/servers/${id}/action`, { addSecurityGroup: { name: "web" } })).status,
    ).toBe(202);
    let s = at((await demo.nova("GET", `/servers/${id}`)).body, "server");
    expect(at(s, "security_groups")).toEqual([{ name: "default" }, { name: "web" }]);
    const ports = await demo.call("GET", "network", `/ports?device_id=${id}`);
    expect(at(ports.body, "ports.0.security_groups")).toContain(sgId);
    const groups = await demo.nova("GET", `/servers/${id}/os-security-groups`);
    const dflt = list(groups.body, "security_groups").find((g) => g.name === "default");
    // Nova lists the ingress rules only: the default group's two "from the group itself" rules.
    expect(list(dflt, "rules").map((r) => [r.ip_protocol, r.from_port, r.group, r.ip_range])).toEqual([
      [null, null, { name: "default", tenant_id: demo.projectId }, {}],
      [null, null, { name: "default", tenant_id: demo.projectId }, {}],
    ]);
    const twice = await demo.nova("POST", `/servers/${id}/action`, { addSecurityGroup: { name: "web" } });
    expect(twice.status).toBe(400);
    expect(
      (await demo.nova("POST", `/servers/${id}/action`, { removeSecurityGroup: { name: "web" } })).status,
    ).toBe(202);
    s = at((await demo.nova("GET", `/servers/${id}`)).body, "server");
    expect(at(s, "security_groups")).toEqual([{ name: "default" }]);
    const unknown = await demo.nova("POST", `/servers/${id}/action`, { addSecurityGroup: { name: "nope" } });
    expect(unknown.body).toEqual({
      itemNotFound: { code: 404, message: `Security group nope is not found for project ${demo.projectId}` },
    });
    // By id too (Nova resolves a name or an id); removing a group the server lacks is Nova's 404.
    expect(
      (await demo.nova("POST", `/servers/${id}/action`, { addSecurityGroup: { name: sgId } })).status,
    ).toBe(202);
    expect(
      (await demo.nova("POST", `/servers/${id}/action`, { removeSecurityGroup: { name: sgId } })).status,
    ).toBe(202);
    const absent = await demo.nova("POST", `/servers/${id}/action`, { removeSecurityGroup: { name: sgId } });
    expect(absent.body).toEqual({
      itemNotFound: { code: 404, message: `Security group ${sgId} not associated with the instance ${id}` },
    });
    const twin = await demo.call("POST", "network", "/security-groups", {
      body: { security_group: { name: "web" } },
    });
    const ambiguous = await demo.nova("POST", `/servers/${id}/action`, { addSecurityGroup: { name: "web" } });
    expect(ambiguous.body).toEqual({
      conflictingRequest: {
        code: 409,
        message: "Multiple security_group matches found for name 'web', use an ID to be more specific.",
      },
    });
    await demo.call("DELETE", "network", `/security-groups/${text(twin.body, "security_group.id")}`);
  });

  it("changePassword, os-resetState (admin only) and unknown actions", async () => {
    expect(
      (await demo.nova("POST", `/servers/${id}/action`, { changePassword: { adminPass: "s3cret" } })).status,
    ).toBe(202);
    await waitServer(demo, id, "ACTIVE");
    const reset = await demo.nova("POST", `/servers/${id}/action`, { "os-resetState": { state: "error" } });
    expect(reset.status).toBe(403);
    await admin.nova("POST", `/servers/${id}/action`, { "os-resetState": { state: "error" } });
    expect(at((await demo.nova("GET", `/servers/${id}`)).body, "server.status")).toBe("ERROR");
    await admin.nova("POST", `/servers/${id}/action`, { "os-resetState": { state: "active" } });
    expect(at((await demo.nova("GET", `/servers/${id}`)).body, "server.status")).toBe("ACTIVE");
    const unknown = await demo.nova("POST", `/servers/${id}/action`, { nosuchaction: {} });
    expect(unknown.body).toEqual({
      badRequest: { code: 400, message: "There is no such action: nosuchaction" },
    });
  });

  it("updates name and description with PUT", async () => {
    const r = await demo.nova("PUT", `/servers/${id}`, {
      server: { name: "renamed", description: "the web server" },
    });
    expect(r.status).toBe(200);
    expect(at(r.body, "server.name")).toBe("renamed");
    expect(at(r.body, "server.description")).toBe("the web server");
    const bad = await demo.nova("PUT", `/servers/${id}`, { server: { flavor: "x" } });
    expect(at(bad.body, "badRequest.message")).toBe(
      "Invalid input for field/attribute server. Value: {'flavor': 'x'}. Additional properties are not allowed ('flavor' was unexpected)",
    );
  });

  it("hides other projects' servers (404), admin sees them with all_tenants", async () => {
    const mine = await admin.nova("POST", "/servers", {
      server: {
        name: "admin-vm",
        flavorRef: "1",
        imageRef: await imageId(admin, "cirros-0.6.2"),
        networks: "none",
      },
    });
    const adminServer = text(mine.body, "server.id");
    const peek = await demo.nova("GET", `/servers/${adminServer}`);
    expect(peek.status).toBe(404);
    const denied = await demo.nova("GET", "/servers?all_tenants=1");
    expect(denied.status).toBe(403);
    const all = await admin.nova("GET", "/servers/detail?all_tenants=1");
    const projects = new Set(list(all.body, "servers").map((s) => s.tenant_id));
    expect(projects).toEqual(new Set([demo.projectId, admin.projectId]));
    const own = await admin.nova("GET", "/servers");
    expect(list(own.body, "servers").map((s) => s.id)).toEqual([adminServer]);
  });
});
