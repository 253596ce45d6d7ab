// Reads an instance back from Nova (server, interfaces, volume attachments) into its inventory
// row, and the volumes attached to it into theirs. Used by the jobs' last steps and the reconciler.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { resources } from "@/db/schema";
import type { Server } from "@/server/providers/openstack/compute";
import type { ScopedClient } from "@/server/providers/openstack/client";
import { ignoreNotFound } from "@/server/providers/openstack/common";
import { notifyResource, type ResourceRow } from "@/server/services/inventory";

export interface InstanceObservation {
  server: Server;
  interfaces: unknown[];
  volumeAttachments: { volumeId: string; device?: string | null; delete_on_termination?: boolean }[];
}

export async function readInstance(
  cloud: ScopedClient,
  serverId: string,
): Promise<InstanceObservation | null> {
  const server = await ignoreNotFound(cloud.compute.getServer(serverId));
  if (!server || server.status === "DELETED") return null;
  const [interfaces, volumeAttachments] = await Promise.all([
    ignoreNotFound(cloud.compute.listInterfaces(serverId)).then((x) => x ?? []),
    ignoreNotFound(cloud.compute.listVolumeAttachments(serverId)).then((x) => x ?? []),
  ]);
  return { server, interfaces, volumeAttachments };
}

/** The row's attributes as Nova shows them now (flavor by name when Nova embeds it, 2.47+). */
export async function instanceAttrs(
  db: DbOrTx,
  row: ResourceRow,
  obs: InstanceObservation,
): Promise<ResourceRow["attrs"]> {
  const s = obs.server;
  const f = s.flavor ?? {};
  let flavorId = (row.attrs.flavorId as string | null) ?? null;
  let flavorName = (row.attrs.flavorName as string | null) ?? null;
  if (f.id) flavorId = f.id;
  if (f.original_name && f.original_name !== flavorName) {
    // resized (by us or out of band): find the flavor by name in the project's catalogue
    const [match] = await db
      .select({ ref: resources.providerRef })
      .from(resources)
      .where(
        and(
          eq(resources.projectId, row.projectId),
          eq(resources.kind, "flavor"),
          eq(resources.region, row.region),
          eq(resources.name, f.original_name),
          isNull(resources.deletedAt),
        ),
      )
      .limit(1);
    flavorName = f.original_name;
    flavorId = match?.ref ?? flavorId;
  }
  const imageId =
    s.image && typeof s.image === "object" ? s.image.id : ((row.attrs.imageId as string | null) ?? null);
  const ips = Object.values(s.addresses ?? {}).flat();
  // Nova shows a floating IP in the server's addresses only once Neutron has told it; the
  // project's elastic IPs (mirrored from Neutron) say it at once.
  const ports = (obs.interfaces as { port_id?: string }[]).map((i) => i.port_id).filter(Boolean) as string[];
  const elastic = ports.length
    ? await db
        .select({ address: resources.name })
        .from(resources)
        .where(
          and(
            eq(resources.projectId, row.projectId),
            eq(resources.kind, "floating_ip"),
            eq(resources.region, row.region),
            isNull(resources.deletedAt),
            inArray(sql<string>`${resources.attrs} ->> 'portId'`, ports),
          ),
        )
    : [];
  // Neutron is the truth for elastic IPs: Nova's copy of the addresses lags (and on some clouds
  // keeps a released address until its cache is refreshed).
  const floating = elastic.map((e) => e.address);
  return {
    ...row.attrs,
    flavorId,
    flavorName,
    vcpus: f.vcpus ?? (row.attrs.vcpus as number | null) ?? null,
    ramMb: f.ram ?? (row.attrs.ramMb as number | null) ?? null,
    diskGb: f.disk ?? (row.attrs.diskGb as number | null) ?? null,
    imageId,
    keyName: (row.attrs.keyName as string | null) ?? null,
    taskState: s["OS-EXT-STS:task_state"] ?? null,
    powerState: s["OS-EXT-STS:power_state"] ?? null,
    locked: s.locked ?? false,
    lockedReason: s.locked ? (s.locked_reason ?? null) : null,
    fault: s.status === "ERROR" ? (s.fault?.message ?? "The server is in ERROR") : null,
    ip: ips.find((a) => a["OS-EXT-IPS:type"] !== "floating")?.addr ?? null,
    floatingIp: floating[0] ?? null,
    floatingIps: floating.join(","),
  };
}

