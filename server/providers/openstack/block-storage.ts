// Cinder (block storage v3, microversion 3.64 by default): volumes (blank, from image, snapshot
// or volume), extend, snapshots, volume types, limits and quotas.
import { z } from "zod";
import type { Query, ServiceClient } from "./client";
import {
  JOB_ID_KEY,
  ignoreNotFound,
  metadataSchema,
  pollUntil,
  type CreateMeta,
  type PollOptions,
} from "./common";

export const volumeSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  size: z.number(),
  availability_zone: z.string().nullish(),
  volume_type: z.string().nullish(),
  bootable: z.union([z.string(), z.boolean()]).optional(),
  encrypted: z.boolean().optional(),
  multiattach: z.boolean().optional(),
  description: z.string().nullish(),
  metadata: metadataSchema.optional(),
  snapshot_id: z.string().nullish(),
  source_volid: z.string().nullish(),
  created_at: z.string().optional(),
  updated_at: z.string().nullish(),
  attachments: z
    .array(
      z.looseObject({
        server_id: z.string().optional(),
        attachment_id: z.string().optional(),
        device: z.string().nullish(),
      }),
    )
    .optional(),
  "os-vol-tenant-attr:tenant_id": z.string().optional(),
  volume_image_metadata: z.record(z.string(), z.unknown()).optional(),
});
export type Volume = z.infer<typeof volumeSchema>;

export const snapshotSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  size: z.number(),
  volume_id: z.string(),
  description: z.string().nullish(),
  metadata: metadataSchema.optional(),
  created_at: z.string().optional(),
  progress: z.string().nullish(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const volumeTypeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  is_public: z.boolean().optional(),
  extra_specs: z.record(z.string(), z.string()).optional(),
});
export type VolumeType = z.infer<typeof volumeTypeSchema>;

export interface VolumeCreate extends CreateMeta {
  name: string;
  size: number;
  description?: string;
  volumeType?: string;
  availabilityZone?: string;
  imageRef?: string;
  snapshotId?: string;
  sourceVolid?: string;
  metadata?: Record<string, string>;
  multiattach?: boolean;
}

const enc = encodeURIComponent;
const volumeBody = z.looseObject({ volume: volumeSchema });
const snapshotBody = z.looseObject({ snapshot: snapshotSchema });

/** Statuses a volume does not leave by itself. */
const VOLUME_FAILED = new Set(["error", "error_extending", "error_restoring", "error_managing"]);

