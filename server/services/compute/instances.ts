// Virtual machines: create (N at once), rename/relabel, delete and every lifecycle action, each
// through the one path — validation against the catalogue, quota reservation, inventory row, job
// and audit event in one transaction; the job does the upstream work after commit.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { jobs, resources } from "@/db/schema";
import { actionRefusal, type InstanceAction } from "@/lib/compute/actions";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { getCloud } from "@/server/cloud/regions";
import { AppError } from "@/server/errors";
import { createJob, type JobRow } from "@/server/jobs/jobs";
import { reserveQuota, type Amounts } from "@/server/quota/reserve";
import type { CreateInstancesInput, InstanceActionInput } from "@/server/routers/compute/schemas";
import {
  insertInventory,
  validateLabels,
  type ResourceRow,
  notifyResource,
} from "@/server/services/inventory";
import { syncCatalog, type CatalogKind } from "./catalog";
import { checkRegion, keystoneProjectId, type ProjectRef } from "./upstream";
import { validateUserData } from "./userdata";
import { instanceState } from "./views";

export type JobRef = {
  id: string;
  kind: string;
  state: "PENDING" | "RUNNING" | "RETRYING" | "SUCCEEDED" | "FAILED";
};

const jobRef = (j: JobRow): JobRef => ({ id: j.id, kind: j.kind, state: j.state as JobRef["state"] });

/** A catalogue item of the project in a region, refreshing the mirror once when it is not there yet. */
export async function catalogItem(
  db: Db,
  project: ProjectRef,
  region: string,
  kind: CatalogKind,
  match: { providerRef?: string; name?: string },
  field: string,
  label: string,
): Promise<ResourceRow> {
  const find = async () => {
    const [row] = await db
      .select()
      .from(resources)
      .where(
        and(
          eq(resources.projectId, project.id),
          eq(resources.kind, kind),
          eq(resources.region, region),
          isNull(resources.deletedAt),
          match.providerRef ? eq(resources.providerRef, match.providerRef) : undefined,
          match.name ? eq(resources.name, match.name) : undefined,
        ),
      )
      .limit(1);
    return row;
  };
  let row = await find();
  if (!row) {
    await syncCatalog(db, project, region, [kind]);
    row = await find();
  }
  if (!row)
    throw new AppError(
      "INVALID_INPUT",
      `${field}: no ${label} ${match.providerRef ?? match.name} in ${region} for project ${project.slug}`,
      { field },
    );
  return row;
}

export function flavorAmounts(flavor: { vcpus: number; ramMb: number }): Amounts {
  return { instances: 1, vcpus: flavor.vcpus, ramGb: Math.ceil(flavor.ramMb / 1024) };
}

const numAttr = (r: ResourceRow, k: string) => (typeof r.attrs[k] === "number" ? r.attrs[k] : 0);

export interface CreatedInstance {
  row: ResourceRow;
  job: JobRow;
}

