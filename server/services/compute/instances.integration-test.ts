// Virtual machines against the simulated cloud through the real provider: create (wizard body),
// every lifecycle action, quotas, delete, and the reconciler noticing out-of-band changes.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, projectQuotas, projects } from "@/db/schema";
import { computeReconciler } from "@/server/cloud/compute-reconciler";
import { getOpenStack } from "@/server/providers/openstack/client";
import { onRealCloud, startTestCloud } from "@/test/cloud";
import { createBasics, drain, fastJobs, provisionedProject } from "@/test/compute";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedPersonas } from "@/test/personas";
import type { SimHandle } from "@/sim/server";

let t: TestDatabase;
let sim: SimHandle;
let ctx: Awaited<ReturnType<typeof provisionedProject>>;
let region = "";
const slug = "vms";

beforeAll(async () => {
  fastJobs();
  t = await createTestDatabase();
  sim = await startTestCloud();
  await seedPersonas(t.db);
  region = sim.regions[0]!;
  ctx = await provisionedProject(t.db, slug);
}, 60_000);
afterAll(async () => {
  await sim.close();
  await t.close();
});

async function usage(resource: string) {
  const [row] = await t.db
    .select()
    .from(projectQuotas)
    .where(and(eq(projectQuotas.projectId, ctx.project.id), eq(projectQuotas.resource, resource)));
  return { used: row!.used, reserved: row!.reserved };
}