/** Writes an observation into the instance row and upserts the attached volumes' rows. */
export async function recordInstance(
  db: DbOrTx,
  row: ResourceRow,
  obs: InstanceObservation,
  extra: { attrs?: ResourceRow["attrs"]; desired?: Record<string, unknown> } = {},
): Promise<ResourceRow> {
  const attrs = { ...(await instanceAttrs(db, row, obs)), ...extra.attrs };
  const [updated] = await db
    .update(resources)
    .set({
      status: obs.server.status,
      providerRef: obs.server.id,
      availabilityZone: obs.server["OS-EXT-AZ:availability_zone"] ?? row.availabilityZone,
      attrs,
      observed: { server: obs.server, interfaces: obs.interfaces, volumeAttachments: obs.volumeAttachments },
      ...(extra.desired ? { desired: { ...row.desired, ...extra.desired } } : {}),
      observedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(eq(resources.id, row.id))
    .returning();
  await notifyResource(db, { orgId: row.orgId, projectId: row.projectId, kind: "instance", id: row.id });
  return updated!;
}

/** Volume rows for what is attached (created by Nova at boot or attached later). */
export async function recordVolumes(
  db: DbOrTx,
  cloud: ScopedClient,
  row: ResourceRow,
  obs: InstanceObservation,
): Promise<void> {
  const ids = obs.volumeAttachments.map((a) => a.volumeId);
  const known = ids.length
    ? await db
        .select()
        .from(resources)
        .where(
          and(
            eq(resources.projectId, row.projectId),
            eq(resources.kind, "volume"),
            eq(resources.region, row.region),
            inArray(resources.providerRef, ids),
          ),
        )
    : [];
  for (const att of obs.volumeAttachments) {
    const v = await ignoreNotFound(cloud.blockStorage.getVolume(att.volumeId));
    if (!v) continue;
    const existing = known.find((k) => k.providerRef === v.id);
    const attrs = {
      sizeGb: v.size,
      volumeType: v.volume_type ?? null,
      bootable: v.bootable === true || v.bootable === "true",
      attachedTo: row.id,
      attachedServer: obs.server.id,
      device: att.device ?? null,
      deleteOnTermination: att.delete_on_termination ?? false,
    };
    const values = {
      name: v.name || `${row.name}-${att.device?.replace("/dev/", "") ?? v.id.slice(0, 8)}`,
      status: v.status,
      availabilityZone: v.availability_zone ?? row.availabilityZone,
      attrs: { ...existing?.attrs, ...attrs },
      observed: { volume: v },
      observedAt: new Date(),
      updatedAt: new Date(),
      deletedAt: null,
    };
    let id = existing?.id;
    if (existing) {
      await db.update(resources).set(values).where(eq(resources.id, existing.id));
    } else {
      const [created] = await db
        .insert(resources)
        .values({
          ...values,
          kind: "volume",
          orgId: row.orgId,
          projectId: row.projectId,
          region: row.region,
          providerRef: v.id,
          createdBy: row.createdBy,
          // created by Nova from the instance's block device mapping: its quota came with the instance's job
          desired: { quota: { volumes: 1, volumeGb: v.size }, createdWith: row.id },
        })
        .onConflictDoNothing()
        .returning({ id: resources.id });
      id = created?.id;
    }
    if (id) await notifyResource(db, { orgId: row.orgId, projectId: row.projectId, kind: "volume", id });
  }
}