/** Checks everything that can be checked before the transaction (catalogue, zone, user data). */
export async function prepareCreate(db: Db, project: ProjectRef, input: CreateInstancesInput) {
  checkRegion(input.region);
  keystoneProjectId(project, input.region);
  if (input.availabilityZone) {
    const zones = await getCloud().zones(input.region);
    if (!zones.includes(input.availabilityZone))
      throw new AppError(
        "INVALID_INPUT",
        `availabilityZone: ${input.availabilityZone} is not a zone of ${input.region} (zones: ${zones.join(", ")})`,
        { field: "availabilityZone" },
      );
  }
  const image = await catalogItem(
    db,
    project,
    input.region,
    "image",
    { providerRef: input.imageId },
    "imageId",
    "image",
  );
  if (image.status !== "active")
    throw new AppError("INVALID_INPUT", `imageId: image ${image.name} is ${image.status}, not active`, {
      field: "imageId",
    });
  const flavor = await catalogItem(
    db,
    project,
    input.region,
    "flavor",
    { providerRef: input.flavorId },
    "flavorId",
    "flavor",
  );
  const network = await catalogItem(
    db,
    project,
    input.region,
    "network",
    { providerRef: input.networkId },
    "networkId",
    "network",
  );
  if (network.attrs.external === true && network.attrs.owned !== true)
    throw new AppError(
      "INVALID_INPUT",
      `networkId: ${network.name} is an external network; choose a VPC network`,
      {
        field: "networkId",
      },
    );
  if (input.subnetId) {
    const subnet = await catalogItem(
      db,
      project,
      input.region,
      "subnet",
      { providerRef: input.subnetId },
      "subnetId",
      "subnet",
    );
    if (subnet.attrs.networkId !== input.networkId)
      throw new AppError(
        "INVALID_INPUT",
        `subnetId: subnet ${subnet.name} is not in network ${network.name}`,
        {
          field: "subnetId",
        },
      );
  }
  const securityGroups: ResourceRow[] = [];
  for (const id of input.securityGroupIds ?? [])
    securityGroups.push(
      await catalogItem(
        db,
        project,
        input.region,
        "security_group",
        { providerRef: id },
        "securityGroupIds",
        "security group",
      ),
    );
  const keypair = input.keyPairName
    ? await catalogItem(
        db,
        project,
        input.region,
        "keypair",
        { name: input.keyPairName },
        "keyPairName",
        "key pair",
      )
    : null;
  const minDisk = numAttr(image, "minDiskGb");
  const imageGb = Math.ceil(numAttr(image, "sizeBytes") / 1024 ** 3);
  if (input.rootVolume) {
    const need = Math.max(minDisk, imageGb, 1);
    if (input.rootVolume.sizeGb < need)
      throw new AppError(
        "INVALID_INPUT",
        `rootVolume.sizeGb: image ${image.name} needs at least ${need} GB, got ${input.rootVolume.sizeGb} GB`,
        { field: "rootVolume.sizeGb" },
      );
  } else if (numAttr(flavor, "diskGb") > 0 && numAttr(flavor, "diskGb") < minDisk) {
    throw new AppError(
      "INVALID_INPUT",
      `flavorId: flavor ${flavor.name} has a ${numAttr(flavor, "diskGb")} GB disk, image ${image.name} needs ${minDisk} GB; choose a larger flavor or boot from a volume`,
      { field: "flavorId" },
    );
  }
  if (numAttr(image, "minRamMb") > numAttr(flavor, "ramMb"))
    throw new AppError(
      "INVALID_INPUT",
      `flavorId: image ${image.name} needs ${numAttr(image, "minRamMb")} MB of RAM, flavor ${flavor.name} has ${numAttr(flavor, "ramMb")} MB`,
      { field: "flavorId" },
    );
  if (input.userData !== undefined) validateUserData(input.userData);
  const labels = validateLabels(input.labels ?? {});
  return { image, flavor, network, securityGroups, keypair, labels };
}

