// Cinder v3 (per region, mounted at /<region>/volume/v3/{project_id}): volumes and snapshots with
// their asynchronous status machine, volume actions, types, limits, quotas and AZs.
import type { ServiceCall, SimCore, SimService } from "../core";
import { faultBody } from "../errors";
import {
  asText,
  ApiError,
  Router,
  emptyResponse,
  header,
  isObject,
  jsonResponse,
  queryBool,
  resolveRoute,
  withQuery,
} from "../http";
import type { SimResponse } from "../http";
import { isoMicros, uuid } from "../ids";
import type { CinderAttachment, RegionState, Snapshot, Transition, Volume, VolumeType } from "../model";
import { AVAILABILITY_ZONES, controllerHost } from "../topology";
import { compareBy, jsonBody, regionContext } from "./common";
import type { RegionCtx } from "./common";
import { findImage } from "./image";

export const CINDER_MIN = "3.0";
export const CINDER_MAX = "3.70";
const MAX_LIMIT = 1000;

export const CINDER_QUOTA_DEFAULTS: Record<string, number> = {
  volumes: 10,
  snapshots: 10,
  gigabytes: 1000,
  backups: 10,
  backup_gigabytes: 1000,
  groups: 10,
  per_volume_gigabytes: -1,
};

interface Ctx extends RegionCtx {
  /** Microversion as [major, minor]. */
  mv: [number, number];
  /** Project id from the URL (Cinder's endpoint carries it). */
  urlProject: string;
}

function atLeast(ctx: Ctx, minor: number): boolean {
  return ctx.mv[1] >= minor;
}

function badRequest(message: string): ApiError {
  return new ApiError(400, message);
}
function invalidInput(message: string): ApiError {
  return new ApiError(400, `Invalid input received: ${message}`);
}
function invalidVolume(reason: string): ApiError {
  return new ApiError(400, `Invalid volume: ${reason}`);
}
function volumeNotFound(id: string): ApiError {
  return new ApiError(404, `Volume ${id} could not be found.`);
}
function snapshotNotFound(id: string): ApiError {
  return new ApiError(404, `Snapshot ${id} could not be found.`);
}
function policy(action: string): ApiError {
  return new ApiError(403, `Policy doesn't allow ${action} to be performed.`);
}

// ---------------------------------------------------------------- microversions

