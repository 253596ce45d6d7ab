// Virtual machine jobs: create, delete, rename and every lifecycle action. Each step finds what
// an earlier attempt did (job-id tags and metadata, the server's current state) before it acts,
// so a retry, a second worker or a restarted one never creates twice.
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { resources } from "@/db/schema";
import type { InstanceAction } from "@/lib/compute/actions";
import { AppError } from "@/server/errors";
import { amountsOver, releaseUsage, type Amounts } from "@/server/quota/reserve";
import type { ScopedClient } from "@/server/providers/openstack/client";
import { ignoreNotFound, pollUntil, type PollOptions } from "@/server/providers/openstack/common";
import type { Server } from "@/server/providers/openstack/compute";
import { syncCatalog } from "@/server/services/compute/catalog";
import { readInstance, recordInstance, recordVolumes } from "@/server/services/compute/observe";
import { loadJobTarget } from "@/server/services/compute/upstream";
import { notifyResource, type ResourceRow } from "@/server/services/inventory";
import type { JobRow } from "../jobs";
import type { StepContext, Workflow } from "./index";

/** Poll pacing of the compute jobs (tests shorten it). */
let poll: PollOptions = { intervalMs: 500, timeoutMs: 600_000 };
export function setComputePolling(p: PollOptions): void {
  poll = { ...poll, ...p };
}

/** Keeps the job's lease while a long wait runs. */
async function withHeartbeat<T>(ctx: StepContext, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void ctx.heartbeat().catch(() => undefined), 15_000);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

function waitForServer(
  ctx: StepContext,
  cloud: ScopedClient,
  id: string,
  statuses: string[],
  also?: (s: Server) => boolean,
) {
  return withHeartbeat(ctx, () =>
    pollUntil(
      `Server ${id}`,
      () => cloud.compute.getServer(id),
      (s) => statuses.includes(s.status) && !s["OS-EXT-STS:task_state"] && (also?.(s) ?? true),
      (s) =>
        s.status === "ERROR" && !statuses.includes("ERROR")
          ? (s.fault?.message ?? "the server went into ERROR")
          : undefined,
      poll,
    ),
  );
}

async function record(ctx: StepContext, extra: Parameters<typeof recordInstance>[3] = {}) {
  const { db, row, cloud } = await loadJobTarget(ctx.job);
  const serverId = row.providerRef ?? (ctx.outputs["Create the server"]?.serverId as string | undefined);
  if (!serverId) return;
  const obs = await readInstance(cloud, serverId);
  if (!obs) throw new AppError("UPSTREAM_ERROR", `Server ${serverId} is gone`, { transient: false });
  const updated = await recordInstance(db, { ...row, providerRef: serverId }, obs, extra);
  await recordVolumes(db, cloud, updated, obs);
  return { status: obs.server.status };
}

async function finishInstance(tx: Tx, job: JobRow, patch: Record<string, unknown>, status?: string) {
  const id = String(job.input.resourceId);
  const [row] = await tx
    .update(resources)
    .set({
      attrs: sql`${resources.attrs} || ${JSON.stringify({ pendingAction: null, ...patch })}::jsonb`,
      ...(status ? { status } : {}),
      updatedAt: new Date(),
    })
    .where(eq(resources.id, id))
    .returning();
  if (row) await notifyResource(tx, row);
  return row;
}

// ---------------------------------------------------------------- create

