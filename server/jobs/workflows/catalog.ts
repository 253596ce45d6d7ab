// Jobs on the project's catalogue: key pairs (import into Nova, delete) and images (create the
// Glance record, change it, delete it). Each step first looks for what an earlier attempt did.
import { notifyResource } from "@/server/services/inventory";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { resources } from "@/db/schema";
import { AppError } from "@/server/errors";
import { ignoreNotFound } from "@/server/providers/openstack/common";
import type { DiskFormat, ImageVisibility } from "@/server/providers/openstack/image";
import { loadJobTarget } from "@/server/services/compute/upstream";
import type { JobRow } from "../jobs";
import type { Workflow } from "./index";

async function settle(tx: Tx, job: JobRow, patch: Partial<typeof resources.$inferInsert>) {
  const [row] = await tx
    .update(resources)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(resources.id, String(job.input.resourceId)))
    .returning();
  if (row) await notifyResource(tx, row);
}

const str = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);

const gone = { status: "DELETED", deletedAt: new Date() };

export const catalogWorkflows: Workflow[] = [
  {
    kind: "keypair.create",
    title: "Create key pair",
    steps: [
      {
        name: "Import the public key into Nova",
        async run({ job }) {
          const { row, cloud } = await loadJobTarget(job);
          const existing = await ignoreNotFound(cloud.compute.getKeypair(row.providerRef!));
          const publicKey = String((row.desired as { publicKey: string }).publicKey);
          if (existing && existing.public_key?.trim() !== publicKey.trim())
            throw new AppError("CONFLICT", `Nova already holds another key named ${row.name}`, {
              transient: false,
            });
          const kp = existing ?? (await cloud.compute.createKeypair(row.providerRef!, { publicKey }));
          return { fingerprint: kp.fingerprint ?? null };
        },
      },
    ],
    async onSuccess(tx, job) {
      await settle(tx, job, { status: "ACTIVE", observedAt: new Date() });
    },
    async onFailure(tx, job) {
      // the name becomes free again; the job keeps the error
      await settle(tx, job, { status: "FAILED", deletedAt: new Date() });
    },
  },
  {
    kind: "keypair.delete",
    title: "Delete key pair",
    steps: [
      {
        name: "Delete the key pair in Nova",
        async run({ job }) {
          const { row, cloud } = await loadJobTarget(job);
          await ignoreNotFound(cloud.compute.deleteKeypair(row.providerRef!));
        },
      },
    ],
    onSuccess: (tx, job) => settle(tx, job, gone),
    onFailure: (tx, job) => settle(tx, job, { status: str(job.input.previousStatus, "ACTIVE") }),
  },
  {
    kind: "image.create",
    title: "Create image",
    steps: [
      {
        name: "Create the image record in Glance",
        async run({ job }) {
          const { db, row, cloud } = await loadJobTarget(job);
          const d = row.desired as {
            name: string;
            diskFormat: DiskFormat;
            containerFormat: "bare";
            visibility: ImageVisibility;
            minDiskGb: number;
            minRamMb: number;
            osDistro?: string;
            osVersion?: string;
          };
          const image =
            (await cloud.image.findImageByJobId(job.id)) ??
            (await cloud.image.createImage({
              jobId: job.id,
              name: d.name,
              diskFormat: d.diskFormat,
              containerFormat: d.containerFormat,
              visibility: d.visibility,
              minDisk: d.minDiskGb,
              minRam: d.minRamMb,
              properties: {
                ...(d.osDistro ? { os_distro: d.osDistro } : {}),
                ...(d.osVersion ? { os_version: d.osVersion } : {}),
                cirrus_resource_id: row.id,
              },
            }));
          await db
            .update(resources)
            .set({ providerRef: image.id, status: image.status, updatedAt: new Date() })
            .where(eq(resources.id, row.id));
          return { imageId: image.id };
        },
      },
    ],
    async onFailure(tx, job) {
      await settle(tx, job, { status: "FAILED", deletedAt: new Date() });
    },
  },
  {
    kind: "image.update",
    title: "Update image",
    steps: [
      {
        name: "Update the image in Glance",
        async run({ job }) {
          const { row, cloud } = await loadJobTarget(job);
          const ops: { op: "replace"; path: string; value: unknown }[] = [];
          if (job.input.name) ops.push({ op: "replace", path: "/name", value: job.input.name });
          if (job.input.visibility)
            ops.push({ op: "replace", path: "/visibility", value: job.input.visibility });
          if (ops.length) await cloud.image.updateImage(row.providerRef!, ops);
        },
      },
    ],
  },
  {
    kind: "image.delete",
    title: "Delete image",
    steps: [
      {
        name: "Delete the image in Glance",
        async run({ job }) {
          const { row, cloud } = await loadJobTarget(job);
          if (row.providerRef) await ignoreNotFound(cloud.image.deleteImage(row.providerRef));
        },
      },
    ],
    onSuccess: (tx, job) => settle(tx, job, gone),
    onFailure: (tx, job) => settle(tx, job, { status: str(job.input.previousStatus, "active") }),
  },
];