function parseVersion(text: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function negotiate(call: ServiceCall): [number, number] {
  const raw = header(call.req, "openstack-api-version");
  if (!raw) return [3, 0];
  const parts = raw.trim().split(/\s+/);
  if (parts[0]?.toLowerCase() !== "volume") return [3, 0];
  const value = parts[1] ?? "";
  if (value === "latest") return parseVersion(CINDER_MAX) as [number, number];
  const v = parseVersion(value);
  if (!v)
    throw new ApiError(
      400,
      `API Version String ${value} is of invalid format. Must be of format MajorNum.MinorNum.`,
    );
  if (v[0] !== 3 || v[1] > 70)
    throw new ApiError(
      406,
      `Version ${value} is not supported by the API. Minimum is ${CINDER_MIN} and maximum is ${CINDER_MAX}.`,
    );
  return v;
}

// ---------------------------------------------------------------- quotas

export function cinderQuota(rs: RegionState, projectId: string): Record<string, number> {
  const out: Record<string, number> = { ...CINDER_QUOTA_DEFAULTS };
  for (const t of Object.values(rs.volume.types)) {
    out[`volumes_${t.name}`] = -1;
    out[`gigabytes_${t.name}`] = -1;
    out[`snapshots_${t.name}`] = -1;
  }
  return { ...out, ...rs.volume.quotas[projectId] };
}

function cinderUsage(rs: RegionState, projectId: string): Record<string, number> {
  const volumes = Object.values(rs.volume.volumes).filter((v) => v.project_id === projectId);
  const snapshots = Object.values(rs.volume.snapshots).filter((s) => s.project_id === projectId);
  const out: Record<string, number> = {
    volumes: volumes.length,
    snapshots: snapshots.length,
    gigabytes: volumes.reduce((a, v) => a + v.size, 0) + snapshots.reduce((a, s) => a + s.size, 0),
    backups: 0,
    backup_gigabytes: 0,
    groups: 0,
    per_volume_gigabytes: 0,
  };
  for (const t of Object.values(rs.volume.types)) {
    const ofType = volumes.filter((v) => v.volume_type_id === t.id);
    out[`volumes_${t.name}`] = ofType.length;
    out[`gigabytes_${t.name}`] = ofType.reduce((a, v) => a + v.size, 0);
    out[`snapshots_${t.name}`] = snapshots.filter(
      (s) => rs.volume.volumes[s.volume_id]?.volume_type_id === t.id,
    ).length;
  }
  return out;
}

/** Raises Cinder's 413 when a new volume/snapshot of `size` GB would break the project's quota. */
export function checkVolumeQuota(
  rs: RegionState,
  projectId: string,
  kind: "volumes" | "snapshots" | null,
  size: number,
): void {
  const limits = cinderQuota(rs, projectId);
  const used = cinderUsage(rs, projectId);
  if (kind !== null) {
    const limit = limits[kind] ?? -1;
    if (limit >= 0 && (used[kind] ?? 0) + 1 > limit) {
      if (kind === "volumes")
        throw new ApiError(
          413,
          `VolumeLimitExceeded: Maximum number of volumes allowed (${limit}) exceeded for quota 'volumes'.`,
        );
      throw new ApiError(
        413,
        `SnapshotLimitExceeded: Maximum number of snapshots allowed (${limit}) exceeded`,
      );
    }
  }
  const perVolume = limits.per_volume_gigabytes ?? -1;
  if (perVolume >= 0 && size > perVolume) {
    throw new ApiError(
      413,
      `VolumeSizeExceedsLimit: Requested volume size ${size}G is larger than maximum allowed limit ${perVolume}G.`,
    );
  }
  const gb = limits.gigabytes ?? -1;
  const usedGb = used.gigabytes ?? 0;
  if (gb >= 0 && usedGb + size > gb) {
    throw new ApiError(
      413,
      `VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${size}G, quota is ${gb}G and ${usedGb}G has been consumed.`,
    );
  }
}

// ---------------------------------------------------------------- shared with Nova

function defaultType(rs: RegionState): VolumeType {
  const t =
    Object.values(rs.volume.types).find((x) => x.name === "__DEFAULT__") ?? Object.values(rs.volume.types)[0];
  if (!t) throw new ApiError(500, "no volume types");
  return t;
}

export interface NewVolume {
  projectId: string;
  userId: string;
  size: number;
  name: string | null;
  description?: string | null;
  availabilityZone: string;
  type?: VolumeType;
  imageId?: string;
  snapshotId?: string;
  sourceVolId?: string;
  metadata?: Record<string, string>;
  multiattach?: boolean;
  /** Boot-from-volume: attach to this server as soon as the volume exists. */
  attachTo?: { serverId: string; device: string; attachmentId: string };
}

export function createVolumeRecord(core: SimCore, region: string, v: NewVolume): Volume {
  const rs = core.store.region(region);
  const now = Date.now();
  const type = v.type ?? defaultType(rs);
  let imageMeta: Record<string, string> | null = null;
  if (v.imageId !== undefined) {
    const image = rs.image.images[v.imageId];
    if (image) {
      imageMeta = {
        image_id: image.id,
        image_name: image.name ?? "",
        checksum: image.checksum ?? "",
        container_format: image.container_format ?? "",
        disk_format: image.disk_format ?? "",
        min_disk: String(image.min_disk),
        min_ram: String(image.min_ram),
        size: String(image.size ?? 0),
        ...image.properties,
      };
    }
  }
  const source = v.sourceVolId ? rs.volume.volumes[v.sourceVolId] : undefined;
  const fromSnapshot = v.snapshotId
    ? rs.volume.volumes[rs.volume.snapshots[v.snapshotId]?.volume_id ?? ""]
    : undefined;
  const volume: Volume = {
    id: uuid(),
    name: v.name,
    description: v.description ?? null,
    status: "creating",
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: isoMicros(now),
    updated_at: null,
    attachments: [],
    volume_type: type.name,
    volume_type_id: type.id,
    snapshot_id: v.snapshotId ?? null,
    source_volid: v.sourceVolId ?? null,
    metadata: v.metadata ?? {},
    user_id: v.userId,
    project_id: v.projectId,
    bootable:
      imageMeta !== null || source?.bootable === "true" || fromSnapshot?.bootable === "true"
        ? "true"
        : "false",
    encrypted: false,
    multiattach: v.multiattach ?? false,
    migration_status: null,
    replication_status: null,
    group_id: null,
    host: `${controllerHost(region)}@${type.extra_specs.volume_backend_name ?? "lvmdriver-1"}#${type.extra_specs.volume_backend_name ?? "lvmdriver-1"}`,
    volume_image_metadata:
      imageMeta ?? source?.volume_image_metadata ?? fromSnapshot?.volume_image_metadata ?? null,
    createdMs: now,
  };
  rs.volume.volumes[volume.id] = volume;
  const delay = core.delay(v.imageId !== undefined ? "volume.create_from_image" : "volume.create");
  core.scheduler.schedule(
    "volume.created",
    region,
    volume.id,
    v.imageId !== undefined ? Math.round(delay / 3) : delay,
    {
      downloading: v.imageId !== undefined,
      attachTo: v.attachTo ?? null,
    },
  );
  core.store.changed();
  return volume;
}

/** Nova's attach: the volume is attaching at once and in-use when the host finished. */
export function beginAttach(
  core: SimCore,
  region: string,
  volume: Volume,
  serverId: string,
  device: string,
  attachmentId: string,
): void {
  volume.status = "attaching";
  volume.updated_at = isoMicros(Date.now());
  core.scheduler.schedule("volume.attached", region, volume.id, core.delay("volume.attach"), {
    serverId,
    device,
    attachmentId,
  });
  core.store.changed();
}

export function beginDetach(
  core: SimCore,
  region: string,
  volume: Volume,
  serverId: string,
  deleteAfter = false,
): void {
  volume.status = "detaching";
  volume.updated_at = isoMicros(Date.now());
  core.scheduler.schedule("volume.detached", region, volume.id, core.delay("volume.detach"), {
    serverId,
    deleteAfter,
  });
  core.store.changed();
}

export function beginDelete(core: SimCore, region: string, volume: Volume): void {
  volume.status = "deleting";
  volume.updated_at = isoMicros(Date.now());
  core.scheduler.schedule("volume.deleted", region, volume.id, core.delay("volume.delete"));
  core.store.changed();
}

function attach(
  volume: Volume,
  serverId: string,
  device: string,
  attachmentId: string,
  host: string | null,
): void {
  const now = isoMicros(Date.now());
  const record: CinderAttachment = {
    id: volume.id,
    attachment_id: attachmentId,
    volume_id: volume.id,
    server_id: serverId,
    host_name: host,
    device,
    attached_at: now,
  };
  volume.attachments = [...volume.attachments.filter((a) => a.server_id !== serverId), record];
  volume.status = "in-use";
  volume.updated_at = now;
}

function registerTransitions(core: SimCore): void {
  const vol = (t: Transition): Volume | undefined => core.store.region(t.region).volume.volumes[t.target];
  core.scheduler.register("volume.created", (t) => {
    const v = vol(t);
    if (!v || (v.status !== "creating" && v.status !== "downloading")) return;
    if (t.data.downloading === true && v.status === "creating") {
      v.status = "downloading";
      v.updated_at = isoMicros(Date.now());
      core.scheduler.schedule(
        "volume.created",
        t.region,
        v.id,
        Math.round((core.delay("volume.create_from_image") * 2) / 3),
        { ...t.data, downloading: false },
      );
      return;
    }
    const target = t.data.attachTo;
    if (isObject(target) && typeof target.serverId === "string") {
      const server = core.store.region(t.region).compute.servers[target.serverId];
      if (server) {
        attach(v, target.serverId, String(target.device), String(target.attachmentId), server.host);
        return;
      }
    }
    v.status = "available";
    v.updated_at = isoMicros(Date.now());
  });
  core.scheduler.register("volume.attached", (t) => {
    const v = vol(t);
    if (!v || v.status !== "attaching") return;
    const serverId = String(t.data.serverId);
    const server = core.store.region(t.region).compute.servers[serverId];
    if (!server) {
      v.status = v.attachments.length > 0 ? "in-use" : "available";
      return;
    }
    attach(v, serverId, String(t.data.device), String(t.data.attachmentId), server.host);
  });
  core.scheduler.register("volume.detached", (t) => {
    const v = vol(t);
    if (!v || v.status !== "detaching") return;
    v.attachments = v.attachments.filter((a) => a.server_id !== t.data.serverId);
    v.updated_at = isoMicros(Date.now());
    if (t.data.deleteAfter === true && v.attachments.length === 0) {
      beginDelete(core, t.region, v);
      return;
    }
    v.status = v.attachments.length > 0 ? "in-use" : "available";
  });
  core.scheduler.register("volume.deleted", (t) => {
    const rs = core.store.region(t.region);
    const v = rs.volume.volumes[t.target];
    if (!v || v.status !== "deleting") return;
    for (const s of Object.values(rs.volume.snapshots))
      if (s.volume_id === v.id) delete rs.volume.snapshots[s.id];
    delete rs.volume.volumes[t.target];
  });
  core.scheduler.register("volume.extended", (t) => {
    const v = vol(t);
    if (!v || v.status !== "extending") return;
    v.size = Number(t.data.newSize);
    v.status = v.attachments.length > 0 ? "in-use" : "available";
    v.updated_at = isoMicros(Date.now());
  });
  core.scheduler.register("snapshot.created", (t) => {
    const s = core.store.region(t.region).volume.snapshots[t.target];
    if (!s || s.status !== "creating") return;
    s.status = "available";
    s.progress = "100%";
    s.updated_at = isoMicros(Date.now());
  });
  core.scheduler.register("snapshot.deleted", (t) => {
    const rs = core.store.region(t.region);
    const s = rs.volume.snapshots[t.target];
    if (!s || s.status !== "deleting") return;
    delete rs.volume.snapshots[t.target];
  });
}

// ---------------------------------------------------------------- rendering

function links(ctx: Ctx, kind: string, id: string): { href: string; rel: string }[] {
  return [
    { href: `${ctx.root}/v3/${ctx.urlProject}/${kind}/${id}`, rel: "self" },
    { href: `${ctx.root}/${ctx.urlProject}/${kind}/${id}`, rel: "bookmark" },
  ];
}

function renderVolume(ctx: Ctx, v: Volume, detail: boolean): Record<string, unknown> {
  if (!detail) return { id: v.id, links: links(ctx, "volumes", v.id), name: v.name };
  const out: Record<string, unknown> = {
    id: v.id,
    name: v.name,
    description: v.description,
    status: v.status,
    size: v.size,
    availability_zone: v.availability_zone,
    created_at: v.created_at,
    updated_at: v.updated_at,
    attachments: v.attachments,
    links: links(ctx, "volumes", v.id),
    volume_type: v.volume_type,
    snapshot_id: v.snapshot_id,
    source_volid: v.source_volid,
    metadata: v.metadata,
    user_id: v.user_id,
    bootable: v.bootable,
    encrypted: v.encrypted,
    replication_status: v.replication_status,
    consistencygroup_id: null,
    multiattach: v.multiattach,
    "os-vol-tenant-attr:tenant_id": v.project_id,
  };
  if (v.volume_image_metadata) out.volume_image_metadata = v.volume_image_metadata;
  if (ctx.auth.isAdmin) {
    out["os-vol-host-attr:host"] = v.host;
    out["os-vol-mig-status-attr:migstat"] = v.migration_status;
    out["os-vol-mig-status-attr:name_id"] = null;
  }
  if (atLeast(ctx, 13)) out.group_id = v.group_id;
  if (atLeast(ctx, 21) && ctx.auth.isAdmin) out.provider_id = null;
  if (atLeast(ctx, 48)) {
    out.shared_targets = false;
    if (ctx.auth.isAdmin) out.service_uuid = "5b2a5b34-1f36-4d3d-9bb2-6c7a2c0b6e10";
  }
  if (atLeast(ctx, 61) && ctx.auth.isAdmin) out.cluster_name = null;
  if (atLeast(ctx, 63)) out.volume_type_id = v.volume_type_id;
  if (atLeast(ctx, 64)) out.encryption_key_id = null;
  if (atLeast(ctx, 65)) out.consumes_quota = true;
  return out;
}

function renderSnapshot(ctx: Ctx, s: Snapshot, detail: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: s.id,
    created_at: s.created_at,
    updated_at: s.updated_at,
    name: s.name,
    description: s.description,
    volume_id: s.volume_id,
    status: s.status,
    size: s.size,
    metadata: s.metadata,
  };
  if (detail) {
    out["os-extended-snapshot-attributes:project_id"] = s.project_id;
    out["os-extended-snapshot-attributes:progress"] = s.progress;
  }
  if (atLeast(ctx, 14)) out.group_snapshot_id = null;
  if (atLeast(ctx, 41)) out.user_id = s.user_id;
  if (atLeast(ctx, 65)) out.consumes_quota = true;
  return out;
}

