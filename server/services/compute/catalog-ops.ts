// Changes to the project's catalogue: key pairs (generate or import, delete) and images (create,
// change visibility, delete; the data is uploaded by a route of its own). Same path as instances:
// inventory row, job, audit event in one transaction.
import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { resources } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { createJob, type JobRow } from "@/server/jobs/jobs";
import { getInventory, insertInventory, type ResourceRow } from "@/server/services/inventory";
import { novaKeypairName } from "./catalog";
import { generateEd25519, parsePublicKey } from "./keys";
import { checkRegion, keystoneProjectId, type ProjectRef } from "./upstream";

export async function createKeypair(
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  input: { name: string; region: string; publicKey?: string | undefined },
): Promise<{ row: ResourceRow; job: JobRow; privateKey: string | null }> {
  checkRegion(input.region);
  keystoneProjectId(project, input.region);
  const [taken] = await tx
    .select({ id: resources.id })
    .from(resources)
    .where(
      and(
        eq(resources.projectId, project.id),
        eq(resources.kind, "keypair"),
        eq(resources.region, input.region),
        eq(resources.name, input.name),
        isNull(resources.deletedAt),
      ),
    );
  if (taken)
    throw new AppError("CONFLICT", `A key pair named ${input.name} already exists in ${input.region}`, {
      field: "name",
    });
  let publicKey: string;
  let fingerprint: string;
  let type: string;
  let privateKey: string | null = null;
  if (input.publicKey) {
    const parsed = parsePublicKey(input.publicKey);
    ({ fingerprint, type } = parsed);
    publicKey = parsed.normalized;
  } else {
    const generated = generateEd25519(`${input.name}@cirrus`);
    ({ publicKey, fingerprint, privateKey } = generated);
    type = "ssh-ed25519";
  }
  const row = await insertInventory(tx, {
    kind: "keypair",
    orgId: project.orgId,
    projectId: project.id,
    region: input.region,
    name: input.name,
    status: "CREATING",
    providerRef: novaKeypairName(project.id, input.name),
    createdBy: actor.userId,
    attrs: { fingerprint, type: "ssh", keyType: type, generated: privateKey !== null },
    desired: { publicKey },
  });
  const job = await createJob(tx, actor, {
    kind: "keypair.create",
    orgId: project.orgId,
    projectId: project.id,
    region: input.region,
    target: { kind: "keypair", id: row.id, name: row.name },
    input: { resourceId: row.id },
  });
  await writeAudit(tx, actor, {
    action: "compute.keypair.create",
    orgId: project.orgId,
    projectId: project.id,
    target: { kind: "keypair", id: row.id, name: row.name },
    data: { region: input.region, fingerprint, generated: privateKey !== null, jobId: job.id },
  });
  return { row, job, privateKey };
}

/** Removes a catalogue item upstream through a job (key pairs, images). */
export async function deleteCatalogItem(
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  kind: "keypair" | "image",
  id: string,
): Promise<{ row: ResourceRow; job: JobRow }> {
  const row = await getInventory(tx, project.id, kind, id);
  if (kind === "image" && row.attrs.owned !== true)
    throw new AppError(
      "FORBIDDEN",
      `Image ${row.name} belongs to the cloud, not to project ${project.slug}: it cannot be deleted here`,
    );
  if (row.status === "DELETING") throw new AppError("CONFLICT", `${row.name} is already being deleted`);
  const [updated] = await tx
    .update(resources)
    .set({ status: "DELETING", updatedAt: new Date() })
    .where(eq(resources.id, row.id))
    .returning();
  const job = await createJob(tx, actor, {
    kind: `${kind}.delete`,
    orgId: project.orgId,
    projectId: project.id,
    region: row.region,
    target: { kind, id: row.id, name: row.name },
    input: { resourceId: row.id, previousStatus: row.status },
  });
  await writeAudit(tx, actor, {
    action: `compute.${kind}.delete`,
    orgId: project.orgId,
    projectId: project.id,
    target: { kind, id: row.id, name: row.name },
    data: { jobId: job.id, providerId: row.providerRef },
  });
  return { row: updated!, job };
}

export async function createImage(
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  input: {
    name: string;
    region: string;
    diskFormat: string;
    containerFormat: string;
    visibility: string;
    minDiskGb: number;
    minRamMb: number;
    osDistro?: string | undefined;
    osVersion?: string | undefined;
  },
): Promise<{ row: ResourceRow; job: JobRow }> {
  checkRegion(input.region);
  keystoneProjectId(project, input.region);
  const row = await insertInventory(tx, {
    kind: "image",
    orgId: project.orgId,
    projectId: project.id,
    region: input.region,
    name: input.name,
    status: "CREATING",
    createdBy: actor.userId,
    attrs: {
      visibility: input.visibility,
      owned: true,
      osDistro: input.osDistro ?? null,
      osVersion: input.osVersion ?? null,
      sizeBytes: null,
      minDiskGb: input.minDiskGb,
      minRamMb: input.minRamMb,
      diskFormat: input.diskFormat,
    },
    desired: { ...input },
  });
  const job = await createJob(tx, actor, {
    kind: "image.create",
    orgId: project.orgId,
    projectId: project.id,
    region: input.region,
    target: { kind: "image", id: row.id, name: row.name },
    input: { resourceId: row.id },
  });
  await writeAudit(tx, actor, {
    action: "compute.image.create",
    orgId: project.orgId,
    projectId: project.id,
    target: { kind: "image", id: row.id, name: row.name },
    data: { region: input.region, diskFormat: input.diskFormat, visibility: input.visibility, jobId: job.id },
  });
  return { row, job };
}

export async function updateImage(
  tx: Tx,
  actor: Actor,
  project: ProjectRef,
  input: { id: string; name?: string | undefined; visibility?: string | undefined },
): Promise<{ row: ResourceRow; job: JobRow }> {
  const row = await getInventory(tx, project.id, "image", input.id);
  if (row.attrs.owned !== true)
    throw new AppError(
      "FORBIDDEN",
      `Image ${row.name} belongs to the cloud, not to project ${project.slug}: it cannot be changed here`,
    );
  if (!row.providerRef) throw new AppError("CONFLICT", `Image ${row.name} is still being created`);
  const [updated] = await tx
    .update(resources)
    .set({
      ...(input.name ? { name: input.name } : {}),
      ...(input.visibility ? { attrs: { ...row.attrs, visibility: input.visibility } } : {}),
      updatedAt: new Date(),
    })
    .where(eq(resources.id, row.id))
    .returning();
  const job = await createJob(tx, actor, {
    kind: "image.update",
    orgId: project.orgId,
    projectId: project.id,
    region: row.region,
    target: { kind: "image", id: row.id, name: updated!.name },
    input: { resourceId: row.id, name: input.name ?? null, visibility: input.visibility ?? null },
  });
  await writeAudit(tx, actor, {
    action: "compute.image.update",
    orgId: project.orgId,
    projectId: project.id,
    target: { kind: "image", id: row.id, name: updated!.name },
    data: {
      before: { name: row.name, visibility: row.attrs.visibility },
      after: { name: updated!.name, visibility: updated!.attrs.visibility },
      jobId: job.id,
    },
  });
  return { row: updated!, job };
}