export async function createInstances(
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  input: CreateInstancesInput,
  prepared: Awaited<ReturnType<typeof prepareCreate>>,
): Promise<CreatedInstance[]> {
  const { image, flavor, network, securityGroups, keypair, labels } = prepared;
  const compute = flavorAmounts({ vcpus: numAttr(flavor, "vcpus"), ramMb: numAttr(flavor, "ramMb") });
  const volumeSizes = [
    ...(input.rootVolume ? [input.rootVolume.sizeGb] : []),
    ...(input.additionalVolumes ?? []).map((v) => v.sizeGb),
  ];
  const volumeAmounts: Amounts = volumeSizes.length
    ? { volumes: volumeSizes.length, volumeGb: volumeSizes.reduce((a, b) => a + b, 0) }
    : {};
  const created: CreatedInstance[] = [];
  for (let i = 1; i <= input.count; i++) {
    const name = input.count > 1 ? `${input.name}-${i}` : input.name;
    const row = await insertInventory(tx, {
      kind: "instance",
      orgId: project.orgId,
      projectId: project.id,
      region: input.region,
      availabilityZone: input.availabilityZone ?? null,
      name,
      status: "CREATING",
      labels,
      createdBy: actor.userId,
      attrs: {
        flavorId: flavor.providerRef,
        flavorName: flavor.name,
        vcpus: numAttr(flavor, "vcpus"),
        ramMb: numAttr(flavor, "ramMb"),
        diskGb: numAttr(flavor, "diskGb"),
        imageId: image.providerRef,
        imageName: image.name,
        keyName: input.keyPairName ?? null,
        bootFromVolume: Boolean(input.rootVolume),
        pendingAction: "create",
        locked: false,
      },
      desired: {
        description: input.description ?? "",
        imageId: image.providerRef,
        flavorId: flavor.providerRef,
        networkId: network.providerRef,
        subnetId: input.subnetId ?? null,
        securityGroups: securityGroups.map((g) => ({ id: g.providerRef, name: g.name })),
        keypair: keypair ? keypair.providerRef : null,
        userData: input.userData ?? null,
        rootVolume: input.rootVolume ?? null,
        additionalVolumes: input.additionalVolumes ?? [],
        quota: compute,
      },
    });
    const job = await createJob(tx, actor, {
      kind: "instance.create",
      orgId: project.orgId,
      projectId: project.id,
      region: input.region,
      target: { kind: "instance", id: row.id, name },
      input: { resourceId: row.id },
    });
    // each instance reserves its own share (a failed create releases just its own); the request
    // fails whole when the last share does not fit
    try {
      await reserveQuota(
        tx,
        project,
        { ...compute, ...volumeAmounts },
        { jobId: job.id, resourceId: row.id },
      );
    } catch (e) {
      if (e instanceof AppError && e.code === "QUOTA_EXCEEDED" && input.count > 1)
        throw new AppError(
          "QUOTA_EXCEEDED",
          `${e.message} (${input.count} instances were asked for; ${i - 1} fit)`,
          {
            field: e.field,
            details: e.details,
          },
        );
      throw e;
    }
    created.push({ row, job });
  }
  const first = created[0]!;
  await writeAudit(tx, actor, {
    action: "compute.instance.create",
    orgId: project.orgId,
    projectId: project.id,
    target: { kind: "instance", id: first.row.id, name: first.row.name },
    data: {
      region: input.region,
      availabilityZone: input.availabilityZone ?? null,
      imageId: input.imageId,
      flavorId: input.flavorId,
      networkId: input.networkId,
      count: input.count,
      instances: created.map((c) => ({ id: c.row.id, name: c.row.name, jobId: c.job.id })),
    },
  });
  return created;
}

/** The instance row, locked for the rest of the transaction. */
async function lockInstance(tx: Tx, projectId: string, id: string): Promise<ResourceRow> {
  const [row] = await tx
    .select()
    .from(resources)
    .where(
      and(
        eq(resources.id, id),
        eq(resources.projectId, projectId),
        eq(resources.kind, "instance"),
        isNull(resources.deletedAt),
      ),
    )
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", `instance ${id} not found`);
  return row;
}

export async function setPending(tx: Tx, row: ResourceRow, pendingAction: string | null, status?: string) {
  const [updated] = await tx
    .update(resources)
    .set({
      attrs: sql`${resources.attrs} || ${JSON.stringify({ pendingAction })}::jsonb`,
      ...(status ? { status } : {}),
      updatedAt: new Date(),
    })
    .where(eq(resources.id, row.id))
    .returning();
  await notifyResource(tx, { orgId: row.orgId, projectId: row.projectId, kind: "instance", id: row.id });
  return updated!;
}