function renderType(ctx: Ctx, t: VolumeType): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    description: t.description,
    is_public: t.is_public,
    "os-volume-type-access:is_public": t.is_public,
  };
  if (ctx.auth.isAdmin) {
    out.extra_specs = t.extra_specs;
    out.qos_specs_id = t.qos_specs_id;
  } else {
    const qualified = Object.fromEntries(
      Object.entries(t.extra_specs).filter(([k]) => k === "multiattach" || k === "RESKEY:availability_zones"),
    );
    out.extra_specs = qualified;
  }
  return out;
}

// ---------------------------------------------------------------- lookups & listing

function visibleVolume(ctx: Ctx, v: Volume): boolean {
  return ctx.auth.isAdmin || v.project_id === ctx.auth.projectId;
}

function getVolume(ctx: Ctx, id: string): Volume {
  const v = ctx.rs.volume.volumes[id];
  if (!v || !visibleVolume(ctx, v)) throw volumeNotFound(id);
  return v;
}

function getSnapshot(ctx: Ctx, id: string): Snapshot {
  const s = ctx.rs.volume.snapshots[id];
  if (!s || !(ctx.auth.isAdmin || s.project_id === ctx.auth.projectId)) throw snapshotNotFound(id);
  return s;
}

function scopeFilter(ctx: Ctx): (projectId: string) => boolean {
  const q = ctx.req.query;
  const allTenants = ctx.auth.isAdmin && queryBool(q.get("all_tenants")) === true;
  const project = q.get("project_id");
  return (projectId) => {
    if (allTenants) return project === null || project === projectId;
    if (ctx.auth.isAdmin && project !== null) return projectId === project;
    return projectId === ctx.urlProject;
  };
}

function paginate<T extends { id: string; createdMs: number }>(
  ctx: Ctx,
  rows: T[],
  collection: string,
  path: string,
  missing: (id: string) => ApiError,
): { page: T[]; links: { href: string; rel: string }[] } {
  const q = ctx.req.query;
  const keys: { key: string; desc: boolean }[] = [];
  const sort = q.get("sort");
  if (sort !== null) {
    for (const part of sort.split(",")) {
      const [key, dir] = part.split(":");
      if (!key) continue;
      if (dir !== undefined && dir !== "asc" && dir !== "desc")
        throw invalidInput(`Invalid sort direction: ${dir}`);
      keys.push({ key, desc: (dir ?? "desc") === "desc" });
    }
  } else {
    const sk = q.get("sort_key");
    const sd = q.get("sort_dir");
    if (sd !== null && sd !== "asc" && sd !== "desc") throw invalidInput(`Invalid sort direction: ${sd}`);
    if (sk !== null) keys.push({ key: sk, desc: (sd ?? "desc") === "desc" });
  }
  if (keys.length === 0) keys.push({ key: "created_at", desc: true });
  rows.sort(
    compareBy<T>([
      ...keys.map((k) => ({
        get: (r: T) =>
          k.key === "created_at" ? r.createdMs : (r as unknown as Record<string, unknown>)[k.key],
        desc: k.desc,
      })),
      { get: (r: T) => r.id, desc: true },
    ]),
  );
  const marker = q.get("marker");
  let start = 0;
  if (marker !== null) {
    const index = rows.findIndex((r) => r.id === marker);
    if (index < 0) throw missing(marker);
    start = index + 1;
  }
  const limitText = q.get("limit");
  let limit = MAX_LIMIT;
  if (limitText !== null) {
    if (!/^\d+$/.test(limitText)) throw badRequest("limit param must be an integer");
    limit = Math.min(Number(limitText), MAX_LIMIT);
  }
  const page = rows.slice(start, start + limit);
  const out: { href: string; rel: string }[] = [];
  const last = page[page.length - 1];
  if (last && page.length === limit && (limitText !== null || rows.length > start + limit)) {
    out.push({
      href: withQuery(`${ctx.root}/v3/${ctx.urlProject}/${path}`, q, {
        limit: String(limit),
        marker: last.id,
      }),
      rel: "next",
    });
  }
  void collection;
  return { page, links: out };
}

