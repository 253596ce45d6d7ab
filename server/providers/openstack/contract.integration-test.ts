// Contract suite of the OpenStack provider, through our client only: against the sim (in-process,
// fast mode) by default, or a real region when CIRRUS_CONTRACT_CLOUD names a clouds.yaml entry.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimHandle } from "../../../sim/server";
import { env } from "../../env";
import { AppError } from "../../errors";
import { createOpenStack, type OpenStack, type ScopedClient } from "./client";
import { regionsFromCloudsConfig, type RegionConfig } from "./clouds-config";
import type { Flavor, Server } from "./compute";
import { prometheusFor } from "../metrics/prometheus";
import { Tenancy } from "./tenancy";

const REAL = env.CIRRUS_CONTRACT_CLOUD;
const onSim = !REAL;
/** Step timeouts: a real cloud under load takes minutes where the sim takes milliseconds. */
const T = onSim ? 30_000 : 420_000;
const poll = onSim ? { intervalMs: 25, timeoutMs: 20_000 } : { intervalMs: 1_000, timeoutMs: 400_000 };
const RUN = `cirrus-contract-${randomUUID().slice(0, 8)}`;
const JOB = randomUUID();

let sim: SimHandle | undefined;
let os: OpenStack;
let region: RegionConfig;
let admin: ScopedClient;
/** The client all resource steps use: scoped to the tenancy-mapped project when admin, else home. */
let c: ScopedClient;
let isAdmin = false;
const counters = { tokensIssued: 0, retries: 0 };

// ids of what the suite creates, for the steps and for cleanup
const made: {
  domainId?: string;
  projectId?: string;
  flavors: string[];
  imageId?: string;
  keypairs: string[];
  networkId?: string;
  subnetId?: string;
  routerId?: string;
  routerInterface?: boolean;
  securityGroupId?: string;
  servers: string[];
  floatingIpId?: string;
  volumeId?: string;
  snapshotId?: string;
} = { flavors: [], keypairs: [], servers: [] };
let small: Flavor;
let medium: Flavor;
let large: Flavor;
let externalNetworkId: string | undefined;