export async function updateInstance(
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  input: { id: string; name?: string; description?: string; labels?: Record<string, string> },
): Promise<{ row: ResourceRow; job: JobRow | null }> {
  const row = await lockInstance(tx, project.id, input.id);
  const labels = input.labels ? validateLabels(input.labels) : undefined;
  const rename = input.name !== undefined && input.name !== row.name;
  const redescribe =
    input.description !== undefined &&
    input.description !== ((row.desired as { description?: string }).description ?? "");
  if ((rename || redescribe) && row.attrs.locked === true)
    throw new AppError("CONFLICT", `${row.name} is locked: unlock it before you rename it`);
  const [updated] = await tx
    .update(resources)
    .set({
      ...(rename ? { name: input.name } : {}),
      ...(labels ? { labels } : {}),
      ...(redescribe ? { desired: { ...row.desired, description: input.description } } : {}),
      updatedAt: new Date(),
    })
    .where(eq(resources.id, row.id))
    .returning();
  await notifyResource(tx, { orgId: row.orgId, projectId: row.projectId, kind: "instance", id: row.id });
  // labels live in the portal; a new name or description goes to Nova too
  const job =
    (rename || redescribe) && row.providerRef
      ? await createJob(tx, actor, {
          kind: "instance.update",
          orgId: row.orgId,
          projectId: row.projectId,
          region: row.region,
          target: { kind: "instance", id: row.id, name: updated!.name },
          input: { resourceId: row.id },
        })
      : null;
  await writeAudit(tx, actor, {
    action: "compute.instance.update",
    orgId: row.orgId,
    projectId: row.projectId,
    target: { kind: "instance", id: row.id, name: updated!.name },
    data: {
      before: { name: row.name, labels: row.labels },
      after: { name: updated!.name, labels: updated!.labels },
      ...(job ? { jobId: job.id } : {}),
    },
  });
  return { row: updated!, job };
}

export async function deleteInstance(
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  id: string,
): Promise<{ row: ResourceRow; job: JobRow }> {
  const row = await lockInstance(tx, project.id, id);
  const refusal = actionRefusal(instanceState(row), "delete");
  if (refusal) throw new AppError("CONFLICT", refusal);
  if (row.status === "CREATING")
    throw new AppError("CONFLICT", `${row.name} is still being created: delete it once its job has ended`);
  const updated = await setPending(tx, row, "delete", "DELETING");
  const job = await createJob(tx, actor, {
    kind: "instance.delete",
    orgId: row.orgId,
    projectId: row.projectId,
    region: row.region,
    target: { kind: "instance", id: row.id, name: row.name },
    input: { resourceId: row.id, previousStatus: row.status },
  });
  await writeAudit(tx, actor, {
    action: "compute.instance.delete",
    orgId: row.orgId,
    projectId: row.projectId,
    target: { kind: "instance", id: row.id, name: row.name },
    data: { jobId: job.id, providerId: row.providerRef },
  });
  return { row: updated, job };
}