function listVolumes(ctx: Ctx, detail: boolean): SimResponse {
  const q = ctx.req.query;
  const inScope = scopeFilter(ctx);
  let rows = Object.values(ctx.rs.volume.volumes).filter(
    (v) => inScope(v.project_id) && visibleVolume(ctx, v),
  );
  for (const key of [
    "name",
    "status",
    "availability_zone",
    "bootable",
    "volume_type",
    "group_id",
    "migration_status",
  ]) {
    const wanted = q.get(key);
    if (wanted === null) continue;
    rows = rows.filter((v) => {
      const actual = (v as unknown as Record<string, unknown>)[key];
      if (key === "bootable") return actual === (queryBool(wanted) === true ? "true" : "false");
      if (key === "volume_type") return v.volume_type === wanted || v.volume_type_id === wanted;
      return String(actual) === wanted;
    });
  }
  const nameLike = q.get("name~");
  if (nameLike !== null) rows = rows.filter((v) => (v.name ?? "").includes(nameLike));
  const metadata = q.get("metadata");
  if (metadata !== null) {
    const wanted = parseLooseDict(metadata);
    rows = rows.filter((v) => Object.entries(wanted).every(([k, val]) => v.metadata[k] === val));
  }
  const total = rows.length;
  const { page, links: pageLinks } = paginate(
    ctx,
    rows,
    "volumes",
    detail ? "volumes/detail" : "volumes",
    volumeNotFound,
  );
  const body: Record<string, unknown> = { volumes: page.map((v) => renderVolume(ctx, v, detail)) };
  if (pageLinks.length > 0) body.volumes_links = pageLinks;
  if (atLeast(ctx, 45) && queryBool(q.get("with_count")) === true) body.count = total;
  return jsonResponse(200, body);
}

function listSnapshots(ctx: Ctx, detail: boolean): SimResponse {
  const q = ctx.req.query;
  const inScope = scopeFilter(ctx);
  let rows = Object.values(ctx.rs.volume.snapshots).filter(
    (s) => inScope(s.project_id) && (ctx.auth.isAdmin || s.project_id === ctx.auth.projectId),
  );
  for (const key of ["name", "status", "volume_id"]) {
    const wanted = q.get(key);
    if (wanted !== null)
      rows = rows.filter((s) => String((s as unknown as Record<string, unknown>)[key]) === wanted);
  }
  const total = rows.length;
  const { page, links: pageLinks } = paginate(
    ctx,
    rows,
    "snapshots",
    detail ? "snapshots/detail" : "snapshots",
    snapshotNotFound,
  );
  const body: Record<string, unknown> = { snapshots: page.map((s) => renderSnapshot(ctx, s, detail)) };
  if (pageLinks.length > 0) body.snapshots_links = pageLinks;
  if (atLeast(ctx, 45) && queryBool(q.get("with_count")) === true) body.count = total;
  return jsonResponse(200, body);
}

/** Cinder accepts metadata filters as a Python-ish dict string: {'k': 'v'} or JSON. */
function parseLooseDict(text: string): Record<string, string> {
  try {
    const parsed = JSON.parse(text.replace(/'/g, '"')) as unknown;
    if (isObject(parsed)) return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    // fall through
  }
  throw invalidInput(`Invalid metadata filter: ${text}`);
}

// ---------------------------------------------------------------- handlers

function parseSize(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const n =
    typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n <= 0) {
    throw invalidInput(
      `Invalid volume size provided for create request: ${asText(raw)} (size argument must be an integer (or string representation of an integer) and greater than zero).`,
    );
  }
  return n;
}

function stringMap(raw: unknown, field: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw))
    throw badRequest(
      `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(raw)}. ${JSON.stringify(raw)} is not of type 'object'`,
    );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string")
      throw badRequest(
        `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(raw)}. ${JSON.stringify(v)} is not of type 'string'`,
      );
    if (k.length > 255 || v.length > 255)
      throw badRequest(
        `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(raw)}. metadata keys and values must be at most 255 characters`,
      );
    out[k] = v;
  }
  return out;
}

function findType(ctx: Ctx, ref: string): VolumeType {
  const types = Object.values(ctx.rs.volume.types);
  const t = ctx.rs.volume.types[ref] ?? types.find((x) => x.name === ref);
  if (!t) throw new ApiError(404, `Volume type with name ${ref} could not be found.`);
  return t;
}