const createWorkflow: Workflow = {
  kind: "instance.create",
  title: "Create virtual machine",
  steps: [
    {
      name: "Create the server",
      async run({ job }) {
        const { db, row, cloud } = await loadJobTarget(job);
        const d = row.desired as {
          description?: string;
          imageId: string;
          flavorId: string;
          networkId: string;
          subnetId?: string | null;
          securityGroups: { id: string; name: string }[];
          keypair?: string | null;
          userData?: string | null;
          rootVolume?: { sizeGb: number; volumeType?: string; deleteOnTermination?: boolean } | null;
          additionalVolumes?: { sizeGb: number; volumeType?: string }[];
        };
        let server = row.providerRef ? await cloud.compute.findServer(row.providerRef) : undefined;
        server ??= await cloud.compute.findServerByJobId(job.id, row.name);
        let portId: string | undefined;
        if (!server) {
          // A chosen subnet needs a port on it (Nova picks the subnet otherwise); the port carries the
          // security groups then, as Nova ignores them for ports it did not create.
          if (d.subnetId) {
            const port =
              (await cloud.network.findPortByJobId(job.id)) ??
              (await cloud.network.createPort({
                jobId: job.id,
                networkId: d.networkId,
                name: `${row.name}-port`,
                fixedIps: [{ subnet_id: d.subnetId }],
                ...(d.securityGroups.length ? { securityGroups: d.securityGroups.map((g) => g.id) } : {}),
              }));
            portId = port.id;
          }
          const bdm: Record<string, unknown>[] = [];
          if (d.rootVolume)
            bdm.push({
              boot_index: 0,
              uuid: d.imageId,
              source_type: "image",
              destination_type: "volume",
              volume_size: d.rootVolume.sizeGb,
              ...(d.rootVolume.volumeType ? { volume_type: d.rootVolume.volumeType } : {}),
              delete_on_termination: d.rootVolume.deleteOnTermination ?? true,
            });
          for (const v of d.additionalVolumes ?? [])
            bdm.push({
              boot_index: -1,
              source_type: "blank",
              destination_type: "volume",
              volume_size: v.sizeGb,
              ...(v.volumeType ? { volume_type: v.volumeType } : {}),
              delete_on_termination: true,
            });
          if (bdm.length && !d.rootVolume)
            bdm.unshift({
              boot_index: 0,
              uuid: d.imageId,
              source_type: "image",
              destination_type: "local",
              delete_on_termination: true,
            });
          const created = await cloud.compute.createServer({
            jobId: job.id,
            name: row.name,
            flavorRef: d.flavorId,
            ...(d.rootVolume ? {} : { imageRef: d.imageId }),
            networks: portId ? [{ port: portId }] : [{ uuid: d.networkId }],
            ...(!portId && d.securityGroups.length
              ? { securityGroups: d.securityGroups.map((g) => g.id) }
              : {}),
            ...(d.keypair ? { keyName: d.keypair } : {}),
            ...(d.userData ? { userData: d.userData } : {}),
            ...(row.availabilityZone ? { availabilityZone: row.availabilityZone } : {}),
            ...(d.description ? { description: d.description } : {}),
            metadata: { cirrus_resource_id: row.id },
            ...(bdm.length ? { blockDeviceMapping: bdm } : {}),
          });
          server = { id: created.id } as Server;
        }
        await db
          .update(resources)
          .set({
            providerRef: server.id,
            status: "BUILD",
            desired: { ...row.desired, ...(portId ? { portId } : {}) },
            updatedAt: new Date(),
          })
          .where(and(eq(resources.id, row.id), isNull(resources.deletedAt)));
        await notifyResource(db, {
          orgId: row.orgId,
          projectId: row.projectId,
          kind: "instance",
          id: row.id,
        });
        return { serverId: server.id };
      },
    },
    {
      name: "Wait until it is ACTIVE",
      async run(ctx) {
        const { cloud } = await loadJobTarget(ctx.job);
        const serverId = String(ctx.outputs["Create the server"]!.serverId);
        await waitForServer(ctx, cloud, serverId, ["ACTIVE"]);
      },
    },
    { name: "Record its addresses and volumes", run: (ctx) => record(ctx) },
  ],
  async onSuccess(tx, job) {
    const row = await finishInstance(tx, job, {});
    if (row)
      await tx
        .update(resources)
        .set({ desired: { ...row.desired, quotaCommitted: true } })
        .where(eq(resources.id, row.id));
  },
  async onFailure(tx, job, error) {
    await finishInstance(tx, job, { fault: error }, "ERROR");
  },
};

// ---------------------------------------------------------------- delete