export function blockStorageApi(svc: ServiceClient) {
  const getVolume = async (id: string) => (await svc.json("GET", `/volumes/${enc(id)}`, volumeBody)).volume;
  const getSnapshot = async (id: string) =>
    (await svc.json("GET", `/snapshots/${enc(id)}`, snapshotBody)).snapshot;
  const action = async (id: string, body: Record<string, unknown>) => {
    await svc.send("POST", `/volumes/${enc(id)}/action`, { json: body });
  };

  return {
    // --- volumes
    listVolumes: (query: Query = {}, page: { pageSize?: number; max?: number } = {}) =>
      svc.list("/volumes/detail", "volumes", volumeSchema, { query, ...page }),
    getVolume,
    findVolume: async (id: string) => (await svc.getOrUndefined(`/volumes/${enc(id)}`, volumeBody))?.volume,
    createVolume: async (v: VolumeCreate) => {
      const metadata = { ...v.metadata, ...(v.jobId ? { [JOB_ID_KEY]: v.jobId } : {}) };
      const body = {
        name: v.name,
        size: v.size,
        ...(v.description !== undefined ? { description: v.description } : {}),
        ...(v.volumeType ? { volume_type: v.volumeType } : {}),
        ...(v.availabilityZone ? { availability_zone: v.availabilityZone } : {}),
        ...(v.imageRef ? { imageRef: v.imageRef } : {}),
        ...(v.snapshotId ? { snapshot_id: v.snapshotId } : {}),
        ...(v.sourceVolid ? { source_volid: v.sourceVolid } : {}),
        ...(v.multiattach !== undefined ? { multiattach: v.multiattach } : {}),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      };
      return (await svc.json("POST", "/volumes", volumeBody, { json: { volume: body } })).volume;
    },
    /** The volume a job created earlier (name filter upstream, job id checked here). */
    findVolumeByJobId: async (jobId: string, name?: string) => {
      for await (const v of svc.list("/volumes/detail", "volumes", volumeSchema, {
        query: name ? { name } : {},
      })) {
        if (v.metadata?.[JOB_ID_KEY] === jobId) return v;
      }
      return undefined;
    },
    updateVolume: async (
      id: string,
      patch: { name?: string; description?: string; metadata?: Record<string, string> },
    ) => (await svc.json("PUT", `/volumes/${enc(id)}`, volumeBody, { json: { volume: patch } })).volume,
    deleteVolume: async (id: string, opts: { cascade?: boolean } = {}) => {
      await svc.send("DELETE", `/volumes/${enc(id)}`, { query: opts.cascade ? { cascade: "true" } : {} });
    },
    extendVolume: (id: string, newSize: number) => action(id, { "os-extend": { new_size: newSize } }),
    setBootable: (id: string, bootable: boolean) => action(id, { "os-set_bootable": { bootable } }),
    retypeVolume: (id: string, newType: string, migrationPolicy: "never" | "on-demand" = "never") =>
      action(id, { "os-retype": { new_type: newType, migration_policy: migrationPolicy } }),
    waitForVolume: (id: string, statuses: string[], opts: PollOptions = {}) =>
      pollUntil(
        `Volume ${id}`,
        () => getVolume(id),
        (v) => statuses.includes(v.status),
        (v) =>
          VOLUME_FAILED.has(v.status) && !statuses.includes(v.status)
            ? `the volume went into ${v.status}`
            : undefined,
        opts,
      ),
    waitForVolumeDeleted: (id: string, opts: PollOptions = {}) =>
      pollUntil(
        `Deletion of volume ${id}`,
        () => ignoreNotFound(getVolume(id)),
        (v) => v === undefined || v.status === "deleted",
        (v) => (v?.status === "error_deleting" ? "the volume went into error_deleting" : undefined),
        opts,
      ),

    // --- snapshots
    listSnapshots: (query: Query = {}) =>
      svc.list("/snapshots/detail", "snapshots", snapshotSchema, { query }),
    getSnapshot,
    createSnapshot: async (
      s: CreateMeta & {
        volumeId: string;
        name: string;
        description?: string;
        force?: boolean;
        metadata?: Record<string, string>;
      },
    ) => {
      const metadata = { ...s.metadata, ...(s.jobId ? { [JOB_ID_KEY]: s.jobId } : {}) };
      return (
        await svc.json("POST", "/snapshots", snapshotBody, {
          json: {
            snapshot: {
              volume_id: s.volumeId,
              name: s.name,
              // force: snapshot an in-use volume (crash-consistent)
              force: s.force ?? false,
              ...(s.description !== undefined ? { description: s.description } : {}),
              ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
            },
          },
        })
      ).snapshot;
    },
    findSnapshotByJobId: async (jobId: string, name?: string) => {
      for await (const s of svc.list("/snapshots/detail", "snapshots", snapshotSchema, {
        query: name ? { name } : {},
      })) {
        if (s.metadata?.[JOB_ID_KEY] === jobId) return s;
      }
      return undefined;
    },
    deleteSnapshot: async (id: string) => {
      await svc.send("DELETE", `/snapshots/${enc(id)}`);
    },
    waitForSnapshot: (id: string, statuses: string[], opts: PollOptions = {}) =>
      pollUntil(
        `Snapshot ${id}`,
        () => getSnapshot(id),
        (s) => statuses.includes(s.status),
        (s) =>
          s.status === "error" && !statuses.includes("error") ? "the snapshot went into error" : undefined,
        opts,
      ),
    waitForSnapshotDeleted: (id: string, opts: PollOptions = {}) =>
      pollUntil(
        `Deletion of snapshot ${id}`,
        () => ignoreNotFound(getSnapshot(id)),
        (s) => s === undefined || s.status === "deleted",
        (s) => (s?.status === "error_deleting" ? "the snapshot went into error_deleting" : undefined),
        opts,
      ),

    // --- types, limits, quotas
    listVolumeTypes: async () =>
      (await svc.json("GET", "/types", z.looseObject({ volume_types: z.array(volumeTypeSchema) })))
        .volume_types,
    limits: async () =>
      (
        await svc.json(
          "GET",
          "/limits",
          z.looseObject({ limits: z.looseObject({ absolute: z.record(z.string(), z.number()) }) }),
        )
      ).limits.absolute,
    quotas: async (projectId: string) =>
      (
        await svc.json(
          "GET",
          `/os-quota-sets/${enc(projectId)}`,
          z.looseObject({ quota_set: z.record(z.string(), z.unknown()) }),
          {
            query: { usage: "true" },
          },
        )
      ).quota_set,
    updateQuotas: async (projectId: string, quotas: Record<string, number>) =>
      (
        await svc.json(
          "PUT",
          `/os-quota-sets/${enc(projectId)}`,
          z.looseObject({ quota_set: z.record(z.string(), z.unknown()) }),
          { json: { quota_set: quotas } },
        )
      ).quota_set,
  };
}

export type BlockStorageApi = ReturnType<typeof blockStorageApi>;