function createVolume(ctx: Ctx): SimResponse {
  const body = jsonBody(ctx, () => badRequest("Malformed request body"));
  const input = body.volume;
  if (!isObject(input)) throw badRequest("Missing required element 'volume' in request body.");
  const projectId = ctx.auth.projectId ?? ctx.urlProject;
  let size = parseSize(input.size);
  const az = input.availability_zone;
  if (
    az !== undefined &&
    az !== null &&
    (typeof az !== "string" || !(AVAILABILITY_ZONES as readonly string[]).includes(az))
  ) {
    throw invalidInput(`Availability zone '${asText(az)}' is invalid.`);
  }
  const type = typeof input.volume_type === "string" ? findType(ctx, input.volume_type) : undefined;
  let snapshotId: string | undefined;
  let sourceId: string | undefined;
  let imageId: string | undefined;
  let availabilityZone = typeof az === "string" ? az : undefined;
  if (typeof input.snapshot_id === "string") {
    const snap = getSnapshot(ctx, input.snapshot_id);
    if (snap.status !== "available")
      throw new ApiError(
        400,
        `Invalid snapshot: Originating snapshot status must be one of 'available' values`,
      );
    size ??= snap.size;
    if (size < snap.size)
      throw invalidInput(
        `Volume size '${size}'GB cannot be smaller than the snapshot size ${snap.size}GB. They must be >= original snapshot size.`,
      );
    snapshotId = snap.id;
    availabilityZone ??= ctx.rs.volume.volumes[snap.volume_id]?.availability_zone;
  }
  if (typeof input.source_volid === "string") {
    const src = getVolume(ctx, input.source_volid);
    if (!["available", "in-use"].includes(src.status))
      throw invalidVolume(
        `Volume ${src.id} status must be available or in-use, but current status is: ${src.status}.`,
      );
    size ??= src.size;
    if (size < src.size)
      throw invalidInput(
        `Volume size '${size}'GB cannot be smaller than original volume size ${src.size}GB. They must be >= original volume size.`,
      );
    sourceId = src.id;
    availabilityZone ??= src.availability_zone;
  }
  const imageRef = input.imageRef ?? input.image_id;
  if (typeof imageRef === "string") {
    const image =
      findImage(ctx.rs, imageRef, ctx.auth.projectId, ctx.auth.isAdmin) ??
      Object.values(ctx.rs.image.images).find((i) => i.name === imageRef);
    if (!image || image.status !== "active")
      throw badRequest("Invalid image identifier or unable to access requested image.");
    const imageGb = Math.ceil((image.size ?? 0) / 1024 ** 3);
    size ??= Math.max(image.min_disk, imageGb, 1);
    if (size < image.min_disk)
      throw invalidInput(
        `Volume size ${size}GB cannot be smaller than the image minDisk size ${image.min_disk}GB.`,
      );
    if (imageGb > size)
      throw invalidInput(`Size of specified image ${imageGb}GB is larger than volume size ${size}GB.`);
    imageId = image.id;
  }
  if (size === undefined) {
    throw invalidInput(
      "Invalid volume size provided for create request: None (size argument must be an integer (or string representation of an integer) and greater than zero).",
    );
  }
  if (
    input.name !== undefined &&
    input.name !== null &&
    (typeof input.name !== "string" || input.name.length > 255)
  ) {
    throw badRequest(`Invalid input for field/attribute name. Value: ${JSON.stringify(input.name)}.`);
  }
  checkVolumeQuota(ctx.rs, projectId, "volumes", size);
  const volume = createVolumeRecord(ctx.core, ctx.region, {
    projectId,
    userId: ctx.auth.user.id,
    size,
    name:
      typeof input.name === "string"
        ? input.name
        : typeof input.display_name === "string"
          ? input.display_name
          : null,
    description: typeof input.description === "string" ? input.description : null,
    availabilityZone: availabilityZone ?? AVAILABILITY_ZONES[0],
    type,
    imageId,
    snapshotId,
    sourceVolId: sourceId,
    metadata: stringMap(input.metadata, "metadata"),
    multiattach: input.multiattach === true,
  });
  return jsonResponse(202, { volume: renderVolume(ctx, volume, true) });
}

const DELETABLE = ["available", "error", "error_restoring", "error_extending", "error_managing"];

function deleteVolume(ctx: Ctx, v: Volume): SimResponse {
  const cascade = queryBool(ctx.req.query.get("cascade")) === true;
  const force = queryBool(ctx.req.query.get("force")) === true && ctx.auth.isAdmin;
  const snapshots = Object.values(ctx.rs.volume.snapshots).filter((s) => s.volume_id === v.id);
  const invalid =
    (!force && !DELETABLE.includes(v.status)) ||
    v.attachments.length > 0 ||
    v.migration_status !== null ||
    (snapshots.length > 0 && !cascade);
  if (invalid) {
    throw invalidVolume(
      "Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.",
    );
  }
  if (cascade) for (const s of snapshots) s.status = "deleting";
  beginDelete(ctx.core, ctx.region, v);
  return emptyResponse(202);
}

function volumeAction(ctx: Ctx, v: Volume): SimResponse {
  const body = jsonBody(ctx, () => badRequest("Malformed request body"));
  const [action, argsRaw] = Object.entries(body)[0] ?? ["", undefined];
  const args = isObject(argsRaw) ? argsRaw : {};
  const now = isoMicros(Date.now());
  switch (action) {
    case "os-extend": {
      const newSize = Number(args.new_size);
      if (!Number.isInteger(newSize) || newSize <= 0)
        throw badRequest(`Invalid input for field/attribute new_size. Value: ${String(args.new_size)}.`);
      const allowed = atLeast(ctx, 42) ? ["available", "in-use"] : ["available"];
      if (!allowed.includes(v.status)) {
        throw invalidVolume(
          `Volume status must be ${allowed.map((s) => `'${s}'`).join(" or ")} to extend, currently ${v.status}.`,
        );
      }
      if (newSize <= v.size)
        throw invalidInput(
          `New size for extend must be greater than current size. (current: ${v.size}, extended: ${newSize}).`,
        );
      checkVolumeQuota(ctx.rs, v.project_id, null, newSize - v.size);
      v.status = "extending";
      v.updated_at = now;
      ctx.core.scheduler.schedule("volume.extended", ctx.region, v.id, ctx.core.delay("volume.extend"), {
        newSize,
      });
      ctx.core.store.changed();
      return emptyResponse(202);
    }
    case "os-reset_status": {
      if (!ctx.auth.isAdmin) throw policy("volume_extension:volume_admin_actions:reset_status");
      if (typeof args.status === "string") v.status = args.status;
      if (args.attach_status === "detached") v.attachments = [];
      if (typeof args.migration_status === "string" || args.migration_status === null)
        v.migration_status = args.migration_status === "none" ? null : args.migration_status;
      v.updated_at = now;
      ctx.core.scheduler.cancel(v.id);
      ctx.core.store.changed();
      return emptyResponse(202);
    }
    case "os-force_delete": {
      if (!ctx.auth.isAdmin) throw policy("volume_extension:volume_admin_actions:force_delete");
      v.attachments = [];
      beginDelete(ctx.core, ctx.region, v);
      return emptyResponse(202);
    }
    case "os-set_bootable": {
      const flag = typeof args.bootable === "boolean" ? args.bootable : queryBool(String(args.bootable));
      if (flag === undefined) throw badRequest(`Invalid value '${String(args.bootable)}' for bootable.`);
      v.bootable = flag ? "true" : "false";
      v.updated_at = now;
      ctx.core.store.changed();
      return emptyResponse(200);
    }
    case "os-update_readonly_flag": {
      v.metadata.readonly = String(args.readonly === true);
      ctx.core.store.changed();
      return emptyResponse(202);
    }
    case "os-set_image_metadata": {
      v.volume_image_metadata = {
        ...(v.volume_image_metadata ?? {}),
        ...stringMap(args.metadata, "metadata"),
      };
      ctx.core.store.changed();
      return jsonResponse(200, { metadata: v.volume_image_metadata });
    }
    case "os-unset_image_metadata": {
      const key = String(args.key);
      if (!v.volume_image_metadata || !(key in v.volume_image_metadata))
        throw new ApiError(404, `Glance metadata for volume ${v.id} with key ${key} not found.`);
      delete v.volume_image_metadata[key];
      ctx.core.store.changed();
      return emptyResponse(200);
    }
    case "os-retype": {
      const type = findType(ctx, String(args.new_type));
      if (!["available", "in-use"].includes(v.status))
        throw invalidVolume(`Volume status must be available or in-use, but current status is: ${v.status}.`);
      if (type.id === v.volume_type_id)
        throw invalidInput("New volume type must be different from the current one.");
      v.volume_type = type.name;
      v.volume_type_id = type.id;
      v.updated_at = now;
      ctx.core.store.changed();
      return emptyResponse(202);
    }
    default:
      throw badRequest(`There is no such action: ${action}`);
  }
}