async function createJobIdOf(row: ResourceRow): Promise<string | undefined> {
  const db = getDb();
  const [r] = await db.execute<{ id: string }>(
    sql`select id from jobs where target_id = ${row.id} and kind = 'instance.create' order by created_at limit 1`,
  );
  return r?.id;
}

const deleteWorkflow: Workflow = {
  kind: "instance.delete",
  title: "Delete virtual machine",
  steps: [
    {
      name: "Delete the server",
      async run({ job }) {
        const { row, cloud } = await loadJobTarget(job);
        let serverId = row.providerRef;
        if (!serverId) {
          const createJob = await createJobIdOf(row);
          serverId = createJob
            ? ((await cloud.compute.findServerByJobId(createJob, row.name))?.id ?? null)
            : null;
        }
        if (serverId) await ignoreNotFound(cloud.compute.deleteServer(serverId));
        return { serverId };
      },
    },
    {
      name: "Wait until it is gone",
      async run(ctx) {
        const serverId = ctx.outputs["Delete the server"]?.serverId as string | null;
        if (!serverId) return;
        const { cloud } = await loadJobTarget(ctx.job);
        await withHeartbeat(ctx, () => cloud.compute.waitForServerDeleted(serverId, poll));
      },
    },
    {
      name: "Release its port and volumes",
      async run({ job }) {
        const { db, row, cloud } = await loadJobTarget(job);
        const portId = (row.desired as { portId?: string }).portId;
        if (portId) await ignoreNotFound(cloud.network.deletePort(portId));
        const volumes = await db
          .select()
          .from(resources)
          .where(
            and(
              eq(resources.kind, "volume"),
              isNull(resources.deletedAt),
              sql`${resources.attrs} ->> 'attachedTo' = ${row.id}`,
            ),
          );
        const deleted: string[] = [];
        for (const v of volumes) {
          const upstream = await ignoreNotFound(cloud.blockStorage.getVolume(v.providerRef!));
          if (!upstream || upstream.status === "deleting") deleted.push(v.id);
          else
            await db
              .update(resources)
              .set({
                status: upstream.status,
                attrs: { ...v.attrs, attachedTo: null, attachedServer: null, device: null },
                updatedAt: new Date(),
              })
              .where(eq(resources.id, v.id));
        }
        return { deletedVolumes: deleted };
      },
    },
  ],
  async onSuccess(tx, job, outputs) {
    const id = String(job.input.resourceId);
    const [row] = await tx
      .update(resources)
      .set({ status: "DELETED", deletedAt: new Date(), updatedAt: new Date() })
      .where(eq(resources.id, id))
      .returning();
    if (!row) return;
    const d = row.desired as { quota?: Amounts; quotaCommitted?: boolean };
    if (d.quotaCommitted && d.quota) await releaseUsage(tx, row.projectId, d.quota);
    for (const vid of (outputs["Release its port and volumes"]?.deletedVolumes ?? []) as string[]) {
      const [v] = await tx
        .update(resources)
        .set({ status: "DELETED", deletedAt: new Date(), updatedAt: new Date() })
        .where(eq(resources.id, vid))
        .returning();
      const q = (v?.desired as { quota?: Amounts } | undefined)?.quota;
      if (v && q && d.quotaCommitted) await releaseUsage(tx, row.projectId, q);
      if (v) await notifyResource(tx, { orgId: v.orgId, projectId: v.projectId, kind: "volume", id: v.id });
    }
    await notifyResource(tx, row);
  },
  async onFailure(tx, job) {
    await finishInstance(
      tx,
      job,
      {},
      typeof job.input.previousStatus === "string" ? job.input.previousStatus : "ERROR",
    );
  },
};

// ---------------------------------------------------------------- rename

const updateWorkflow: Workflow = {
  kind: "instance.update",
  title: "Rename virtual machine",
  steps: [
    {
      name: "Rename the server",
      async run({ job }) {
        const { row, cloud } = await loadJobTarget(job);
        if (!row.providerRef) return;
        await cloud.compute.updateServer(row.providerRef, {
          name: row.name,
          description: (row.desired as { description?: string }).description ?? "",
        });
      },
    },
  ],
};

// ---------------------------------------------------------------- actions