describe("compute", () => {
  let id = "";

  it("gives a new project a default VPC in every region and mirrors the catalogue", async () => {
    for (const r of sim.regions) {
      const nets = await ctx.admin.network.listNetworks({ org: "acme", project: slug, region: r, limit: 50 });
      expect(nets.items.filter((n) => n.isDefault)).toHaveLength(1);
      const subnets = await ctx.admin.network.listSubnets({
        org: "acme",
        project: slug,
        region: r,
        limit: 50,
      });
      expect(subnets.items.find((s) => s.isDefault)?.cidr).toBe("10.0.0.0/24");
    }
    const b = await createBasics(ctx.admin, slug, region);
    expect(b.images.length).toBeGreaterThan(0);
    expect(b.flavors.length).toBeGreaterThan(0);
  });

  it("creates a VM: 202 with a job, the job reaches ACTIVE, usage is committed", async () => {
    const b = await createBasics(ctx.admin, slug, region);
    const kp = await ctx.admin.compute.createKeypair({ org: "acme", project: slug, name: "laptop", region });
    expect(kp.privateKey).toMatch(/BEGIN OPENSSH PRIVATE KEY/);
    const kpJob = await drain(t.db, kp.job.id);
    expect(kpJob.lastError).toBeNull();
    const res = await ctx.admin.compute.createInstances({
      org: "acme",
      project: slug,
      name: "web",
      region,
      imageId: b.image.providerId,
      flavorId: b.flavor.providerId,
      networkId: b.network.providerId,
      keyPairName: "laptop",
      userData: "#cloud-config\npackages: [nginx]\n",
      labels: { tier: "web" },
      count: 1,
    });
    id = res.instance.id;
    expect(res.instance.status).toBe("CREATING");
    expect(await usage("instances")).toEqual({ used: 0, reserved: 1 });
    const job = await drain(t.db, res.job.id);
    expect(job.lastError).toBeNull();
    expect(job.state).toBe("SUCCEEDED");
    const vm = await ctx.admin.compute.getInstance({ org: "acme", project: slug, id });
    expect(vm).toMatchObject({ status: "ACTIVE", keyName: "laptop", locked: false, pendingAction: null });
    expect(vm.privateIps[0]).toMatch(/^10\.0\.0\./);
    expect(vm.interfaces).toHaveLength(1);
    expect(await usage("instances")).toEqual({ used: 1, reserved: 0 });
    expect((await usage("vcpus")).used).toBe(b.flavor.vcpus);
  });

  it("refuses bad input with the field named", async () => {
    const b = await createBasics(ctx.admin, slug, region);
    const base = {
      org: "acme",
      project: slug,
      name: "bad",
      region,
      imageId: b.image.providerId,
      flavorId: b.flavor.providerId,
      networkId: b.network.providerId,
      count: 1,
    };
    await expect(ctx.admin.compute.createInstances({ ...base, imageId: "nope" })).rejects.toThrow(/imageId/);
    await expect(
      ctx.admin.compute.createInstances({ ...base, userData: "#cloud-config\n- a\n  b: [" }),
    ).rejects.toThrow(/userData/);
    await expect(ctx.admin.compute.createInstances({ ...base, availabilityZone: "mars" })).rejects.toThrow(
      /availabilityZone/,
    );
    await expect(ctx.admin.compute.createInstances({ ...base, count: 1000 })).rejects.toThrow();
  });

  async function act(input: Record<string, unknown>) {
    const r = await ctx.admin.compute.instanceAction({ org: "acme", project: slug, id, ...input } as never);
    const job = await drain(t.db, r.job.id);
    expect(job.lastError, `${String(input.action)}: ${job.lastError}`).toBeNull();
    return ctx.admin.compute.getInstance({ org: "acme", project: slug, id });
  }

  it("runs the power actions, each ending in Nova's state", async () => {
    expect((await act({ action: "stop" })).status).toBe("SHUTOFF");
    await expect(act({ action: "stop" })).rejects.toThrow(/not possible while web is shutoff/);
    expect((await act({ action: "start" })).status).toBe("ACTIVE");
    expect((await act({ action: "pause" })).status).toBe("PAUSED");
    expect((await act({ action: "unpause" })).status).toBe("ACTIVE");
    expect((await act({ action: "suspend" })).status).toBe("SUSPENDED");
    expect((await act({ action: "resume" })).status).toBe("ACTIVE");
    expect((await act({ action: "reboot" })).status).toBe("ACTIVE");
    expect((await act({ action: "hardReboot" })).status).toBe("ACTIVE");
  });

  it("resizes with confirm and revert, and usage follows the flavor", async () => {
    const b = await createBasics(ctx.admin, slug, region);
    const bigger = b.flavors.find((f) => f.vcpus > b.flavor.vcpus && f.diskGb >= b.flavor.diskGb)!;
    let vm = await act({ action: "resize", flavorId: bigger.providerId });
    expect(vm.status).toBe("VERIFY_RESIZE");
    expect((await usage("vcpus")).used).toBe(bigger.vcpus);
    vm = await act({ action: "revertResize" });
    expect(vm.status).toBe("ACTIVE");
    expect(vm.flavor?.id).toBe(b.flavor.providerId);
    expect((await usage("vcpus")).used).toBe(b.flavor.vcpus);
    await act({ action: "resize", flavorId: bigger.providerId });
    vm = await act({ action: "confirmResize" });
    expect(vm.flavor?.name).toBe(bigger.name);
    expect((await usage("vcpus")).used).toBe(bigger.vcpus);
  });

  it("a resize confirmed outside the portal (or by Nova's window) leaves usage on the new flavor only", async () => {
    const b = await createBasics(ctx.admin, slug, region);
    const vm0 = await ctx.admin.compute.getInstance({ org: "acme", project: slug, id });
    const current = b.flavors.find((f) => f.providerId === vm0.flavor!.id)!;
    const smaller = b.flavors.find(
      (f) => f.vcpus < current.vcpus && f.diskGb >= current.diskGb && f.ramMb >= b.image.minRamMb,
    );
    const target = smaller ?? b.flavors.find((f) => f.vcpus > current.vcpus && f.diskGb >= current.diskGb)!;
    const vm = await act({ action: "resize", flavorId: target.providerId });
    expect(vm.status).toBe("VERIFY_RESIZE");
    expect((await usage("vcpus")).used).toBe(Math.max(current.vcpus, target.vcpus));
    const nova = getOpenStack().admin(region).compute;
    await nova.confirmResize(vm.providerId!);
    await nova.waitForServer(vm.providerId!, ["ACTIVE"], { intervalMs: 30 });
    await computeReconciler.reconcile({ db: t.db, region, startedAt: new Date() });
    expect((await ctx.admin.compute.getInstance({ org: "acme", project: slug, id })).status).toBe("ACTIVE");
    expect((await usage("vcpus")).used).toBe(target.vcpus);
    // back to where the next tests expect it
    await act({ action: "resize", flavorId: current.providerId });
    await act({ action: "confirmResize" });
    expect((await usage("vcpus")).used).toBe(current.vcpus);
  });

  it("attaches a new volume, detaches it, and keeps it as an available volume", async () => {
    let vm = await act({ action: "attachVolume", newVolume: { sizeGb: 2, name: "data" } });
    const vol = vm.volumes.find((v) => v.name === "data");
    expect(vol).toMatchObject({ sizeGb: 2 });
    vm = await act({ action: "detachVolume", volumeId: vol!.id });
    expect(vm.volumes.find((v) => v.name === "data")).toBeUndefined();
    const vols = await ctx.admin.storage.listVolumes({ org: "acme", project: slug, limit: 50 });
    expect(vols.items.find((v) => v.id === vol!.id)).toMatchObject({ status: "available", attachedTo: null });
    vm = await act({ action: "attachVolume", volumeId: vol!.id });
    expect(vm.volumes.map((v) => v.id)).toContain(vol!.id);
  });

  it("attaches and detaches an interface, and adds and removes a security group", async () => {
    const b = await createBasics(ctx.admin, slug, region);
    let vm = await act({ action: "attachInterface", networkId: b.network.providerId });
    expect(vm.interfaces).toHaveLength(2);
    vm = await act({ action: "detachInterface", portId: vm.interfaces[1]!.portId });
    expect(vm.interfaces).toHaveLength(1);
    const sgs = await ctx.admin.network.listSecurityGroups({ org: "acme", project: slug, region, limit: 50 });
    const sg = sgs.items.find((g) => !vm.securityGroups.includes(g.name));
    if (sg) {
      vm = await act({ action: "addSecurityGroup", securityGroupId: sg.providerId });
      expect(vm.securityGroups).toContain(sg.name);
      vm = await act({ action: "removeSecurityGroup", securityGroupId: sg.providerId });
      expect(vm.securityGroups).not.toContain(sg.name);
    }
  });

  it("associates a new elastic IP and releases it", async () => {
    let vm = await act({ action: "associateFloatingIp" });
    expect(vm.floatingIps).toHaveLength(1);
    expect((await usage("elasticIps")).used).toBe(1);
    const fip = vm.interfaces[0]!.floatingIps[0]!;
    vm = await act({ action: "disassociateFloatingIp", floatingIpId: fip.id, release: true });
    expect(vm.floatingIps).toHaveLength(0);
    expect((await usage("elasticIps")).used).toBe(0);
  });

  it("an elastic IP associated outside the portal shows on the instance after a reconcile pass", async () => {
    const vm = await ctx.admin.compute.getInstance({ org: "acme", project: slug, id });
    const [p] = await t.db.select().from(projects).where(eq(projects.id, ctx.project.id));
    const net = getOpenStack().forProject(region, p!.upstream[region]!.keystoneProjectId!).network;
    const external = (await net.listExternalNetworks())[0]!;
    const fip = await net.createFloatingIp({
      floatingNetworkId: external.id,
      portId: vm.interfaces[0]!.portId,
    });
    await computeReconciler.reconcile({ db: t.db, region, startedAt: new Date() });
    expect((await ctx.admin.compute.getInstance({ org: "acme", project: slug, id })).floatingIps).toEqual([
      fip.floating_ip_address,
    ]);
    await net.deleteFloatingIp(fip.id);
    await computeReconciler.reconcile({ db: t.db, region, startedAt: new Date() });
    expect((await ctx.admin.compute.getInstance({ org: "acme", project: slug, id })).floatingIps).toEqual([]);
  });

  it("snapshots to an image, and rebuilds", async () => {
    const vm = await act({ action: "snapshot", imageName: "web-snap" });
    const images = await ctx.admin.compute.listImages({
      org: "acme",
      project: slug,
      region,
      q: "web-snap",
      limit: 10,
    });
    const snap = images.items.find((i) => i.name === "web-snap");
    expect(snap).toMatchObject({ owned: true });
    // a fake hypervisor driver (the lab's) uploads no data, so Glance keeps the image queued there
    expect(snap!.status).toBe(onRealCloud ? snap!.status : "active");
    expect(vm.status).toBe("ACTIVE");
    const b = await createBasics(ctx.admin, slug, region);
    const from = onRealCloud ? b.image : snap!;
    expect((await act({ action: "rebuild", imageId: from.providerId })).image?.id).toBe(from.providerId);
  });

  it("console, console log", async () => {
    const log = await ctx.admin.compute.getInstanceConsoleLog({ org: "acme", project: slug, id, lines: 20 });
    expect(log.lines).toBeGreaterThanOrEqual(0);
    const open = ctx.admin.compute.getInstanceConsole({ org: "acme", project: slug, id });
    // the lab runs no console proxy: Nova refuses, and the user gets Nova's answer
    if (onRealCloud) await expect(open).rejects.toThrow();
    else expect((await open).url).toMatch(/^http/);
  });

  it("a locked VM refuses other actions and deletion with a clear message", async () => {
    const vm = await act({ action: "lock", reason: "change freeze" });
    expect(vm.locked).toBe(true);
    await expect(
      ctx.admin.compute.instanceAction({ org: "acme", project: slug, id, action: "stop" }),
    ).rejects.toThrow(/web is locked \(change freeze\): unlock it before you stop it/);
    await expect(ctx.admin.compute.deleteInstance({ org: "acme", project: slug, id })).rejects.toThrow(
      /locked/,
    );
    expect((await act({ action: "unlock" })).locked).toBe(false);
  });

  it("the reconciler notices a server stopped and one resized outside the portal, and audits both", async () => {
    const vm = await ctx.admin.compute.getInstance({ org: "acme", project: slug, id });
    const nova = getOpenStack().admin(region).compute;
    await nova.stop(vm.providerId!);
    await nova.waitForServer(vm.providerId!, ["SHUTOFF"], { intervalMs: 30 });
    await computeReconciler.reconcile({ db: t.db, region, startedAt: new Date() });
    expect((await ctx.admin.compute.getInstance({ org: "acme", project: slug, id })).status).toBe("SHUTOFF");
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "reconciler.instance.update"));
    expect(events.some((e) => e.targetId === id)).toBe(true);

    // resized with the openstack API directly: the row shows the new flavor, usage follows, audited
    const b = await createBasics(ctx.admin, slug, region);
    const current = b.flavors.find((f) => f.providerId === vm.flavor!.id)!;
    const other = b.flavors.find((f) => f.vcpus !== current.vcpus && f.diskGb >= current.diskGb)!;
    await nova.resize(vm.providerId!, other.providerId);
    await nova.waitForServer(vm.providerId!, ["VERIFY_RESIZE"], { intervalMs: 30 });
    await nova.confirmResize(vm.providerId!);
    await nova.waitForServer(vm.providerId!, ["SHUTOFF", "ACTIVE"], { intervalMs: 30 });
    await computeReconciler.reconcile({ db: t.db, region, startedAt: new Date() });
    const resized = await ctx.admin.compute.getInstance({ org: "acme", project: slug, id });
    expect(resized.flavor?.name).toBe(other.name);
    expect((await usage("vcpus")).used).toBe(other.vcpus);
    const resizes = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "reconciler.instance.resize"));
    expect(resizes.map((e) => e.targetId)).toContain(id);
  });

  it("deletes the VM: upstream gone, usage released, volumes made at boot deleted", async () => {
    const r = await ctx.admin.compute.deleteInstance({ org: "acme", project: slug, id });
    expect(r.instance.status).toBe("DELETING");
    expect((await drain(t.db, r.job.id)).state).toBe("SUCCEEDED");
    await expect(ctx.admin.compute.getInstance({ org: "acme", project: slug, id })).rejects.toThrow(
      /not found/,
    );
    expect(await usage("instances")).toEqual({ used: 0, reserved: 0 });
    expect((await usage("vcpus")).used).toBe(0);
  });

  it("the reconciler notices a server deleted outside the portal, releases its usage and audits it", async () => {
    const b = await createBasics(ctx.admin, slug, region);
    const res = await ctx.admin.compute.createInstances({
      org: "acme",
      project: slug,
      name: "oob",
      region,
      imageId: b.image.providerId,
      flavorId: b.flavor.providerId,
      networkId: b.network.providerId,
      count: 1,
    });
    await drain(t.db, res.job.id);
    const vm = await ctx.admin.compute.getInstance({ org: "acme", project: slug, id: res.instance.id });
    await getOpenStack().admin(region).compute.deleteServer(vm.providerId!);
    await getOpenStack().admin(region).compute.waitForServerDeleted(vm.providerId!, { intervalMs: 30 });
    await computeReconciler.reconcile({ db: t.db, region, startedAt: new Date() });
    const list = await ctx.admin.compute.listInstances({ org: "acme", project: slug, limit: 50 });
    expect(list.items.find((i) => i.id === vm.id)).toBeUndefined();
    expect((await usage("instances")).used).toBe(0);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "reconciler.instance.delete"));
    expect(events.map((e) => e.targetId)).toContain(vm.id);
  });
});