function createSnapshot(ctx: Ctx): SimResponse {
  const body = jsonBody(ctx, () => badRequest("Malformed request body"));
  const input = body.snapshot;
  if (!isObject(input)) throw badRequest("Missing required element 'snapshot' in request body.");
  if (typeof input.volume_id !== "string")
    throw badRequest(
      "Invalid input for field/attribute snapshot. Value: {}. 'volume_id' is a required property",
    );
  const v = getVolume(ctx, input.volume_id);
  const force = input.force === true || queryBool(asText(input.force ?? "")) === true;
  if (v.status === "in-use" && !force && !atLeast(ctx, 66)) {
    throw invalidVolume(`Volume ${v.id} status must be available, but current status is: in-use.`);
  }
  if (!["available", "in-use"].includes(v.status)) {
    throw invalidVolume(
      `Volume ${v.id} status must be available or in-use for snapshot. But the current status is: ${v.status}.`,
    );
  }
  if (v.status === "in-use" && input.force === false && atLeast(ctx, 66)) {
    throw badRequest(
      "Invalid value 'False' for force. The value of force must be True or not specified since microversion 3.66.",
    );
  }
  checkVolumeQuota(ctx.rs, v.project_id, "snapshots", v.size);
  const now = Date.now();
  const snap: Snapshot = {
    id: uuid(),
    name:
      typeof input.name === "string"
        ? input.name
        : typeof input.display_name === "string"
          ? input.display_name
          : null,
    description: typeof input.description === "string" ? input.description : null,
    status: "creating",
    size: v.size,
    volume_id: v.id,
    created_at: isoMicros(now),
    updated_at: null,
    metadata: stringMap(input.metadata, "metadata"),
    project_id: v.project_id,
    user_id: ctx.auth.user.id,
    progress: "0%",
    createdMs: now,
  };
  ctx.rs.volume.snapshots[snap.id] = snap;
  ctx.core.scheduler.schedule("snapshot.created", ctx.region, snap.id, ctx.core.delay("snapshot.create"));
  ctx.core.store.changed();
  return jsonResponse(202, { snapshot: renderSnapshot(ctx, snap, true) });
}

function quotaSet(ctx: Ctx, projectId: string, usage: boolean): Record<string, unknown> {
  const limits = cinderQuota(ctx.rs, projectId);
  if (!usage) return { id: projectId, ...limits };
  const used = cinderUsage(ctx.rs, projectId);
  const out: Record<string, unknown> = { id: projectId };
  for (const [k, limit] of Object.entries(limits))
    out[k] = { limit, in_use: used[k] ?? 0, reserved: 0, allocated: 0 };
  return out;
}

