// Nova in the sim beyond server actions: boot from volume and volume/interface attachments
// (through Cinder and Neutron), cleanup on delete, pagination and filters, input validation,
// quotas and limits, key pairs, flavors, server groups, metadata, tags and admin listings.
import { createHash, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimHandle } from "./server";
import {
  at,
  bootServer,
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
let cirros: string;

beforeAll(async () => {
  sim = await startTestSim();
  admin = await loginAdmin(sim);
  demo = await newMember(admin, "demo");
  net = await makeNetwork(demo, "demo-net");
  cirros = await imageId(demo, "cirros-0.6.2");
});
afterAll(async () => {
  await sim.close();
});

async function volumeStatus(s: Session, id: string, status: string): Promise<Record<string, unknown>> {
  const r = await waitFor(
    `volume ${id} to be ${status}`,
    () => s.call("GET", "volume", `/volumes/${id}`),
    (x) => at(x.body, "volume.status") === status || x.status === 404,
  );
  return at(r.body, "volume") as Record<string, unknown>;
}

describe("volumes and interfaces", () => {
  it("boots from a volume made from an image; deletes it with the server (delete_on_termination)", async () => {
    const r = await demo.nova("POST", "/servers", {
      server: {
        name: "bfv",
        flavorRef: "1",
        networks: "none",
        block_device_mapping_v2: [
          {
            boot_index: 0,
            uuid: cirros,
            source_type: "image",
            destination_type: "volume",
            volume_size: 2,
            delete_on_termination: true,
          },
        ],
      },
    });
    expect(r.status, r.text).toBe(202);
    const id = text(r.body, "server.id");
    const s = await waitServer(demo, id, "ACTIVE");
    expect(s.image).toBe("");
    const attached = list(s, "os-extended-volumes:volumes_attached");
    expect(attached).toHaveLength(1);
    expect(attached[0]?.delete_on_termination).toBe(true);
    const volumeId = text(attached[0], "id");
    const v = await volumeStatus(demo, volumeId, "in-use");
    expect(v.bootable).toBe("true");
    expect(at(v, "attachments.0.server_id")).toBe(id);
    expect(at(v, "attachments.0.device")).toBe("/dev/vda");
    const detachRoot = await demo.nova("DELETE", `/servers/${id}/os-volume_attachments/${volumeId}`);
    expect(detachRoot.body).toEqual({
      badRequest: { code: 400, message: "Cannot detach a root device volume" },
    });
    await demo.nova("DELETE", `/servers/${id}`);
    await waitGone(demo, id);
    await waitFor(
      "boot volume to be deleted",
      () => demo.call("GET", "volume", `/volumes/${volumeId}`),
      (x) => x.status === 404,
    );
  });

  it("validates block device mappings", async () => {
    const noSize = await demo.nova("POST", "/servers", {
      server: {
        name: "x",
        flavorRef: "1",
        networks: "none",
        block_device_mapping_v2: [
          { boot_index: 0, uuid: cirros, source_type: "image", destination_type: "volume" },
        ],
      },
    });
    expect(at(noSize.body, "badRequest.message")).toBe(
      "Block Device Mapping is Invalid: Images with destination_type 'volume' need to have a non-zero size specified",
    );
    const noBoot = await demo.nova("POST", "/servers", {
      server: {
        name: "x",
        flavorRef: "1",
        networks: "none",
        block_device_mapping_v2: [
          { boot_index: 1, source_type: "blank", destination_type: "volume", volume_size: 1 },
        ],
      },
    });
    expect(at(noBoot.body, "badRequest.message")).toBe(
      "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.",
    );
  });

  it("boots with a typed boot volume and blank data volumes, named and deleted as Nova does", async () => {
    const r = await demo.nova("POST", "/servers", {
      server: {
        name: "bfv-blank",
        flavorRef: "1",
        networks: "none",
        block_device_mapping_v2: [
          {
            boot_index: 0,
            uuid: cirros,
            source_type: "image",
            destination_type: "volume",
            volume_size: 2,
            volume_type: "ssd",
            delete_on_termination: true,
          },
          {
            boot_index: -1,
            source_type: "blank",
            destination_type: "volume",
            volume_size: 1,
            delete_on_termination: true,
          },
          { boot_index: -1, source_type: "blank", destination_type: "volume", volume_size: 1 },
        ],
      },
    });
    expect(r.status, r.text).toBe(202);
    const id = text(r.body, "server.id");
    const s = await waitServer(demo, id, "ACTIVE");
    const attached = list(s, "os-extended-volumes:volumes_attached");
    expect(attached.map((a) => a.delete_on_termination)).toEqual([true, true, false]);
    const old = await demo.nova("GET", `/servers/${id}`, undefined, "2.1");
    expect(list(at(old.body, "server"), "os-extended-volumes:volumes_attached")[0]).toEqual({
      id: attached[0]?.id,
    });
    const vols = await Promise.all(attached.map((a) => volumeStatus(demo, text(a, "id"), "in-use")));
    expect(vols.map((v) => [v.name, v.volume_type, at(v, "attachments.0.server_id")])).toEqual([
      ["", "ssd", id],
      [`${id}-blank-vol`, "__DEFAULT__", id],
      [`${id}-blank-vol`, "__DEFAULT__", id],
    ]);
    await demo.nova("DELETE", `/servers/${id}`);
    await waitGone(demo, id);
    const kept = text(attached[2], "id");
    await waitFor(
      "the delete_on_termination volumes to go",
      () => demo.call("GET", "volume", `/volumes/${text(attached[1], "id")}`),
      (x) => x.status === 404,
    );
    expect(at(await volumeStatus(demo, kept, "available"), "attachments")).toEqual([]);
  });

  it("refuses an unknown volume_type, and volume_type below 2.67", async () => {
    const bdm = (volumeType: string): Record<string, unknown> => ({
      boot_index: 0,
      uuid: cirros,
      source_type: "image",
      destination_type: "volume",
      volume_size: 2,
      volume_type: volumeType,
    });
    const server = (volumeType: string): Record<string, unknown> => ({
      server: { name: "x", flavorRef: "1", networks: "none", block_device_mapping_v2: [bdm(volumeType)] },
    });
    const unknown = await demo.nova("POST", "/servers", server("gold"));
    expect(unknown.body).toEqual({
      badRequest: { code: 400, message: "Volume type gold could not be found." },
    });
    const early = await demo.nova("POST", "/servers", server("ssd"), "2.66");
    expect(early.status).toBe(400);
    expect(at(early.body, "badRequest.message")).toMatch(
      /^Invalid input for field\/attribute 0\. Value: .*Additional properties are not allowed \('volume_type' was unexpected\)$/,
    );
  });

  it("attaches a volume (attaching → in-use) and detaches it (detaching → available)", async () => {
    const id = await bootServer(demo, "with-data", net.networkId);
    const vol = await demo.call("POST", "volume", "/volumes", {
      body: { volume: { size: 1, name: "data" } },
    });
    const volumeId = text(vol.body, "volume.id");
    await volumeStatus(demo, volumeId, "available");
    const attach = await demo.nova("POST", `/servers/${id}/os-volume_attachments`, {
      volumeAttachment: { volumeId },
    });
    expect(attach.status).toBe(200);
    expect(at(attach.body, "volumeAttachment")).toMatchObject({
      serverId: id,
      volumeId,
      device: "/dev/vdb",
      tag: null,
      delete_on_termination: false,
    });
    // As in Nova, 2.89 changed the GET answers only: the POST answer keeps `id`.
    expect(at(attach.body, "volumeAttachment.id")).toBe(volumeId);
    expect(at(attach.body, "volumeAttachment.attachment_id")).toBeUndefined();
    const listed = await demo.nova("GET", `/servers/${id}/os-volume_attachments`);
    expect(text(listed.body, "volumeAttachments.0.attachment_id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(at(listed.body, "volumeAttachments.0.id")).toBeUndefined();
    const old = await demo.nova("GET", `/servers/${id}/os-volume_attachments`, undefined, "2.1");
    expect(at(old.body, "volumeAttachments.0")).toEqual({
      id: volumeId,
      serverId: id,
      volumeId,
      device: "/dev/vdb",
    });
    await volumeStatus(demo, volumeId, "in-use");
    const again = await demo.nova("POST", `/servers/${id}/os-volume_attachments`, {
      volumeAttachment: { volumeId },
    });
    expect(again.status).toBe(400);
    const s = at((await demo.nova("GET", `/servers/${id}`)).body, "server");
    expect(at(s, "os-extended-volumes:volumes_attached")).toEqual([
      { id: volumeId, delete_on_termination: false },
    ]);
    const detach = await demo.nova("DELETE", `/servers/${id}/os-volume_attachments/${volumeId}`);
    expect(detach.status).toBe(202);
    const v = await volumeStatus(demo, volumeId, "available");
    expect(v.attachments).toEqual([]);
    const notAttached = await demo.nova("DELETE", `/servers/${id}/os-volume_attachments/${volumeId}`);
    expect(notAttached.status).toBe(404);
    const missing = await demo.nova("POST", `/servers/${id}/os-volume_attachments`, {
      volumeAttachment: { volumeId: "8c1b5bd2-3b4f-4a33-8b31-000000000000" },
    });
    expect(missing.body).toEqual({
      itemNotFound: { code: 404, message: "Volume 8c1b5bd2-3b4f-4a33-8b31-000000000000 could not be found." },
    });
  });

  it("attaches and detaches interfaces through Neutron", async () => {
    const id = await bootServer(demo, "multi-nic", net.networkId);
    const other = await makeNetwork(demo, "second-net", "10.20.0.0/24");
    const r = await demo.nova("POST", `/servers/${id}/os-interface`, {
      interfaceAttachment: { net_id: other.networkId },
    });
    expect(r.status).toBe(200);
    expect(at(r.body, "interfaceAttachment")).toMatchObject({
      net_id: other.networkId,
      port_state: "ACTIVE",
    });
    const portId = text(r.body, "interfaceAttachment.port_id");
    const listed = await demo.nova("GET", `/servers/${id}/os-interface`);
    expect(list(listed.body, "interfaceAttachments")).toHaveLength(2);
    const s = at((await demo.nova("GET", `/servers/${id}`)).body, "server");
    expect(Object.keys(at(s, "addresses") as object).sort()).toEqual(["demo-net", "second-net"]);
    expect((await demo.nova("DELETE", `/servers/${id}/os-interface/${portId}`)).status).toBe(202);
    expect((await demo.call("GET", "network", `/ports/${portId}`)).status).toBe(404);
    const both = await demo.nova("POST", `/servers/${id}/os-interface`, {
      interfaceAttachment: { net_id: other.networkId, port_id: portId },
    });
    expect(at(both.body, "badRequest.message")).toBe("Must not input both network_id and port_id");
  });

  it("on delete releases ports, disassociates floating IPs and detaches volumes", async () => {
    const router = await demo.call("POST", "network", "/routers", { body: { router: { name: "r1" } } });
    const routerId = text(router.body, "router.id");
    const pub = await demo.call("GET", "network", "/networks?router:external=true");
    const publicId = text(pub.body, "networks.0.id");
    await demo.call("PUT", "network", `/routers/${routerId}`, {
      body: { router: { external_gateway_info: { network_id: publicId } } },
    });
    await demo.call("PUT", "network", `/routers/${routerId}/add_router_interface`, {
      body: { subnet_id: net.subnetId },
    });
    const id = await bootServer(demo, "public-facing", net.networkId);
    const port = await demo.call("GET", "network", `/ports?device_id=${id}`);
    const portId = text(port.body, "ports.0.id");
    const fip = await demo.call("POST", "network", "/floatingips", {
      body: { floatingip: { floating_network_id: publicId, port_id: portId } },
    });
    expect(fip.status).toBe(201);
    const fipId = text(fip.body, "floatingip.id");
    const s = at((await demo.nova("GET", `/servers/${id}`)).body, "server");
    const addrs = list(s, "addresses.demo-net");
    expect(addrs.map((a) => a["OS-EXT-IPS:type"])).toEqual(["fixed", "floating"]);
    const vol = await demo.call("POST", "volume", "/volumes", { body: { volume: { size: 1 } } });
    const volumeId = text(vol.body, "volume.id");
    await volumeStatus(demo, volumeId, "available");
    await demo.nova("POST", `/servers/${id}/os-volume_attachments`, { volumeAttachment: { volumeId } });
    await volumeStatus(demo, volumeId, "in-use");

    await demo.nova("DELETE", `/servers/${id}`);
    await waitGone(demo, id);
    expect((await demo.call("GET", "network", `/ports/${portId}`)).status).toBe(404);
    const after = await demo.call("GET", "network", `/floatingips/${fipId}`);
    expect(at(after.body, "floatingip.port_id")).toBeNull();
    expect(at(after.body, "floatingip.fixed_ip_address")).toBeNull();
    await volumeStatus(demo, volumeId, "available");
  });
});

describe("listing", () => {
  it("creates several servers with min_count, names them, and pages with servers_links", async () => {
    const pager = await newMember(admin, "pager");
    const r = await pager.nova("POST", "/servers", {
      server: {
        name: "batch",
        flavorRef: "1",
        imageRef: cirros,
        networks: "none",
        min_count: 5,
        return_reservation_id: true,
      },
    });
    expect(r.status).toBe(202);
    expect(text(r.body, "reservation_id")).toMatch(/^r-/);
    const all = await pager.nova("GET", "/servers");
    const names = list(all.body, "servers").map((x) => x.name);
    expect([...names].sort()).toEqual(["batch-1", "batch-2", "batch-3", "batch-4", "batch-5"]);
    expect(at(all.body, "servers_links")).toBeUndefined();

    const seen: unknown[] = [];
    let url: string | null = `${pager.url("compute", "/servers")}?limit=2`;
    let pages = 0;
    while (url) {
      const page = await pager.call("GET", "compute", url.slice(pager.url("compute", "").length));
      const items = list(page.body, "servers");
      seen.push(...items.map((x) => x.id));
      expect(items.length).toBeLessThanOrEqual(2);
      const next = at(page.body, "servers_links.0");
      url = next ? text(next, "href") : null;
      if (next) expect(at(next, "rel")).toBe("next");
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toEqual(list(all.body, "servers").map((x) => x.id));

    const exact = await pager.nova("GET", "/servers?limit=5");
    expect(at(exact.body, "servers_links.0.rel")).toBe("next");
    const badMarker = await pager.nova("GET", "/servers?marker=nope");
    expect(badMarker.body).toEqual({ badRequest: { code: 400, message: "marker [nope] not found" } });
    const badLimit = await pager.nova("GET", "/servers?limit=x");
    expect(badLimit.status).toBe(400);
  });

  it("filters by name regex, status, flavor, image and changes-since", async () => {
    const f = await newMember(admin, "filters");
    const fnet = await makeNetwork(f, "f-net");
    const a = await bootServer(f, "alpha-1", fnet.networkId);
    const b = await bootServer(f, "beta-1", fnet.networkId, { flavorRef: "2" });
    await f.nova("POST", `/servers/${b}/action`, { "os-stop": null });
    await waitServer(f, b, "SHUTOFF");
    const ids = async (q: string): Promise<unknown[]> =>
      list((await f.nova("GET", `/servers/detail?${q}`)).body, "servers").map((x) => x.id);
    expect(await ids("name=^alp")).toEqual([a]);
    expect(await ids("status=SHUTOFF")).toEqual([b]);
    expect(await ids("status=active")).toEqual([a]);
    expect(await ids("flavor=2")).toEqual([b]);
    expect((await ids(`image=${cirros}`)).sort()).toEqual([a, b].sort());
    expect(await ids(`changes-since=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    const bad = await f.nova("GET", "/servers/detail?status=BOGUS");
    expect(bad.body).toEqual({ badRequest: { code: 400, message: "Invalid status value" } });
  });
});

describe("validation and error bodies", () => {
  it("answers bad server creates like Nova", async () => {
    const cases: [unknown, number, string][] = [
      [
        { server: { name: "x" } },
        400,
        "Invalid input for field/attribute server. Value: {'name': 'x'}. 'flavorRef' is a required property",
      ],
      [
        { server: { name: "x", flavorRef: "1", imageRef: cirros } },
        400,
        `Invalid input for field/attribute server. Value: {'name': 'x', 'flavorRef': '1', 'imageRef': '${cirros}'}. 'networks' is a required property`,
      ],
      [
        { server: { name: "x", flavorRef: "nope", imageRef: cirros, networks: "none" } },
        400,
        "Flavor nope could not be found.",
      ],
      [
        {
          server: {
            name: "x",
            flavorRef: "1",
            imageRef: "8c1b5bd2-3b4f-4a33-8b31-000000000000",
            networks: "none",
          },
        },
        400,
        "Can not find requested image",
      ],
      [
        { server: { name: "x", flavorRef: "1", imageRef: cirros, networks: "none", user_data: "!!notb64" } },
        400,
        "Invalid input for field/attribute user_data. Value: !!notb64. '!!notb64' is not a 'base64'",
      ],
      [
        { server: { name: "x", flavorRef: "1", imageRef: cirros, networks: "none", key_name: "zz" } },
        400,
        "Invalid key_name provided.",
      ],
      [
        {
          server: { name: "x", flavorRef: "1", imageRef: cirros, networks: "none", availability_zone: "zz" },
        },
        400,
        "The requested availability zone is not available",
      ],
      [
        {
          server: {
            name: "x",
            flavorRef: "1",
            imageRef: cirros,
            networks: "none",
            security_groups: [{ name: "zz" }],
          },
        },
        400,
        "Unable to find security_group with name or id 'zz'",
      ],
      [
        {
          server: {
            name: "x",
            flavorRef: "1",
            imageRef: cirros,
            networks: [{ uuid: "8c1b5bd2-3b4f-4a33-8b31-000000000000" }],
          },
        },
        400,
        "Network 8c1b5bd2-3b4f-4a33-8b31-000000000000 could not be found.",
      ],
      [
        {
          server: {
            name: "x",
            flavorRef: "1",
            imageRef: cirros,
            networks: "none",
            min_count: 2,
            max_count: 1,
          },
        },
        400,
        "min_count must be <= max_count",
      ],
      [
        { server: { name: "", flavorRef: "1", imageRef: cirros, networks: "none" } },
        400,
        "Invalid input for field/attribute name. Value: . '' is too short",
      ],
    ];
    for (const [body, status, message] of cases) {
      const r = await demo.nova("POST", "/servers", body);
      expect(r.status, message).toBe(status);
      expect(r.body, message).toEqual({ badRequest: { code: 400, message } });
      expect(r.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    }
    const other = await makeNetwork(demo, "ambiguous", "10.30.0.0/24");
    const auto = await demo.nova("POST", "/servers", {
      server: { name: "x", flavorRef: "1", imageRef: cirros, networks: "auto" },
    });
    expect(auto.body).toEqual({
      conflictingRequest: {
        code: 409,
        message: "Multiple possible networks found, use a Network ID to be more specific.",
      },
    });
    await demo.call("DELETE", "network", `/subnets/${other.subnetId}`);
    await demo.call("DELETE", "network", `/networks/${other.networkId}`);
    const malformed = await demo.call("POST", "compute", "/servers", {
      raw: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(at(malformed.body, "badRequest.code")).toBe(400);
    const wrongMethod = await demo.call("PATCH", "compute", "/servers");
    expect(wrongMethod.status).toBe(405);
    expect(at(wrongMethod.body, "badMethod.code")).toBe(405);
    const noRoute = await demo.nova("GET", "/nothing-here");
    expect(noRoute.body).toEqual({
      itemNotFound: { code: 404, message: "The resource could not be found." },
    });
  });
});

describe("quotas and limits", () => {
  it("enforces instances/cores/ram with Nova's 403 message and reports usage", async () => {
    const q = await newMember(admin, "quota");
    const set = await admin.nova("PUT", `/os-quota-sets/${q.projectId}`, {
      quota_set: { instances: 2, cores: 20 },
    });
    expect(set.status).toBe(200);
    expect(at(set.body, "quota_set.instances")).toBe(2);
    const member = await q.nova("PUT", `/os-quota-sets/${q.projectId}`, { quota_set: { instances: 20 } });
    expect(member.body).toEqual({
      forbidden: {
        code: 403,
        message: "Policy doesn't allow os_compute_api:os-quota-sets:update to be performed.",
      },
    });
    await bootServer(q, "q1", null);
    const three = await q.nova("POST", "/servers", {
      server: { name: "many", flavorRef: "1", imageRef: cirros, networks: "none", min_count: 2 },
    });
    expect(three.body).toEqual({
      forbidden: {
        code: 403,
        message: "Quota exceeded for instances: Requested 2, but already used 1 of 2 instances",
      },
    });
    await bootServer(q, "q2", null);
    const full = await q.nova("POST", "/servers", {
      server: { name: "one-more", flavorRef: "1", imageRef: cirros, networks: "none" },
    });
    expect(at(full.body, "forbidden.message")).toBe(
      "Quota exceeded for instances: Requested 1, but already used 2 of 2 instances",
    );
    const limits = await q.nova("GET", "/limits");
    expect(at(limits.body, "limits.rate")).toEqual([]);
    expect(at(limits.body, "limits.absolute")).toEqual({
      maxTotalInstances: 2,
      maxTotalCores: 20,
      maxTotalRAMSize: 51200,
      maxServerMeta: 128,
      maxTotalKeypairs: 100,
      maxServerGroups: 10,
      maxServerGroupMembers: 10,
      totalRAMUsed: 1024,
      totalCoresUsed: 2,
      totalInstancesUsed: 2,
      totalServerGroupsUsed: 0,
    });
    const detail = await q.nova("GET", `/os-quota-sets/${q.projectId}/detail`);
    expect(at(detail.body, "quota_set.instances")).toEqual({ limit: 2, in_use: 2, reserved: 0 });
    const lower = await admin.nova("PUT", `/os-quota-sets/${q.projectId}`, { quota_set: { instances: 1 } });
    expect(at(lower.body, "badRequest.message")).toBe(
      "Quota limit 1 for instances must be greater than or equal to already used and reserved 2.",
    );
    const cores = await admin.nova("PUT", `/os-quota-sets/${q.projectId}`, {
      quota_set: { instances: 10, cores: 3 },
    });
    expect(cores.status).toBe(200);
    const big = await q.nova("POST", "/servers", {
      server: { name: "big", flavorRef: "3", imageRef: cirros, networks: "none" },
    });
    expect(at(big.body, "forbidden.message")).toBe(
      "Quota exceeded for cores: Requested 2, but already used 2 of 3 cores",
    );
    const other = await q.nova("GET", `/os-quota-sets/${admin.projectId}`);
    expect(other.status).toBe(403);
  });
});

describe("key pairs", () => {
  it("generates RSA key pairs (private key only below 2.92), imports, lists, shows, deletes", async () => {
    const gen = await demo.nova("POST", "/os-keypairs", { keypair: { name: "gen" } }, "2.91");
    expect(gen.status).toBe(201);
    expect(text(gen.body, "keypair.private_key")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(text(gen.body, "keypair.public_key")).toMatch(/^ssh-rsa AAAA\S+ Generated-by-Nova$/);
    expect(text(gen.body, "keypair.fingerprint")).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(at(gen.body, "keypair.type")).toBe("ssh");
    const v21 = await demo.nova("POST", "/os-keypairs", { keypair: { name: "old" } }, "2.1");
    expect(v21.status).toBe(200);
    expect(at(v21.body, "keypair.type")).toBeUndefined();
    const need = await demo.nova("POST", "/os-keypairs", { keypair: { name: "new" } }, "2.92");
    expect(at(need.body, "badRequest.message")).toBe(
      "Invalid input for field/attribute keypair. Value: {'name': 'new'}. 'public_key' is a required property",
    );
    const { publicKey } = generateKeyPairSync("ed25519");
    const jwk = publicKey.export({ format: "jwk" });
    const raw = Buffer.from(jwk.x ?? "", "base64url");
    const len = (b: Buffer): Buffer => Buffer.from([0, 0, 0, b.length]);
    const blob = Buffer.concat([len(Buffer.from("ssh-ed25519")), Buffer.from("ssh-ed25519"), len(raw), raw]);
    const line = `ssh-ed25519 ${blob.toString("base64")} me@laptop`;
    const imported = await demo.nova("POST", "/os-keypairs", {
      keypair: { name: "laptop", public_key: line },
    });
    expect(imported.status).toBe(201);
    expect(at(imported.body, "keypair.private_key")).toBeUndefined();
    expect(at(imported.body, "keypair.public_key")).toBe(line);
    const dup = await demo.nova("POST", "/os-keypairs", { keypair: { name: "laptop", public_key: line } });
    expect(dup.body).toEqual({
      conflictingRequest: { code: 409, message: "Key pair 'laptop' already exists." },
    });
    const garbage = await demo.nova("POST", "/os-keypairs", {
      keypair: { name: "bad", public_key: "ssh-rsa not-a-key" },
    });
    expect(at(garbage.body, "badRequest.message")).toBe(
      "Keypair data is invalid: failed to generate fingerprint",
    );
    // Below 2.92 Nova's safe characters are letters, digits, space, "_" and "-"; 2.92 adds "." and "@".
    const dotted = "3f2a9c1e-0b7d-4c55-9a51-6f0e2d8c7b10.my-key";
    const early = await demo.nova(
      "POST",
      "/os-keypairs",
      { keypair: { name: dotted, public_key: line } },
      "2.91",
    );
    expect(at(early.body, "badRequest.message")).toBe(
      "An invalid 'name' value was provided. The name must be: Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]",
    );
    const spaced = await demo.nova("POST", "/os-keypairs", { keypair: { name: "key ", public_key: line } });
    expect(at(spaced.body, "badRequest.message")).toBe(
      "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
    );
    const file = `${line}\n`;
    const late = await demo.nova(
      "POST",
      "/os-keypairs",
      { keypair: { name: dotted, public_key: file } },
      "2.92",
    );
    expect(late.status).toBe(201);
    expect(at(late.body, "keypair.public_key")).toBe(file);
    expect(at(late.body, "keypair.fingerprint")).toBe(at(imported.body, "keypair.fingerprint"));
    expect(text(imported.body, "keypair.fingerprint")).toBe(
      createHash("md5").update(blob).digest("hex").match(/../g)?.join(":"),
    );
    expect((await demo.nova("DELETE", `/os-keypairs/${encodeURIComponent(dotted)}`)).status).toBe(204);
    const truncated = `ssh-ed25519 ${blob.subarray(0, blob.length - 1).toString("base64")} me@laptop`;
    const cut = await demo.nova("POST", "/os-keypairs", { keypair: { name: "cut", public_key: truncated } });
    expect(at(cut.body, "badRequest.message")).toBe(
      "Keypair data is invalid: failed to generate fingerprint",
    );
    const listed = await demo.nova("GET", "/os-keypairs");
    expect(list(listed.body, "keypairs").map((k) => at(k, "keypair.name"))).toEqual(["gen", "laptop", "old"]);
    const show = await demo.nova("GET", "/os-keypairs/laptop");
    expect(at(show.body, "keypair")).toMatchObject({
      name: "laptop",
      user_id: demo.userId,
      deleted: false,
      deleted_at: null,
      updated_at: null,
      type: "ssh",
    });
    expect(await admin.nova("GET", "/os-keypairs/laptop").then((r) => r.status)).toBe(404);
    const boot = await demo.nova("POST", "/servers", {
      server: { name: "keyed", flavorRef: "1", imageRef: cirros, networks: "none", key_name: "laptop" },
    });
    const s = await waitServer(demo, text(boot.body, "server.id"), "ACTIVE");
    expect(s.key_name).toBe("laptop");
    expect((await demo.nova("DELETE", "/os-keypairs/laptop")).status).toBe(204);
    const gone = await demo.nova("GET", "/os-keypairs/laptop");
    expect(gone.body).toEqual({
      itemNotFound: { code: 404, message: `Keypair laptop not found for user ${demo.userId}` },
    });
  });
});

describe("flavors", () => {
  it("lists, shows and (admin only) creates and deletes flavors with extra specs", async () => {
    const brief = await demo.nova("GET", "/flavors");
    // Sorted by flavor id as strings: seeded UUID ids may come before "1".
    expect(list(brief.body, "flavors").find((f) => f.id === "1")).toEqual({
      id: "1",
      name: "m1.tiny",
      links: expect.any(Array) as unknown,
      description: null,
    });
    const detail = await demo.nova("GET", "/flavors/detail", undefined, "2.61");
    expect(list(detail.body, "flavors").find((f) => f.id === "1")).toMatchObject({
      id: "1",
      name: "m1.tiny",
      ram: 512,
      disk: 1,
      swap: "",
      vcpus: 1,
      "OS-FLV-EXT-DATA:ephemeral": 0,
      "OS-FLV-DISABLED:disabled": false,
      "os-flavor-access:is_public": true,
      rxtx_factor: 1,
      extra_specs: {},
    });
    expect(at((await demo.nova("GET", "/flavors/1")).body, "flavor.swap")).toBe(0);
    const denied = await demo.nova("POST", "/flavors", {
      flavor: { name: "mine", ram: 256, vcpus: 1, disk: 1 },
    });
    expect(denied.body).toEqual({
      forbidden: {
        code: 403,
        message: "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
      },
    });
    const made = await admin.nova("POST", "/flavors", {
      flavor: { name: "t1.custom", ram: 256, vcpus: 1, disk: 1, id: "custom" },
    });
    expect(made.status).toBe(200);
    expect(at(made.body, "flavor.id")).toBe("custom");
    const dup = await admin.nova("POST", "/flavors", {
      flavor: { name: "t1.custom", ram: 256, vcpus: 1, disk: 1 },
    });
    expect(at(dup.body, "conflictingRequest.message")).toBe("Flavor with name t1.custom already exists.");
    const specs = await admin.nova("POST", "/flavors/custom/os-extra_specs", {
      extra_specs: { "hw:cpu_policy": "dedicated" },
    });
    expect(at(specs.body, "extra_specs")).toEqual({ "hw:cpu_policy": "dedicated" });
    expect(
      at((await demo.nova("GET", "/flavors/custom/os-extra_specs/hw:cpu_policy")).body, "hw:cpu_policy"),
    ).toBe("dedicated");
    expect((await admin.nova("DELETE", "/flavors/custom")).status).toBe(202);
    const gone = await demo.nova("GET", "/flavors/custom");
    expect(gone.body).toEqual({ itemNotFound: { code: 404, message: "Flavor custom could not be found." } });
    const page = await demo.nova("GET", "/flavors?limit=2");
    expect(list(page.body, "flavors")).toHaveLength(2);
    expect(text(page.body, "flavors_links.0.href")).toContain(`marker=${text(page.body, "flavors.1.id")}`);
  });
});

describe("everything else", () => {
  it("places an anti-affinity group on different hosts", async () => {
    const g = await demo.nova("POST", "/os-server-groups", {
      server_group: { name: "spread", policy: "anti-affinity" },
    });
    expect(g.status).toBe(200);
    expect(at(g.body, "server_group")).toMatchObject({
      name: "spread",
      policy: "anti-affinity",
      rules: {},
      members: [],
      project_id: demo.projectId,
    });
    const groupId = text(g.body, "server_group.id");
    const r = await demo.nova("POST", "/servers", {
      server: { name: "spread", flavorRef: "1", imageRef: cirros, networks: "none", min_count: 3 },
      "os:scheduler_hints": { group: groupId },
    });
    expect(r.status).toBe(202);
    const members = list(
      (await demo.nova("GET", `/os-server-groups/${groupId}`)).body,
      "server_group.members",
    );
    expect(members).toHaveLength(3);
    const hosts = new Set<unknown>();
    for (const id of members.map((m) => text(m))) {
      await waitServer(demo, id, "ACTIVE");
      hosts.add(at((await admin.nova("GET", `/servers/${id}`)).body, "server.OS-EXT-SRV-ATTR:host"));
      expect(at((await demo.nova("GET", `/servers/${id}`)).body, "server.server_groups")).toEqual([groupId]);
    }
    expect(hosts.size).toBe(3);
    const old = await demo.nova("GET", `/os-server-groups/${groupId}`, undefined, "2.1");
    expect(at(old.body, "server_group.policies")).toEqual(["anti-affinity"]);
    expect((await demo.nova("DELETE", `/os-server-groups/${groupId}`)).status).toBe(204);
  });

  it("manages server metadata and tags", async () => {
    const id = await bootServer(demo, "labelled", null, { metadata: { a: "1" } });
    expect(
      at((await demo.nova("POST", `/servers/${id}/metadata`, { metadata: { b: "2" } })).body, "metadata"),
    ).toEqual({ a: "1", b: "2" });
    expect(
      at((await demo.nova("PUT", `/servers/${id}/metadata`, { metadata: { c: "3" } })).body, "metadata"),
    ).toEqual({ c: "3" });
    expect(
      at((await demo.nova("PUT", `/servers/${id}/metadata/d`, { meta: { d: "4" } })).body, "meta"),
    ).toEqual({ d: "4" });
    expect(at((await demo.nova("GET", `/servers/${id}/metadata/d`)).body, "meta")).toEqual({ d: "4" });
    expect((await demo.nova("DELETE", `/servers/${id}/metadata/d`)).status).toBe(204);
    const mismatch = await demo.nova("PUT", `/servers/${id}/metadata/x`, { meta: { y: "1" } });
    expect(at(mismatch.body, "badRequest.message")).toBe("Request body and URI mismatch");
    expect((await demo.nova("PUT", `/servers/${id}/tags/blue`)).status).toBe(201);
    expect(at((await demo.nova("PUT", `/servers/${id}/tags`, { tags: ["a", "b"] })).body, "tags")).toEqual([
      "a",
      "b",
    ]);
    expect((await demo.nova("GET", `/servers/${id}/tags/a`)).status).toBe(204);
    const missing = await demo.nova("GET", `/servers/${id}/tags/zzz`);
    expect(missing.body).toEqual({ itemNotFound: { code: 404, message: `Instance ${id} has no tag 'zzz'` } });
    const tagged = await demo.nova("GET", "/servers?tags=a");
    expect(list(tagged.body, "servers").map((x) => x.id)).toEqual([id]);
  });

  it("lists availability zones, and services/hypervisors for admins only", async () => {
    const azs = await demo.nova("GET", "/os-availability-zone");
    expect(azs.body).toEqual({
      availabilityZoneInfo: ["az-1", "az-2", "az-3"].map((zoneName) => ({
        zoneName,
        zoneState: { available: true },
        hosts: null,
      })),
    });
    const detail = await demo.nova("GET", "/os-availability-zone/detail");
    expect(detail.body).toEqual({
      forbidden: {
        code: 403,
        message: "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed.",
      },
    });
    const full = await admin.nova("GET", "/os-availability-zone/detail");
    expect(list(full.body, "availabilityZoneInfo").map((z) => z.zoneName)).toEqual([
      "internal",
      "az-1",
      "az-2",
      "az-3",
    ]);
    const services = await admin.nova("GET", "/os-services");
    const computes = list(services.body, "services").filter((s) => s.binary === "nova-compute");
    expect(computes).toHaveLength(6);
    expect(computes[0]).toMatchObject({ status: "enabled", state: "up", forced_down: false, zone: "az-1" });
    expect((await demo.nova("GET", "/os-services")).status).toBe(403);
    const hv = await admin.nova("GET", "/os-hypervisors/detail", undefined, "2.87");
    expect(at(hv.body, "hypervisors.0")).toMatchObject({
      hypervisor_type: "QEMU",
      state: "up",
      status: "enabled",
      vcpus: 64,
    });
    const two = await admin.inRegion("region-two").nova("GET", "/os-hypervisors");
    expect(text(two.body, "hypervisors.0.hypervisor_hostname")).toMatch(/^r2-/);
  });

  it("keeps regions apart", async () => {
    const id = await bootServer(demo, "region-one-only", null);
    const elsewhere = await demo.inRegion("region-two").nova("GET", `/servers/${id}`);
    expect(elsewhere.status).toBe(404);
    expect(list((await demo.inRegion("region-two").nova("GET", "/servers")).body, "servers")).toEqual([]);
  });
});