/** Statuses an action ends in (any settled status when absent). */
const TARGET: Partial<Record<InstanceAction, string[]>> = {
  start: ["ACTIVE"],
  stop: ["SHUTOFF"],
  pause: ["PAUSED"],
  unpause: ["ACTIVE"],
  suspend: ["SUSPENDED"],
  resume: ["ACTIVE"],
  reboot: ["ACTIVE"],
  hardReboot: ["ACTIVE"],
  resize: ["VERIFY_RESIZE"],
  confirmResize: ["ACTIVE", "SHUTOFF"],
  revertResize: ["ACTIVE", "SHUTOFF"],
  rebuild: ["ACTIVE", "SHUTOFF"],
};
const SETTLED = ["ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED", "VERIFY_RESIZE", "ERROR"];

/** A retried request Nova refuses because the first one already started is not a failure. */
async function sendOnce(job: JobRow, cloud: ScopedClient, serverId: string, send: () => Promise<unknown>) {
  try {
    await send();
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== "CONFLICT" || job.attempts <= 1) throw e;
    const s = await cloud.compute.getServer(serverId);
    if (!s["OS-EXT-STS:task_state"]) throw e;
  }
}

async function externalNetwork(cloud: ScopedClient): Promise<string> {
  const nets = await cloud.network.listExternalNetworks();
  if (!nets[0])
    throw new AppError("CONFLICT", "This region has no external network to allocate an elastic IP from", {
      transient: false,
    });
  return nets[0].id;
}