function buildRouter(): Router<Ctx> {
  const r = new Router<Ctx>();
  const changed = (ctx: Ctx): void => ctx.core.store.changed();

  r.get("/volumes", (ctx) => listVolumes(ctx, false));
  r.get("/volumes/detail", (ctx) => listVolumes(ctx, true));
  r.post("/volumes", (ctx) => createVolume(ctx));
  r.get("/volumes/summary", (ctx) => {
    const rows = Object.values(ctx.rs.volume.volumes).filter((v) => v.project_id === ctx.urlProject);
    const metadata: Record<string, string[]> = {};
    for (const v of rows)
      for (const [k, val] of Object.entries(v.metadata))
        metadata[k] = [...new Set([...(metadata[k] ?? []), val])];
    return jsonResponse(200, {
      "volume-summary": {
        total_size: rows.reduce((a, v) => a + v.size, 0),
        total_count: rows.length,
        metadata,
      },
    });
  });
  r.get("/volumes/:id", (ctx, p) =>
    jsonResponse(200, { volume: renderVolume(ctx, getVolume(ctx, p.id ?? ""), true) }),
  );
  r.put("/volumes/:id", (ctx, p) => {
    const v = getVolume(ctx, p.id ?? "");
    const body = jsonBody(ctx, () => badRequest("Malformed request body"));
    const input = body.volume;
    if (!isObject(input)) throw badRequest("Missing required element 'volume' in request body.");
    if (input.name !== undefined) v.name = typeof input.name === "string" ? input.name : null;
    if (input.display_name !== undefined)
      v.name = typeof input.display_name === "string" ? input.display_name : null;
    if (input.description !== undefined)
      v.description = typeof input.description === "string" ? input.description : null;
    if (input.metadata !== undefined) v.metadata = stringMap(input.metadata, "metadata");
    v.updated_at = isoMicros(Date.now());
    changed(ctx);
    return jsonResponse(200, { volume: renderVolume(ctx, v, true) });
  });
  r.delete("/volumes/:id", (ctx, p) => deleteVolume(ctx, getVolume(ctx, p.id ?? "")));
  r.post("/volumes/:id/action", (ctx, p) => volumeAction(ctx, getVolume(ctx, p.id ?? "")));
  r.get("/volumes/:id/metadata", (ctx, p) =>
    jsonResponse(200, { metadata: getVolume(ctx, p.id ?? "").metadata }),
  );
  for (const method of ["POST", "PUT"]) {
    r.on(method, "/volumes/:id/metadata", (ctx, p) => {
      const v = getVolume(ctx, p.id ?? "");
      const body = jsonBody(ctx, () => badRequest("Malformed request body"));
      const md = stringMap(body.metadata, "metadata");
      v.metadata = method === "PUT" ? md : { ...v.metadata, ...md };
      changed(ctx);
      return jsonResponse(200, { metadata: v.metadata });
    });
  }
  r.get("/volumes/:id/metadata/:key", (ctx, p) => {
    const v = getVolume(ctx, p.id ?? "");
    const value = v.metadata[p.key ?? ""];
    if (value === undefined)
      throw new ApiError(404, `Volume ${v.id} has no metadata with key ${p.key ?? ""}.`);
    return jsonResponse(200, { meta: { [p.key ?? ""]: value } });
  });
  r.put("/volumes/:id/metadata/:key", (ctx, p) => {
    const v = getVolume(ctx, p.id ?? "");
    const body = jsonBody(ctx, () => badRequest("Malformed request body"));
    const meta = stringMap(body.meta, "meta");
    if (Object.keys(meta).length !== 1 || !((p.key ?? "") in meta))
      throw badRequest("Request body and URI mismatch");
    Object.assign(v.metadata, meta);
    changed(ctx);
    return jsonResponse(200, { meta });
  });
  r.delete("/volumes/:id/metadata/:key", (ctx, p) => {
    const v = getVolume(ctx, p.id ?? "");
    if (v.metadata[p.key ?? ""] === undefined)
      throw new ApiError(404, `Volume ${v.id} has no metadata with key ${p.key ?? ""}.`);
    delete v.metadata[p.key ?? ""];
    changed(ctx);
    return emptyResponse(200);
  });

  r.get("/snapshots", (ctx) => listSnapshots(ctx, false));
  r.get("/snapshots/detail", (ctx) => listSnapshots(ctx, true));
  r.post("/snapshots", (ctx) => createSnapshot(ctx));
  r.get("/snapshots/:id", (ctx, p) =>
    jsonResponse(200, { snapshot: renderSnapshot(ctx, getSnapshot(ctx, p.id ?? ""), true) }),
  );
  r.put("/snapshots/:id", (ctx, p) => {
    const s = getSnapshot(ctx, p.id ?? "");
    const body = jsonBody(ctx, () => badRequest("Malformed request body"));
    const input = body.snapshot;
    if (!isObject(input)) throw badRequest("Missing required element 'snapshot' in request body.");
    if (input.name !== undefined) s.name = typeof input.name === "string" ? input.name : null;
    if (input.description !== undefined)
      s.description = typeof input.description === "string" ? input.description : null;
    s.updated_at = isoMicros(Date.now());
    changed(ctx);
    return jsonResponse(200, { snapshot: renderSnapshot(ctx, s, true) });
  });
  r.delete("/snapshots/:id", (ctx, p) => {
    const s = getSnapshot(ctx, p.id ?? "");
    if (!["available", "error", "error_deleting"].includes(s.status)) {
      throw new ApiError(
        400,
        `Invalid snapshot: Snapshot status must be available or error and must not be part of a group.`,
      );
    }
    s.status = "deleting";
    s.updated_at = isoMicros(Date.now());
    ctx.core.scheduler.schedule("snapshot.deleted", ctx.region, s.id, ctx.core.delay("snapshot.delete"));
    changed(ctx);
    return emptyResponse(202);
  });
  r.post("/snapshots/:id/action", (ctx, p) => {
    const s = getSnapshot(ctx, p.id ?? "");
    const body = jsonBody(ctx, () => badRequest("Malformed request body"));
    const reset = body["os-reset_status"];
    if (isObject(reset)) {
      if (!ctx.auth.isAdmin) throw policy("volume_extension:snapshot_admin_actions:reset_status");
      if (typeof reset.status === "string") s.status = reset.status;
      changed(ctx);
      return emptyResponse(202);
    }
    if (isObject(body["os-force_delete"]) || body["os-force_delete"] === null) {
      if (!ctx.auth.isAdmin) throw policy("volume_extension:snapshot_admin_actions:force_delete");
      s.status = "deleting";
      ctx.core.scheduler.schedule("snapshot.deleted", ctx.region, s.id, ctx.core.delay("snapshot.delete"));
      changed(ctx);
      return emptyResponse(202);
    }
    throw badRequest(`There is no such action: ${Object.keys(body)[0] ?? ""}`);
  });
  r.get("/snapshots/:id/metadata", (ctx, p) =>
    jsonResponse(200, { metadata: getSnapshot(ctx, p.id ?? "").metadata }),
  );

  r.get("/types", (ctx) =>
    jsonResponse(200, {
      volume_types: Object.values(ctx.rs.volume.types)
        .filter((t) => t.is_public || ctx.auth.isAdmin)
        .map((t) => renderType(ctx, t)),
    }),
  );
  r.get("/types/default", (ctx) => jsonResponse(200, { volume_type: renderType(ctx, defaultType(ctx.rs)) }));
  r.get("/types/:id", (ctx, p) => {
    const t = ctx.rs.volume.types[p.id ?? ""];
    if (!t) throw new ApiError(404, `Volume type ${p.id ?? ""} could not be found.`);
    return jsonResponse(200, { volume_type: renderType(ctx, t) });
  });
  r.get("/types/:id/extra_specs", (ctx, p) => {
    const t = ctx.rs.volume.types[p.id ?? ""];
    if (!t) throw new ApiError(404, `Volume type ${p.id ?? ""} could not be found.`);
    return jsonResponse(200, { extra_specs: renderType(ctx, t).extra_specs });
  });
  r.post("/types", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("volume_extension:types_manage");
    const body = jsonBody(ctx, () => badRequest("Malformed request body"));
    const input = body.volume_type;
    if (!isObject(input) || typeof input.name !== "string" || input.name.trim() === "")
      throw badRequest("Volume type name can not be empty.");
    const name = input.name;
    if (Object.values(ctx.rs.volume.types).some((t) => t.name === name))
      throw new ApiError(409, `Volume Type ${name} already exists.`);
    const t: VolumeType = {
      id: uuid(),
      name,
      description: typeof input.description === "string" ? input.description : null,
      is_public: input["os-volume-type-access:is_public"] !== false && input.is_public !== false,
      extra_specs: stringMap(input.extra_specs, "extra_specs"),
      qos_specs_id: null,
    };
    ctx.rs.volume.types[t.id] = t;
    changed(ctx);
    return jsonResponse(200, { volume_type: renderType(ctx, t) });
  });
  r.delete("/types/:id", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("volume_extension:types_manage");
    const t = ctx.rs.volume.types[p.id ?? ""];
    if (!t) throw new ApiError(404, `Volume type ${p.id ?? ""} could not be found.`);
    if (t.name === "__DEFAULT__") throw badRequest("Default volume type can not be deleted.");
    if (Object.values(ctx.rs.volume.volumes).some((v) => v.volume_type_id === t.id))
      throw badRequest(`Target volume type is still in use.`);
    delete ctx.rs.volume.types[t.id];
    changed(ctx);
    return emptyResponse(202);
  });

  r.get("/limits", (ctx) => {
    const projectId = ctx.auth.projectId ?? ctx.urlProject;
    const q = cinderQuota(ctx.rs, projectId);
    const u = cinderUsage(ctx.rs, projectId);
    return jsonResponse(200, {
      limits: {
        rate: [],
        absolute: {
          totalSnapshotsUsed: u.snapshots ?? 0,
          maxTotalBackups: q.backups ?? 10,
          maxTotalVolumeGigabytes: q.gigabytes ?? 1000,
          maxTotalSnapshots: q.snapshots ?? 10,
          maxTotalBackupGigabytes: q.backup_gigabytes ?? 1000,
          totalBackupGigabytesUsed: 0,
          maxTotalVolumes: q.volumes ?? 10,
          totalVolumesUsed: u.volumes ?? 0,
          totalBackupsUsed: 0,
          totalGigabytesUsed: u.gigabytes ?? 0,
        },
      },
    });
  });

  const quotaTarget = (ctx: Ctx, target: string): string => {
    if (!ctx.auth.isAdmin && target !== ctx.auth.projectId) throw policy("volume_extension:quotas:show");
    return target;
  };
  r.get("/os-quota-sets/:project", (ctx, p) =>
    jsonResponse(200, {
      quota_set: quotaSet(
        ctx,
        quotaTarget(ctx, p.project ?? ""),
        queryBool(ctx.req.query.get("usage")) === true,
      ),
    }),
  );
  r.get("/os-quota-sets/:project/defaults", (ctx, p) => {
    quotaTarget(ctx, p.project ?? "");
    const defaults = cinderQuota({ ...ctx.rs, volume: { ...ctx.rs.volume, quotas: {} } }, "");
    return jsonResponse(200, { quota_set: { id: p.project, ...defaults } });
  });
  r.put("/os-quota-sets/:project", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("volume_extension:quotas:update");
    const body = jsonBody(ctx, () => badRequest("Malformed request body"));
    const input = body.quota_set;
    if (!isObject(input)) throw badRequest("Missing required element 'quota_set' in request body.");
    const known = cinderQuota(ctx.rs, p.project ?? "");
    const current = ctx.rs.volume.quotas[p.project ?? ""] ?? {};
    for (const [k, v] of Object.entries(input)) {
      if (k === "tenant_id" || k === "id") continue;
      if (!(k in known)) throw badRequest(`Bad key(s) in quota set: ${k}`);
      const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < -1)
        throw badRequest(`Quota limit ${String(v)} for ${k} must be -1 or greater.`);
      current[k] = n;
    }
    ctx.rs.volume.quotas[p.project ?? ""] = current;
    changed(ctx);
    const full = quotaSet(ctx, p.project ?? "", false);
    delete full.id;
    return jsonResponse(200, { quota_set: full });
  });
  r.delete("/os-quota-sets/:project", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("volume_extension:quotas:delete");
    delete ctx.rs.volume.quotas[p.project ?? ""];
    changed(ctx);
    return emptyResponse(200);
  });

  r.get("/os-availability-zone", () =>
    jsonResponse(200, {
      availabilityZoneInfo: AVAILABILITY_ZONES.map((zoneName) => ({
        zoneName,
        zoneState: { available: true },
      })),
    }),
  );
  r.get("/os-services", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("volume_extension:services:index");
    const now = isoMicros(Date.now());
    const host = controllerHost(ctx.region);
    const services: Record<string, unknown>[] = [
      {
        binary: "cinder-scheduler",
        host,
        zone: AVAILABILITY_ZONES[0],
        status: "enabled",
        state: "up",
        updated_at: now,
        disabled_reason: null,
      },
    ];
    for (const az of AVAILABILITY_ZONES) {
      for (const backend of ["standard", "ssd"]) {
        services.push({
          binary: "cinder-volume",
          host: `${host}-${az}@${backend}`,
          zone: az,
          status: "enabled",
          state: "up",
          updated_at: now,
          disabled_reason: null,
          replication_status: "disabled",
          active_backend_id: null,
          frozen: false,
        });
      }
    }
    if (atLeast(ctx, 7)) for (const s of services) s.cluster = null;
    if (atLeast(ctx, 49)) for (const s of services) if (s.binary === "cinder-volume") s.backend_state = "up";
    return jsonResponse(200, { services });
  });
  r.get("/extensions", () => jsonResponse(200, { extensions: [] }));
  r.get("/backups", () => jsonResponse(200, { backups: [] }));
  r.get("/backups/detail", () => jsonResponse(200, { backups: [] }));
  r.get("/groups", () => jsonResponse(200, { groups: [] }));
  r.get("/attachments", (ctx) => {
    const rows = Object.values(ctx.rs.volume.volumes)
      .filter((v) => visibleVolume(ctx, v))
      .flatMap((v) => v.attachments);
    return jsonResponse(200, {
      attachments: rows.map((a) => ({
        id: a.attachment_id,
        volume_id: a.volume_id,
        instance: a.server_id,
        status: "attached",
      })),
    });
  });
  return r;
}