function regionsFromFile(path: string, pick: (r: RegionConfig) => boolean): RegionConfig {
  const doc = parseYaml(readFileSync(path, "utf8")) as { clouds?: Record<string, unknown> };
  for (const name of Object.keys(doc.clouds ?? {})) {
    for (const r of regionsFromCloudsConfig(doc, { select: [name], source: path })) if (pick(r)) return r;
  }
  throw new Error(`no suitable cloud in ${path}`);
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

/** Best-effort cleanup step: NOT_FOUND means already gone; anything else is reported. */
async function tidy(what: string, p: () => Promise<unknown>, errors: string[]): Promise<void> {
  try {
    await p();
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") return;
    errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const S = () => c.compute;

beforeAll(async () => {
  const logger = {
    debug: (msg: string) => {
      if (msg === "openstack token issued") counters.tokensIssued++;
    },
    warn: (msg: string) => {
      if (msg === "openstack call retried") counters.retries++;
    },
  };
  if (REAL) {
    const path = env.CIRRUS_CLOUDS_YAML ?? env.OS_CLIENT_CONFIG_FILE;
    if (!path) throw new Error("CIRRUS_CONTRACT_CLOUD needs CIRRUS_CLOUDS_YAML or OS_CLIENT_CONFIG_FILE");
    region = regionsFromFile(path, (r) => r.cloud === REAL);
  } else {
    const { startSim } = await import("../../../sim/server");
    sim = await startSim({ port: 0, dataDir: null, fast: true });
    if (!sim.cloudsYamlPath) throw new Error("the sim wrote no clouds.yaml");
    const regionName = sim.regions[0];
    region = regionsFromFile(
      sim.cloudsYamlPath,
      (r) =>
        r.name === regionName &&
        r.credentials.kind === "password" &&
        (r.credentials.username === "admin" || r.cloud.includes("admin")),
    );
  }
  os = createOpenStack({
    regions: [region],
    logger,
    timing: onSim
      ? { timeoutMs: 10_000, initialDelayMs: 5, maxDelayMs: 50, maxRetries: 3 }
      : { timeoutMs: 90_000, initialDelayMs: 500, maxDelayMs: 5_000, maxRetries: 4 },
  });
  admin = os.admin(region.name, { requestId: randomUUID() });
  const token = await admin.token();
  isAdmin = token.roles.includes("admin");
  c = admin;
}, T);

afterAll(async () => {
  await sim?.close();
}, T);

describe("OpenStack contract", { sequential: true }, () => {
  it(
    "authenticates, reads the catalog and renews tokens",
    async () => {
      const token = await admin.token();
      expect(token.value).toBeTruthy();
      expect(token.projectId).toBeTruthy();
      expect(token.expiresAt).toBeGreaterThan(Date.now() + 60_000);
      for (const type of ["compute", "network", "image", "block-storage", "identity"] as const) {
        expect(await admin.hasService(type), type).toBe(true);
      }
      // renewal: a cache that considers every token due renews in the background, once
      let renewed = 0;
      const renewing = createOpenStack({
        regions: [region],
        tokenRenewBeforeMs: 365 * 86_400_000,
        logger: {
          debug: (m) => {
            if (m === "openstack token issued") renewed++;
          },
          warn() {},
        },
      });
      const first = await renewing.token(region.name, { kind: "home" });
      const again = await Promise.all([
        renewing.token(region.name, { kind: "home" }),
        renewing.token(region.name, { kind: "home" }),
      ]);
      expect(again.map((t) => t.value)).toEqual([first.value, first.value]);
      await expect.poll(() => renewed, { timeout: 30_000 }).toBe(2);
      const next = await renewing.token(region.name, { kind: "home" });
      expect(next.value).not.toBe(first.value);
      // a revoked token is replaced on the 401 and the call replayed
      const client = renewing.admin(region.name);
      const current = await client.token();
      await client.identity.revokeToken(current.value);
      const project = await client.identity.getProject(current.projectId ?? "");
      expect(project.id).toBe(current.projectId);
      expect((await client.token()).value).not.toBe(current.value);
    },
    T,
  );

  it(
    "maps an organisation to a domain and a project to a scoped token",
    async (ctx) => {
      if (!isAdmin) ctx.skip();
      const tenancy = new Tenancy(os);
      const org = { orgId: randomUUID(), slug: RUN, name: `Contract ${RUN}` };
      const domain = await tenancy.ensureOrgDomain(region.name, org);
      expect(domain.name).toBe(`cirrus-${RUN}`);
      made.domainId = domain.id;
      expect((await tenancy.ensureOrgDomain(region.name, org)).id).toBe(domain.id);
      const ref = { domainId: domain.id, projectId: randomUUID(), slug: "web", name: "Web shop" };
      const project = await tenancy.ensureProject(region.name, ref);
      made.projectId = project.id;
      expect(project.domain_id).toBe(domain.id);
      expect((await tenancy.ensureProject(region.name, ref)).id).toBe(project.id);
      c = tenancy.forProject(region.name, project.id, { requestId: randomUUID() });
      const token = await c.token();
      expect(token.projectId).toBe(project.id);
      expect(token.roles).toContain("member");
      expect(token.roles).not.toContain("admin");
      expect(await c.hasService("compute")).toBe(true);
    },
    T,
  );

  it(
    "lists flavors (creating three when an admin finds too few)",
    async () => {
      // resize steps only grow the root disk: shrinking it is refused by real drivers (libvirt)
      const pick = (all: Flavor[]): [Flavor, Flavor, Flavor] | undefined => {
        const sorted = all
          .filter((f) => f.disk > 0 && f.ram <= 8192)
          .sort((a, b) => a.disk - b.disk || a.ram - b.ram);
        const s0 = sorted[0];
        const s1 = s0 && sorted.find((f) => f.id !== s0.id && f.disk >= s0.disk && f.ram >= s0.ram);
        const s2 =
          s1 && sorted.find((f) => f.id !== s0.id && f.id !== s1.id && f.disk >= s1.disk && f.ram >= s1.ram);
        return s0 && s1 && s2 ? [s0, s1, s2] : undefined;
      };
      let chosen = pick(await S().listFlavors());
      if (!chosen && isAdmin) {
        for (const [name, ram, disk] of [
          [`${RUN}-small`, 512, 1],
          [`${RUN}-medium`, 1024, 2],
          [`${RUN}-large`, 2048, 2],
        ] as const) {
          const f = await admin.compute.createFlavor({ name, vcpus: 1, ram, disk });
          made.flavors.push(f.id);
        }
        chosen = pick((await S().listFlavors()).filter((f) => made.flavors.includes(f.id)));
      }
      expect(
        chosen,
        "three flavors with growing disk and RAM (an admin cloud entry creates them)",
      ).toBeDefined();
      if (!chosen) return;
      [small, medium, large] = chosen;
      expect((await S().getFlavor(small.id)).name).toBe(small.name);
    },
    T,
  );

  it(
    "creates an image, uploads its data and lists it",
    async () => {
      const img = c.image;
      const created = await img.createImage({
        name: `${RUN}-image`,
        diskFormat: "raw",
        containerFormat: "bare",
        jobId: JOB,
        properties: { os_distro: "cirros" },
      });
      made.imageId = created.id;
      expect(created.status).toBe("queued");
      await img.uploadImageData(created.id, new Uint8Array(64 * 1024).fill(7));
      const active = await img.waitForImage(created.id, ["active"], poll);
      expect(active.size).toBe(64 * 1024);
      expect((active as Record<string, unknown>).os_distro).toBe("cirros");
      const listed: string[] = [];
      for await (const i of img.listImages({}, { pageSize: 1 })) listed.push(i.id);
      expect(listed).toContain(created.id);
      expect((await img.findImageByJobId(JOB))?.id).toBe(created.id);
      expect((await img.setImageVisibility(created.id, "shared")).visibility).toBe("shared");
    },
    T,
  );

  it(
    "creates, imports and deletes key pairs",
    async () => {
      const generated = await S().createKeypair(`${RUN}-gen`);
      made.keypairs.push(generated.name);
      expect(generated.private_key).toMatch(/PRIVATE KEY/);
      expect(generated.public_key).toMatch(/^ssh-/);
      const imported = await S().createKeypair(`${RUN}-imp`, { publicKey: generated.public_key ?? "" });
      made.keypairs.push(imported.name);
      expect(imported.private_key).toBeUndefined();
      expect(imported.fingerprint).toBe(generated.fingerprint);
      const names = (await S().listKeypairs()).map((k) => k.name);
      expect(names).toEqual(expect.arrayContaining([generated.name, imported.name]));
      await S().deleteKeypair(imported.name);
      made.keypairs = made.keypairs.filter((n) => n !== imported.name);
      expect((await caught(S().getKeypair(imported.name))).code).toBe("NOT_FOUND");
      const dup = await caught(S().createKeypair(generated.name, { publicKey: generated.public_key ?? "" }));
      expect(dup.code).toBe("CONFLICT");
      expect(dup.message).toMatch(/already exists/);
    },
    T,
  );

  it(
    "builds a network, subnet and router with gateway and interface",
    async () => {
      const n = c.network;
      const net = await n.createNetwork({ name: `${RUN}-net`, jobId: JOB });
      made.networkId = net.id;
      expect(net.tags).toContain(`cirrus-job:${JOB}`);
      expect((await n.findNetworkByJobId(JOB))?.id).toBe(net.id);
      const subnet = await n.createSubnet({
        networkId: net.id,
        name: `${RUN}-subnet`,
        cidr: "10.77.0.0/24",
        dnsNameservers: ["192.0.2.53"],
        jobId: JOB,
      });
      made.subnetId = subnet.id;
      expect(subnet.gateway_ip).toBe("10.77.0.1");
      const router = await n.createRouter({ name: `${RUN}-router`, jobId: JOB });
      made.routerId = router.id;
      externalNetworkId = (await n.listExternalNetworks())[0]?.id;
      if (externalNetworkId) {
        const withGw = await n.setRouterGateway(router.id, externalNetworkId);
        expect(withGw.external_gateway_info?.network_id).toBe(externalNetworkId);
      }
      const iface = await n.addRouterInterface(router.id, { subnetId: subnet.id });
      made.routerInterface = true;
      expect(iface.subnet_id ?? iface.subnet_ids?.[0]).toBe(subnet.id);
      const ports: string[] = [];
      for await (const p of n.listPorts({ device_id: router.id })) ports.push(p.id);
      expect(ports).toContain(iface.port_id);
    },
    T,
  );

  it(
    "creates a security group with a rule",
    async () => {
      const n = c.network;
      const sg = await n.createSecurityGroup({ name: `${RUN}-sg`, description: "contract", jobId: JOB });
      made.securityGroupId = sg.id;
      const rule = await n.createSecurityGroupRule({
        securityGroupId: sg.id,
        direction: "ingress",
        protocol: "tcp",
        portRangeMin: 22,
        portRangeMax: 22,
        remoteIpPrefix: "0.0.0.0/0",
      });
      expect(rule.port_range_min).toBe(22);
      expect((await n.listSecurityGroupRules(sg.id)).map((r) => r.id)).toContain(rule.id);
      const dup = await caught(
        n.createSecurityGroupRule({
          securityGroupId: sg.id,
          direction: "ingress",
          protocol: "tcp",
          portRangeMin: 22,
          portRangeMax: 22,
          remoteIpPrefix: "0.0.0.0/0",
        }),
      );
      expect(dup.code).toBe("CONFLICT");
      expect(dup.message).toMatch(/already exists/i);
    },
    T,
  );

  let server: Server;

  it(
    "creates servers and waits for ACTIVE",
    async () => {
      const common = {
        flavorRef: small.id,
        imageRef: made.imageId ?? "",
        networks: [{ uuid: made.networkId ?? "" }],
        securityGroups: [`${RUN}-sg`],
      };
      const [a, b] = await Promise.all([
        S().createServer({
          ...common,
          name: `${RUN}-vm1`,
          keyName: `${RUN}-gen`,
          jobId: JOB,
          metadata: { purpose: "contract" },
          userData: "#cloud-config\n",
        }),
        S().createServer({ ...common, name: `${RUN}-vm2` }),
      ]);
      made.servers.push(a.id, b.id);
      server = await S().waitForServer(a.id, ["ACTIVE"], poll);
      await S().waitForServer(b.id, ["ACTIVE"], poll);
      expect(server.name).toBe(`${RUN}-vm1`);
      expect(server.metadata).toMatchObject({ purpose: "contract", cirrus_job_id: JOB });
      expect(server.key_name).toBe(`${RUN}-gen`);
      expect(server.flavor?.original_name).toBe(small.name);
      expect(Object.keys(server.addresses ?? {})).toContain(`${RUN}-net`);
      expect((await S().findServerByJobId(JOB))?.id).toBe(a.id);
    },
    T,
  );

  it(
    "shows and lists servers across pages",
    async () => {
      const ids: string[] = [];
      for await (const s of S().listServers({}, { pageSize: 1 })) ids.push(s.id);
      expect(ids).toEqual(expect.arrayContaining(made.servers));
      expect(new Set(ids).size).toBe(ids.length);
      expect((await S().findServersByName(`${RUN}-vm2`)).map((s) => s.id)).toEqual([made.servers[1]]);
      expect((await S().getServer(server.id)).id).toBe(server.id);
      const interfaces = await S().listInterfaces(server.id);
      expect(interfaces[0]?.net_id).toBe(made.networkId);
    },
    T,
  );

  it(
    "creates and associates a floating IP",
    async (ctx) => {
      if (!externalNetworkId) ctx.skip();
      const n = c.network;
      const fip = await n.createFloatingIp({ floatingNetworkId: externalNetworkId ?? "", jobId: JOB });
      made.floatingIpId = fip.id;
      let portId: string | undefined;
      for await (const p of n.listPorts({ device_id: server.id })) portId ??= p.id;
      expect(portId).toBeDefined();
      const associated = await n.associateFloatingIp(fip.id, portId ?? "");
      expect(associated.port_id).toBe(portId);
      expect(associated.fixed_ip_address).toMatch(/^10\.77\.0\./);
      expect((await n.getFloatingIp(fip.id)).port_id).toBe(portId);
    },
    T,
  );

  it(
    "stops and starts",
    async () => {
      await S().stop(server.id);
      expect((await S().waitForServer(server.id, ["SHUTOFF"], poll)).status).toBe("SHUTOFF");
      await S().start(server.id);
      expect((await S().waitForServer(server.id, ["ACTIVE"], poll)).status).toBe("ACTIVE");
    },
    T,
  );

  it(
    "reboots soft and hard",
    async () => {
      await S().reboot(server.id, "SOFT");
      await S().waitForServer(server.id, ["ACTIVE"], poll);
      await S().reboot(server.id, "HARD");
      expect((await S().waitForServer(server.id, ["ACTIVE"], poll)).status).toBe("ACTIVE");
    },
    T,
  );

  it(
    "resizes and confirms, then resizes and reverts",
    async () => {
      await S().resize(server.id, medium.id);
      await S().waitForServer(server.id, ["VERIFY_RESIZE"], poll);
      await S().confirmResize(server.id);
      let s = await S().waitForServer(server.id, ["ACTIVE"], poll);
      expect(s.flavor?.original_name).toBe(medium.name);
      await S().resize(server.id, large.id);
      await S().waitForServer(server.id, ["VERIFY_RESIZE"], poll);
      await S().revertResize(server.id);
      s = await S().waitForServer(server.id, ["ACTIVE"], poll);
      expect(s.flavor?.original_name).toBe(medium.name);
    },
    T,
  );

  it(
    "locks and unlocks",
    async () => {
      await S().lock(server.id, "contract test");
      await expect
        .poll(async () => (await S().getServer(server.id)).locked, {
          timeout: poll.timeoutMs,
          interval: poll.intervalMs,
        })
        .toBe(true);
      expect((await S().getServer(server.id)).locked_reason).toBe("contract test");
      await S().unlock(server.id);
      await expect
        .poll(async () => (await S().getServer(server.id)).locked, {
          timeout: poll.timeoutMs,
          interval: poll.intervalMs,
        })
        .toBe(false);
    },
    T,
  );

  it(
    "pauses and unpauses, suspends and resumes",
    async () => {
      await S().pause(server.id);
      await S().waitForServer(server.id, ["PAUSED"], poll);
      await S().unpause(server.id);
      await S().waitForServer(server.id, ["ACTIVE"], poll);
      await S().suspend(server.id);
      await S().waitForServer(server.id, ["SUSPENDED"], poll);
      await S().resume(server.id);
      expect((await S().waitForServer(server.id, ["ACTIVE"], poll)).status).toBe("ACTIVE");
    },
    T,
  );

  it(
    "reads the console output",
    async () => {
      const out = await S().consoleOutput(server.id, 50);
      expect(typeof out).toBe("string");
      expect(out.length).toBeGreaterThan(0);
    },
    T,
  );

  it(
    "reads instance metrics from the region's Prometheus, scoped to the project",
    async (ctx) => {
      if (!(await c.hasService("prometheus"))) ctx.skip();
      const projectId = await c.projectId();
      const prom = prometheusFor(os, region.name, projectId, { prometheusUrl: undefined });
      // a new server has no sample until its first scrape (15 s in the sim)
      await expect
        .poll(
          async () =>
            (await prom.query("memory", { projectId, resourceId: server.id })).series.map(
              (x) => x.labels.instance_id,
            ),
          {
            timeout: 60_000,
            interval: 1_000,
          },
        )
        .toEqual([server.id]);
      // The server was suspended by an earlier step: the latest sample may still be from then (0).
      await expect
        .poll(
          async () =>
            (await prom.query("memory", { projectId, resourceId: server.id })).series[0]?.points[0]?.v ?? 0,
          {
            timeout: 30_000,
            interval: 1_000,
          },
        )
        .toBeGreaterThan(0);
      const now = await prom.query("memory", { projectId, resourceId: server.id });
      expect(now.unit).toBe("bytes");
      const end = Date.now();
      const range = await prom.queryRange(
        "cpu",
        { projectId, resourceId: server.id },
        { start: end - 3_600_000, end, stepSeconds: 60 },
      );
      expect(range.series.every((x) => x.labels.instance_id === server.id)).toBe(true);
      // another project's matcher sees nothing of this server
      const other = await prom.query("memory", { projectId: randomUUID(), resourceId: server.id });
      expect(other.series).toEqual([]);
    },
    T,
  );

  it(
    "creates, attaches, detaches, snapshots and extends a volume",
    async (ctx) => {
      const bs = c.blockStorage;
      const vol = await bs.createVolume({ name: `${RUN}-vol`, size: 1, jobId: JOB });
      made.volumeId = vol.id;
      await bs.waitForVolume(vol.id, ["available"], poll);
      expect((await bs.findVolumeByJobId(JOB, `${RUN}-vol`))?.id).toBe(vol.id);
      const attachment = await S().attachVolume(server.id, vol.id);
      expect(attachment.volumeId).toBe(vol.id);
      const inUse = await bs.waitForVolume(vol.id, ["in-use"], poll);
      expect(inUse.attachments?.[0]?.server_id).toBe(server.id);
      expect((await S().listVolumeAttachments(server.id)).map((a) => a.volumeId)).toContain(vol.id);
      await S().detachVolume(server.id, vol.id);
      await bs.waitForVolume(vol.id, ["available"], poll);
      const snap = await bs.createSnapshot({ volumeId: vol.id, name: `${RUN}-snap`, jobId: JOB });
      made.snapshotId = snap.id;
      expect((await bs.waitForSnapshot(snap.id, ["available"], poll)).size).toBe(1);
      // extend last: a driver that cannot extend leaves the volume in error_extending
      await bs.extendVolume(vol.id, 2);
      const extended = await bs.waitForVolume(vol.id, ["available", "error_extending"], poll);
      if (extended.status === "error_extending" && !onSim) {
        // the API accepted the extend and the region's volume driver failed it (the lab's
        // FakeBrickLVM has no extend_volume): the cloud's limitation, not the client's
        await ctx.annotate("volume driver cannot extend: the volume went into error_extending");
      } else {
        expect(extended.status).toBe("available");
        expect(extended.size).toBe(2);
      }
    },
    T,
  );

  it(
    "maps errors: 404 NOT_FOUND, 409 CONFLICT with the upstream message, 400 INVALID_INPUT",
    async () => {
      const missing = await caught(S().getServer(randomUUID()));
      expect(missing.code).toBe("NOT_FOUND");
      expect(missing.message).toMatch(/could not be found/);
      expect(missing.details).toMatchObject({ service: "compute", status: 404 });
      expect(String(missing.details?.upstreamRequestId)).toMatch(/^req-/);

      const conflict = await caught(S().start(server.id));
      expect(conflict.code).toBe("CONFLICT");
      expect(conflict.message).toMatch(/Cannot 'start' instance .* while it is in vm_state active/);

      const bad = await caught(
        c.network.createSubnet({ networkId: made.networkId ?? "", name: "bad", cidr: "10.77.0.0/33" }),
      );
      expect(bad.code).toBe("INVALID_INPUT");
      expect(bad.message).toMatch(/cidr|10\.77\.0\.0\/33/i);

      const missingNet = await caught(c.network.getNetwork(randomUUID()));
      expect(missingNet.code).toBe("NOT_FOUND");
      expect(missingNet.message).toMatch(/Network .* could not be found/);

      const missingImage = await caught(c.image.getImage(randomUUID()));
      expect(missingImage.code).toBe("NOT_FOUND");
      expect(missingImage.message).not.toMatch(/<|html/i);
    },
    T,
  );

  it(
    "maps over-quota answers to QUOTA_EXCEEDED (Nova 403, Cinder 413)",
    async (ctx) => {
      if (!made.projectId) ctx.skip();
      const projectId = made.projectId ?? "";
      await admin.compute.updateQuotas(projectId, { instances: made.servers.length });
      const nova = await caught(
        S().createServer({
          name: `${RUN}-over`,
          flavorRef: small.id,
          imageRef: made.imageId ?? "",
          networks: "none",
        }),
      );
      expect(nova.code).toBe("QUOTA_EXCEEDED");
      expect(nova.message).toMatch(/Quota exceeded for instances/);
      await admin.blockStorage.updateQuotas(projectId, { volumes: 1 });
      const cinder = await caught(c.blockStorage.createVolume({ name: `${RUN}-over`, size: 1 }));
      expect(cinder.code).toBe("QUOTA_EXCEEDED");
      expect(cinder.details?.status).toBe(413);
    },
    T,
  );

  it(
    "retries transient upstream failures (sim fault injection)",
    async (ctx) => {
      if (!sim) ctx.skip();
      const res = await fetch(`${sim?.url}/_sim/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ service: "compute", method: "GET", errorRate: 1, status: 503, count: 2 }),
      });
      expect(res.ok).toBe(true);
      const before = counters.retries;
      expect((await S().listFlavors()).length).toBeGreaterThan(0);
      expect(counters.retries - before).toBe(2);
    },
    T,
  );

  it(
    "cleans up everything it created",
    async () => {
      const errors: string[] = [];
      const n = c.network;
      if (made.floatingIpId)
        await tidy("floating ip", () => n.deleteFloatingIp(made.floatingIpId ?? ""), errors);
      if (made.snapshotId) {
        await tidy("snapshot", () => c.blockStorage.deleteSnapshot(made.snapshotId ?? ""), errors);
        await tidy(
          "snapshot gone",
          () => c.blockStorage.waitForSnapshotDeleted(made.snapshotId ?? "", poll),
          errors,
        );
      }
      for (const id of made.servers) await tidy(`server ${id}`, () => S().deleteServer(id), errors);
      for (const id of made.servers)
        await tidy(`server ${id} gone`, () => S().waitForServerDeleted(id, poll), errors);
      if (made.volumeId) {
        await tidy("volume", () => c.blockStorage.deleteVolume(made.volumeId ?? ""), errors);
        await tidy(
          "volume gone",
          () => c.blockStorage.waitForVolumeDeleted(made.volumeId ?? "", poll),
          errors,
        );
      }
      if (made.routerId && made.routerInterface)
        await tidy(
          "router interface",
          () => n.removeRouterInterface(made.routerId ?? "", { subnetId: made.subnetId ?? "" }),
          errors,
        );
      if (made.routerId) {
        await tidy("router gateway", () => n.clearRouterGateway(made.routerId ?? ""), errors);
        await tidy("router", () => n.deleteRouter(made.routerId ?? ""), errors);
      }
      if (made.subnetId) await tidy("subnet", () => n.deleteSubnet(made.subnetId ?? ""), errors);
      if (made.networkId) await tidy("network", () => n.deleteNetwork(made.networkId ?? ""), errors);
      if (made.securityGroupId)
        await tidy("security group", () => n.deleteSecurityGroup(made.securityGroupId ?? ""), errors);
      for (const k of made.keypairs) await tidy(`keypair ${k}`, () => S().deleteKeypair(k), errors);
      if (made.imageId) await tidy("image", () => c.image.deleteImage(made.imageId ?? ""), errors);
      for (const f of made.flavors) await tidy(`flavor ${f}`, () => admin.compute.deleteFlavor(f), errors);
      expect(errors).toEqual([]);
      if (made.networkId) expect((await caught(n.getNetwork(made.networkId))).code).toBe("NOT_FOUND");
      if (made.imageId)
        expect(await c.image.findImage(made.imageId).then((i) => i?.status ?? "gone")).toMatch(
          /gone|deleted/,
        );
      if (made.projectId) {
        // Neutron keeps a project's default security group, and only an admin may delete it
        for await (const g of admin.network.listSecurityGroups({ project_id: made.projectId })) {
          await tidy(`security group ${g.name}`, () => admin.network.deleteSecurityGroup(g.id), errors);
        }
        const tenancy = new Tenancy(os);
        await tidy("project", () => tenancy.deleteProject(region.name, made.projectId ?? ""), errors);
        if (made.domainId)
          await tidy("domain", () => tenancy.deleteDomain(region.name, made.domainId ?? ""), errors);
        expect(errors).toEqual([]);
        expect((await caught(admin.identity.getProject(made.projectId))).code).toBe("NOT_FOUND");
        if (made.domainId)
          expect((await caught(admin.identity.getDomain(made.domainId))).code).toBe("NOT_FOUND");
      }
    },
    T,
  );
});
