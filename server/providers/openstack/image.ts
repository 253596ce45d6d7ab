// Glance (image v2): create, upload data, list, show, update (JSON patch: visibility,
// properties), deactivate/reactivate, delete.
import { z } from "zod";
import type { Query, ServiceClient } from "./client";
import { JOB_ID_KEY, ignoreNotFound, pollUntil, type CreateMeta, type PollOptions } from "./common";

export const imageSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  visibility: z.string().optional(),
  size: z.number().nullish(),
  virtual_size: z.number().nullish(),
  disk_format: z.string().nullish(),
  container_format: z.string().nullish(),
  min_disk: z.number().optional(),
  min_ram: z.number().optional(),
  protected: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  owner: z.string().nullish(),
  checksum: z.string().nullish(),
  os_hash_algo: z.string().nullish(),
  os_hash_value: z.string().nullish(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type Image = z.infer<typeof imageSchema>;

export type ImageVisibility = "public" | "private" | "shared" | "community";
export type DiskFormat =
  | "raw"
  | "qcow2"
  | "vmdk"
  | "vdi"
  | "vhd"
  | "vhdx"
  | "iso"
  | "ami"
  | "ari"
  | "aki"
  | "ploop";

export interface ImageCreate extends CreateMeta {
  name: string;
  diskFormat: DiskFormat;
  containerFormat?: "bare" | "ovf" | "ova" | "docker" | "ami" | "ari" | "aki" | "compressed";
  visibility?: ImageVisibility;
  minDisk?: number;
  minRam?: number;
  tags?: string[];
  protected?: boolean;
  /** Extra properties (os_distro, hw_*, ...); Glance stores them as strings. */
  properties?: Record<string, string>;
}

export type ImagePatchOp =
  | { op: "replace" | "add"; path: string; value: unknown }
  | { op: "remove"; path: string };

const enc = encodeURIComponent;
const PATCH = "application/openstack-images-v2.1-json-patch";

export function imageApi(svc: ServiceClient) {
  const getImage = (id: string) => svc.json("GET", `/images/${enc(id)}`, imageSchema);
  const patch = (id: string, ops: ImagePatchOp[]) =>
    svc.json("PATCH", `/images/${enc(id)}`, imageSchema, { json: ops, contentType: PATCH });

  return {
    listImages: (query: Query = {}, page: { pageSize?: number; max?: number } = {}) =>
      svc.list("/images", "images", imageSchema, { query, ...page }),
    getImage,
    findImage: (id: string) => svc.getOrUndefined(`/images/${enc(id)}`, imageSchema),
    /** Creates the record (status queued); upload the data next. */
    createImage: (i: ImageCreate) =>
      svc.json("POST", "/images", imageSchema, {
        json: {
          name: i.name,
          disk_format: i.diskFormat,
          container_format: i.containerFormat ?? "bare",
          ...(i.visibility ? { visibility: i.visibility } : {}),
          ...(i.minDisk !== undefined ? { min_disk: i.minDisk } : {}),
          ...(i.minRam !== undefined ? { min_ram: i.minRam } : {}),
          ...(i.tags ? { tags: i.tags } : {}),
          ...(i.protected !== undefined ? { protected: i.protected } : {}),
          ...i.properties,
          ...(i.jobId ? { [JOB_ID_KEY]: i.jobId } : {}),
        },
      }),
    /** The image a job created earlier: Glance filters on extra properties. */
    findImageByJobId: async (jobId: string) => {
      for await (const img of svc.list("/images", "images", imageSchema, {
        query: { [JOB_ID_KEY]: jobId },
      })) {
        if ((img as Record<string, unknown>)[JOB_ID_KEY] === jobId) return img;
      }
      return undefined;
    },
    /**
     * Uploads the image data. Bytes and Blobs can be resent on a transient failure; a stream
     * is sent once. Uploads get a long timeout of their own.
     */
    uploadImageData: async (
      id: string,
      data: Uint8Array | Blob | ReadableStream<Uint8Array>,
      opts: { timeoutMs?: number } = {},
    ) => {
      await svc.send("PUT", `/images/${enc(id)}/file`, {
        body: data,
        contentType: "application/octet-stream",
        timeoutMs: opts.timeoutMs ?? 30 * 60_000,
      });
    },
    updateImage: patch,
    setImageVisibility: (id: string, visibility: ImageVisibility) =>
      patch(id, [{ op: "replace", path: "/visibility", value: visibility }]),
    renameImage: (id: string, name: string) => patch(id, [{ op: "replace", path: "/name", value: name }]),
    setImageProperties: (id: string, properties: Record<string, string>) =>
      patch(
        id,
        Object.entries(properties).map(([k, value]) => ({
          op: "add" as const,
          path: `/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`,
          value,
        })),
      ),
    deactivateImage: async (id: string) => {
      await svc.send("POST", `/images/${enc(id)}/actions/deactivate`, { idempotent: true });
    },
    reactivateImage: async (id: string) => {
      await svc.send("POST", `/images/${enc(id)}/actions/reactivate`, { idempotent: true });
    },
    deleteImage: async (id: string) => {
      await svc.send("DELETE", `/images/${enc(id)}`);
    },
    waitForImage: (id: string, statuses: string[], opts: PollOptions = {}) =>
      pollUntil(
        `Image ${id}`,
        () => getImage(id),
        (i) => statuses.includes(i.status),
        (i) =>
          i.status === "killed" || (i.status === "deleted" && !statuses.includes("deleted"))
            ? `the image is ${i.status}`
            : undefined,
        opts,
      ),
    waitForImageDeleted: (id: string, opts: PollOptions = {}) =>
      pollUntil(
        `Deletion of image ${id}`,
        () => ignoreNotFound(getImage(id)),
        (i) => i === undefined || i.status === "deleted",
        () => undefined,
        opts,
      ),
  };
}

export type ImageApi = ReturnType<typeof imageApi>;