function versionEntry(root: string): Record<string, unknown> {
  return {
    id: "v3.0",
    status: "CURRENT",
    version: CINDER_MAX,
    min_version: CINDER_MIN,
    updated: "2023-08-31T00:00:00Z",
    links: [
      { href: "https://docs.openstack.org/", type: "text/html", rel: "describedby" },
      { href: `${root}/v3/`, rel: "self" },
    ],
    "media-types": [{ base: "application/json", type: "application/vnd.openstack.volume+json;version=3" }],
  };
}

export function createVolumeService(core: SimCore): SimService {
  registerTransitions(core);
  const router = buildRouter();
  return {
    name: "volume",
    mount: "volume",
    global: false,
    catalog: [
      {
        type: "block-storage",
        name: "cinder",
        url: (base, region) => `${base}/${region}/volume/v3/%(project_id)s`,
      },
      {
        type: "volumev3",
        name: "cinderv3",
        url: (base, region) => `${base}/${region}/volume/v3/%(project_id)s`,
      },
    ],
    async handle(call: ServiceCall): Promise<SimResponse> {
      const path = call.req.path.replace(/\/+$/, "");
      if (path === "") return jsonResponse(300, { versions: [versionEntry(call.root)] });
      if (path === "/v3") return jsonResponse(200, { versions: [versionEntry(call.root)] });
      const mv = negotiate(call);
      const versionHeaders = {
        "OpenStack-API-Version": `volume ${mv[0]}.${mv[1]}`,
        Vary: "OpenStack-API-Version",
      };
      const m = /^\/v3\/([^/]+)(\/.*)?$/.exec(path);
      if (!m) throw new ApiError(404, "The resource could not be found.", undefined, versionHeaders);
      const base = regionContext(call);
      let urlProject = m[1] ?? "";
      let rest = m[2] ?? "";
      // Since 3.67 the project id may be left out of the URL.
      const topLevel = [
        "volumes",
        "snapshots",
        "types",
        "limits",
        "os-quota-sets",
        "os-availability-zone",
        "os-services",
        "extensions",
        "backups",
        "groups",
        "attachments",
      ];
      if (topLevel.includes(urlProject)) {
        rest = `/${urlProject}${rest}`;
        urlProject = base.auth.projectId ?? "";
      }
      if (!base.auth.isAdmin && urlProject !== base.auth.projectId) {
        throw new ApiError(
          403,
          `Policy doesn't allow volume:get_all to be performed.`,
          undefined,
          versionHeaders,
        );
      }
      const ctx: Ctx = { ...base, mv, urlProject };
      try {
        const { handler, params } = resolveRoute(router, { ...call.req, path: rest });
        const res = await handler(ctx, params);
        res.headers = { ...versionHeaders, ...res.headers };
        return res;
      } catch (err) {
        if (err instanceof ApiError)
          throw new ApiError(err.status, err.message, err.kind, { ...versionHeaders, ...err.headers });
        throw err;
      }
    },
    renderError(err: ApiError): SimResponse {
      const res = faultBody(err.status, err.message);
      if (err.headers) res.headers = { ...err.headers };
      return res;
    },
  };
}