/** Parameters an action job needs, resolved against the catalogue at request time. */
async function resolveAction(
  db: Db,
  tx: Tx,
  project: ProjectRef,
  row: ResourceRow,
  input: InstanceActionInput,
): Promise<{ params: Record<string, unknown>; reserve: Amounts }> {
  const region = row.region;
  switch (input.action) {
    case "resize": {
      if (input.flavorId === row.attrs.flavorId)
        throw new AppError(
          "INVALID_INPUT",
          `flavorId: ${row.name} already has flavor ${String(row.attrs.flavorName)}`,
          {
            field: "flavorId",
          },
        );
      const flavor = await catalogItem(
        db,
        project,
        region,
        "flavor",
        { providerRef: input.flavorId },
        "flavorId",
        "flavor",
      );
      const next = flavorAmounts({ vcpus: numAttr(flavor, "vcpus"), ramMb: numAttr(flavor, "ramMb") });
      const now = (row.desired as { quota?: Amounts }).quota ?? {};
      const delta: Amounts = {
        vcpus: Math.max(0, (next.vcpus ?? 0) - (now.vcpus ?? 0)),
        ramGb: Math.max(0, (next.ramGb ?? 0) - (now.ramGb ?? 0)),
      };
      return {
        params: {
          flavorId: flavor.providerRef,
          flavorName: flavor.name,
          quota: { ...next },
          previousQuota: now,
        },
        reserve: delta,
      };
    }
    case "rebuild": {
      const image = await catalogItem(
        db,
        project,
        region,
        "image",
        { providerRef: input.imageId },
        "imageId",
        "image",
      );
      return { params: { imageId: image.providerRef, imageName: image.name }, reserve: {} };
    }
    case "attachVolume": {
      if (!input.volumeId === !input.newVolume)
        throw new AppError("INVALID_INPUT", "volumeId: give either volumeId or newVolume", {
          field: "volumeId",
        });
      if (input.newVolume) {
        return {
          params: {
            newVolume: { name: input.newVolume.name ?? `${row.name}-data`, ...input.newVolume },
          },
          reserve: { volumes: 1, volumeGb: input.newVolume.sizeGb },
        };
      }
      const [vol] = await tx
        .select()
        .from(resources)
        .where(
          and(
            eq(resources.id, input.volumeId!),
            eq(resources.projectId, project.id),
            eq(resources.kind, "volume"),
            isNull(resources.deletedAt),
          ),
        );
      if (!vol)
        throw new AppError("INVALID_INPUT", `volumeId: no volume ${input.volumeId} in this project`, {
          field: "volumeId",
        });
      if (vol.region !== region || vol.status !== "available")
        throw new AppError(
          "CONFLICT",
          `Volume ${vol.name} is ${vol.status}${vol.region !== region ? ` in ${vol.region}` : ""}: only an available volume of ${region} can be attached`,
        );
      return { params: { volumeId: vol.id, volumeRef: vol.providerRef, volumeName: vol.name }, reserve: {} };
    }
    case "detachVolume": {
      const [vol] = await tx
        .select()
        .from(resources)
        .where(
          and(
            eq(resources.id, input.volumeId),
            eq(resources.projectId, project.id),
            eq(resources.kind, "volume"),
          ),
        );
      const attached = (
        (row.observed.volumeAttachments ?? []) as { volumeId: string; device?: string | null }[]
      ).find((a) => a.volumeId === vol?.providerRef);
      if (!vol || !attached)
        throw new AppError(
          "INVALID_INPUT",
          `volumeId: volume ${input.volumeId} is not attached to ${row.name}`,
          {
            field: "volumeId",
          },
        );
      if (row.attrs.bootFromVolume === true && attached.device === "/dev/vda")
        throw new AppError(
          "CONFLICT",
          `${vol.name} is the boot volume of ${row.name}: it cannot be detached`,
        );
      return { params: { volumeId: vol.id, volumeRef: vol.providerRef, volumeName: vol.name }, reserve: {} };
    }
    case "attachInterface": {
      const net = await catalogItem(
        db,
        project,
        region,
        "network",
        { providerRef: input.networkId },
        "networkId",
        "network",
      );
      return {
        params: { networkId: net.providerRef, networkName: net.name, subnetId: input.subnetId ?? null },
        reserve: {},
      };
    }
    case "detachInterface": {
      const ports = ((row.observed.interfaces ?? []) as { port_id: string }[]).map((p) => p.port_id);
      if (!ports.includes(input.portId))
        throw new AppError("INVALID_INPUT", `portId: ${row.name} has no interface ${input.portId}`, {
          field: "portId",
        });
      if (ports.length === 1)
        throw new AppError(
          "CONFLICT",
          `${row.name} has only this interface: attach another before you detach it`,
        );
      return { params: { portId: input.portId }, reserve: {} };
    }
    case "addSecurityGroup":
    case "removeSecurityGroup": {
      const sg = await catalogItem(
        db,
        project,
        region,
        "security_group",
        { providerRef: input.securityGroupId },
        "securityGroupId",
        "security group",
      );
      const has = (
        (row.observed.server as { security_groups?: { name: string }[] } | undefined)?.security_groups ?? []
      ).some((g) => g.name === sg.name);
      if (input.action === "addSecurityGroup" && has)
        throw new AppError("CONFLICT", `${row.name} is already in security group ${sg.name}`);
      if (input.action === "removeSecurityGroup" && !has)
        throw new AppError("CONFLICT", `${row.name} is not in security group ${sg.name}`);
      return { params: { securityGroupId: sg.providerRef, securityGroupName: sg.name }, reserve: {} };
    }
    case "associateFloatingIp": {
      const ports = ((row.observed.interfaces ?? []) as { port_id: string }[]).map((p) => p.port_id);
      const portId = input.portId ?? ports[0];
      if (!portId || !ports.includes(portId))
        throw new AppError(
          "INVALID_INPUT",
          `portId: ${row.name} has no interface ${input.portId ?? ""}`.trim(),
          {
            field: "portId",
          },
        );
      const [held] = await tx
        .select({ name: resources.name })
        .from(resources)
        .where(
          and(
            eq(resources.projectId, project.id),
            eq(resources.kind, "floating_ip"),
            isNull(resources.deletedAt),
            sql`${resources.attrs} ->> 'portId' = ${portId}`,
          ),
        )
        .limit(1);
      if (held)
        throw new AppError(
          "CONFLICT",
          `That interface of ${row.name} already has elastic IP ${held.name}: disassociate it first`,
        );
      if (input.floatingIpId) {
        const fip = await catalogItem(
          db,
          project,
          region,
          "floating_ip",
          { providerRef: input.floatingIpId },
          "floatingIpId",
          "elastic IP",
        );
        if (fip.attrs.portId)
          throw new AppError(
            "CONFLICT",
            `Elastic IP ${fip.name} is already associated: disassociate it first`,
          );
        return { params: { floatingIpId: fip.providerRef, portId }, reserve: {} };
      }
      return { params: { portId, allocate: true }, reserve: { elasticIps: 1 } };
    }
    case "disassociateFloatingIp": {
      const fip = await catalogItem(
        db,
        project,
        region,
        "floating_ip",
        { providerRef: input.floatingIpId },
        "floatingIpId",
        "elastic IP",
      );
      const ports = ((row.observed.interfaces ?? []) as { port_id: string }[]).map((p) => p.port_id);
      if (!fip.attrs.portId || !ports.includes(String(fip.attrs.portId)))
        throw new AppError("CONFLICT", `Elastic IP ${fip.name} is not associated with ${row.name}`);
      return {
        params: {
          floatingIpId: fip.providerRef,
          release: input.release,
          address: fip.name,
          resourceId: fip.id,
        },
        reserve: {},
      };
    }
    case "lock":
      return { params: { reason: input.reason ?? null }, reserve: {} };
    case "snapshot":
      return { params: { imageName: input.imageName }, reserve: {} };
    default:
      return { params: {}, reserve: {} };
  }
}