async function sendAction(ctx: StepContext): Promise<Record<string, unknown> | void> {
  const { job } = ctx;
  const { row, cloud } = await loadJobTarget(job);
  const action = job.input.action as InstanceAction;
  const p = (job.input.params ?? {}) as Record<string, unknown>;
  const id = row.providerRef;
  if (!id) throw new AppError("CONFLICT", `${row.name} has no server upstream`, { transient: false });
  const s = await cloud.compute.getServer(id);
  const target = TARGET[action];
  const c = cloud.compute;
  const simple: Partial<Record<InstanceAction, () => Promise<void>>> = {
    start: () => c.start(id),
    stop: () => c.stop(id),
    pause: () => c.pause(id),
    unpause: () => c.unpause(id),
    suspend: () => c.suspend(id),
    resume: () => c.resume(id),
  };
  const fn = simple[action];
  if (fn) {
    if (target?.includes(s.status) && !s["OS-EXT-STS:task_state"]) return { skipped: true };
    await sendOnce(job, cloud, id, fn);
    return;
  }
  switch (action) {
    case "reboot":
    case "hardReboot":
      await sendOnce(job, cloud, id, () => c.reboot(id, action === "reboot" ? "SOFT" : "HARD"));
      return;
    case "resize":
      if (s.status === "VERIFY_RESIZE") return { skipped: true };
      await sendOnce(job, cloud, id, () => c.resize(id, String(p.flavorId)));
      return;
    case "confirmResize":
    case "revertResize":
      if (s.status !== "VERIFY_RESIZE") return { skipped: true };
      await sendOnce(job, cloud, id, () =>
        action === "confirmResize" ? c.confirmResize(id) : c.revertResize(id),
      );
      return;
    case "lock":
      if (!s.locked) await c.lock(id, (p.reason as string | null) ?? undefined);
      return;
    case "unlock":
      if (s.locked) await c.unlock(id);
      return;
    case "rebuild":
      await sendOnce(job, cloud, id, () => c.rebuild(id, { imageRef: String(p.imageId) }));
      return;
    case "snapshot": {
      const existing = await cloud.image.findImageByJobId(job.id);
      const imageId =
        existing?.id ??
        (await c.createImage(id, String(p.imageName), { cirrus_job_id: job.id, cirrus_source: row.id }));
      return { imageId };
    }
    case "attachVolume": {
      let volumeRef = p.volumeRef as string | undefined;
      if (!volumeRef) {
        const nv = p.newVolume as { name: string; sizeGb: number; volumeType?: string };
        const vol =
          (await cloud.blockStorage.findVolumeByJobId(job.id, nv.name)) ??
          (await cloud.blockStorage.createVolume({
            jobId: job.id,
            name: nv.name,
            size: nv.sizeGb,
            ...(nv.volumeType ? { volumeType: nv.volumeType } : {}),
            ...(row.availabilityZone ? { availabilityZone: row.availabilityZone } : {}),
          }));
        await withHeartbeat(ctx, () =>
          cloud.blockStorage.waitForVolume(vol.id, ["available", "in-use"], poll),
        );
        volumeRef = vol.id;
      }
      const attached = await c.listVolumeAttachments(id);
      if (!attached.some((a) => a.volumeId === volumeRef)) await c.attachVolume(id, volumeRef);
      return { volumeRef };
    }
    case "detachVolume": {
      const attached = await c.listVolumeAttachments(id);
      if (attached.some((a) => a.volumeId === p.volumeRef)) await c.detachVolume(id, String(p.volumeRef));
      return { volumeRef: p.volumeRef };
    }
    case "attachInterface": {
      const port =
        (await cloud.network.findPortByJobId(job.id)) ??
        (await cloud.network.createPort({
          jobId: job.id,
          networkId: String(p.networkId),
          name: `${row.name}-${String(p.networkName)}`,
          ...(p.subnetId ? { fixedIps: [{ subnet_id: p.subnetId as string }] } : {}),
        }));
      const ifaces = await c.listInterfaces(id);
      if (!ifaces.some((i) => i.port_id === port.id)) await c.attachInterface(id, { portId: port.id });
      return { portId: port.id };
    }
    case "detachInterface": {
      const ifaces = await c.listInterfaces(id);
      if (ifaces.some((i) => i.port_id === p.portId)) await c.detachInterface(id, String(p.portId));
      return;
    }
    case "addSecurityGroup":
    case "removeSecurityGroup": {
      const has = (s.security_groups ?? []).some((g) => g.name === p.securityGroupName);
      if (action === "addSecurityGroup" && !has) await c.addSecurityGroup(id, String(p.securityGroupId));
      if (action === "removeSecurityGroup" && has) await c.removeSecurityGroup(id, String(p.securityGroupId));
      return;
    }
    case "associateFloatingIp": {
      let fipId = p.floatingIpId as string | undefined;
      if (!fipId) {
        const fip =
          (await cloud.network.findFloatingIpByJobId(job.id)) ??
          (await cloud.network.createFloatingIp({
            jobId: job.id,
            floatingNetworkId: await externalNetwork(cloud),
          }));
        fipId = fip.id;
      }
      await cloud.network.associateFloatingIp(fipId, String(p.portId));
      return { floatingIpId: fipId };
    }
    case "disassociateFloatingIp": {
      const fipId = String(p.floatingIpId);
      const fip = await ignoreNotFound(cloud.network.getFloatingIp(fipId));
      if (fip?.port_id) await cloud.network.disassociateFloatingIp(fipId);
      if (fip && p.release === true) await ignoreNotFound(cloud.network.deleteFloatingIp(fipId));
      return;
    }
    default:
      throw new AppError("INTERNAL", `No handler for action ${action}`, { transient: false });
  }
}

async function waitAction(ctx: StepContext): Promise<void> {
  const { job } = ctx;
  const { row, cloud } = await loadJobTarget(job);
  const action = job.input.action as InstanceAction;
  const sent = ctx.outputs["Send the request"] ?? {};
  const id = row.providerRef!;
  if (action === "snapshot") {
    // Nova clears the server's task (image_snapshot → image_uploading → none) once it has handed the
    // data to Glance; the image is active then on a real hypervisor. (A fake driver uploads nothing
    // and leaves it queued.) What must not happen is Glance killing it.
    await waitForServer(ctx, cloud, id, SETTLED);
    const image = await cloud.image.findImage(String(sent.imageId));
    if (!image || image.status === "killed" || image.status === "deleted")
      throw new AppError("UPSTREAM_ERROR", `The snapshot image ${String(sent.imageId)} failed in Glance`, {
        transient: false,
      });
  }
  if (action === "attachVolume" || action === "detachVolume") {
    const want = action === "attachVolume" ? "in-use" : "available";
    await withHeartbeat(ctx, () => cloud.blockStorage.waitForVolume(String(sent.volumeRef), [want], poll));
  }
  if (action === "attachInterface" || action === "detachInterface") {
    const portId =
      (sent.portId as string | undefined) ?? String((job.input.params as { portId?: string }).portId);
    await withHeartbeat(ctx, () =>
      pollUntil(
        `Interface ${portId}`,
        () => cloud.compute.listInterfaces(id),
        (ifaces) => ifaces.some((i) => i.port_id === portId) === (action === "attachInterface"),
        () => undefined,
        poll,
      ),
    );
  }
  const lock = action === "lock" ? true : action === "unlock" ? false : undefined;
  await waitForServer(
    ctx,
    cloud,
    id,
    TARGET[action] ?? SETTLED,
    lock === undefined ? undefined : (s) => s.locked === lock,
  );
}

async function recordAction(ctx: StepContext) {
  const { job } = ctx;
  const action = job.input.action as InstanceAction;
  const { db, row, project, cloud } = await loadJobTarget(job);
  const p = (job.input.params ?? {}) as Record<string, unknown>;
  if (action === "snapshot" || action === "rebuild") await syncCatalog(db, project, row.region, ["image"]);
  if (action === "associateFloatingIp" || action === "disassociateFloatingIp")
    await syncCatalog(db, project, row.region, ["floating_ip"]);
  const out = await record(ctx);
  if (action === "detachVolume") {
    const v = await ignoreNotFound(cloud.blockStorage.getVolume(String(p.volumeRef)));
    const [vr] = await db
      .select()
      .from(resources)
      .where(eq(resources.id, String(p.volumeId)));
    if (v && vr) {
      await db
        .update(resources)
        .set({
          status: v.status,
          attrs: { ...vr.attrs, attachedTo: null, attachedServer: null, device: null },
          updatedAt: new Date(),
        })
        .where(eq(resources.id, vr.id));
      await notifyResource(db, { orgId: vr.orgId, projectId: vr.projectId, kind: "volume", id: vr.id });
    }
  }
  return out;
}

const actionWorkflow: Workflow = {
  kind: "instance.action",
  title: "Virtual machine action",
  steps: [
    { name: "Send the request", run: sendAction },
    { name: "Wait for the server", run: waitAction },
    { name: "Record its new state", run: recordAction },
  ],
  async onSuccess(tx, job) {
    const action = job.input.action as InstanceAction;
    const p = (job.input.params ?? {}) as { quota?: Amounts; previousQuota?: Amounts; release?: boolean };
    const row = await finishInstance(tx, job, {});
    if (!row) return;
    const d = row.desired as { quota?: Amounts; previousQuota?: Amounts | null };
    const setDesired = (patch: Record<string, unknown>) =>
      tx
        .update(resources)
        .set({ desired: { ...row.desired, ...patch } })
        .where(eq(resources.id, row.id));
    // Usage follows the flavor: a resize holds both until it is confirmed or reverted.
    if (action === "resize" && p.quota)
      await setDesired({ quota: p.quota, previousQuota: p.previousQuota ?? {} });
    if (action === "confirmResize" && d.previousQuota && d.quota) {
      await releaseUsage(tx, row.projectId, amountsOver(d.previousQuota, d.quota));
      await setDesired({ previousQuota: null });
    }
    if (action === "revertResize" && d.previousQuota && d.quota) {
      await releaseUsage(tx, row.projectId, amountsOver(d.quota, d.previousQuota));
      await setDesired({ quota: d.previousQuota, previousQuota: null });
    }
    if (action === "disassociateFloatingIp" && p.release)
      await releaseUsage(tx, row.projectId, { elasticIps: 1 });
  },
  async onFailure(tx, job) {
    await finishInstance(tx, job, {});
  },
};

export const computeWorkflows: Workflow[] = [createWorkflow, deleteWorkflow, updateWorkflow, actionWorkflow];