export async function runInstanceAction(
  db: Db,
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  input: InstanceActionInput,
): Promise<{ row: ResourceRow; job: JobRow }> {
  const row = await lockInstance(tx, project.id, input.id);
  const refusal = actionRefusal(instanceState(row), input.action);
  if (refusal)
    throw new AppError("CONFLICT", refusal, { details: { status: row.status, action: input.action } });
  const { params, reserve } = await resolveAction(db, tx, project, row, input);
  const updated = await setPending(tx, row, input.action);
  const job = await createJob(tx, actor, {
    kind: "instance.action",
    orgId: row.orgId,
    projectId: row.projectId,
    region: row.region,
    target: { kind: "instance", id: row.id, name: row.name },
    input: { resourceId: row.id, action: input.action, params },
  });
  await reserveQuota(tx, project, reserve, { jobId: job.id, resourceId: row.id });
  await writeAudit(tx, actor, {
    action: `compute.instance.${input.action}`,
    orgId: row.orgId,
    projectId: row.projectId,
    target: { kind: "instance", id: row.id, name: row.name },
    data: { jobId: job.id, status: row.status, ...params },
  });
  return { row: updated, job };
}

/** The latest job of each instance, for the list's "last job" column and the detail header. */
export async function latestJobs(db: Db, ids: string[]): Promise<Map<string, JobRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([jobs.targetId], {
      targetId: jobs.targetId,
      id: jobs.id,
      kind: jobs.kind,
      state: jobs.state,
    })
    .from(jobs)
    .where(inArray(jobs.targetId, ids))
    .orderBy(jobs.targetId, desc(jobs.createdAt));
  return new Map(rows.map((r) => [r.targetId!, jobRef(r as JobRow)]));
}

export { jobRef };
export type { InstanceAction };
