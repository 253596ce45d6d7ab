// Nova v2.1 (per region, mounted at /<region>/compute): servers with their asynchronous state
// machine and actions, flavors, key pairs, volume and interface attachments, quotas, limits,
// server groups, availability zones, services and hypervisors, with microversions 2.1-2.93.
import { randomBytes } from "node:crypto";
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
  readJson,
  resolveRoute,
  withQuery,
} from "../http";
import type { SimResponse } from "../http";
import { isoMicros, isoSeconds, requestId, sha224Hex, uuid } from "../ids";
import type {
  Flavor,
  FlavorSnapshot,
  InstanceAction,
  Keypair,
  Port,
  RegionState,
  RequestedNetwork,
  Server,
  ServerGroup,
  Transition,
  Volume,
  VolumeAttachmentRecord,
} from "../model";
import { generateRsaKey, sshFingerprint, x509Fingerprint } from "../ssh-keys";
import { AVAILABILITY_ZONES, computeHosts, controllerHost } from "../topology";
import type { ComputeHost } from "../topology";
import { activateImage, createQueuedImage, findImage } from "./image";
import {
  bindPort,
  createPort,
  deletePort,
  ensureDefaultSecurityGroup,
  findSecurityGroup,
  serverAddresses,
  unbindPort,
} from "./network";
import { compareBy, regionContext } from "./common";
import type { RegionCtx } from "./common";
import { beginAttach, beginDelete, beginDetach, checkVolumeQuota, createVolumeRecord } from "./volume";

export const NOVA_MIN_MINOR = 1;
export const NOVA_MAX_MINOR = 93;
const MAX_LIMIT = 1000;

/** Nova's marker/limit paging: the rows after the marker's, at most `limit` (capped), 400s worded as Nova's. */
function markerPage<T extends { id: string }>(rows: T[], q: URLSearchParams): { page: T[]; limit: number } {
  const marker = q.get("marker");
  let start = 0;
  if (marker !== null) {
    const index = rows.findIndex((r) => r.id === marker);
    if (index < 0) throw badRequest(`marker [${marker}] not found`);
    start = index + 1;
  }
  const limitText = q.get("limit");
  let limit = MAX_LIMIT;
  if (limitText !== null) {
    if (!/^\d+$/.test(limitText))
      throw badRequest(
        `Invalid input for query parameters limit. Value: ${limitText}. '${limitText}' does not match '^[0-9]*$'`,
      );
    limit = Math.min(Number(limitText), MAX_LIMIT);
  }
  return { page: rows.slice(start, start + limit), limit };
}
const VERSION_UPDATED = "2013-07-23T11:33:21Z";

export const NOVA_QUOTA_DEFAULTS: Record<string, number> = {
  instances: 10,
  cores: 20,
  ram: 51200,
  key_pairs: 100,
  metadata_items: 128,
  server_groups: 10,
  server_group_members: 10,
};

/** Quota keys that only older microversions show (file injection <2.57, network proxies <2.36). */
const LEGACY_QUOTAS: Record<string, number> = {
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  injected_files: 5,
};

interface Ctx extends RegionCtx {
  /** Negotiated microversion minor number (major is always 2). */
  mv: number;
}

// ---------------------------------------------------------------- errors

function badRequest(message: string): ApiError {
  return new ApiError(400, message);
}
function notFound(message: string): ApiError {
  return new ApiError(404, message);
}
function conflict(message: string): ApiError {
  return new ApiError(409, message);
}
function policy(rule: string): ApiError {
  return new ApiError(403, `Policy doesn't allow ${rule} to be performed.`);
}
function instanceNotFound(id: string): ApiError {
  return notFound(`Instance ${id} could not be found.`);
}
function invalidState(action: string, s: Server, attr: "vm_state" | "task_state"): ApiError {
  const state = attr === "vm_state" ? s.vmState : String(s.taskState);
  return conflict(`Cannot '${action}' instance ${s.id} while it is in ${attr} ${state}`);
}

/** Python's repr(), which Nova's jsonschema messages use to print values. */
function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string")
    return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (isObject(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(", ")}}`;
  return asText(value);
}

/** Nova's ValidationError: "Invalid input for field/attribute <f>. Value: <v>. <detail>". */
function invalid(field: string, value: unknown, detail: string): ApiError {
  const shown = typeof value === "string" ? value : pyRepr(value);
  return badRequest(`Invalid input for field/attribute ${field}. Value: ${shown}. ${detail}`);
}

function required(field: string, obj: Record<string, unknown>, key: string): ApiError {
  return invalid(field, obj, `'${key}' is a required property`);
}

function notType(field: string, value: unknown, type: string): ApiError {
  return invalid(field, value, `${pyRepr(value)} is not of type '${type}'`);
}

function malformed(): ApiError {
  return badRequest("Malformed request body");
}

// ---------------------------------------------------------------- microversions

function parseMicroversion(value: string): number {
  const v = value.trim();
  if (v.toLowerCase() === "latest") return NOVA_MAX_MINOR;
  const m = /^(\d+)\.(\d+)$/.exec(v);
  if (!m)
    throw badRequest(`API Version String ${v} is of invalid format. Must be of format MajorNum.MinorNum.`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 2 || minor < NOVA_MIN_MINOR || minor > NOVA_MAX_MINOR) {
    throw new ApiError(
      406,
      `Version ${v} is not supported by the API. Minimum is 2.${NOVA_MIN_MINOR} and maximum is 2.${NOVA_MAX_MINOR}.`,
    );
  }
  return minor;
}

/** OpenStack-API-Version ("compute 2.60") wins over the legacy X-OpenStack-Nova-API-Version. */
function negotiate(call: ServiceCall): number {
  const generic = header(call.req, "openstack-api-version");
  if (generic) {
    for (const part of generic.split(",")) {
      const [service, version] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === "compute" && version !== undefined) return parseMicroversion(version);
    }
  }
  const legacy = header(call.req, "x-openstack-nova-api-version");
  if (legacy) return parseMicroversion(legacy);
  return NOVA_MIN_MINOR;
}

function requestedVersion(call: ServiceCall): string | null {
  const generic = header(call.req, "openstack-api-version");
  if (generic) {
    for (const part of generic.split(",")) {
      const [service, version] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === "compute" && version !== undefined) return version;
    }
  }
  return header(call.req, "x-openstack-nova-api-version") ?? null;
}

function versionHeaders(minor: number): Record<string, string> {
  return {
    "OpenStack-API-Version": `compute 2.${minor}`,
    "X-OpenStack-Nova-API-Version": `2.${minor}`,
    Vary: "OpenStack-API-Version, X-OpenStack-Nova-API-Version",
  };
}

function versionEntry(root: string, legacy: boolean): Record<string, unknown> {
  if (legacy) {
    return {
      id: "v2.0",
      status: "SUPPORTED",
      version: "",
      min_version: "",
      updated: "2011-01-21T11:33:21Z",
      links: [{ rel: "self", href: `${root}/v2/` }],
    };
  }
  return {
    id: "v2.1",
    status: "CURRENT",
    version: `2.${NOVA_MAX_MINOR}`,
    min_version: `2.${NOVA_MIN_MINOR}`,
    updated: VERSION_UPDATED,
    links: [{ rel: "self", href: `${root}/v2.1/` }],
  };
}

function versionDocument(root: string): Record<string, unknown> {
  return {
    version: {
      ...versionEntry(root, false),
      links: [
        { rel: "self", href: `${root}/v2.1/` },
        { rel: "describedby", type: "text/html", href: "http://docs.openstack.org/" },
      ],
      "media-types": [
        { base: "application/json", type: "application/vnd.openstack.compute+json;version=2.1" },
      ],
    },
  };
}

// ---------------------------------------------------------------- state names

const POWER = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4, CRASHED: 6, SUSPENDED: 7 } as const;

const RESIZE_TASKS = ["resize_prep", "resize_migrating", "resize_migrated", "resize_finish"];
const REBUILD_TASKS = ["rebuilding", "rebuild_block_device_mapping", "rebuild_spawning"];

/** Nova's vm_state/task_state → API status table (nova/api/openstack/common.py). */
export function serverStatus(s: Pick<Server, "vmState" | "taskState">): string {
  const t = s.taskState;
  switch (s.vmState) {
    case "active":
      if (t === "rebooting" || t === "reboot_pending" || t === "reboot_started") return "REBOOT";
      if (t === "rebooting_hard" || t === "reboot_pending_hard" || t === "reboot_started_hard")
        return "HARD_REBOOT";
      if (t === "updating_password") return "PASSWORD";
      if (t !== null && REBUILD_TASKS.includes(t)) return "REBUILD";
      if (t === "migrating") return "MIGRATING";
      if (t !== null && RESIZE_TASKS.includes(t)) return "RESIZE";
      return "ACTIVE";
    case "building":
      return "BUILD";
    case "stopped":
      if (t !== null && RESIZE_TASKS.includes(t)) return "RESIZE";
      if (t !== null && REBUILD_TASKS.includes(t)) return "REBUILD";
      return "SHUTOFF";
    case "resized":
      return t === "resize_reverting" ? "REVERT_RESIZE" : "VERIFY_RESIZE";
    case "paused":
      return t === "migrating" ? "MIGRATING" : "PAUSED";
    case "suspended":
      return "SUSPENDED";
    case "rescued":
      return "RESCUE";
    case "error":
      return t !== null && REBUILD_TASKS.includes(t) ? "REBUILD" : "ERROR";
    case "deleted":
      return "DELETED";
    case "soft-delete":
      return "SOFT_DELETED";
    case "shelved":
      return "SHELVED";
    case "shelved_offloaded":
      return "SHELVED_OFFLOADED";
    default:
      return "UNKNOWN";
  }
}

/** The status filter of GET /servers: which vm_state/task_state pairs a status name means. */
const STATUS_FILTERS = [
  "ACTIVE",
  "BUILD",
  "SHUTOFF",
  "PAUSED",
  "SUSPENDED",
  "RESCUE",
  "ERROR",
  "DELETED",
  "SOFT_DELETED",
  "SHELVED",
  "SHELVED_OFFLOADED",
  "REBOOT",
  "HARD_REBOOT",
  "PASSWORD",
  "REBUILD",
  "MIGRATING",
  "RESIZE",
  "VERIFY_RESIZE",
  "REVERT_RESIZE",
  "UNKNOWN",
];

const PROGRESS_STATUSES = ["ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"];

// ---------------------------------------------------------------- lookups

function flavorSnapshot(f: Flavor): FlavorSnapshot {
  return {
    id: f.id,
    name: f.name,
    vcpus: f.vcpus,
    ram: f.ram,
    disk: f.disk,
    ephemeral: f.ephemeral,
    swap: f.swap,
    extraSpecs: { ...f.extraSpecs },
  };
}

function flavorVisible(ctx: Ctx, f: Flavor): boolean {
  return (
    f.isPublic || ctx.auth.isAdmin || (ctx.auth.projectId !== null && f.access.includes(ctx.auth.projectId))
  );
}

/** flavorRef may be an id or a URL ending in the id. */
function findFlavor(ctx: Ctx, ref: string): Flavor | undefined {
  const id = ref.includes("/") ? (ref.split("/").filter(Boolean).pop() ?? ref) : ref;
  const f = ctx.rs.compute.flavors[id];
  return f && flavorVisible(ctx, f) ? f : undefined;
}

function getFlavor(ctx: Ctx, id: string): Flavor {
  const f = findFlavor(ctx, id);
  if (!f) throw notFound(`Flavor ${id} could not be found.`);
  return f;
}

function visibleServer(ctx: Ctx, s: Server): boolean {
  return ctx.auth.isAdmin || s.projectId === ctx.auth.projectId;
}

function getServer(ctx: Ctx, id: string): Server {
  const s = ctx.rs.compute.servers[id];
  if (!s || !visibleServer(ctx, s)) throw instanceNotFound(id);
  return s;
}

function keypairKey(userId: string, name: string): string {
  return `${userId}/${name}`;
}

function hostsOf(region: string): ComputeHost[] {
  return computeHosts(region);
}

/**
 * While a server list renders (synchronously, so nothing changes meanwhile) the ports are indexed
 * by server once; otherwise each server of a page would scan every port of the region.
 */
let listPortIndex: Map<string, Port[]> | null = null;

function indexPorts(rs: RegionState): Map<string, Port[]> {
  const index = new Map<string, Port[]>();
  for (const p of Object.values(rs.network.ports)) {
    if (!p.device_owner.startsWith("compute:")) continue;
    const list = index.get(p.device_id);
    if (list) list.push(p);
    else index.set(p.device_id, [p]);
  }
  return index;
}

function serverPorts(rs: RegionState, serverId: string): Port[] {
  const ports = listPortIndex
    ? (listPortIndex.get(serverId) ?? [])
    : Object.values(rs.network.ports).filter(
        (p) => p.device_id === serverId && p.device_owner.startsWith("compute:"),
      );
  return [...ports].sort((a, b) =>
    a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1,
  );
}

function projectName(core: SimCore, projectId: string): string {
  return core.store.state.identity.projects[projectId]?.name ?? "";
}

// ---------------------------------------------------------------- quotas

export function novaQuota(rs: RegionState, projectId: string): Record<string, number> {
  return { ...NOVA_QUOTA_DEFAULTS, ...rs.compute.quotas[projectId] };
}

export function novaUsage(rs: RegionState, projectId: string, userId?: string): Record<string, number> {
  const servers = Object.values(rs.compute.servers).filter((s) => s.projectId === projectId);
  const cores = servers.reduce((a, s) => a + Math.max(s.flavor.vcpus, s.oldFlavor?.vcpus ?? 0), 0);
  const ram = servers.reduce((a, s) => a + Math.max(s.flavor.ram, s.oldFlavor?.ram ?? 0), 0);
  const groups = Object.values(rs.compute.serverGroups).filter((g) => g.projectId === projectId);
  return {
    instances: servers.length,
    cores,
    ram,
    key_pairs:
      userId === undefined ? 0 : Object.values(rs.compute.keypairs).filter((k) => k.userId === userId).length,
    metadata_items: 0,
    server_groups: groups.length,
    server_group_members: 0,
  };
}

/** Nova's TooManyInstances: 403 "Quota exceeded for cores, instances: Requested 2, 1, but already used ...". */
function checkServerQuota(
  rs: RegionState,
  projectId: string,
  count: number,
  vcpus: number,
  ram: number,
): void {
  const limits = novaQuota(rs, projectId);
  const used = novaUsage(rs, projectId);
  const asked: [string, number][] = [
    ["cores", vcpus * count],
    ["instances", count],
    ["ram", ram * count],
  ];
  const overs = asked.filter(([k, n]) => (limits[k] ?? -1) >= 0 && (used[k] ?? 0) + n > (limits[k] ?? 0));
  if (overs.length === 0) return;
  const names = overs.map(([k]) => k).join(", ");
  throw new ApiError(
    403,
    `Quota exceeded for ${names}: Requested ${overs.map(([, n]) => n).join(", ")}, but already used ${overs.map(([k]) => used[k] ?? 0).join(", ")} of ${overs.map(([k]) => limits[k] ?? 0).join(", ")} ${names}`,
  );
}

/** How many of [min, max] servers the quota allows (Nova builds as many as fit, at least min). */
function allowedCount(
  rs: RegionState,
  projectId: string,
  min: number,
  max: number,
  vcpus: number,
  ram: number,
): number {
  const limits = novaQuota(rs, projectId);
  const used = novaUsage(rs, projectId);
  let n = max;
  const room = (key: string, per: number): number => {
    const limit = limits[key] ?? -1;
    if (limit < 0 || per === 0) return Number.MAX_SAFE_INTEGER;
    return Math.floor((limit - (used[key] ?? 0)) / per);
  };
  n = Math.min(n, room("instances", 1), room("cores", vcpus), room("ram", ram));
  if (n < min) checkServerQuota(rs, projectId, min, vcpus, ram);
  return Math.max(n, min);
}

// ---------------------------------------------------------------- rendering

function links(ctx: Ctx, kind: string, id: string): { rel: string; href: string }[] {
  return [
    { rel: "self", href: `${ctx.root}/v2.1/${kind}/${id}` },
    { rel: "bookmark", href: `${ctx.root}/${kind}/${id}` },
  ];
}

function hostIdOf(s: Server): string {
  return s.scheduled === false || !s.host ? "" : sha224Hex(s.projectId + s.host);
}

function renderServerBrief(ctx: Ctx, s: Server): Record<string, unknown> {
  return { id: s.id, name: s.name, links: links(ctx, "servers", s.id) };
}

export function securityGroupNames(rs: RegionState, s: Server): string[] {
  const names: string[] = [];
  for (const port of serverPorts(rs, s.id)) {
    for (const id of port.security_groups) {
      const name = rs.network.securityGroups[id]?.name ?? id;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/** `addresses` without the OS-EXT-IPS extensions, as /ips and the basic server view show them. */
function plainAddresses(rs: RegionState, s: Server): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [net, list] of Object.entries(serverAddresses(rs, s.id, serverPorts(rs, s.id))))
    out[net] = list.map((a) => ({ version: a.version, addr: a.addr }));
  return out;
}

/** The view PUT and rebuild answered with before 2.75: no extension attributes. */
function renderServerBasic(ctx: Ctx, s: Server): Record<string, unknown> {
  const full = renderServer(ctx, s, "show");
  const keep = [
    "id",
    "name",
    "status",
    "tenant_id",
    "user_id",
    "metadata",
    "hostId",
    "image",
    "flavor",
    "created",
    "updated",
    "accessIPv4",
    "accessIPv6",
    "links",
    "OS-DCF:diskConfig",
    "progress",
    "fault",
  ];
  const out: Record<string, unknown> = {};
  for (const k of keep) if (k in full) out[k] = full[k];
  out.addresses = plainAddresses(ctx.rs, s);
  if (ctx.mv >= 19) out.description = s.description;
  if (ctx.mv >= 26) out.tags = s.tags;
  return out;
}

function renderServer(ctx: Ctx, s: Server, view: "show" | "list" = "show"): Record<string, unknown> {
  const admin = ctx.auth.isAdmin;
  const mv = ctx.mv;
  const status = serverStatus(s);
  const scheduled = s.scheduled !== false;
  const out: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: hostIdOf(s),
    image:
      s.imageId === null
        ? ""
        : { id: s.imageId, links: [{ rel: "bookmark", href: `${ctx.root}/images/${s.imageId}` }] },
    flavor:
      mv >= 47
        ? {
            vcpus: s.flavor.vcpus,
            ram: s.flavor.ram,
            disk: s.flavor.disk,
            ephemeral: s.flavor.ephemeral,
            swap: s.flavor.swap,
            original_name: s.flavor.name,
            extra_specs: s.flavor.extraSpecs,
          }
        : { id: s.flavor.id, links: [{ rel: "bookmark", href: `${ctx.root}/flavors/${s.flavor.id}` }] },
    created: isoSeconds(s.createdAt),
    updated: isoSeconds(s.updatedAt),
    addresses: serverAddresses(ctx.rs, s.id, serverPorts(ctx.rs, s.id)),
    accessIPv4: s.accessIPv4,
    accessIPv6: s.accessIPv6,
    links: links(ctx, "servers", s.id),
    "OS-DCF:diskConfig": "MANUAL",
  };
  if (PROGRESS_STATUSES.includes(status)) out.progress = s.progress;
  // Until the scheduler placed it, a server shows only the AZ that was asked for ("" otherwise).
  out["OS-EXT-AZ:availability_zone"] = s.availabilityZone;
  out.config_drive = s.configDrive;
  out.key_name = s.keyName;
  out["OS-SRV-USG:launched_at"] = s.launchedAt === null ? null : isoMicros(s.launchedAt);
  out["OS-SRV-USG:terminated_at"] = null;
  const groups = securityGroupNames(ctx.rs, s);
  if (groups.length > 0) out.security_groups = groups.map((name) => ({ name }));
  if (admin) {
    out["OS-EXT-SRV-ATTR:host"] = scheduled && s.host ? s.host : null;
    out["OS-EXT-SRV-ATTR:instance_name"] = s.instanceName;
    out["OS-EXT-SRV-ATTR:hypervisor_hostname"] = scheduled && s.host ? s.host : null;
    if (mv >= 3) {
      out["OS-EXT-SRV-ATTR:reservation_id"] = s.reservationId;
      out["OS-EXT-SRV-ATTR:launch_index"] = s.launchIndex;
      out["OS-EXT-SRV-ATTR:hostname"] = s.hostname;
      out["OS-EXT-SRV-ATTR:kernel_id"] = "";
      out["OS-EXT-SRV-ATTR:ramdisk_id"] = "";
      out["OS-EXT-SRV-ATTR:root_device_name"] = s.launchedAt === null ? null : "/dev/vda";
      out["OS-EXT-SRV-ATTR:user_data"] = s.userData;
    }
  }
  out["OS-EXT-STS:task_state"] = s.taskState;
  out["OS-EXT-STS:vm_state"] = s.vmState;
  out["OS-EXT-STS:power_state"] = s.powerState;
  out["os-extended-volumes:volumes_attached"] = s.volumes.map((v) =>
    mv >= 3 ? { id: v.volumeId, delete_on_termination: v.deleteOnTermination } : { id: v.volumeId },
  );
  if (s.vmState === "error" && s.fault) {
    const fault: Record<string, unknown> = {
      code: s.fault.code,
      created: isoSeconds(s.fault.created),
      message: s.fault.message,
    };
    if (admin || s.fault.code !== 500) fault.details = s.fault.details;
    out.fault = fault;
  }
  if (mv >= 16 && admin) out.host_status = scheduled && s.host ? "UP" : "";
  if (mv >= 9) out.locked = s.locked;
  if (mv >= 73) out.locked_reason = s.lockedReason;
  if (mv >= 19) out.description = s.description;
  if (mv >= 26) out.tags = s.tags;
  if (mv >= 63) out.trusted_image_certificates = s.trustedCerts;
  if (mv >= 90 && !admin) out["OS-EXT-SRV-ATTR:hostname"] = s.hostname;
  if (mv >= 71 && view === "show") out.server_groups = s.serverGroupId ? [s.serverGroupId] : [];
  return out;
}

function renderFlavor(ctx: Ctx, f: Flavor, detail: boolean): Record<string, unknown> {
  if (!detail) {
    const brief: Record<string, unknown> = { id: f.id, name: f.name, links: links(ctx, "flavors", f.id) };
    if (ctx.mv >= 55) brief.description = f.description;
    return brief;
  }
  const out: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    ram: f.ram,
    disk: f.disk,
    swap: ctx.mv >= 75 ? f.swap : f.swap === 0 ? "" : f.swap,
    "OS-FLV-EXT-DATA:ephemeral": f.ephemeral,
    "OS-FLV-DISABLED:disabled": f.disabled,
    vcpus: f.vcpus,
    "os-flavor-access:is_public": f.isPublic,
    rxtx_factor: f.rxtxFactor,
    links: links(ctx, "flavors", f.id),
  };
  if (ctx.mv >= 55) out.description = f.description;
  if (ctx.mv >= 61) out.extra_specs = f.extraSpecs;
  return out;
}

function renderKeypair(ctx: Ctx, k: Keypair, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint };
  if (full) {
    Object.assign(out, {
      user_id: k.userId,
      created_at: isoMicros(k.createdAt),
      deleted: false,
      deleted_at: null,
      id: k.id,
      updated_at: null,
    });
  }
  if (ctx.mv >= 2) out.type = k.type;
  return out;
}

function renderServerGroup(ctx: Ctx, g: ServerGroup): Record<string, unknown> {
  if (ctx.mv >= 64) {
    return {
      id: g.id,
      name: g.name,
      policy: g.policy,
      rules: g.rules,
      members: g.members,
      project_id: g.projectId,
      user_id: g.userId,
    };
  }
  const out: Record<string, unknown> = {
    id: g.id,
    name: g.name,
    policies: [g.policy],
    members: g.members,
    metadata: g.metadata,
  };
  if (ctx.mv >= 13) {
    out.project_id = g.projectId;
    out.user_id = g.userId;
  }
  return out;
}

/** 2.89 changed the GET answers only: the POST answer keeps `id` and gets no attachment ids. */
function renderVolumeAttachment(
  ctx: Ctx,
  s: Server,
  a: VolumeAttachmentRecord,
  forCreate = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (ctx.mv < 89 || forCreate) out.id = a.volumeId;
  out.serverId = s.id;
  out.volumeId = a.volumeId;
  out.device = a.device;
  if (ctx.mv >= 70) out.tag = a.tag;
  if (ctx.mv >= 79) out.delete_on_termination = a.deleteOnTermination;
  if (ctx.mv >= 89 && !forCreate) {
    out.attachment_id = a.attachmentId;
    out.bdm_uuid = a.bdmUuid;
  }
  return out;
}

function renderInterface(ctx: Ctx, p: Port): Record<string, unknown> {
  const out: Record<string, unknown> = {
    net_id: p.network_id,
    port_id: p.id,
    mac_addr: p.mac_address,
    port_state: p.status,
    fixed_ips: p.fixed_ips.map((ip) => ({ subnet_id: ip.subnet_id, ip_address: ip.ip_address })),
  };
  if (ctx.mv >= 70) out.tag = null;
  return out;
}

// ---------------------------------------------------------------- bookkeeping

const ACTION_EVENTS: Record<string, string> = {
  create: "compute__do_build_and_run_instance",
  stop: "compute_stop_instance",
  start: "compute_start_instance",
  reboot: "compute_reboot_instance",
  pause: "compute_pause_instance",
  unpause: "compute_unpause_instance",
  suspend: "compute_suspend_instance",
  resume: "compute_resume_instance",
  resize: "compute_prep_resize",
  confirmResize: "compute_confirm_resize",
  revertResize: "compute_revert_resize",
  rebuild: "compute_rebuild_instance",
  createImage: "compute_snapshot_instance",
  attach_volume: "compute_attach_volume",
  detach_volume: "compute_detach_volume",
  attach_interface: "compute_attach_interface",
  detach_interface: "compute_detach_interface",
  changePassword: "compute_set_admin_password",
};

function recordAction(ctx: Ctx, s: Server, action: string, finished = false): InstanceAction {
  const now = Date.now();
  const event = ACTION_EVENTS[action];
  const a: InstanceAction = {
    action,
    requestId: ctx.req.requestId,
    userId: ctx.auth.user.id,
    projectId: ctx.auth.projectId ?? s.projectId,
    startTime: now,
    updatedAt: now,
    message: null,
    events: event
      ? [{ event, start: now, finish: finished ? now : null, result: finished ? "Success" : null }]
      : [],
  };
  s.actions.push(a);
  if (s.actions.length > 100) s.actions.splice(0, s.actions.length - 100);
  return a;
}

/** Closes the open event of the action a transition belongs to. */
function finishAction(s: Server, requestId: unknown, ok = true, message: string | null = null): void {
  const a =
    s.actions.find((x) => x.requestId === requestId) ??
    [...s.actions].reverse().find((x) => x.events.some((e) => e.finish === null));
  if (!a) return;
  const now = Date.now();
  a.updatedAt = now;
  if (!ok) a.message = message ?? "Error";
  for (const e of a.events) {
    if (e.finish === null) {
      e.finish = now;
      e.result = ok ? "Success" : "Error";
    }
  }
}

function setPower(s: Server, powerState: number): void {
  s.powerState = powerState;
  const running = powerState === POWER.RUNNING ? 1 : 0;
  const log = (s.powerLog ??= []);
  const last = log[log.length - 1];
  if (!last || last[1] !== running) log.push([Date.now(), running]);
  if (log.length > 500) log.splice(0, log.length - 500);
}

function touchServer(core: SimCore, s: Server): void {
  s.updatedAt = Date.now();
  core.store.changed();
}

function failServer(core: SimCore, s: Server, message: string, details = ""): void {
  s.vmState = "error";
  s.taskState = null;
  setPower(s, s.launchedAt === null ? POWER.NOSTATE : POWER.SHUTDOWN);
  s.fault = { code: 500, message, details, created: Date.now() };
  s.opId = null;
  touchServer(core, s);
}

/** Starts a transition chain: stale timers of an older operation see another opId and give up. */
function beginOp(s: Server): string {
  const op = uuid();
  s.opId = op;
  return op;
}

function schedule(
  core: SimCore,
  region: string,
  s: Server,
  kind: string,
  delay: number,
  data: Record<string, unknown>,
): void {
  core.scheduler.schedule(kind, region, s.id, delay, { op: s.opId, ...data });
}

// ---------------------------------------------------------------- input helpers

function body(ctx: Ctx): Record<string, unknown> {
  const parsed = readJson(ctx.req, malformed);
  if (parsed === undefined)
    throw badRequest(
      "The server could not comply with the request since it is either malformed or otherwise incorrect.",
    );
  if (!isObject(parsed)) throw malformed();
  return parsed;
}

function member(b: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = b[key];
  // Nova prints errors at the root of the body without the "Invalid input for field" prefix.
  if (v === undefined) throw badRequest(`'${key}' is a required property`);
  if (!isObject(v)) throw notType(key, v, "object");
  return v;
}

function noExtra(field: string, obj: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw invalid(
      field,
      obj,
      `Additional properties are not allowed (${extra.map((k) => pyRepr(k)).join(", ")} ${extra.length === 1 ? "was" : "were"} unexpected)`,
    );
  }
}

function nameField(field: string, value: unknown, max = 255): string {
  if (typeof value !== "string") throw notType(field, value, "string");
  if (value.length < 1) throw invalid(field, value, `${pyRepr(value)} is too short`);
  if (value.length > max) throw invalid(field, value, `${pyRepr(value)} is too long`);
  if (value.trim() !== value)
    throw invalid(field, value, `${pyRepr(value)} does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'`);
  return value;
}

function optText(field: string, value: unknown, max = 255): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== "string") throw notType(field, value, "string");
  if (value.length > max) throw invalid(field, value, `${pyRepr(value)} is too long`);
  return value;
}

function countField(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n))
    throw invalid(field, value, `${pyRepr(value)} is not of type 'integer', 'string'`);
  if (n < 1) throw invalid(field, value, `${pyRepr(value)} is less than the minimum of 1`);
  return n;
}

function metadataField(field: string, value: unknown, limit: number): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw notType(field, value, "object");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.length < 1 || k.length > 255)
      throw invalid(
        field,
        value,
        `${pyRepr(k)} does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'`,
      );
    if (typeof v !== "string") throw invalid(field, value, `${pyRepr(v)} is not of type 'string'`);
    if (v.length > 255) throw invalid(field, value, `${pyRepr(v)} is too long`);
    out[k] = v;
  }
  if (limit >= 0 && Object.keys(out).length > limit)
    throw new ApiError(403, `Maximum number of metadata items exceeds ${limit}`);
  return out;
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Nova decodes with Python's base64.decodebytes: stray characters are skipped, padding is not. */
function isBase64(text: string): boolean {
  const cleaned = text.replace(/[^A-Za-z0-9+/=]/g, "");
  const firstPad = cleaned.indexOf("=");
  const data = firstPad < 0 ? cleaned : cleaned.slice(0, firstPad);
  const pads = firstPad < 0 ? 0 : (/^=*/.exec(cleaned.slice(firstPad))?.[0].length ?? 0);
  const rest = data.length % 4;
  return rest === 0 || (rest === 2 && pads >= 2) || (rest === 3 && pads >= 1);
}

/** Nova's default hostname: the display name made DNS-safe (utils.sanitize_hostname). */
function sanitizeHostname(name: string, id: string): string {
  let h = name
    .toLowerCase()
    .replace(/[ _]/g, "-")
    .replace(/[^a-z0-9.-]/g, "");
  h = h
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 63)
    .replace(/[.-]+$/g, "");
  return h.length > 0 ? h : `server-${id}`;
}

function adminPassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join("");
}

function reservationId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return `r-${[...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

// ---------------------------------------------------------------- placement

interface HostLoad {
  vcpus: number;
  ram: number;
  disk: number;
}

const CPU_RATIO = 16;
const RAM_RATIO = 1.5;

function hostLoads(rs: RegionState): Map<string, HostLoad> {
  const loads = new Map<string, HostLoad>();
  for (const s of Object.values(rs.compute.servers)) {
    if (!s.host) continue;
    const l = loads.get(s.host) ?? { vcpus: 0, ram: 0, disk: 0 };
    l.vcpus += s.flavor.vcpus;
    l.ram += s.flavor.ram;
    l.disk += s.imageId === null ? 0 : s.flavor.disk;
    loads.set(s.host, l);
  }
  return loads;
}

/** A filter scheduler in miniature: AZ, capacity and server-group policy, then most free RAM wins. */
function pickHost(
  region: string,
  loads: Map<string, HostLoad>,
  az: string | null,
  forcedHost: string | null,
  flavor: Flavor,
  volumeBacked: boolean,
  group: ServerGroup | null,
  groupHosts: string[],
): ComputeHost | null {
  let candidates = hostsOf(region).filter(
    (h) => (az === null || h.az === az) && (forcedHost === null || h.name === forcedHost),
  );
  candidates = candidates.filter((h) => {
    const l = loads.get(h.name) ?? { vcpus: 0, ram: 0, disk: 0 };
    return (
      l.vcpus + flavor.vcpus <= h.vcpus * CPU_RATIO &&
      l.ram + flavor.ram <= h.memoryMb * RAM_RATIO &&
      (volumeBacked || l.disk + flavor.disk <= h.diskGb)
    );
  });
  if (group?.policy === "affinity" && groupHosts.length > 0)
    candidates = candidates.filter((h) => groupHosts.includes(h.name));
  if (group?.policy === "anti-affinity") candidates = candidates.filter((h) => !groupHosts.includes(h.name));
  const free = (h: ComputeHost): number => h.memoryMb * RAM_RATIO - (loads.get(h.name)?.ram ?? 0);
  candidates.sort((a, b) => {
    if (group?.policy === "soft-affinity")
      return Number(groupHosts.includes(b.name)) - Number(groupHosts.includes(a.name)) || free(b) - free(a);
    if (group?.policy === "soft-anti-affinity")
      return Number(groupHosts.includes(a.name)) - Number(groupHosts.includes(b.name)) || free(b) - free(a);
    return free(b) - free(a) || a.name.localeCompare(b.name);
  });
  return candidates[0] ?? null;
}

const NO_VALID_HOST = "No valid host was found. There are not enough hosts available.";

// ---------------------------------------------------------------- create

const SERVER_KEYS = [
  "name",
  "imageRef",
  "flavorRef",
  "adminPass",
  "metadata",
  "networks",
  "OS-DCF:diskConfig",
  "accessIPv4",
  "accessIPv6",
  "personality",
  "availability_zone",
  "block_device_mapping",
  "block_device_mapping_v2",
  "config_drive",
  "key_name",
  "min_count",
  "max_count",
  "return_reservation_id",
  "security_groups",
  "user_data",
  "description",
  "tags",
  "trusted_image_certificates",
  "host",
  "hypervisor_hostname",
  "hostname",
];

interface BdmInput {
  sourceType: string;
  destinationType: string;
  uuid: string | null;
  bootIndex: number | null;
  volumeSize: number | null;
  deleteOnTermination: boolean;
  deviceName: string | null;
  tag: string | null;
  volumeType: string | null;
}

function parseBdms(raw: unknown, mv: number): BdmInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw notType("block_device_mapping_v2", raw, "array");
  return raw.map((item, index) => {
    if (!isObject(item)) throw notType("block_device_mapping_v2", item, "object");
    // volume_type joined the mapping's schema in 2.67; before that it is an unknown property.
    if (item.volume_type !== undefined && mv < 67)
      throw invalid(
        String(index),
        item,
        "Additional properties are not allowed ('volume_type' was unexpected)",
      );
    const source = item.source_type;
    if (source !== undefined && !["volume", "image", "snapshot", "blank"].includes(asText(source))) {
      throw invalid(
        "source_type",
        source,
        `${pyRepr(source)} is not one of ['volume', 'image', 'snapshot', 'blank']`,
      );
    }
    const sourceType = typeof source === "string" ? source : "volume";
    const dest = item.destination_type;
    if (dest !== undefined && dest !== "local" && dest !== "volume")
      throw invalid("destination_type", dest, `${pyRepr(dest)} is not one of ['local', 'volume']`);
    const destinationType =
      typeof dest === "string"
        ? dest
        : sourceType === "volume" || sourceType === "snapshot"
          ? "volume"
          : "local";
    const uuidValue = item.uuid ?? null;
    if (uuidValue !== null && (typeof uuidValue !== "string" || uuidValue.length === 0))
      throw notType("uuid", uuidValue, "string");
    const bi = item.boot_index;
    let bootIndex: number | null = null;
    if (bi !== undefined && bi !== null && bi !== "none") {
      const n = typeof bi === "number" ? bi : typeof bi === "string" && /^-?\d+$/.test(bi) ? Number(bi) : NaN;
      if (!Number.isInteger(n))
        throw invalid("boot_index", bi, `${pyRepr(bi)} is not of type 'integer', 'string', 'null'`);
      bootIndex = n < 0 ? null : n;
    }
    const vs = item.volume_size;
    let volumeSize: number | null = null;
    if (vs !== undefined && vs !== null) {
      const n = typeof vs === "number" ? vs : typeof vs === "string" && /^\d+$/.test(vs) ? Number(vs) : NaN;
      if (!Number.isInteger(n))
        throw invalid("volume_size", vs, `${pyRepr(vs)} is not of type 'integer', 'string'`);
      volumeSize = n;
    }
    const dot = item.delete_on_termination;
    const deleteOnTermination = dot === true || (typeof dot === "string" && queryBool(dot) === true);
    return {
      sourceType,
      destinationType,
      uuid: uuidValue,
      bootIndex,
      volumeSize,
      deleteOnTermination,
      deviceName: typeof item.device_name === "string" ? item.device_name : null,
      tag: typeof item.tag === "string" ? item.tag : null,
      volumeType: typeof item.volume_type === "string" ? item.volume_type : null,
    };
  });
}

function bdmInvalid(detail: string): ApiError {
  return badRequest(`Block Device Mapping is Invalid: ${detail}`);
}

/** A volume the build will attach: existing (by id) or to be created from image/snapshot/blank. */
interface PlannedVolume {
  bdm: BdmInput;
  existing: Volume | null;
  size: number;
  imageId: string | null;
  snapshotId: string | null;
}

function resolveNetworks(
  ctx: Ctx,
  projectId: string,
  raw: unknown,
  present: boolean,
): { networks: RequestedNetwork[]; auto: boolean } {
  const ns = ctx.rs.network;
  const usable = (): string[] =>
    Object.values(ns.networks)
      .filter(
        (n) => !n["router:external"] && (n.project_id === projectId || n.shared) && n.subnets.length > 0,
      )
      .map((n) => n.id);
  const auto = (legacy: boolean): RequestedNetwork[] => {
    const candidates = usable();
    if (candidates.length > 1)
      throw conflict("Multiple possible networks found, use a Network ID to be more specific.");
    if (candidates.length === 0) {
      if (legacy) return [];
      throw badRequest(`Unable to automatically allocate a network for project ${projectId}`);
    }
    return [{ networkId: candidates[0] ?? null, portId: null, fixedIp: null, tag: null }];
  };
  if (!present) {
    if (ctx.mv >= 37) throw required("server", {}, "networks");
    return { networks: auto(true), auto: true };
  }
  if (raw === "none") {
    if (ctx.mv < 37) throw notType("networks", raw, "array");
    return { networks: [], auto: false };
  }
  if (raw === "auto") {
    if (ctx.mv < 37) throw notType("networks", raw, "array");
    return { networks: auto(false), auto: true };
  }
  if (!Array.isArray(raw)) {
    if (ctx.mv >= 37)
      throw invalid("networks", raw, `${pyRepr(raw)} is not valid under any of the given schemas`);
    throw notType("networks", raw, "array");
  }
  const out: RequestedNetwork[] = [];
  // From 2.37 networks is oneOf(list, "auto", "none"): any bad item fails the whole oneOf.
  const schemaError = (inner: ApiError): ApiError =>
    ctx.mv >= 37
      ? invalid("networks", raw, `${pyRepr(raw)} is not valid under any of the given schemas`)
      : inner;
  for (const item of raw) {
    if (!isObject(item)) throw schemaError(notType("networks", item, "object"));
    const extra = Object.keys(item).filter((k) => !["uuid", "port", "fixed_ip", "tag"].includes(k));
    if (extra.length > 0)
      throw schemaError(
        invalid(
          "networks",
          item,
          `Additional properties are not allowed (${extra.map((k) => pyRepr(k)).join(", ")} was unexpected)`,
        ),
      );
    const netId = item.uuid;
    const portId = item.port;
    if (netId !== undefined && (typeof netId !== "string" || !UUID_RE.test(netId)))
      throw schemaError(invalid("uuid", netId, `${pyRepr(netId)} is not a 'uuid'`));
    if (portId !== undefined && portId !== null && (typeof portId !== "string" || !UUID_RE.test(portId))) {
      throw schemaError(invalid("port", portId, `${pyRepr(portId)} is not a 'uuid'`));
    }
    const fixedIp = item.fixed_ip;
    if (fixedIp !== undefined && typeof fixedIp !== "string")
      throw schemaError(notType("fixed_ip", fixedIp, "string"));
    if (typeof portId === "string") {
      const port = ns.ports[portId];
      if (!port || !(ctx.auth.isAdmin || port.project_id === projectId))
        throw badRequest(`Port ${portId} could not be found.`);
      if (port.device_id) throw conflict(`Port ${portId} is still in use.`);
      if (out.some((r) => r.portId === portId)) throw badRequest(`Port ${portId} is still in use.`);
      out.push({
        networkId: port.network_id,
        portId,
        fixedIp: null,
        tag: typeof item.tag === "string" ? item.tag : null,
      });
      continue;
    }
    if (typeof netId !== "string")
      throw badRequest("Bad networks format: network uuid is not in proper format ()");
    const net = ns.networks[netId];
    if (!net || !(ctx.auth.isAdmin || net.project_id === projectId || net.shared || net["router:external"])) {
      throw badRequest(`Network ${netId} could not be found.`);
    }
    if (net["router:external"] && !net.shared && !ctx.auth.isAdmin) {
      throw new ApiError(403, `It is not allowed to create an interface on external network ${netId}`);
    }
    if (net.subnets.length === 0)
      throw badRequest(`Network ${netId} requires a subnet in order to boot instances on.`);
    out.push({
      networkId: net.id,
      portId: null,
      fixedIp: typeof fixedIp === "string" ? fixedIp : null,
      tag: typeof item.tag === "string" ? item.tag : null,
    });
  }
  return { networks: out, auto: false };
}

function createServers(ctx: Ctx): SimResponse {
  const b = body(ctx);
  const input = member(b, "server");
  const projectId = ctx.auth.projectId;
  if (projectId === null) throw policy("os_compute_api:servers:create");
  noExtra("server", input, SERVER_KEYS);
  if (input.name === undefined) throw required("server", input, "name");
  const name = nameField("name", input.name);
  if (input.flavorRef === undefined) throw required("server", input, "flavorRef");
  if (typeof input.flavorRef !== "string" && typeof input.flavorRef !== "number")
    throw notType("flavorRef", input.flavorRef, "string");
  const flavorRef = String(input.flavorRef);
  if (flavorRef.length === 0) throw invalid("flavorRef", flavorRef, `'' is too short`);
  const flavor = findFlavor(ctx, flavorRef);
  if (!flavor || flavor.disabled) throw badRequest(`Flavor ${flavorRef} could not be found.`);

  // Root disk: an image, or a volume from block_device_mapping_v2 with boot_index 0.
  const bdms = parseBdms(input.block_device_mapping_v2, ctx.mv);
  const imageRef = input.imageRef;
  if (imageRef !== undefined && imageRef !== null && typeof imageRef !== "string")
    throw notType("imageRef", imageRef, "string");
  const bootBdm = bdms.find((d) => d.bootIndex === 0);
  let imageId: string | null = null;
  let bootImage = undefined as ReturnType<typeof findImage>;
  const imageIdOf = (ref: string): string =>
    ref.includes("/") ? (ref.split("/").filter(Boolean).pop() ?? ref) : ref;
  const lookupImage = (ref: string): NonNullable<ReturnType<typeof findImage>> => {
    const image = findImage(ctx.rs, imageIdOf(ref), projectId, ctx.auth.isAdmin);
    if (!image) throw badRequest("Can not find requested image");
    if (image.status !== "active") throw badRequest(`Image ${image.id} is not active.`);
    return image;
  };
  const volumeBacked = bootBdm !== undefined && bootBdm.destinationType === "volume";
  if (!volumeBacked) {
    const ref =
      typeof imageRef === "string" && imageRef.length > 0
        ? imageRef
        : bootBdm?.sourceType === "image"
          ? bootBdm.uuid
          : null;
    if (ref === null) {
      if (imageRef === undefined && bdms.length === 0) throw required("server", input, "imageRef");
      throw bdmInvalid(
        "Boot sequence for the instance and image/block device mapping combination is not valid.",
      );
    }
    bootImage = lookupImage(ref);
    imageId = bootImage.id;
    const GiB = 1024 ** 3;
    if (flavor.disk === 0 && !ctx.auth.isAdmin)
      throw new ApiError(403, "Only volume-backed servers are allowed for flavors with zero disk.");
    if (flavor.disk > 0 && (bootImage.size ?? 0) > flavor.disk * GiB) {
      throw badRequest(
        `Flavor's disk is too small for requested image. Flavor disk is ${flavor.disk * GiB} bytes, image is ${bootImage.size ?? 0} bytes.`,
      );
    }
    if (flavor.disk > 0 && bootImage.min_disk > flavor.disk) {
      throw badRequest(
        `Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${flavor.disk * GiB} bytes, minimum size is ${bootImage.min_disk * GiB} bytes.`,
      );
    }
    if (bootImage.min_ram > flavor.ram) throw badRequest("Flavor's memory is too small for requested image.");
  }

  // Volumes of the mapping (the boot volume and any extra data volumes).
  const planned: PlannedVolume[] = [];
  for (const d of bdms) {
    if (d.destinationType !== "volume") continue;
    if (d.volumeType !== null) {
      // Nova looks the type up among those Cinder lists for the caller (by id or name) and keeps its name.
      const type = Object.values(ctx.rs.volume.types).find(
        (t) => (t.is_public || ctx.auth.isAdmin) && (t.id === d.volumeType || t.name === d.volumeType),
      );
      if (!type) throw badRequest(`Volume type ${d.volumeType} could not be found.`);
      d.volumeType = type.name;
    }
    if (d.sourceType === "volume") {
      const v = d.uuid ? ctx.rs.volume.volumes[d.uuid] : undefined;
      if (!v || !(ctx.auth.isAdmin || v.project_id === projectId))
        throw bdmInvalid(`failed to get volume ${d.uuid ?? ""}.`);
      if (v.status !== "available")
        throw badRequest(
          `Invalid volume: volume '${v.id}' status must be 'available'. Currently in '${v.status}'`,
        );
      planned.push({ bdm: d, existing: v, size: v.size, imageId: null, snapshotId: null });
    } else if (d.sourceType === "snapshot") {
      const snap = d.uuid ? ctx.rs.volume.snapshots[d.uuid] : undefined;
      if (!snap || !(ctx.auth.isAdmin || snap.project_id === projectId))
        throw bdmInvalid(`failed to get snapshot ${d.uuid ?? ""}.`);
      if (snap.status !== "available") throw bdmInvalid(`Snapshot ${snap.id} is not available.`);
      planned.push({
        bdm: d,
        existing: null,
        size: Math.max(d.volumeSize ?? 0, snap.size),
        imageId: null,
        snapshotId: snap.id,
      });
    } else if (d.sourceType === "image") {
      if (!d.uuid) throw bdmInvalid("Missing device UUID.");
      const image = lookupImage(d.uuid);
      if (!d.volumeSize)
        throw bdmInvalid("Images with destination_type 'volume' need to have a non-zero size specified");
      const GiB = 1024 ** 3;
      if (d.volumeSize < image.min_disk) {
        throw badRequest(
          `Volume is smaller than the minimum size specified in image metadata. Volume size is ${d.volumeSize * GiB} bytes, minimum size is ${image.min_disk * GiB} bytes.`,
        );
      }
      if (d.bootIndex === 0 && image.min_ram > flavor.ram)
        throw badRequest("Flavor's memory is too small for requested image.");
      planned.push({ bdm: d, existing: null, size: d.volumeSize, imageId: image.id, snapshotId: null });
    } else {
      if (!d.volumeSize)
        throw bdmInvalid("Blank volumes (source: 'blank', dest: 'volume') need to have non-zero size");
      planned.push({ bdm: d, existing: null, size: d.volumeSize, imageId: null, snapshotId: null });
    }
  }

  // Networks, key pair, user data, security groups, AZ, counts.
  if (input.networks === undefined && ctx.mv >= 37) throw required("server", input, "networks");
  const { networks } = resolveNetworks(ctx, projectId, input.networks, input.networks !== undefined);
  let keyName: string | null = null;
  let keyData: string | null = null;
  if (input.key_name !== undefined && input.key_name !== null) {
    if (typeof input.key_name !== "string") throw notType("key_name", input.key_name, "string");
    const kp = ctx.rs.compute.keypairs[keypairKey(ctx.auth.user.id, input.key_name)];
    if (!kp) throw badRequest("Invalid key_name provided.");
    keyName = kp.name;
    keyData = kp.publicKey;
  }
  let userData: string | null = null;
  if (input.user_data !== undefined && input.user_data !== null) {
    if (typeof input.user_data !== "string") throw notType("user_data", input.user_data, "string");
    if (!isBase64(input.user_data))
      throw invalid("user_data", input.user_data, `${pyRepr(input.user_data)} is not a 'base64'`);
    if (input.user_data.length > 65535)
      throw invalid("user_data", input.user_data, `${pyRepr(input.user_data)} is too long`);
    userData = input.user_data;
  }
  const metadata = metadataField(
    "metadata",
    input.metadata,
    novaQuota(ctx.rs, projectId).metadata_items ?? 128,
  );
  const groupsAsked: string[] = [];
  if (input.security_groups !== undefined) {
    if (!Array.isArray(input.security_groups))
      throw notType("security_groups", input.security_groups, "array");
    for (const g of input.security_groups) {
      if (!isObject(g) || typeof g.name !== "string")
        throw invalid("security_groups", g, `'name' is a required property`);
      groupsAsked.push(g.name);
    }
  }
  const groupNames = groupsAsked.length > 0 ? [...new Set(groupsAsked)] : ["default"];
  ensureDefaultSecurityGroup(ctx.core, ctx.rs, projectId);
  for (const g of groupNames) {
    if (!findSecurityGroup(ctx.rs, projectId, g))
      throw badRequest(`Unable to find security_group with name or id '${g}'`);
  }
  let az: string | null = null;
  let forcedHost: string | null = null;
  if (input.availability_zone !== undefined && input.availability_zone !== null) {
    if (typeof input.availability_zone !== "string")
      throw notType("availability_zone", input.availability_zone, "string");
    const [zone, hostPart] = input.availability_zone.split(":");
    if (!(AVAILABILITY_ZONES as readonly string[]).includes(zone ?? ""))
      throw badRequest("The requested availability zone is not available");
    az = zone ?? null;
    if (hostPart) {
      if (!ctx.auth.isAdmin) throw policy("os_compute_api:servers:create:forced_host");
      if (!hostsOf(ctx.region).some((h) => h.name === hostPart && h.az === zone))
        throw badRequest(`Compute host ${hostPart} could not be found.`);
      forcedHost = hostPart;
    }
  }
  const minCount = countField("min_count", input.min_count) ?? 1;
  const maxCount = countField("max_count", input.max_count) ?? minCount;
  if (minCount > maxCount) throw badRequest("min_count must be <= max_count");
  if (maxCount > 1 && networks.some((n) => n.portId !== null)) {
    throw badRequest(
      "Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.",
    );
  }
  if (maxCount > 1 && networks.some((n) => n.fixedIp !== null))
    throw badRequest("max_count cannot be greater than 1 if an fixed_ip is specified.");
  if (maxCount > 1 && planned.some((p) => p.existing !== null))
    throw badRequest("Unable to launch multiple instances with a single configured volume.");
  const description = optText("description", input.description);
  if (description !== undefined && ctx.mv < 19)
    throw invalid("server", input, "Additional properties are not allowed ('description' was unexpected)");
  const tags = input.tags === undefined ? [] : tagList("tags", input.tags);
  if (input.tags !== undefined && ctx.mv < 52)
    throw invalid("server", input, "Additional properties are not allowed ('tags' was unexpected)");
  const hints = b["os:scheduler_hints"] ?? b["OS-SCH-HNT:scheduler_hints"];
  let group: ServerGroup | null = null;
  if (isObject(hints) && typeof hints.group === "string") {
    const g = ctx.rs.compute.serverGroups[hints.group];
    if (!g || !(ctx.auth.isAdmin || g.projectId === projectId))
      throw badRequest(`Invalid server group ${hints.group}`);
    group = g;
  }
  const configDrive =
    input.config_drive === true ||
    (typeof input.config_drive === "string" && queryBool(input.config_drive) === true);
  const accessIPv4 = optText("accessIPv4", input.accessIPv4) ?? "";
  const accessIPv6 = optText("accessIPv6", input.accessIPv6) ?? "";
  const requestedHostname = input.hostname === undefined ? null : nameField("hostname", input.hostname, 63);
  if (input.adminPass !== undefined && typeof input.adminPass !== "string")
    throw notType("adminPass", input.adminPass, "string");
  const adminPass = typeof input.adminPass === "string" ? input.adminPass : adminPassword();

  // Quota: Nova builds as many of [min_count, max_count] as fit, and refuses when min_count does not.
  const count = allowedCount(ctx.rs, projectId, minCount, maxCount, flavor.vcpus, flavor.ram);
  if (group) {
    const limit = novaQuota(ctx.rs, projectId).server_group_members ?? -1;
    if (limit >= 0 && group.members.length + count > limit)
      throw new ApiError(403, "Quota exceeded, too many servers in group");
  }

  // Placement is decided now and revealed when the "scheduled" transition fires.
  const loads = hostLoads(ctx.rs);
  const groupHosts = group
    ? group.members.map((id) => ctx.rs.compute.servers[id]?.host ?? "").filter(Boolean)
    : [];
  const resId = reservationId();
  const created: Server[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const id = uuid();
    const host =
      metadata._sim_fail === "schedule"
        ? null
        : pickHost(ctx.region, loads, az, forcedHost, flavor, volumeBacked, group, groupHosts);
    if (host) {
      const l = loads.get(host.name) ?? { vcpus: 0, ram: 0, disk: 0 };
      loads.set(host.name, {
        vcpus: l.vcpus + flavor.vcpus,
        ram: l.ram + flavor.ram,
        disk: l.disk + (volumeBacked ? 0 : flavor.disk),
      });
      groupHosts.push(host.name);
    }
    const serverName = count > 1 ? `${name}-${i + 1}` : name;
    const s: Server = {
      id,
      name: serverName,
      projectId,
      userId: ctx.auth.user.id,
      createdAt: now,
      updatedAt: now,
      launchedAt: null,
      vmState: "building",
      taskState: "scheduling",
      powerState: POWER.NOSTATE,
      flavor: flavorSnapshot(flavor),
      oldFlavor: null,
      imageId,
      keyName,
      keyData,
      userData,
      metadata: { ...metadata },
      availabilityZone: az ?? "",
      host: host?.name ?? "",
      instanceName: `instance-${ctx.core.store.next(`${ctx.region}.instance`).toString(16).padStart(8, "0")}`,
      requestedSecurityGroups: groupNames,
      locked: false,
      lockedReason: null,
      lockedByAdmin: false,
      configDrive: configDrive ? "True" : "",
      description: description ?? null,
      tags,
      hostname:
        requestedHostname ??
        (count > 1 ? `${sanitizeHostname(name, id)}-${i + 1}` : sanitizeHostname(name, id)),
      accessIPv4,
      accessIPv6,
      fault: null,
      progress: 0,
      reservationId: resId,
      launchIndex: i,
      volumes: [],
      opId: null,
      deleting: false,
      resumeVmState: null,
      serverGroupId: group?.id ?? null,
      trustedCerts: null,
      requestedNetworks: networks.map((n) => ({ ...n })),
      ownedPorts: [],
      actions: [],
      shelvedAt: null,
      powerLog: [],
      buildFailure: host ? null : NO_VALID_HOST,
      scheduled: false,
      pendingVolumes: [],
    };
    if (group) group.members.push(id);
    ctx.rs.compute.servers[id] = s;
    recordAction(ctx, s, "create");
    if (host) planVolumes(ctx, s, planned, host.az);
    beginOp(s);
    schedule(ctx.core, ctx.region, s, "compute.scheduled", ctx.core.delay("server.schedule") + i * 5, {
      req: ctx.req.requestId,
    });
    created.push(s);
  }
  ctx.core.store.changed();
  if (input.return_reservation_id === true || queryBool(String(input.return_reservation_id)) === true) {
    return jsonResponse(202, { reservation_id: resId });
  }
  const first = created[0] as Server;
  return jsonResponse(
    202,
    {
      server: {
        id: first.id,
        links: links(ctx, "servers", first.id),
        "OS-DCF:diskConfig": "MANUAL",
        security_groups: groupNames.map((n) => ({ name: n })),
        adminPass,
      },
    },
    { Location: `${ctx.root}/v2.1/servers/${first.id}` },
  );
}

/** Creates or reserves the build's volumes; a Cinder quota failure fails the build, as in Nova. */
function planVolumes(ctx: Ctx, s: Server, planned: PlannedVolume[], az: string): void {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let next = s.imageId === null ? 0 : 1;
  const sorted = [...planned].sort((a, b) => (a.bdm.bootIndex ?? 99) - (b.bdm.bootIndex ?? 99));
  for (const p of sorted) {
    const device = p.bdm.deviceName ?? `/dev/vd${letters[next] ?? "z"}`;
    next += 1;
    const attachmentId = uuid();
    let volumeId: string;
    if (p.existing) {
      p.existing.status = "reserved";
      p.existing.updated_at = isoMicros(Date.now());
      volumeId = p.existing.id;
    } else {
      try {
        checkVolumeQuota(ctx.rs, s.projectId, "volumes", p.size);
      } catch (err) {
        s.buildFailure = `Build of instance ${s.id} aborted: ${err instanceof Error ? err.message : String(err)}`;
        return;
      }
      const type = p.bdm.volumeType
        ? Object.values(ctx.rs.volume.types).find(
            (t) => t.name === p.bdm.volumeType || t.id === p.bdm.volumeType,
          )
        : undefined;
      const v = createVolumeRecord(ctx.core, ctx.region, {
        projectId: s.projectId,
        userId: s.userId,
        size: p.size,
        // Nova names the blank volumes it makes "<server uuid>-blank-vol"; the others get no name.
        name: p.imageId === null && p.snapshotId === null ? `${s.id}-blank-vol` : "",
        description: "",
        availabilityZone: az,
        ...(type ? { type } : {}),
        ...(p.imageId ? { imageId: p.imageId } : {}),
        ...(p.snapshotId ? { snapshotId: p.snapshotId } : {}),
        attachTo: { serverId: s.id, device, attachmentId },
      });
      volumeId = v.id;
    }
    s.volumes.push({
      volumeId,
      device,
      tag: p.bdm.tag,
      deleteOnTermination: p.bdm.deleteOnTermination,
      attachmentId,
      bdmUuid: uuid(),
      bootIndex: p.bdm.bootIndex,
    });
    (s.pendingVolumes ??= []).push(volumeId);
  }
}

function tagList(field: string, raw: unknown): string[] {
  if (!Array.isArray(raw)) throw notType(field, raw, "array");
  if (raw.length > 50) throw badRequest("The number of tags exceeded the per-server limit 50");
  const out: string[] = [];
  for (const t of raw) {
    if (typeof t !== "string") throw notType(field, t, "string");
    checkTag(t);
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

function checkTag(t: string): void {
  if (t.length < 1 || t.length > 60)
    throw invalid("tags", t, `${pyRepr(t)} is ${t.length < 1 ? "too short" : "too long"}`);
  if (t.includes("/") || t.includes(",")) throw invalid("tags", t, `${pyRepr(t)} does not match '^[^,/]*$'`);
}

// ---------------------------------------------------------------- transitions

function registerTransitions(core: SimCore): void {
  const sched = core.scheduler;
  /** The server a transition is for, if its operation is still the current one. */
  const current = (t: Transition): { s: Server; rs: RegionState } | null => {
    const rs = core.store.region(t.region);
    const s = rs.compute.servers[t.target];
    if (!s || (t.data.op !== undefined && s.opId !== t.data.op)) return null;
    return { s, rs };
  };
  const later = (t: Transition, kind: string, delay: number, data: Record<string, unknown> = {}): void => {
    sched.schedule(kind, t.region, t.target, delay, { ...t.data, ...data });
  };

  sched.register("compute.scheduled", (t) => {
    const hit = current(t);
    if (!hit) return;
    const { s, rs } = hit;
    if (s.buildFailure) {
      s.scheduled = s.host !== "";
      failServer(core, s, s.buildFailure);
      finishAction(s, t.data.req, false, s.buildFailure);
      return;
    }
    const host = hostsOf(t.region).find((h) => h.name === s.host);
    s.scheduled = true;
    s.availabilityZone = host?.az ?? s.availabilityZone;
    s.taskState = "networking";
    try {
      for (const n of s.requestedNetworks) {
        if (n.portId !== null) {
          const port = rs.network.ports[n.portId];
          if (!port) throw new ApiError(404, `Port ${n.portId} could not be found.`);
          bindPort(core, rs, port, s.id, s.host, s.availabilityZone);
          continue;
        }
        const network = n.networkId ? rs.network.networks[n.networkId] : undefined;
        if (!network) throw new ApiError(404, `Network ${n.networkId ?? ""} could not be found.`);
        const groups = network.port_security_enabled
          ? s.requestedSecurityGroups
              .map((g) => findSecurityGroup(rs, s.projectId, g)?.id)
              .filter((id): id is string => id !== undefined)
          : undefined;
        const port = createPort(core, rs, {
          projectId: s.projectId,
          networkId: network.id,
          securityGroups: groups,
          deviceId: s.id,
          deviceOwner: `compute:${s.availabilityZone}`,
          hostId: s.host,
          ...(n.fixedIp !== null ? { fixedIps: [{ ip_address: n.fixedIp }] } : {}),
        });
        s.ownedPorts.push(port.id);
      }
    } catch (err) {
      const message = `Build of instance ${s.id} aborted: ${err instanceof Error ? err.message : String(err)}`;
      failServer(core, s, message);
      finishAction(s, t.data.req, false, message);
      return;
    }
    for (const a of s.volumes) {
      const v = rs.volume.volumes[a.volumeId];
      if (v && v.status === "reserved") beginAttach(core, t.region, v, s.id, a.device, a.attachmentId);
    }
    s.taskState = (s.pendingVolumes ?? []).length > 0 ? "block_device_mapping" : "spawning";
    touchServer(core, s);
    later(t, "compute.spawned", core.delay("server.spawn"));
  });

  sched.register("compute.spawned", (t) => {
    const hit = current(t);
    if (!hit) return;
    const { s, rs } = hit;
    const waiting = (s.pendingVolumes ?? []).filter((id) => rs.volume.volumes[id]?.status !== "in-use");
    const broken = waiting.find((id) => {
      const v = rs.volume.volumes[id];
      return !v || v.status === "error" || v.status === "available";
    });
    if (broken !== undefined) {
      const status = rs.volume.volumes[broken]?.status ?? "deleted";
      const message = `Build of instance ${s.id} aborted: Volume ${broken} did not finish being created even after we waited. And its status is ${status}.`;
      failServer(core, s, message);
      finishAction(s, t.data.req, false, message);
      return;
    }
    if (waiting.length > 0) {
      later(t, "compute.spawned", core.delay("volume.attach"));
      return;
    }
    s.pendingVolumes = [];
    if (s.metadata._sim_fail === "spawn") {
      const message = `Build of instance ${s.id} aborted: Simulated failure while spawning.`;
      failServer(core, s, message);
      finishAction(s, t.data.req, false, message);
      return;
    }
    s.vmState = "active";
    s.taskState = null;
    s.launchedAt = Date.now();
    setPower(s, POWER.RUNNING);
    s.opId = null;
    finishAction(s, t.data.req);
    touchServer(core, s);
  });

  /** Generic end of an action: the server settles in the given states. */
  sched.register("compute.settle", (t) => {
    const hit = current(t);
    if (!hit) return;
    const { s } = hit;
    const next = t.data.taskState;
    if (typeof next === "string") {
      // Multi-step tasks (resize_prep → resize_migrating → ...) walk through their task states.
      s.taskState = next;
      const rest = Array.isArray(t.data.then) ? (t.data.then as Record<string, unknown>[]) : [];
      const [step, ...others] = rest;
      touchServer(core, s);
      if (step) {
        sched.schedule("compute.settle", t.region, t.target, Number(t.data.stepDelay ?? 20), {
          op: t.data.op,
          req: t.data.req,
          stepDelay: t.data.stepDelay,
          ...step,
          then: others,
        });
      }
      return;
    }
    if (isObject(t.data.flavor)) {
      s.oldFlavor = s.flavor;
      s.flavor = t.data.flavor as unknown as FlavorSnapshot;
    }
    if (t.data.revert === true && s.oldFlavor) {
      s.flavor = s.oldFlavor;
      s.oldFlavor = null;
    }
    if (t.data.confirm === true) s.oldFlavor = null;
    if (typeof t.data.imageId === "string" || t.data.imageId === null) s.imageId = t.data.imageId;
    if (typeof t.data.vmState === "string") s.vmState = t.data.vmState;
    s.taskState = null;
    if (typeof t.data.powerState === "number") setPower(s, t.data.powerState);
    if (t.data.clearResume === true) s.resumeVmState = null;
    s.opId = null;
    finishAction(s, t.data.req);
    touchServer(core, s);
  });

  sched.register("compute.snapshot", (t) => {
    const rs = core.store.region(t.region);
    const s = rs.compute.servers[t.target];
    const image = rs.image.images[String(t.data.imageId)];
    if (image && image.status !== "active") {
      if (t.data.phase === "uploading") {
        activateImage(core, image, Number(t.data.size ?? 0));
      } else {
        image.status = "saving";
        image.updated_at = isoSeconds(Date.now());
        if (s && s.taskState === "image_snapshot_pending") s.taskState = "image_uploading";
        sched.schedule("compute.snapshot", t.region, t.target, core.delay("server.snapshot"), {
          ...t.data,
          phase: "uploading",
        });
        core.store.changed();
        return;
      }
    }
    if (
      s &&
      (s.taskState === "image_uploading" ||
        s.taskState === "image_snapshot_pending" ||
        s.taskState === "image_snapshot")
    ) {
      s.taskState = null;
      finishAction(s, t.data.req);
      touchServer(core, s);
    }
  });

  sched.register("compute.deleted", (t) => {
    const rs = core.store.region(t.region);
    const s = rs.compute.servers[t.target];
    if (!s || !s.deleting) return;
    destroyServer(core, t.region, rs, s);
  });
}

/** Releases everything a server holds (ports, volumes, group membership) and forgets it. */
function destroyServer(core: SimCore, region: string, rs: RegionState, s: Server): void {
  for (const port of serverPorts(rs, s.id)) {
    if (s.ownedPorts.includes(port.id)) deletePort(core, rs, port.id);
    else unbindPort(core, rs, port);
  }
  for (const a of s.volumes) {
    const v = rs.volume.volumes[a.volumeId];
    if (!v) continue;
    if (v.status === "creating" || v.status === "downloading") {
      if (a.deleteOnTermination) beginDelete(core, region, v);
    } else if (v.status === "reserved") {
      v.status = "available";
    } else if (v.attachments.some((x) => x.server_id === s.id) || v.status === "attaching") {
      beginDetach(core, region, v, s.id, a.deleteOnTermination);
    } else if (a.deleteOnTermination && v.status === "available") {
      beginDelete(core, region, v);
    }
  }
  if (s.serverGroupId) {
    const g = rs.compute.serverGroups[s.serverGroupId];
    if (g) g.members = g.members.filter((id) => id !== s.id);
  }
  // Snapshots still uploading finish on their own; everything else of this server stops here.
  const keep = core.store.state.transitions.filter((x) => x.target === s.id && x.kind === "compute.snapshot");
  core.scheduler.cancel(s.id);
  for (const x of keep)
    core.scheduler.schedule(x.kind, x.region, x.target, Math.max(0, x.due - Date.now()), x.data);
  delete rs.compute.servers[s.id];
  core.store.changed();
}

// ---------------------------------------------------------------- servers: list/show/update/delete

const SORT_KEYS: Record<string, (s: Server) => unknown> = {
  created_at: (s) => s.createdAt,
  updated_at: (s) => s.updatedAt,
  launched_at: (s) => s.launchedAt,
  display_name: (s) => s.name,
  display_description: (s) => s.description,
  uuid: (s) => s.id,
  vm_state: (s) => s.vmState,
  task_state: (s) => s.taskState,
  power_state: (s) => s.powerState,
  availability_zone: (s) => s.availabilityZone,
  host: (s) => s.host,
  node: (s) => s.host,
  hostname: (s) => s.hostname,
  key_name: (s) => s.keyName,
  project_id: (s) => s.projectId,
  user_id: (s) => s.userId,
  image_ref: (s) => s.imageId,
  instance_type_id: (s) => s.flavor.id,
  locked: (s) => s.locked,
  locked_by: (s) => (s.locked ? (s.lockedByAdmin ? "admin" : "owner") : null),
  launch_index: (s) => s.launchIndex,
  progress: (s) => s.progress,
  access_ip_v4: (s) => s.accessIPv4,
  access_ip_v6: (s) => s.accessIPv6,
  config_drive: (s) => s.configDrive,
  root_device_name: (s) => (s.launchedAt === null ? null : "/dev/vda"),
  kernel_id: () => "",
  ramdisk_id: () => "",
  auto_disk_config: () => false,
  terminated_at: () => null,
};

function parseTime(field: string, value: string): number {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(t))
    throw badRequest(
      `Invalid input for query parameters ${field}. Value: ${value}. '${value}' is not a 'date-time'`,
    );
  return t;
}

function addressesOf(rs: RegionState, s: Server): string[] {
  return Object.values(serverAddresses(rs, s.id, serverPorts(rs, s.id))).flatMap((list) =>
    list.map((a) => String(a.addr)),
  );
}

function listServers(ctx: Ctx, detail: boolean): SimResponse {
  listPortIndex = indexPorts(ctx.rs);
  try {
    return listServersIndexed(ctx, detail);
  } finally {
    listPortIndex = null;
  }
}

function listServersIndexed(ctx: Ctx, detail: boolean): SimResponse {
  const q = ctx.req.query;
  const allTenantsRaw = q.get("all_tenants");
  let allTenants = false;
  if (allTenantsRaw !== null) {
    const v = allTenantsRaw === "" ? true : queryBool(allTenantsRaw);
    if (v === undefined) {
      throw badRequest(
        `Unrecognized value '${allTenantsRaw}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`,
      );
    }
    allTenants = v;
  }
  if (allTenants && !ctx.auth.isAdmin)
    throw policy(`os_compute_api:servers:${detail ? "detail" : "index"}:get_all_tenants`);
  const tenant = q.get("tenant_id") ?? q.get("project_id");
  let rows = Object.values(ctx.rs.compute.servers).filter((s) => {
    if (allTenants) return tenant === null || s.projectId === tenant;
    return s.projectId === ctx.auth.projectId;
  });
  const regexFilter = (key: string, get: (s: Server) => string[]): void => {
    const raw = q.get(key);
    if (raw === null) return;
    let re: RegExp;
    try {
      re = new RegExp(raw);
    } catch {
      throw badRequest(`Invalid regular expression for ${key}: ${raw}`);
    }
    rows = rows.filter((s) => get(s).some((v) => re.test(v)));
  };
  regexFilter("name", (s) => [s.name]);
  regexFilter("ip", (s) => addressesOf(ctx.rs, s).filter((a) => !a.includes(":")));
  regexFilter("ip6", (s) => addressesOf(ctx.rs, s).filter((a) => a.includes(":")));
  const statuses = q.getAll("status").map((v) => v.toUpperCase());
  for (const st of statuses) if (!STATUS_FILTERS.includes(st)) throw badRequest("Invalid status value");
  if (statuses.length > 0) rows = rows.filter((s) => statuses.includes(serverStatus(s)));
  const exact = (key: string, get: (s: Server) => unknown): void => {
    const raw = q.get(key);
    if (raw !== null) rows = rows.filter((s) => String(get(s)) === raw);
  };
  const lastSegment = (v: string): string => v.split("/").filter(Boolean).pop() ?? v;
  const flavorQ = q.get("flavor");
  if (flavorQ !== null) rows = rows.filter((s) => s.flavor.id === lastSegment(flavorQ));
  const imageQ = q.get("image");
  if (imageQ !== null) rows = rows.filter((s) => s.imageId === lastSegment(imageQ));
  exact("availability_zone", (s) => s.availabilityZone);
  exact("key_name", (s) => s.keyName);
  exact("user_id", (s) => s.userId);
  exact("reservation_id", (s) => s.reservationId);
  exact("vm_state", (s) => s.vmState);
  exact("task_state", (s) => s.taskState);
  if (ctx.auth.isAdmin) {
    exact("host", (s) => s.host);
    exact("node", (s) => s.host);
    exact("uuid", (s) => s.id);
  }
  if (ctx.mv >= 73 && q.get("locked") !== null) {
    const v = queryBool(q.get("locked"));
    if (v === undefined)
      throw badRequest(`Invalid input for query parameters locked. Value: ${q.get("locked") ?? ""}.`);
    rows = rows.filter((s) => s.locked === v);
  }
  if (ctx.mv >= 26) {
    const tagFilter = (key: string, test: (tags: string[], wanted: string[]) => boolean): void => {
      const raw = q.get(key);
      if (raw !== null) rows = rows.filter((s) => test(s.tags, raw.split(",")));
    };
    tagFilter("tags", (tags, w) => w.every((t) => tags.includes(t)));
    tagFilter("tags-any", (tags, w) => w.some((t) => tags.includes(t)));
    tagFilter("not-tags", (tags, w) => !w.every((t) => tags.includes(t)));
    tagFilter("not-tags-any", (tags, w) => !w.some((t) => tags.includes(t)));
  }
  const since = q.get("changes-since");
  const before = ctx.mv >= 66 ? q.get("changes-before") : null;
  const sinceMs = since === null ? null : parseTime("changes-since", since);
  const beforeMs = before === null ? null : parseTime("changes-before", before);
  if (sinceMs !== null && beforeMs !== null && sinceMs > beforeMs)
    throw badRequest("The value of changes-since must be less than or equal to changes-before.");
  if (sinceMs !== null) rows = rows.filter((s) => s.updatedAt >= sinceMs);
  if (beforeMs !== null) rows = rows.filter((s) => s.updatedAt <= beforeMs);

  const sortKeys = q.getAll("sort_key");
  const sortDirs = q.getAll("sort_dir");
  for (const k of sortKeys) {
    if (!(k in SORT_KEYS))
      throw badRequest(
        `Invalid input for query parameters sort_key. Value: ${k}. '${k}' is not one of [${Object.keys(
          SORT_KEYS,
        )
          .map((x) => `'${x}'`)
          .join(", ")}]`,
      );
  }
  for (const d of sortDirs) {
    if (d !== "asc" && d !== "desc")
      throw badRequest(
        `Invalid input for query parameters sort_dir. Value: ${d}. '${d}' is not one of ['asc', 'desc']`,
      );
  }
  const keys = sortKeys.length > 0 ? sortKeys : ["created_at", "id"];
  rows.sort(
    compareBy<Server>([
      ...keys.map((k, i) => ({
        get: k === "id" ? (s: Server) => s.id : (SORT_KEYS[k] as (s: Server) => unknown),
        desc: (sortDirs[i] ?? sortDirs[0] ?? "desc") === "desc",
      })),
      { get: (s: Server) => s.id, desc: true },
    ]),
  );
  const { page, limit } = markerPage(rows, q);
  const out: Record<string, unknown> = {
    servers: page.map((s) => (detail ? renderServer(ctx, s, "list") : renderServerBrief(ctx, s))),
  };
  const last = page[page.length - 1];
  // Nova offers a next link whenever a page is full, even when nothing follows.
  if (last && page.length === limit) {
    out.servers_links = [
      {
        rel: "next",
        href: withQuery(`${ctx.root}/v2.1/servers${detail ? "/detail" : ""}`, q, {
          limit: String(limit),
          marker: last.id,
        }),
      },
    ];
  }
  return jsonResponse(200, out);
}

function updateServer(ctx: Ctx, s: Server): SimResponse {
  const input = member(body(ctx), "server");
  const allowed = ["name", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig"];
  if (ctx.mv >= 19) allowed.push("description");
  if (ctx.mv >= 90) allowed.push("hostname");
  noExtra("server", input, allowed);
  if (input.name !== undefined) s.name = nameField("name", input.name);
  const description = optText("description", input.description);
  if (description !== undefined) s.description = description;
  const v4 = optText("accessIPv4", input.accessIPv4);
  if (v4 !== undefined) s.accessIPv4 = v4 ?? "";
  const v6 = optText("accessIPv6", input.accessIPv6);
  if (v6 !== undefined) s.accessIPv6 = v6 ?? "";
  if (input.hostname !== undefined) s.hostname = nameField("hostname", input.hostname, 63);
  touchServer(ctx.core, s);
  return jsonResponse(200, { server: ctx.mv >= 75 ? renderServer(ctx, s) : renderServerBasic(ctx, s) });
}

function checkLock(ctx: Ctx, s: Server): void {
  if (s.locked && !ctx.auth.isAdmin) throw conflict(`Instance ${s.id} is locked`);
}

function deleteServer(ctx: Ctx, s: Server): SimResponse {
  checkLock(ctx, s);
  if (s.deleting) return emptyResponse(204);
  s.deleting = true;
  s.taskState = "deleting";
  beginOp(s);
  // Pending steps of an earlier action are moot now (a snapshot upload carries on).
  const keep = ctx.core.store.state.transitions.filter(
    (x) => x.target === s.id && x.kind === "compute.snapshot",
  );
  ctx.core.scheduler.cancel(s.id);
  for (const x of keep)
    ctx.core.scheduler.schedule(x.kind, x.region, x.target, Math.max(0, x.due - Date.now()), x.data);
  schedule(ctx.core, ctx.region, s, "compute.deleted", ctx.core.delay("server.delete"), {});
  touchServer(ctx.core, s);
  return emptyResponse(204);
}

// ---------------------------------------------------------------- actions

function checkState(
  s: Server,
  action: string,
  vmStates: string[],
  taskStates: (string | null)[] = [null],
): void {
  if (!vmStates.includes(s.vmState)) throw invalidState(action, s, "vm_state");
  if (!taskStates.includes(s.taskState)) throw invalidState(action, s, "task_state");
}

/** Puts the server in `taskState` now and walks it through `steps` to `final` over `delay` ms. */
function runTask(
  ctx: Ctx,
  s: Server,
  taskState: string | null,
  delay: number,
  final: Record<string, unknown>,
  steps: string[] = [],
): void {
  beginOp(s);
  if (taskState !== null) s.taskState = taskState;
  const stepDelay = Math.max(1, Math.round(delay / (steps.length + 1)));
  const chain: Record<string, unknown>[] = [...steps.map((st) => ({ taskState: st })), final];
  const [first, ...rest] = chain;
  schedule(ctx.core, ctx.region, s, "compute.settle", stepDelay, {
    req: ctx.req.requestId,
    stepDelay,
    ...first,
    then: rest,
  });
  touchServer(ctx.core, s);
}

function argsOf(b: Record<string, unknown>, action: string): Record<string, unknown> {
  const v = b[action];
  if (v === null || v === undefined) return {};
  if (!isObject(v)) throw notType(action, v, "object");
  return v;
}

function consoleOutput(ctx: Ctx, s: Server, length: number | null): string {
  const ips = addressesOf(ctx.rs, s).filter((a) => !a.includes(":"));
  const boot = s.launchedAt ?? s.createdAt;
  const stamp = (offset: number): string => `[${(offset / 1000).toFixed(6).padStart(12, " ")}]`;
  const image = s.imageId ? (ctx.rs.image.images[s.imageId]?.name ?? "image") : "volume";
  const lines = [
    `${stamp(0)} Linux version 6.1.0-18-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC`,
    `${stamp(1)} Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro console=tty0 console=ttyS0,115200`,
    `${stamp(12)} DMI: OpenStack Foundation OpenStack Nova, BIOS 1.16.2-debian-1.16.2-1 04/01/2014`,
    `${stamp(210)} Memory: ${s.flavor.ram * 1024 - 65536}K/${s.flavor.ram * 1024}K available`,
    `${stamp(430)} smpboot: Allowing ${s.flavor.vcpus} CPUs, 0 hotplug CPUs`,
    `${stamp(2100)} virtio_blk virtio2: [vda] ${s.flavor.disk * 2097152} 512-byte logical blocks`,
    `${stamp(3900)} EXT4-fs (vda1): mounted filesystem with ordered data mode.`,
    `${stamp(6200)} cloud-init[412]: Cloud-init v. 23.1.2 running 'init' at ${new Date(boot).toUTCString()}. Up 6.20 seconds.`,
    `${stamp(6300)} cloud-init[412]: ci-info: ++++++++++++++++++++Net device info++++++++++++++++++++`,
    ...ips.map(
      (ip, i) =>
        `${stamp(6310 + i)} cloud-init[412]: ci-info: | eth${i}  | True | ${ip.padEnd(15)} | 255.255.255.0 | global |`,
    ),
    `${stamp(7000)} cloud-init[412]: Generating public/private ed25519 key pair.`,
    ...(s.keyName
      ? [
          `${stamp(7100)} cloud-init[412]: ci-info: Authorized keys from /home/cloud/.ssh/authorized_keys for user cloud (key ${s.keyName})`,
        ]
      : []),
    `${stamp(9800)} cloud-init[620]: Cloud-init v. 23.1.2 finished at ${new Date(boot + 10_000).toUTCString()}. Datasource DataSourceOpenStackLocal [net,ver=2].  Up 9.80 seconds`,
    "",
    `${s.hostname} login: `,
    `Debian GNU/Linux 12 ${s.hostname} ttyS0 (${image})`,
  ];
  const shown = length === null || length < 0 ? lines : lines.slice(Math.max(0, lines.length - length));
  return shown.join("\n");
}

function serverAction(ctx: Ctx, s: Server): SimResponse {
  const b = body(ctx);
  const action = Object.keys(b)[0];
  if (action === undefined) throw badRequest("There is no such action: None");
  const core = ctx.core;
  const args = (): Record<string, unknown> => argsOf(b, action);
  switch (action) {
    case "os-start": {
      checkLock(ctx, s);
      checkState(s, "start", ["stopped"]);
      recordAction(ctx, s, "start");
      runTask(ctx, s, "powering-on", core.delay("server.power"), {
        vmState: "active",
        powerState: POWER.RUNNING,
      });
      return emptyResponse(202);
    }
    case "os-stop": {
      checkLock(ctx, s);
      checkState(s, "stop", ["active", "rescued", "error"]);
      recordAction(ctx, s, "stop");
      runTask(ctx, s, "powering-off", core.delay("server.power"), {
        vmState: "stopped",
        powerState: POWER.SHUTDOWN,
      });
      return emptyResponse(202);
    }
    case "pause":
    case "unpause":
    case "suspend":
    case "resume": {
      checkLock(ctx, s);
      const table = {
        pause: { from: "active", task: "pausing", to: "paused", power: POWER.PAUSED },
        unpause: { from: "paused", task: "unpausing", to: "active", power: POWER.RUNNING },
        suspend: { from: "active", task: "suspending", to: "suspended", power: POWER.SHUTDOWN },
        resume: { from: "suspended", task: "resuming", to: "active", power: POWER.RUNNING },
      }[action];
      checkState(s, action, [table.from]);
      recordAction(ctx, s, action);
      runTask(
        ctx,
        s,
        table.task,
        core.delay(action === "pause" || action === "unpause" ? "server.pause" : "server.power"),
        {
          vmState: table.to,
          powerState: table.power,
        },
      );
      return emptyResponse(202);
    }
    case "reboot": {
      const a = b.reboot;
      if (!isObject(a)) throw notType("reboot", a, "object");
      if (a.type === undefined) throw required("reboot", a, "type");
      const types = ["HARD", "Hard", "hard", "SOFT", "Soft", "soft"];
      if (typeof a.type !== "string" || !types.includes(a.type)) {
        throw invalid("type", a.type, `${pyRepr(a.type)} is not one of ${pyRepr(types)}`);
      }
      checkLock(ctx, s);
      const hard = a.type.toUpperCase() === "HARD";
      if (hard) {
        checkState(
          s,
          "reboot",
          ["active", "stopped", "paused", "suspended", "error"],
          [
            null,
            "rebooting",
            "reboot_pending",
            "reboot_started",
            "rebooting_hard",
            "reboot_pending_hard",
            "reboot_started_hard",
            "resuming",
            "unpausing",
            "pausing",
            "suspending",
          ],
        );
      } else {
        checkState(s, "reboot", ["active"]);
      }
      recordAction(ctx, s, "reboot");
      runTask(
        ctx,
        s,
        hard ? "rebooting_hard" : "rebooting",
        core.delay(hard ? "server.reboot_hard" : "server.reboot"),
        { vmState: "active", powerState: POWER.RUNNING },
        hard ? ["reboot_pending_hard", "reboot_started_hard"] : ["reboot_pending", "reboot_started"],
      );
      return emptyResponse(202);
    }
    case "resize": {
      const a = b.resize;
      if (!isObject(a)) throw notType("resize", a, "object");
      noExtra("resize", a, ["flavorRef", "OS-DCF:diskConfig"]);
      if (a.flavorRef === undefined) throw required("resize", a, "flavorRef");
      if (typeof a.flavorRef !== "string" && typeof a.flavorRef !== "number")
        throw notType("flavorRef", a.flavorRef, "string");
      checkLock(ctx, s);
      checkState(s, "resize", ["active", "stopped"]);
      const ref = String(a.flavorRef);
      const flavor = findFlavor(ctx, ref);
      if (!flavor || flavor.disabled) throw badRequest(`Flavor ${ref} could not be found.`);
      if (flavor.id === s.flavor.id) throw badRequest("When resizing, instances must change flavor!");
      const GiB = 1024 ** 3;
      if (s.imageId !== null) {
        if (flavor.disk < s.flavor.disk) throw badRequest("Resize error: Unable to resize disk down.");
        const image = ctx.rs.image.images[s.imageId];
        if (image && flavor.disk > 0 && image.min_disk > flavor.disk) {
          throw badRequest(
            `Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${flavor.disk * GiB} bytes, minimum size is ${image.min_disk * GiB} bytes.`,
          );
        }
      }
      checkResizeQuota(ctx.rs, s, flavor);
      recordAction(ctx, s, "resize");
      s.resumeVmState = s.vmState;
      const wasRunning = s.vmState === "active";
      runTask(
        ctx,
        s,
        "resize_prep",
        core.delay("server.resize"),
        {
          vmState: "resized",
          flavor: flavorSnapshot(flavor),
          powerState: wasRunning ? POWER.RUNNING : POWER.SHUTDOWN,
        },
        ["resize_migrating", "resize_migrated", "resize_finish"],
      );
      return emptyResponse(202);
    }
    case "confirmResize": {
      checkLock(ctx, s);
      checkState(s, "confirmResize", ["resized"]);
      recordAction(ctx, s, "confirmResize");
      const back = s.resumeVmState ?? "active";
      runTask(ctx, s, null, core.delay("server.resize_confirm"), {
        vmState: back,
        confirm: true,
        clearResume: true,
        powerState: back === "active" ? POWER.RUNNING : POWER.SHUTDOWN,
      });
      return emptyResponse(204);
    }
    case "revertResize": {
      checkLock(ctx, s);
      checkState(s, "revertResize", ["resized"]);
      recordAction(ctx, s, "revertResize");
      const back = s.resumeVmState ?? "active";
      runTask(ctx, s, "resize_reverting", core.delay("server.resize"), {
        vmState: back,
        revert: true,
        clearResume: true,
        powerState: back === "active" ? POWER.RUNNING : POWER.SHUTDOWN,
      });
      return emptyResponse(202);
    }
    case "lock": {
      const a = b.lock;
      let reason: string | null = null;
      if (a !== null && a !== undefined) {
        if (!isObject(a)) throw notType("lock", a, "object");
        noExtra("lock", a, ctx.mv >= 73 ? ["locked_reason"] : []);
        const r = optText("locked_reason", a.locked_reason);
        reason = r ?? null;
      }
      s.locked = true;
      s.lockedReason = reason;
      s.lockedByAdmin = ctx.auth.isAdmin && ctx.auth.projectId !== s.projectId;
      recordAction(ctx, s, "lock", true);
      touchServer(core, s);
      return emptyResponse(202);
    }
    case "unlock": {
      if (s.locked && s.lockedByAdmin && !ctx.auth.isAdmin)
        throw policy("os_compute_api:os-lock-server:unlock:unlock_override");
      s.locked = false;
      s.lockedReason = null;
      s.lockedByAdmin = false;
      recordAction(ctx, s, "unlock", true);
      touchServer(core, s);
      return emptyResponse(202);
    }
    case "createImage":
      return createImageAction(ctx, s, b);
    case "rebuild":
      return rebuildAction(ctx, s, b);
    case "os-getConsoleOutput": {
      const a = args();
      let length: number | null = null;
      if (a.length !== undefined && a.length !== null) {
        const raw = a.length;
        const ok =
          typeof raw === "number" ? Number.isInteger(raw) : typeof raw === "string" && /^-?[0-9]+$/.test(raw);
        if (!ok) throw invalid("length", raw, `${pyRepr(raw)} does not match '^-?[0-9]+$'`);
        length = Number(raw);
        if (length < -1) throw invalid("length", raw, `${pyRepr(raw)} is less than the minimum of -1`);
      }
      if (s.scheduled === false || !s.host || s.vmState === "building")
        throw conflict(`Instance ${s.id} is not ready`);
      return jsonResponse(200, { output: consoleOutput(ctx, s, length) });
    }
    case "os-getVNCConsole":
    case "os-getSPICEConsole":
    case "os-getSerialConsole": {
      if (ctx.mv >= 6) throw badRequest(`There is no such action: ${action}`);
      const a = args();
      const type = typeof a.type === "string" ? a.type : "";
      const protocol =
        action === "os-getVNCConsole" ? "vnc" : action === "os-getSPICEConsole" ? "spice" : "serial";
      return jsonResponse(200, { console: { type, url: consoleUrl(ctx, s, protocol, type) } });
    }
    case "addSecurityGroup":
    case "removeSecurityGroup":
      return securityGroupAction(ctx, s, action, args());
    case "changePassword": {
      const a = args();
      if (a.adminPass === undefined) throw required("changePassword", a, "adminPass");
      if (typeof a.adminPass !== "string") throw notType("adminPass", a.adminPass, "string");
      checkLock(ctx, s);
      checkState(s, "changePassword", ["active"]);
      recordAction(ctx, s, "changePassword");
      runTask(ctx, s, "updating_password", core.delay("server.pause"), {
        vmState: "active",
        powerState: POWER.RUNNING,
      });
      return emptyResponse(202);
    }
    case "os-resetState": {
      if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-admin-actions:reset_state");
      const a = args();
      if (a.state !== "active" && a.state !== "error")
        throw invalid("state", a.state, `${pyRepr(a.state)} is not one of ['active', 'error']`);
      core.scheduler.cancel(s.id);
      s.opId = null;
      s.vmState = a.state;
      s.taskState = null;
      if (a.state === "error" && !s.fault)
        s.fault = {
          code: 500,
          message: "Reset to error by an administrator",
          details: "",
          created: Date.now(),
        };
      recordAction(ctx, s, "resetState", true);
      touchServer(core, s);
      return emptyResponse(202);
    }
    default:
      throw badRequest(`There is no such action: ${action}`);
  }
}

function checkResizeQuota(rs: RegionState, s: Server, flavor: Flavor): void {
  const limits = novaQuota(rs, s.projectId);
  const used = novaUsage(rs, s.projectId);
  const deltas: [string, number][] = [
    ["cores", flavor.vcpus - s.flavor.vcpus],
    ["ram", flavor.ram - s.flavor.ram],
  ];
  const overs = deltas.filter(
    ([k, d]) => d > 0 && (limits[k] ?? -1) >= 0 && (used[k] ?? 0) + d > (limits[k] ?? 0),
  );
  if (overs.length === 0) return;
  const names = overs.map(([k]) => k).join(", ");
  throw new ApiError(
    403,
    `Quota exceeded for ${names}: Requested ${overs.map(([, d]) => d).join(", ")}, but already used ${overs.map(([k]) => used[k] ?? 0).join(", ")} of ${overs.map(([k]) => limits[k] ?? 0).join(", ")} ${names}`,
  );
}

function createImageAction(ctx: Ctx, s: Server, b: Record<string, unknown>): SimResponse {
  const a = b.createImage;
  if (!isObject(a)) throw notType("createImage", a, "object");
  noExtra("createImage", a, ["name", "metadata"]);
  if (a.name === undefined) throw required("createImage", a, "name");
  const name = nameField("name", a.name);
  const metadata = metadataField(
    "metadata",
    a.metadata,
    novaQuota(ctx.rs, s.projectId).metadata_items ?? 128,
  );
  checkState(s, "createImage", ["active", "stopped", "paused", "suspended"]);
  const base = s.imageId ? ctx.rs.image.images[s.imageId] : undefined;
  const identity = ctx.core.store.state.identity;
  const properties: Record<string, string> = {};
  // Nova copies the base image's own properties, then adds its snapshot bookkeeping.
  if (base) for (const [k, v] of Object.entries(base.properties)) properties[k] = v;
  Object.assign(properties, {
    image_type: "snapshot",
    instance_uuid: s.id,
    base_image_ref: s.imageId ?? "",
    owner_project_name: projectName(ctx.core, s.projectId),
    owner_user_name: identity.users[ctx.auth.user.id]?.name ?? "",
    user_id: ctx.auth.user.id,
    boot_roles: ctx.auth.roles.map((r) => r.name).join(","),
    ...metadata,
  });
  if (s.imageId === null) {
    properties.bdm_v2 = "True";
    properties.root_device_name = "/dev/vda";
  }
  const image = createQueuedImage(ctx.core, ctx.rs, s.projectId, name, properties, base);
  if (!base) image.min_disk = s.flavor.disk;
  image.min_ram = Math.max(base?.min_ram ?? 0, 0);
  recordAction(ctx, s, "createImage");
  s.taskState = "image_snapshot_pending";
  const size = s.imageId === null ? 0 : (base?.size ?? 0) + (hashSize(s.id) % 256) * 1024 * 1024;
  ctx.core.scheduler.schedule(
    "compute.snapshot",
    ctx.region,
    s.id,
    Math.round(ctx.core.delay("server.snapshot") / 3),
    {
      imageId: image.id,
      size,
      req: ctx.req.requestId,
      phase: "pending",
    },
  );
  touchServer(ctx.core, s);
  if (ctx.mv >= 45) return jsonResponse(202, { image_id: image.id });
  return emptyResponse(202, { Location: `${ctx.core.baseUrl}/${ctx.region}/image/v2/images/${image.id}` });
}

function hashSize(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

function rebuildAction(ctx: Ctx, s: Server, b: Record<string, unknown>): SimResponse {
  const a = b.rebuild;
  if (!isObject(a)) throw notType("rebuild", a, "object");
  const allowed = [
    "imageRef",
    "name",
    "adminPass",
    "metadata",
    "accessIPv4",
    "accessIPv6",
    "OS-DCF:diskConfig",
    "preserve_ephemeral",
  ];
  if (ctx.mv < 57) allowed.push("personality");
  if (ctx.mv >= 19) allowed.push("description");
  if (ctx.mv >= 54) allowed.push("key_name");
  if (ctx.mv >= 57) allowed.push("user_data");
  if (ctx.mv >= 63) allowed.push("trusted_image_certificates");
  if (ctx.mv >= 90) allowed.push("hostname");
  noExtra("rebuild", a, allowed);
  if (a.imageRef === undefined) throw required("rebuild", a, "imageRef");
  if (typeof a.imageRef !== "string") throw notType("imageRef", a.imageRef, "string");
  checkLock(ctx, s);
  checkState(s, "rebuild", ["active", "stopped", "error"]);
  const ref = a.imageRef.split("/").filter(Boolean).pop() ?? a.imageRef;
  const image = findImage(ctx.rs, ref, s.projectId, ctx.auth.isAdmin);
  if (!image) throw badRequest("Cannot find requested image");
  if (image.status !== "active") throw badRequest(`Image ${image.id} is not active.`);
  if (s.imageId === null && ctx.mv < 93)
    throw badRequest(
      "Rebuilding a volume-backed server with a new image is not supported by this microversion.",
    );
  if (a.name !== undefined) s.name = nameField("name", a.name);
  if (a.metadata !== undefined)
    s.metadata = metadataField("metadata", a.metadata, novaQuota(ctx.rs, s.projectId).metadata_items ?? 128);
  const description = optText("description", a.description);
  if (description !== undefined) s.description = description;
  if (a.key_name !== undefined) {
    if (a.key_name === null) {
      s.keyName = null;
      s.keyData = null;
    } else {
      if (typeof a.key_name !== "string") throw notType("key_name", a.key_name, "string");
      const kp = ctx.rs.compute.keypairs[keypairKey(ctx.auth.user.id, a.key_name)];
      if (!kp) throw badRequest("Invalid key_name provided.");
      s.keyName = kp.name;
      s.keyData = kp.publicKey;
    }
  }
  if (a.user_data !== undefined) {
    if (a.user_data !== null && (typeof a.user_data !== "string" || !isBase64(a.user_data))) {
      throw invalid("user_data", a.user_data, `${pyRepr(a.user_data)} is not a 'base64'`);
    }
    s.userData = a.user_data;
  }
  if (a.hostname !== undefined) s.hostname = nameField("hostname", a.hostname, 63);
  const adminPass = typeof a.adminPass === "string" ? a.adminPass : adminPassword();
  recordAction(ctx, s, "rebuild");
  if (s.imageId !== null) s.imageId = image.id;
  const stopped = s.vmState === "stopped";
  runTask(
    ctx,
    s,
    "rebuilding",
    ctx.core.delay("server.rebuild"),
    { vmState: stopped ? "stopped" : "active", powerState: stopped ? POWER.SHUTDOWN : POWER.RUNNING },
    ["rebuild_block_device_mapping", "rebuild_spawning"],
  );
  const view = ctx.mv >= 75 ? renderServer(ctx, s) : renderServerBasic(ctx, s);
  if (ctx.mv >= 57) view.user_data = s.userData;
  return jsonResponse(
    202,
    { server: { ...view, adminPass } },
    { Location: `${ctx.root}/v2.1/servers/${s.id}` },
  );
}

function securityGroupAction(
  ctx: Ctx,
  s: Server,
  action: "addSecurityGroup" | "removeSecurityGroup",
  a: Record<string, unknown>,
): SimResponse {
  if (a.name === undefined) throw required(action, a, "name");
  if (typeof a.name !== "string" || a.name.length === 0) throw notType("name", a.name, "string");
  const given = a.name;
  // Nova resolves the group with neutronclient's find_resourceid_by_name_or_id in the CALLER's project.
  const callerProject = ctx.auth.projectId ?? s.projectId;
  const sameName = Object.values(ctx.rs.network.securityGroups).filter(
    (g) => g.project_id === callerProject && g.name === given,
  );
  if (!ctx.rs.network.securityGroups[given] && sameName.length > 1)
    throw conflict(
      `Multiple security_group matches found for name '${given}', use an ID to be more specific.`,
    );
  const byId = ctx.rs.network.securityGroups[given];
  const sg =
    byId && (ctx.auth.isAdmin || byId.project_id === callerProject || byId.shared)
      ? byId
      : findSecurityGroup(ctx.rs, callerProject, given);
  if (!sg) throw notFound(`Security group ${given} is not found for project ${callerProject}`);
  const ports = serverPorts(ctx.rs, s.id);
  // Nova works on the server's Neutron ports only: no port, nothing to add the group to (a 404).
  if (ports.length === 0) throw notFound(`instance_id ${s.id} could not be found as device id on any ports`);
  if (action === "addSecurityGroup") {
    // Nova appends the group to each port in turn and stops at the first refusal (earlier ports keep it).
    for (const p of ports) {
      if (!p.port_security_enabled || p.fixed_ips.length === 0)
        throw badRequest(
          "Network requires port_security_enabled and subnet associated in order to apply security groups.",
        );
      if (p.security_groups.includes(sg.id)) {
        // Nova passes Neutron's refusal of the duplicate through, request id and all.
        throw badRequest(
          `Invalid input for security_groups. Reason: Duplicate items in the list: '${sg.id}'.\nNeutron server returns request_ids: ['${requestId()}']`,
        );
      }
      p.security_groups.push(sg.id);
      p.revision_number += 1;
      p.updated_at = isoSeconds(Date.now());
    }
    if (!s.requestedSecurityGroups.includes(sg.name)) s.requestedSecurityGroups.push(sg.name);
  } else {
    // SecurityGroupNotFound, so a 404, naming the group as the caller gave it (name or id).
    if (!ports.some((p) => p.security_groups.includes(sg.id)))
      throw notFound(`Security group ${given} not associated with the instance ${s.id}`);
    for (const p of ports) {
      if (!p.security_groups.includes(sg.id)) continue;
      p.security_groups = p.security_groups.filter((id) => id !== sg.id);
      p.revision_number += 1;
      p.updated_at = isoSeconds(Date.now());
    }
    s.requestedSecurityGroups = s.requestedSecurityGroups.filter((n) => n !== sg.name && n !== sg.id);
  }
  touchServer(ctx.core, s);
  return emptyResponse(202);
}

const CONSOLE_TYPES: Record<string, string[]> = {
  vnc: ["novnc", "xvpvnc"],
  spice: ["spice-html5"],
  serial: ["serial"],
  rdp: ["rdp-html5"],
  mks: ["webmks"],
};

function consoleUrl(ctx: Ctx, s: Server, protocol: string, type: string): string {
  const supported = (CONSOLE_TYPES[protocol] ?? []).filter(
    (t) => t !== "xvpvnc" && t !== "rdp-html5" && t !== "webmks",
  );
  if (!supported.includes(type)) throw badRequest(`Unavailable console type ${type}.`);
  if (s.vmState !== "active") throw conflict(`Instance ${s.id} is not ready`);
  const token = randomBytes(16).toString("hex");
  if (protocol === "serial") return `${ctx.root.replace(/^http/, "ws")}/serial?token=${token}`;
  const page = protocol === "vnc" ? "vnc_lite.html" : "spice_auto.html";
  return `${ctx.root}/${page}?path=${encodeURIComponent(`?token=${token}`)}`;
}

function remoteConsole(ctx: Ctx, s: Server): SimResponse {
  const input = member(body(ctx), "remote_console");
  if (input.protocol === undefined) throw required("remote_console", input, "protocol");
  if (input.type === undefined) throw required("remote_console", input, "type");
  const protocols =
    ctx.mv >= 8 ? ["vnc", "spice", "rdp", "serial", "mks"] : ["vnc", "spice", "rdp", "serial"];
  if (typeof input.protocol !== "string" || !protocols.includes(input.protocol)) {
    throw invalid("protocol", input.protocol, `${pyRepr(input.protocol)} is not one of ${pyRepr(protocols)}`);
  }
  if (typeof input.type !== "string") throw notType("type", input.type, "string");
  const url = consoleUrl(ctx, s, input.protocol, input.type);
  return jsonResponse(200, { remote_console: { protocol: input.protocol, type: input.type, url } });
}

// ---------------------------------------------------------------- volume and interface attachments

const ATTACH_VM_STATES = [
  "active",
  "paused",
  "stopped",
  "resized",
  "soft-delete",
  "shelved",
  "shelved_offloaded",
];

function nextDevice(s: Server): string {
  const used = new Set(s.volumes.map((v) => v.device));
  if (s.imageId !== null) used.add("/dev/vda");
  for (const c of "abcdefghijklmnopqrstuvwxyz") {
    const dev = `/dev/vd${c}`;
    if (!used.has(dev)) return dev;
  }
  return "/dev/vdz";
}

function attachVolume(ctx: Ctx, s: Server): SimResponse {
  const input = member(body(ctx), "volumeAttachment");
  const allowed = ["volumeId", "device"];
  if (ctx.mv >= 49) allowed.push("tag");
  if (ctx.mv >= 79) allowed.push("delete_on_termination");
  noExtra("volumeAttachment", input, allowed);
  if (input.volumeId === undefined) throw required("volumeAttachment", input, "volumeId");
  if (typeof input.volumeId !== "string" || !UUID_RE.test(input.volumeId))
    throw invalid("volumeId", input.volumeId, `${pyRepr(input.volumeId)} is not a 'uuid'`);
  if (
    input.device !== undefined &&
    input.device !== null &&
    (typeof input.device !== "string" || !/^\/dev\/[a-z0-9]+$/.test(input.device))
  ) {
    throw invalid(
      "device",
      input.device,
      `${pyRepr(input.device)} does not match '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$'`,
    );
  }
  checkLock(ctx, s);
  checkState(s, "attach_volume", ATTACH_VM_STATES);
  const v = ctx.rs.volume.volumes[input.volumeId];
  if (!v || !(ctx.auth.isAdmin || v.project_id === s.projectId))
    throw notFound(`Volume ${input.volumeId} could not be found.`);
  if (s.volumes.some((a) => a.volumeId === v.id))
    throw badRequest(`Invalid volume: volume ${v.id} already attached`);
  if (v.status !== "available" && !(v.multiattach && v.status === "in-use")) {
    throw badRequest(
      `Invalid volume: volume '${v.id}' status must be 'available'. Currently in '${v.status}'`,
    );
  }
  const record: VolumeAttachmentRecord = {
    volumeId: v.id,
    device: nextDevice(s),
    tag: typeof input.tag === "string" ? input.tag : null,
    deleteOnTermination: input.delete_on_termination === true,
    attachmentId: uuid(),
    bdmUuid: uuid(),
    bootIndex: null,
  };
  s.volumes.push(record);
  recordAction(ctx, s, "attach_volume", true);
  beginAttach(ctx.core, ctx.region, v, s.id, record.device, record.attachmentId);
  touchServer(ctx.core, s);
  return jsonResponse(200, { volumeAttachment: renderVolumeAttachment(ctx, s, record, true) });
}

function detachVolume(ctx: Ctx, s: Server, volumeId: string): SimResponse {
  checkLock(ctx, s);
  const record = s.volumes.find((a) => a.volumeId === volumeId);
  if (!record) throw notFound(`Instance ${s.id} is not attached to volume ${volumeId}`);
  if (record.bootIndex === 0 || (s.imageId === null && record.device === "/dev/vda"))
    throw badRequest("Cannot detach a root device volume");
  checkState(s, "detach_volume", ATTACH_VM_STATES);
  const v = ctx.rs.volume.volumes[volumeId];
  if (v && v.status === "detaching")
    throw badRequest(
      `Invalid volume: Invalid input received: Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.`,
    );
  s.volumes = s.volumes.filter((a) => a !== record);
  recordAction(ctx, s, "detach_volume", true);
  if (v) beginDetach(ctx.core, ctx.region, v, s.id);
  touchServer(ctx.core, s);
  return emptyResponse(202);
}

function attachInterface(ctx: Ctx, s: Server): SimResponse {
  const input = member(body(ctx), "interfaceAttachment");
  const allowed = ["net_id", "port_id", "fixed_ips"];
  if (ctx.mv >= 49) allowed.push("tag");
  noExtra("interfaceAttachment", input, allowed);
  const netId = input.net_id;
  const portId = input.port_id;
  if (netId !== undefined && portId !== undefined)
    throw badRequest("Must not input both network_id and port_id");
  checkLock(ctx, s);
  checkState(s, "attach_interface", ["active", "paused", "stopped"]);
  const rs = ctx.rs;
  let port: Port;
  if (typeof portId === "string") {
    const p = rs.network.ports[portId];
    if (!p || !(ctx.auth.isAdmin || p.project_id === s.projectId))
      throw notFound(`Port ${portId} could not be found.`);
    if (p.device_id) throw conflict(`Port ${portId} is still in use.`);
    bindPort(ctx.core, rs, p, s.id, s.host, s.availabilityZone);
    port = p;
  } else {
    let networkId: string;
    if (typeof netId === "string") {
      const n = rs.network.networks[netId];
      if (!n || !(ctx.auth.isAdmin || n.project_id === s.projectId || n.shared))
        throw notFound(`Network ${netId} could not be found.`);
      networkId = n.id;
    } else {
      const { networks } = resolveNetworks(ctx, s.projectId, "auto", true);
      networkId = networks[0]?.networkId ?? "";
    }
    let fixedIps: unknown;
    if (Array.isArray(input.fixed_ips)) {
      fixedIps = input.fixed_ips.map((f) => {
        if (!isObject(f) || typeof f.ip_address !== "string")
          throw invalid("fixed_ips", input.fixed_ips, "'ip_address' is a required property");
        return { ip_address: f.ip_address };
      });
    }
    try {
      port = createPort(ctx.core, rs, {
        projectId: s.projectId,
        networkId,
        deviceId: s.id,
        deviceOwner: `compute:${s.availabilityZone}`,
        hostId: s.host,
        ...(fixedIps !== undefined ? { fixedIps } : {}),
      });
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(err.status === 409 ? 409 : 400, err.message);
      throw err;
    }
    s.ownedPorts.push(port.id);
  }
  recordAction(ctx, s, "attach_interface", true);
  touchServer(ctx.core, s);
  return jsonResponse(200, { interfaceAttachment: renderInterface(ctx, port) });
}

function detachInterface(ctx: Ctx, s: Server, portId: string): SimResponse {
  checkLock(ctx, s);
  const port = serverPorts(ctx.rs, s.id).find((p) => p.id === portId);
  if (!port) throw notFound(`Port ${portId} is not attached`);
  checkState(s, "detach_interface", ["active", "paused", "stopped"]);
  if (s.ownedPorts.includes(port.id)) {
    deletePort(ctx.core, ctx.rs, port.id);
    s.ownedPorts = s.ownedPorts.filter((id) => id !== port.id);
  } else {
    unbindPort(ctx.core, ctx.rs, port);
  }
  recordAction(ctx, s, "detach_interface", true);
  touchServer(ctx.core, s);
  return emptyResponse(202);
}

// ---------------------------------------------------------------- metadata, tags, ips, actions

const METADATA_VM_STATES = ["active", "paused", "suspended", "stopped", "shelved", "shelved_offloaded"];

function renderInstanceAction(
  ctx: Ctx,
  s: Server,
  a: InstanceAction,
  withEvents: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    action: a.action,
    instance_uuid: s.id,
    request_id: a.requestId,
    user_id: a.userId,
    project_id: a.projectId,
    start_time: isoMicros(a.startTime),
    message: a.message,
  };
  if (ctx.mv >= 58) out.updated_at = isoMicros(a.updatedAt);
  if (withEvents && (ctx.auth.isAdmin || ctx.mv >= 51)) {
    out.events = a.events.map((e) => {
      const ev: Record<string, unknown> = {
        event: e.event,
        start_time: isoMicros(e.start),
        finish_time: e.finish === null ? null : isoMicros(e.finish),
        result: e.result,
      };
      if (ctx.auth.isAdmin) ev.traceback = null;
      if (ctx.mv >= 84 && ctx.auth.isAdmin) ev.details = null;
      if (ctx.mv >= 62) {
        if (ctx.auth.isAdmin) ev.host = s.host;
        ev.hostId = hostIdOf(s);
      }
      return ev;
    });
  }
  return out;
}

// ---------------------------------------------------------------- flavors

function listFlavors(ctx: Ctx, detail: boolean): SimResponse {
  const q = ctx.req.query;
  let rows = Object.values(ctx.rs.compute.flavors);
  const isPublic = q.get("is_public");
  if (ctx.auth.isAdmin) {
    // Admins see every flavor unless they filter on is_public ("None" also means all).
    if (isPublic !== null && isPublic.toLowerCase() !== "none") {
      const v = queryBool(isPublic);
      if (v === undefined) throw badRequest(`Invalid is_public filter [${isPublic}]`);
      rows = rows.filter((f) => f.isPublic === v);
    }
  } else {
    rows = rows.filter((f) => flavorVisible(ctx, f));
  }
  const minRam = q.get("minRam");
  if (minRam !== null) {
    if (!/^\d+$/.test(minRam)) throw badRequest(`Invalid minRam filter [${minRam}]`);
    rows = rows.filter((f) => f.ram >= Number(minRam));
  }
  const minDisk = q.get("minDisk");
  if (minDisk !== null) {
    if (!/^\d+$/.test(minDisk)) throw badRequest(`Invalid minDisk filter [${minDisk}]`);
    rows = rows.filter((f) => f.disk >= Number(minDisk));
  }
  const sortKey = q.get("sort_key") ?? "flavorid";
  const sortDir = q.get("sort_dir") ?? "asc";
  const keyGet: Record<string, (f: Flavor) => unknown> = {
    flavorid: (f) => f.id,
    id: (f) => f.id,
    name: (f) => f.name,
    memory_mb: (f) => f.ram,
    root_gb: (f) => f.disk,
    vcpus: (f) => f.vcpus,
    created_at: (f) => f.createdAt,
    ephemeral_gb: (f) => f.ephemeral,
    swap: (f) => f.swap,
    rxtx_factor: (f) => f.rxtxFactor,
    disabled: (f) => f.disabled,
    is_public: (f) => f.isPublic,
    description: (f) => f.description,
  };
  const get = keyGet[sortKey];
  if (!get) throw badRequest(`Invalid input for query parameters sort_key. Value: ${sortKey}.`);
  rows.sort(
    compareBy([
      { get, desc: sortDir === "desc" },
      { get: (f: Flavor) => f.id, desc: false },
    ]),
  );
  const { page, limit } = markerPage(rows, q);
  const out: Record<string, unknown> = { flavors: page.map((f) => renderFlavor(ctx, f, detail)) };
  const last = page[page.length - 1];
  if (last && page.length === limit) {
    out.flavors_links = [
      {
        rel: "next",
        href: withQuery(`${ctx.root}/v2.1/flavors${detail ? "/detail" : ""}`, q, {
          limit: String(limit),
          marker: last.id,
        }),
      },
    ];
  }
  return jsonResponse(200, out);
}

function numberField(
  obj: Record<string, unknown>,
  key: string,
  min: number,
  isFloat = false,
): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === "") return undefined;
  const n =
    typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (Number.isNaN(n) || (!isFloat && !Number.isInteger(n)))
    throw invalid(key, v, `${pyRepr(v)} is not of type 'integer', 'string'`);
  if (n < min) throw invalid(key, v, `${pyRepr(v)} is less than the minimum of ${min}`);
  return n;
}

function createFlavor(ctx: Ctx): SimResponse {
  if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-flavor-manage:create");
  const input = member(body(ctx), "flavor");
  const allowed = [
    "name",
    "id",
    "ram",
    "vcpus",
    "disk",
    "OS-FLV-EXT-DATA:ephemeral",
    "swap",
    "rxtx_factor",
    "os-flavor-access:is_public",
  ];
  if (ctx.mv >= 55) allowed.push("description");
  noExtra("flavor", input, allowed);
  for (const key of ["name", "ram", "vcpus", "disk"])
    if (input[key] === undefined) throw required("flavor", input, key);
  const name = nameField("name", input.name);
  let id: string;
  if (input.id === undefined || input.id === null) id = uuid();
  else {
    if (
      typeof input.id !== "string" ||
      !/^(?! )[a-zA-Z0-9. _-]+(?<! )$/.test(input.id) ||
      input.id.length > 255
    ) {
      throw invalid("id", input.id, `${pyRepr(input.id)} does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'`);
    }
    id = input.id;
  }
  const ram = numberField(input, "ram", 1) ?? 0;
  const vcpus = numberField(input, "vcpus", 1) ?? 0;
  const disk = numberField(input, "disk", 0) ?? 0;
  const ephemeral = numberField(input, "OS-FLV-EXT-DATA:ephemeral", 0) ?? 0;
  const swap = numberField(input, "swap", 0) ?? 0;
  const rxtx = numberField(input, "rxtx_factor", 0, true) ?? 1;
  const pub = input["os-flavor-access:is_public"];
  if (
    pub !== undefined &&
    typeof pub !== "boolean" &&
    !(typeof pub === "string" && queryBool(pub) !== undefined)
  )
    throw notType("os-flavor-access:is_public", pub, "boolean");
  const isPublic = pub === undefined ? true : typeof pub === "boolean" ? pub : queryBool(pub) === true;
  const flavors = ctx.rs.compute.flavors;
  if (Object.values(flavors).some((f) => f.name === name))
    throw conflict(`Flavor with name ${name} already exists.`);
  if (flavors[id]) throw conflict(`Flavor with ID ${id} already exists.`);
  const description = optText("description", input.description, 65535) ?? null;
  const flavor: Flavor = {
    id,
    name,
    vcpus,
    ram,
    disk,
    ephemeral,
    swap,
    rxtxFactor: rxtx,
    isPublic,
    disabled: false,
    description,
    extraSpecs: {},
    access: [],
    createdAt: Date.now(),
  };
  flavors[id] = flavor;
  ctx.core.store.changed();
  return jsonResponse(200, { flavor: renderFlavor(ctx, flavor, true) });
}

function flavorAction(ctx: Ctx, f: Flavor): SimResponse {
  const b = body(ctx);
  const action = Object.keys(b)[0] ?? "";
  if (action !== "addTenantAccess" && action !== "removeTenantAccess")
    throw badRequest(`There is no such action: ${action}`);
  if (!ctx.auth.isAdmin)
    throw policy(
      `os_compute_api:os-flavor-access:${action === "addTenantAccess" ? "add_tenant_access" : "remove_tenant_access"}`,
    );
  const args = argsOf(b, action);
  if (typeof args.tenant !== "string") throw required(action, args, "tenant");
  if (f.isPublic) throw conflict("Can not add access to a public flavor.");
  if (action === "addTenantAccess") {
    if (f.access.includes(args.tenant))
      throw conflict(
        `Flavor access already exists for flavor ${f.id} and project ${args.tenant} combination.`,
      );
    f.access.push(args.tenant);
  } else {
    if (!f.access.includes(args.tenant))
      throw notFound(`Flavor access not found for ${f.id} / ${args.tenant} combination.`);
    f.access = f.access.filter((t) => t !== args.tenant);
  }
  ctx.core.store.changed();
  return jsonResponse(200, { flavor_access: f.access.map((t) => ({ flavor_id: f.id, tenant_id: t })) });
}

function extraSpecValue(key: string, value: unknown, all: Record<string, unknown>): string {
  if (key.length < 1 || key.length > 255 || !/^[a-zA-Z0-9-_:. ]+$/.test(key)) {
    throw invalid(
      "extra_specs",
      all,
      `${pyRepr(key)} does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'`,
    );
  }
  if (typeof value === "number" || typeof value === "boolean")
    return typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  if (typeof value !== "string" || value.length > 255)
    throw invalid(
      "extra_specs",
      all,
      `${pyRepr(value)} is not of type 'string', 'integer', 'number', 'boolean'`,
    );
  return value;
}

// ---------------------------------------------------------------- key pairs

// Nova's safe characters for key pair names: letters, digits, space, '_' and '-'; microversion 2.92
// added '@' and '.' (so "<uuid>.my-key" is refused below 2.92).
const KEYPAIR_NAME_RE = /^[a-zA-Z0-9 _-]+$/;
const KEYPAIR_NAME_RE_292 = /^[a-zA-Z0-9 _.@-]+$/;

function keypairOwner(ctx: Ctx): string {
  const asked = ctx.req.query.get("user_id");
  if (asked !== null && ctx.mv >= 10) {
    if (asked !== ctx.auth.user.id && !ctx.auth.isAdmin) throw policy("os_compute_api:os-keypairs:index");
    return asked;
  }
  return ctx.auth.user.id;
}

function createKeypair(ctx: Ctx): SimResponse {
  const input = member(body(ctx), "keypair");
  const allowed = ["name", "public_key"];
  if (ctx.mv >= 2) allowed.push("type");
  if (ctx.mv >= 10) allowed.push("user_id");
  noExtra("keypair", input, allowed);
  if (input.name === undefined) throw required("keypair", input, "name");
  if (typeof input.name !== "string") throw notType("name", input.name, "string");
  const name = input.name;
  if (name.length < 1 || name.length > 255)
    throw invalid("name", name, `${pyRepr(name)} is ${name.length < 1 ? "too short" : "too long"}`);
  if (ctx.mv >= 92 && input.public_key === undefined) throw required("keypair", input, "public_key");
  // Nova's schema checks (messages as Zed answers them): no leading/trailing whitespace, then the characters.
  if (name.trim() !== name)
    throw badRequest(
      "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
    );
  if (!(ctx.mv >= 92 ? KEYPAIR_NAME_RE_292 : KEYPAIR_NAME_RE).test(name)) {
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const safe = `${ctx.mv >= 92 ? "@." : ""}_- 0123456789${letters}${letters.toUpperCase()}`;
    throw badRequest(
      `An invalid 'name' value was provided. The name must be: Only expected characters: [${safe}]`,
    );
  }
  const type = input.type === undefined ? "ssh" : input.type;
  if (type !== "ssh" && type !== "x509")
    throw invalid("type", type, `${pyRepr(type)} is not one of ['ssh', 'x509']`);
  let userId = ctx.auth.user.id;
  if (input.user_id !== undefined) {
    if (typeof input.user_id !== "string") throw notType("user_id", input.user_id, "string");
    if (input.user_id !== userId && !ctx.auth.isAdmin) throw policy("os_compute_api:os-keypairs:create");
    userId = input.user_id;
  }
  const keypairs = ctx.rs.compute.keypairs;
  const limit = novaQuota(ctx.rs, ctx.auth.projectId ?? "").key_pairs ?? -1;
  if (limit >= 0 && Object.values(keypairs).filter((k) => k.userId === userId).length >= limit)
    throw new ApiError(403, "Quota exceeded, too many key pairs.");
  if (keypairs[keypairKey(userId, name)]) throw conflict(`Key pair '${name}' already exists.`);
  let publicKey: string;
  let fingerprint: string | null;
  let privateKey: string | null = null;
  if (input.public_key !== undefined) {
    if (typeof input.public_key !== "string") throw notType("public_key", input.public_key, "string");
    // Nova keeps the key as given (a trailing newline from a .pub file included).
    publicKey = input.public_key;
    fingerprint = type === "x509" ? x509Fingerprint(publicKey) : sshFingerprint(publicKey);
    if (fingerprint === null) throw badRequest("Keypair data is invalid: failed to generate fingerprint");
  } else {
    if (type === "x509")
      throw badRequest(
        "Keypair data is invalid: generating x509 key pairs is not supported by the simulator; import a certificate instead",
      );
    const generated = generateRsaKey("Generated-by-Nova");
    publicKey = generated.publicKey.trim();
    fingerprint = generated.fingerprint;
    privateKey = generated.privateKey;
  }
  const record: Keypair = {
    id: ctx.core.store.next(`${ctx.region}.keypair`),
    name,
    userId,
    publicKey,
    fingerprint,
    type,
    createdAt: Date.now(),
  };
  keypairs[keypairKey(userId, name)] = record;
  ctx.core.store.changed();
  const out: Record<string, unknown> = {};
  if (privateKey !== null) out.private_key = privateKey;
  if (ctx.mv >= 2) out.type = type;
  Object.assign(out, { name, public_key: publicKey, fingerprint, user_id: userId });
  return jsonResponse(ctx.mv >= 2 ? 201 : 200, { keypair: out });
}

function getKeypair(ctx: Ctx, name: string): Keypair {
  const userId = keypairOwner(ctx);
  const k = ctx.rs.compute.keypairs[keypairKey(userId, name)];
  if (!k) throw notFound(`Keypair ${name} not found for user ${userId}`);
  return k;
}

// ---------------------------------------------------------------- quotas and limits

function quotaTarget(ctx: Ctx, projectId: string, action: string): string {
  if (!ctx.auth.isAdmin && projectId !== ctx.auth.projectId)
    throw policy(`os_compute_api:os-quota-sets:${action}`);
  return projectId;
}

function quotaKeys(
  ctx: Ctx,
  limits: Record<string, number>,
  rs: RegionState,
  projectId: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(NOVA_QUOTA_DEFAULTS).sort()) out[key] = limits[key] ?? -1;
  if (ctx.mv < 57) for (const [k, v] of Object.entries(LEGACY_QUOTAS)) out[k] = limits[k] ?? v;
  if (ctx.mv < 36) {
    const nq = { ...rs.network.quotas[projectId] };
    out.fixed_ips = -1;
    out.floating_ips = nq.floatingip ?? 50;
    out.security_group_rules = nq.security_group_rule ?? 100;
    out.security_groups = nq.security_group ?? 10;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function quotaUsage(ctx: Ctx, rs: RegionState, projectId: string): Record<string, number> {
  const used = novaUsage(rs, projectId, projectId === ctx.auth.projectId ? ctx.auth.user.id : undefined);
  return used;
}

function updateQuota(ctx: Ctx, projectId: string): SimResponse {
  if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-quota-sets:update");
  const input = member(body(ctx), "quota_set");
  const allowed = [...Object.keys(NOVA_QUOTA_DEFAULTS), "force"];
  if (ctx.mv < 57) allowed.push(...Object.keys(LEGACY_QUOTAS));
  if (ctx.mv < 36)
    allowed.push("fixed_ips", "floating_ips", "security_group_rules", "security_groups", "networks");
  noExtra("quota_set", input, allowed);
  const force = input.force === true || (typeof input.force === "string" && queryBool(input.force) === true);
  const current = ctx.rs.compute.quotas[projectId] ?? {};
  const used = novaUsage(ctx.rs, projectId);
  for (const [k, v] of Object.entries(input)) {
    if (k === "force") continue;
    const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n)) throw invalid(k, v, `${pyRepr(v)} is not of type 'integer', 'string'`);
    if (n < -1) throw invalid(k, v, `${pyRepr(v)} is less than the minimum of -1`);
    if (!force && n >= 0 && (used[k] ?? 0) > n) {
      throw badRequest(
        `Quota limit ${n} for ${k} must be greater than or equal to already used and reserved ${used[k] ?? 0}.`,
      );
    }
    current[k] = n;
  }
  ctx.rs.compute.quotas[projectId] = current;
  ctx.core.store.changed();
  return jsonResponse(200, { quota_set: quotaKeys(ctx, novaQuota(ctx.rs, projectId), ctx.rs, projectId) });
}

function limits(ctx: Ctx): SimResponse {
  const asked = ctx.req.query.get("tenant_id");
  const projectId = asked !== null && ctx.auth.isAdmin ? asked : (ctx.auth.projectId ?? "");
  const q = novaQuota(ctx.rs, projectId);
  const used = novaUsage(ctx.rs, projectId, ctx.auth.user.id);
  const absolute: Record<string, number> = {
    maxTotalInstances: q.instances ?? -1,
    maxTotalCores: q.cores ?? -1,
    maxTotalRAMSize: q.ram ?? -1,
    maxServerMeta: q.metadata_items ?? -1,
  };
  if (ctx.mv < 57) {
    absolute.maxPersonality = q.injected_files ?? LEGACY_QUOTAS.injected_files ?? 5;
    absolute.maxPersonalitySize =
      q.injected_file_content_bytes ?? LEGACY_QUOTAS.injected_file_content_bytes ?? 10240;
  }
  if (ctx.mv < 39) absolute.maxImageMeta = q.metadata_items ?? 128;
  absolute.maxTotalKeypairs = q.key_pairs ?? -1;
  absolute.maxServerGroups = q.server_groups ?? -1;
  absolute.maxServerGroupMembers = q.server_group_members ?? -1;
  if (ctx.mv < 36) {
    const nq = ctx.rs.network.quotas[projectId] ?? {};
    const count = <T extends { project_id: string }>(t: Record<string, T>): number =>
      Object.values(t).filter((r) => r.project_id === projectId).length;
    absolute.maxSecurityGroups = nq.security_group ?? 10;
    absolute.maxSecurityGroupRules = nq.security_group_rule ?? 100;
    absolute.maxTotalFloatingIps = nq.floatingip ?? 50;
    absolute.totalFloatingIpsUsed = count(ctx.rs.network.floatingIps);
    absolute.totalSecurityGroupsUsed = count(ctx.rs.network.securityGroups);
  }
  absolute.totalRAMUsed = used.ram ?? 0;
  absolute.totalCoresUsed = used.cores ?? 0;
  absolute.totalInstancesUsed = used.instances ?? 0;
  absolute.totalServerGroupsUsed = used.server_groups ?? 0;
  return jsonResponse(200, { limits: { rate: [], absolute } });
}

// ---------------------------------------------------------------- server groups

const GROUP_POLICIES = ["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity"];

function createServerGroup(ctx: Ctx): SimResponse {
  const input = member(body(ctx), "server_group");
  const projectId = ctx.auth.projectId;
  if (projectId === null) throw policy("os_compute_api:os-server-groups:create");
  if (input.name === undefined) throw required("server_group", input, "name");
  const name = nameField("name", input.name);
  let policyName: string;
  let rules: Record<string, unknown> = {};
  if (ctx.mv >= 64) {
    noExtra("server_group", input, ["name", "policy", "rules"]);
    if (input.policy === undefined) throw required("server_group", input, "policy");
    if (typeof input.policy !== "string" || !GROUP_POLICIES.includes(input.policy)) {
      throw invalid(
        "policy",
        input.policy,
        `${pyRepr(input.policy)} is not one of ${pyRepr(GROUP_POLICIES)}`,
      );
    }
    policyName = input.policy;
    if (input.rules !== undefined) {
      if (!isObject(input.rules)) throw notType("rules", input.rules, "object");
      if (Object.keys(input.rules).length > 0 && policyName !== "anti-affinity")
        throw badRequest("Only anti-affinity policy supports rules.");
      rules = input.rules;
    }
  } else {
    noExtra("server_group", input, ["name", "policies"]);
    if (input.policies === undefined) throw required("server_group", input, "policies");
    const policies = input.policies;
    const allowed = ctx.mv >= 15 ? GROUP_POLICIES : ["affinity", "anti-affinity"];
    if (
      !Array.isArray(policies) ||
      policies.length !== 1 ||
      typeof policies[0] !== "string" ||
      !allowed.includes(policies[0])
    ) {
      throw invalid("policies", policies, `${pyRepr(policies)} is not valid under any of the given schemas`);
    }
    policyName = policies[0];
  }
  const limit = novaQuota(ctx.rs, projectId).server_groups ?? -1;
  if (
    limit >= 0 &&
    Object.values(ctx.rs.compute.serverGroups).filter((g) => g.projectId === projectId).length >= limit
  ) {
    throw new ApiError(403, "Quota exceeded, too many server groups.");
  }
  const g: ServerGroup = {
    id: uuid(),
    name,
    policy: policyName,
    rules,
    members: [],
    projectId,
    userId: ctx.auth.user.id,
    metadata: {},
  };
  ctx.rs.compute.serverGroups[g.id] = g;
  ctx.core.store.changed();
  return jsonResponse(200, { server_group: renderServerGroup(ctx, g) });
}

function getServerGroup(ctx: Ctx, id: string): ServerGroup {
  const g = ctx.rs.compute.serverGroups[id];
  if (!g || !(ctx.auth.isAdmin || g.projectId === ctx.auth.projectId))
    throw notFound(`Instance group ${id} could not be found.`);
  return g;
}

// ---------------------------------------------------------------- services, hypervisors, AZs

function serviceId(ctx: Ctx, binary: string, host: string, index: number): string | number {
  if (ctx.mv >= 53)
    return sha224Hex(`${ctx.region}/${binary}/${host}`)
      .slice(0, 32)
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  return index + 1;
}

function computeServices(ctx: Ctx): Record<string, unknown>[] {
  const now = isoMicros(Date.now() - 5000);
  const ctl = controllerHost(ctx.region);
  const rows: { binary: string; host: string; zone: string }[] = [
    { binary: "nova-conductor", host: ctl, zone: "internal" },
    { binary: "nova-scheduler", host: ctl, zone: "internal" },
    ...hostsOf(ctx.region).map((h) => ({ binary: "nova-compute", host: h.name, zone: h.az })),
  ];
  return rows.map((r, i) => {
    const out: Record<string, unknown> = {
      id: serviceId(ctx, r.binary, r.host, i),
      binary: r.binary,
      host: r.host,
      zone: r.zone,
      status: "enabled",
      state: "up",
      updated_at: now,
      disabled_reason: null,
    };
    if (ctx.mv >= 11) out.forced_down = false;
    return out;
  });
}

function renderHypervisor(ctx: Ctx, h: ComputeHost, index: number, detail: boolean): Record<string, unknown> {
  const id = ctx.mv >= 53 ? h.uuid : index + 1;
  const out: Record<string, unknown> = { id, hypervisor_hostname: h.name, state: "up", status: "enabled" };
  if (!detail) return out;
  const servers = Object.values(ctx.rs.compute.servers).filter(
    (s) => s.host === h.name && s.scheduled !== false,
  );
  const vcpusUsed = servers.reduce((a, s) => a + s.flavor.vcpus, 0);
  const ramUsed = servers.reduce((a, s) => a + s.flavor.ram, 0) + 512;
  const diskUsed = servers.reduce((a, s) => a + (s.imageId === null ? 0 : s.flavor.disk), 0);
  Object.assign(out, {
    hypervisor_type: "QEMU",
    hypervisor_version: 8002000,
    host_ip: `10.0.${regionOctet(ctx.region)}.${10 + index}`,
    service: { id: serviceId(ctx, "nova-compute", h.name, index + 2), host: h.name, disabled_reason: null },
  });
  if (ctx.mv < 88) {
    Object.assign(out, {
      vcpus: h.vcpus,
      memory_mb: h.memoryMb,
      local_gb: h.diskGb,
      vcpus_used: vcpusUsed,
      memory_mb_used: ramUsed,
      local_gb_used: diskUsed,
      free_ram_mb: h.memoryMb - ramUsed,
      free_disk_gb: h.diskGb - diskUsed,
      current_workload: 0,
      running_vms: servers.length,
      disk_available_least: h.diskGb - diskUsed,
      cpu_info: ((info) => (ctx.mv >= 28 ? info : JSON.stringify(info)))({
        arch: "x86_64",
        model: "EPYC-Rome",
        vendor: "AMD",
        topology: { sockets: 1, cores: 16, threads: 2 },
        features: ["pge", "avx2", "clflush"],
      }),
    });
  } else {
    out.uptime = " 10:00:00 up 42 days,  3:14,  0 users,  load average: 0.52, 0.58, 0.59";
  }
  return out;
}

function regionOctet(region: string): number {
  let h = 0;
  for (const c of region) h = (h * 31 + c.charCodeAt(0)) % 200;
  return h + 1;
}

// ---------------------------------------------------------------- router

function buildRouter(): Router<Ctx> {
  const r = new Router<Ctx>();
  const changed = (ctx: Ctx): void => ctx.core.store.changed();

  // --- servers
  r.get("/servers", (ctx) => listServers(ctx, false));
  r.get("/servers/detail", (ctx) => listServers(ctx, true));
  r.post("/servers", (ctx) => createServers(ctx));
  r.get("/servers/:id", (ctx, p) =>
    jsonResponse(200, { server: renderServer(ctx, getServer(ctx, p.id ?? "")) }),
  );
  r.put("/servers/:id", (ctx, p) => updateServer(ctx, getServer(ctx, p.id ?? "")));
  r.delete("/servers/:id", (ctx, p) => deleteServer(ctx, getServer(ctx, p.id ?? "")));
  r.post("/servers/:id/action", (ctx, p) => serverAction(ctx, getServer(ctx, p.id ?? "")));
  r.post("/servers/:id/remote-consoles", (ctx, p) => {
    if (ctx.mv < 6) throw notFound("The resource could not be found.");
    return remoteConsole(ctx, getServer(ctx, p.id ?? ""));
  });

  // --- server metadata
  r.get("/servers/:id/metadata", (ctx, p) =>
    jsonResponse(200, { metadata: getServer(ctx, p.id ?? "").metadata }),
  );
  for (const method of ["POST", "PUT"] as const) {
    r.on(method, "/servers/:id/metadata", (ctx, p) => {
      const s = getServer(ctx, p.id ?? "");
      const b = body(ctx);
      if (b.metadata === undefined) throw required("metadata", b, "metadata");
      const limit = novaQuota(ctx.rs, s.projectId).metadata_items ?? 128;
      const md = metadataField("metadata", b.metadata, -1);
      const next = method === "PUT" ? md : { ...s.metadata, ...md };
      if (limit >= 0 && Object.keys(next).length > limit)
        throw new ApiError(403, `Maximum number of metadata items exceeds ${limit}`);
      checkLock(ctx, s);
      checkState(s, "update metadata", METADATA_VM_STATES);
      s.metadata = next;
      touchServer(ctx.core, s);
      return jsonResponse(200, { metadata: s.metadata });
    });
  }
  r.get("/servers/:id/metadata/:key", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const value = s.metadata[p.key ?? ""];
    if (value === undefined) throw notFound("Metadata item was not found");
    return jsonResponse(200, { meta: { [p.key ?? ""]: value } });
  });
  r.put("/servers/:id/metadata/:key", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const b = body(ctx);
    const meta = metadataField("meta", b.meta, -1);
    if (Object.keys(meta).length !== 1 || meta[p.key ?? ""] === undefined)
      throw badRequest("Request body and URI mismatch");
    checkLock(ctx, s);
    checkState(s, "update metadata", METADATA_VM_STATES);
    const limit = novaQuota(ctx.rs, s.projectId).metadata_items ?? 128;
    if (limit >= 0 && Object.keys({ ...s.metadata, ...meta }).length > limit)
      throw new ApiError(403, `Maximum number of metadata items exceeds ${limit}`);
    Object.assign(s.metadata, meta);
    touchServer(ctx.core, s);
    return jsonResponse(200, { meta });
  });
  r.delete("/servers/:id/metadata/:key", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    if (s.metadata[p.key ?? ""] === undefined) throw notFound("Metadata item was not found");
    checkLock(ctx, s);
    checkState(s, "delete metadata", METADATA_VM_STATES);
    delete s.metadata[p.key ?? ""];
    touchServer(ctx.core, s);
    return emptyResponse(204);
  });

  // --- server tags (2.26)
  const tagged = (ctx: Ctx, id: string, mutate: boolean): Server => {
    if (ctx.mv < 26) throw notFound("The resource could not be found.");
    const s = getServer(ctx, id);
    if (mutate) checkState(s, "update tags", METADATA_VM_STATES, [s.taskState]);
    return s;
  };
  r.get("/servers/:id/tags", (ctx, p) => jsonResponse(200, { tags: tagged(ctx, p.id ?? "", false).tags }));
  r.put("/servers/:id/tags", (ctx, p) => {
    const s = tagged(ctx, p.id ?? "", true);
    const b = body(ctx);
    if (b.tags === undefined) throw required("tags", b, "tags");
    s.tags = tagList("tags", b.tags);
    touchServer(ctx.core, s);
    return jsonResponse(200, { tags: s.tags });
  });
  r.delete("/servers/:id/tags", (ctx, p) => {
    const s = tagged(ctx, p.id ?? "", true);
    s.tags = [];
    touchServer(ctx.core, s);
    return emptyResponse(204);
  });
  r.get("/servers/:id/tags/:tag", (ctx, p) => {
    const s = tagged(ctx, p.id ?? "", false);
    if (!s.tags.includes(p.tag ?? "")) throw notFound(`Instance ${s.id} has no tag '${p.tag ?? ""}'`);
    return emptyResponse(204);
  });
  r.put("/servers/:id/tags/:tag", (ctx, p) => {
    const s = tagged(ctx, p.id ?? "", true);
    const tag = p.tag ?? "";
    checkTag(tag);
    if (s.tags.includes(tag)) return emptyResponse(204);
    if (s.tags.length >= 50) throw badRequest("The number of tags exceeded the per-server limit 50");
    s.tags.push(tag);
    touchServer(ctx.core, s);
    return emptyResponse(201, {
      Location: `${ctx.root}/v2.1/servers/${s.id}/tags/${encodeURIComponent(tag)}`,
    });
  });
  r.delete("/servers/:id/tags/:tag", (ctx, p) => {
    const s = tagged(ctx, p.id ?? "", true);
    if (!s.tags.includes(p.tag ?? "")) throw notFound(`Instance ${s.id} has no tag '${p.tag ?? ""}'`);
    s.tags = s.tags.filter((t) => t !== p.tag);
    touchServer(ctx.core, s);
    return emptyResponse(204);
  });

  // --- addresses, security groups, instance actions
  r.get("/servers/:id/ips", (ctx, p) =>
    jsonResponse(200, { addresses: plainAddresses(ctx.rs, getServer(ctx, p.id ?? "")) }),
  );
  r.get("/servers/:id/ips/:network", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const list = plainAddresses(ctx.rs, s)[p.network ?? ""];
    if (!list) throw notFound("Instance is not a member of specified network");
    return jsonResponse(200, { [p.network ?? ""]: list });
  });
  r.get("/servers/:id/os-security-groups", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const ids = new Set(serverPorts(ctx.rs, s.id).flatMap((port) => port.security_groups));
    const groups = [...ids].flatMap((id) => {
      const g = ctx.rs.network.securityGroups[id];
      if (!g) return [];
      // Nova shows the ingress rules only, in its old format (nova/network/security_group_api.py).
      const rules = Object.values(ctx.rs.network.securityGroupRules)
        .filter((r) => r.security_group_id === g.id && r.direction === "ingress")
        .map((r) => {
          const proto = r.protocol;
          const whole = proto !== null && r.port_range_min === null && r.port_range_max === null;
          const tcpUdp = proto !== null && ["tcp", "udp"].includes(proto.toLowerCase());
          const source = r.remote_group_id ? ctx.rs.network.securityGroups[r.remote_group_id] : undefined;
          return {
            id: r.id,
            parent_group_id: g.id,
            ip_protocol: proto,
            from_port: whole ? (tcpUdp ? 1 : -1) : r.port_range_min,
            to_port: whole ? (tcpUdp ? 65535 : -1) : r.port_range_max,
            group: r.remote_group_id
              ? { name: source?.name ?? null, tenant_id: source?.project_id ?? null }
              : {},
            ip_range: r.remote_group_id ? {} : { cidr: r.remote_ip_prefix ?? "0.0.0.0/0" },
          };
        });
      return [{ id: g.id, name: g.name, description: g.description, tenant_id: g.project_id, rules }];
    });
    return jsonResponse(200, { security_groups: groups });
  });
  r.get("/servers/:id/os-instance-actions", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const actions = [...s.actions].reverse().map((a) => renderInstanceAction(ctx, s, a, false));
    return jsonResponse(200, { instanceActions: actions });
  });
  r.get("/servers/:id/os-instance-actions/:req", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const a = s.actions.find((x) => x.requestId === p.req);
    if (!a) throw notFound(`Action for request_id ${p.req ?? ""} on instance ${s.id} not found`);
    return jsonResponse(200, { instanceAction: renderInstanceAction(ctx, s, a, true) });
  });

  // --- volume attachments
  r.get("/servers/:id/os-volume_attachments", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    return jsonResponse(200, { volumeAttachments: s.volumes.map((a) => renderVolumeAttachment(ctx, s, a)) });
  });
  r.post("/servers/:id/os-volume_attachments", (ctx, p) => attachVolume(ctx, getServer(ctx, p.id ?? "")));
  r.get("/servers/:id/os-volume_attachments/:vol", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const a = s.volumes.find((x) => x.volumeId === p.vol);
    if (!a) throw notFound(`Instance ${s.id} is not attached to volume ${p.vol ?? ""}`);
    return jsonResponse(200, { volumeAttachment: renderVolumeAttachment(ctx, s, a) });
  });
  r.delete("/servers/:id/os-volume_attachments/:vol", (ctx, p) =>
    detachVolume(ctx, getServer(ctx, p.id ?? ""), p.vol ?? ""),
  );

  // --- interface attachments
  r.get("/servers/:id/os-interface", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    return jsonResponse(200, {
      interfaceAttachments: serverPorts(ctx.rs, s.id).map((port) => renderInterface(ctx, port)),
    });
  });
  r.post("/servers/:id/os-interface", (ctx, p) => attachInterface(ctx, getServer(ctx, p.id ?? "")));
  r.get("/servers/:id/os-interface/:port", (ctx, p) => {
    const s = getServer(ctx, p.id ?? "");
    const port = serverPorts(ctx.rs, s.id).find((x) => x.id === p.port);
    if (!port) throw notFound(`Port ${p.port ?? ""} is not attached`);
    return jsonResponse(200, { interfaceAttachment: renderInterface(ctx, port) });
  });
  r.delete("/servers/:id/os-interface/:port", (ctx, p) =>
    detachInterface(ctx, getServer(ctx, p.id ?? ""), p.port ?? ""),
  );

  // --- flavors
  r.get("/flavors", (ctx) => listFlavors(ctx, false));
  r.get("/flavors/detail", (ctx) => listFlavors(ctx, true));
  r.post("/flavors", (ctx) => createFlavor(ctx));
  r.get("/flavors/:id", (ctx, p) =>
    jsonResponse(200, { flavor: renderFlavor(ctx, getFlavor(ctx, p.id ?? ""), true) }),
  );
  r.put("/flavors/:id", (ctx, p) => {
    if (ctx.mv < 55) throw new ApiError(405, "The method is not allowed for the requested URL.");
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-flavor-manage:update");
    const f = getFlavor(ctx, p.id ?? "");
    const input = member(body(ctx), "flavor");
    noExtra("flavor", input, ["description"]);
    if (input.description === undefined) throw required("flavor", input, "description");
    f.description = optText("description", input.description, 65535) ?? null;
    changed(ctx);
    return jsonResponse(200, { flavor: renderFlavor(ctx, f, true) });
  });
  r.delete("/flavors/:id", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-flavor-manage:delete");
    const f = ctx.rs.compute.flavors[p.id ?? ""];
    if (!f) throw notFound(`Flavor ${p.id ?? ""} could not be found.`);
    delete ctx.rs.compute.flavors[f.id];
    changed(ctx);
    return emptyResponse(202);
  });
  r.post("/flavors/:id/action", (ctx, p) => flavorAction(ctx, getFlavor(ctx, p.id ?? "")));
  r.get("/flavors/:id/os-flavor-access", (ctx, p) => {
    const f = getFlavor(ctx, p.id ?? "");
    if (f.isPublic) throw notFound("Access list not available for public flavors.");
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-flavor-access");
    return jsonResponse(200, { flavor_access: f.access.map((t) => ({ flavor_id: f.id, tenant_id: t })) });
  });
  r.get("/flavors/:id/os-extra_specs", (ctx, p) =>
    jsonResponse(200, { extra_specs: getFlavor(ctx, p.id ?? "").extraSpecs }),
  );
  r.post("/flavors/:id/os-extra_specs", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-flavor-extra-specs:create");
    const f = getFlavor(ctx, p.id ?? "");
    const b = body(ctx);
    if (!isObject(b.extra_specs)) throw required("extra_specs", b, "extra_specs");
    const specs = b.extra_specs;
    for (const [k, v] of Object.entries(specs)) f.extraSpecs[k] = extraSpecValue(k, v, specs);
    changed(ctx);
    return jsonResponse(200, { extra_specs: f.extraSpecs });
  });
  r.get("/flavors/:id/os-extra_specs/:key", (ctx, p) => {
    const f = getFlavor(ctx, p.id ?? "");
    const value = f.extraSpecs[p.key ?? ""];
    if (value === undefined) throw notFound(`Flavor ${f.id} has no extra specs with key ${p.key ?? ""}.`);
    return jsonResponse(200, { [p.key ?? ""]: value });
  });
  r.put("/flavors/:id/os-extra_specs/:key", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-flavor-extra-specs:update");
    const f = getFlavor(ctx, p.id ?? "");
    const b = body(ctx);
    const key = p.key ?? "";
    if (Object.keys(b).length !== 1 || !(key in b)) throw badRequest("Request body and URI mismatch");
    f.extraSpecs[key] = extraSpecValue(key, b[key], b);
    changed(ctx);
    return jsonResponse(200, { [key]: f.extraSpecs[key] });
  });
  r.delete("/flavors/:id/os-extra_specs/:key", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-flavor-extra-specs:delete");
    const f = getFlavor(ctx, p.id ?? "");
    if (f.extraSpecs[p.key ?? ""] === undefined)
      throw notFound(`Flavor ${f.id} has no extra specs with key ${p.key ?? ""}.`);
    delete f.extraSpecs[p.key ?? ""];
    changed(ctx);
    return emptyResponse(200);
  });

  // --- key pairs
  r.get("/os-keypairs", (ctx) => {
    const userId = keypairOwner(ctx);
    let rows = Object.values(ctx.rs.compute.keypairs)
      .filter((k) => k.userId === userId)
      .sort((a, b) => a.name.localeCompare(b.name));
    const out: Record<string, unknown> = {};
    if (ctx.mv >= 35) {
      const marker = ctx.req.query.get("marker");
      if (marker !== null) {
        const index = rows.findIndex((k) => k.name === marker);
        if (index < 0) throw badRequest(`marker [${marker}] not found`);
        rows = rows.slice(index + 1);
      }
      const limitText = ctx.req.query.get("limit");
      if (limitText !== null) {
        if (!/^\d+$/.test(limitText))
          throw badRequest(
            `Invalid input for query parameters limit. Value: ${limitText}. '${limitText}' does not match '^[0-9]*$'`,
          );
        const limit = Number(limitText);
        const more = rows.length > limit;
        rows = rows.slice(0, limit);
        const last = rows[rows.length - 1];
        if (last && (more || rows.length === limit)) {
          out.keypairs_links = [
            {
              rel: "next",
              href: withQuery(`${ctx.root}/v2.1/os-keypairs`, ctx.req.query, {
                limit: String(limit),
                marker: last.name,
              }),
            },
          ];
        }
      }
    }
    return jsonResponse(200, {
      keypairs: rows.map((k) => ({ keypair: renderKeypair(ctx, k, false) })),
      ...out,
    });
  });
  r.post("/os-keypairs", (ctx) => createKeypair(ctx));
  r.get("/os-keypairs/:name", (ctx, p) =>
    jsonResponse(200, { keypair: renderKeypair(ctx, getKeypair(ctx, p.name ?? ""), true) }),
  );
  r.delete("/os-keypairs/:name", (ctx, p) => {
    const k = getKeypair(ctx, p.name ?? "");
    delete ctx.rs.compute.keypairs[keypairKey(k.userId, k.name)];
    changed(ctx);
    return emptyResponse(ctx.mv >= 2 ? 204 : 202);
  });

  // --- availability zones
  r.get("/os-availability-zone", () =>
    jsonResponse(200, {
      availabilityZoneInfo: AVAILABILITY_ZONES.map((zoneName) => ({
        zoneName,
        zoneState: { available: true },
        hosts: null,
      })),
    }),
  );
  r.get("/os-availability-zone/detail", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-availability-zone:detail");
    const services = computeServices(ctx);
    const zones = ["internal", ...AVAILABILITY_ZONES];
    const info = zones.map((zoneName) => {
      const hosts: Record<string, Record<string, unknown>> = {};
      for (const s of services.filter((x) => x.zone === zoneName)) {
        const host = String(s.host);
        hosts[host] = {
          ...hosts[host],
          [String(s.binary)]: { available: true, active: true, updated_at: s.updated_at },
        };
      }
      return { zoneName, zoneState: { available: true }, hosts };
    });
    return jsonResponse(200, { availabilityZoneInfo: info });
  });

  // --- limits and quotas
  r.get("/limits", (ctx) => limits(ctx));
  r.get("/os-quota-sets/:project", (ctx, p) => {
    const projectId = quotaTarget(ctx, p.project ?? "", "show");
    return jsonResponse(200, {
      quota_set: { id: projectId, ...quotaKeys(ctx, novaQuota(ctx.rs, projectId), ctx.rs, projectId) },
    });
  });
  r.get("/os-quota-sets/:project/defaults", (ctx, p) => {
    const projectId = quotaTarget(ctx, p.project ?? "", "defaults");
    return jsonResponse(200, {
      quota_set: { id: projectId, ...quotaKeys(ctx, { ...NOVA_QUOTA_DEFAULTS }, ctx.rs, "") },
    });
  });
  r.get("/os-quota-sets/:project/detail", (ctx, p) => {
    const projectId = quotaTarget(ctx, p.project ?? "", "detail");
    const limitsOf = quotaKeys(ctx, novaQuota(ctx.rs, projectId), ctx.rs, projectId);
    const used = quotaUsage(ctx, ctx.rs, projectId);
    const detail: Record<string, unknown> = { id: projectId };
    for (const [k, limit] of Object.entries(limitsOf))
      detail[k] = { limit, in_use: used[k] ?? 0, reserved: 0 };
    return jsonResponse(200, { quota_set: detail });
  });
  r.put("/os-quota-sets/:project", (ctx, p) => updateQuota(ctx, p.project ?? ""));
  r.delete("/os-quota-sets/:project", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-quota-sets:delete");
    delete ctx.rs.compute.quotas[p.project ?? ""];
    changed(ctx);
    return emptyResponse(202);
  });
  r.get("/os-quota-class-sets/:cls", (ctx, p) =>
    jsonResponse(200, {
      quota_class_set: { id: p.cls, ...quotaKeys(ctx, { ...NOVA_QUOTA_DEFAULTS }, ctx.rs, "") },
    }),
  );

  // --- server groups
  r.get("/os-server-groups", (ctx) => {
    const all = ctx.auth.isAdmin && queryBool(ctx.req.query.get("all_projects")) === true;
    if (queryBool(ctx.req.query.get("all_projects")) === true && !ctx.auth.isAdmin)
      throw policy("os_compute_api:os-server-groups:index:all_projects");
    let rows = Object.values(ctx.rs.compute.serverGroups).filter(
      (g) => all || g.projectId === ctx.auth.projectId,
    );
    const offset = Number(ctx.req.query.get("offset") ?? 0);
    const limit = ctx.req.query.get("limit");
    rows = rows.slice(
      Number.isInteger(offset) ? offset : 0,
      limit !== null && /^\d+$/.test(limit) ? offset + Number(limit) : undefined,
    );
    return jsonResponse(200, { server_groups: rows.map((g) => renderServerGroup(ctx, g)) });
  });
  r.post("/os-server-groups", (ctx) => createServerGroup(ctx));
  r.get("/os-server-groups/:id", (ctx, p) =>
    jsonResponse(200, { server_group: renderServerGroup(ctx, getServerGroup(ctx, p.id ?? "")) }),
  );
  r.delete("/os-server-groups/:id", (ctx, p) => {
    const g = getServerGroup(ctx, p.id ?? "");
    for (const id of g.members) {
      const s = ctx.rs.compute.servers[id];
      if (s) s.serverGroupId = null;
    }
    delete ctx.rs.compute.serverGroups[g.id];
    changed(ctx);
    return emptyResponse(204);
  });

  // --- services, hypervisors (admin)
  r.get("/os-services", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-services:list");
    let services = computeServices(ctx);
    const host = ctx.req.query.get("host");
    const binary = ctx.req.query.get("binary");
    if (host !== null) services = services.filter((s) => s.host === host);
    if (binary !== null) services = services.filter((s) => s.binary === binary);
    return jsonResponse(200, { services });
  });
  const hypervisors = (ctx: Ctx): ComputeHost[] => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-hypervisors:list");
    return hostsOf(ctx.region);
  };
  r.get("/os-hypervisors", (ctx) =>
    jsonResponse(200, { hypervisors: hypervisors(ctx).map((h, i) => renderHypervisor(ctx, h, i, false)) }),
  );
  r.get("/os-hypervisors/detail", (ctx) =>
    jsonResponse(200, { hypervisors: hypervisors(ctx).map((h, i) => renderHypervisor(ctx, h, i, true)) }),
  );
  r.get("/os-hypervisors/statistics", (ctx) => {
    if (ctx.mv >= 88) throw notFound("The resource could not be found.");
    const all = hypervisors(ctx).map((h, i) => renderHypervisor(ctx, h, i, true));
    const sum = (k: string): number => all.reduce((a, h) => a + Number(h[k] ?? 0), 0);
    const keys = [
      "vcpus",
      "memory_mb",
      "local_gb",
      "vcpus_used",
      "memory_mb_used",
      "local_gb_used",
      "free_ram_mb",
      "free_disk_gb",
      "current_workload",
      "running_vms",
      "disk_available_least",
    ];
    return jsonResponse(200, {
      hypervisor_statistics: { count: all.length, ...Object.fromEntries(keys.map((k) => [k, sum(k)])) },
    });
  });
  r.get("/os-hypervisors/:id", (ctx, p) => {
    const list = hypervisors(ctx);
    const index = list.findIndex((h, i) => h.uuid === p.id || String(i + 1) === p.id);
    const h = list[index];
    if (!h) throw notFound(`Hypervisor with ID ${p.id ?? ""} could not be found.`);
    return jsonResponse(200, { hypervisor: renderHypervisor(ctx, h, index, true) });
  });

  // --- odds and ends clients probe for
  r.get("/extensions", () => jsonResponse(200, { extensions: [] }));
  r.get("/os-simple-tenant-usage", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-simple-tenant-usage:list");
    return jsonResponse(200, { tenant_usages: [] });
  });
  r.get("/os-simple-tenant-usage/:project", (ctx, p) =>
    jsonResponse(200, {
      tenant_usage: { tenant_id: quotaTarget(ctx, p.project ?? "", "show"), server_usages: [] },
    }),
  );
  r.get("/os-aggregates", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("os_compute_api:os-aggregates:index");
    return jsonResponse(200, {
      aggregates: AVAILABILITY_ZONES.map((az, i) => ({
        id: i + 1,
        name: az,
        availability_zone: az,
        hosts: hostsOf(ctx.region)
          .filter((h) => h.az === az)
          .map((h) => h.name),
        metadata: { availability_zone: az },
        created_at: isoMicros(0),
        updated_at: null,
        deleted_at: null,
        deleted: false,
        uuid: sha224Hex(`${ctx.region}/aggregate/${az}`)
          .slice(0, 32)
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"),
      })),
    });
  });
  return r;
}

// ---------------------------------------------------------------- service

const CONSOLE_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>noVNC (simulated)</title></head>
<body style="background:#111;color:#ddd;font-family:monospace;padding:2em">
<p>Cirrus simulator: this is where noVNC would show the server's console.</p>
<p>The simulated cloud has no data plane; use the console log instead.</p>
</body></html>
`;

export function createComputeService(core: SimCore): SimService {
  registerTransitions(core);
  const router = buildRouter();
  return {
    name: "compute",
    mount: "compute",
    global: false,
    catalog: [{ type: "compute", name: "nova", url: (base, region) => `${base}/${region}/compute/v2.1` }],
    async handle(call: ServiceCall): Promise<SimResponse> {
      const path = call.req.path.replace(/\/+$/, "");
      if (path === "" && (call.req.method === "GET" || call.req.method === "HEAD")) {
        return jsonResponse(200, {
          versions: [versionEntry(call.root, true), versionEntry(call.root, false)],
        });
      }
      if (
        (path === "/vnc_lite.html" || path === "/vnc_auto.html" || path === "/spice_auto.html") &&
        call.req.method === "GET"
      ) {
        return { status: 200, headers: { "Content-Type": "text/html; charset=UTF-8" }, body: CONSOLE_PAGE };
      }
      const m = /^\/v2(\.1)?(\/.*)?$/.exec(path);
      if (!m) throw notFound("The resource could not be found.");
      const rest0 = m[2] ?? "";
      const requestHeaders: Record<string, string> = { "X-Compute-Request-Id": call.req.requestId };
      if (rest0 === "" && (call.req.method === "GET" || call.req.method === "HEAD")) {
        return jsonResponse(200, versionDocument(call.root), {
          ...versionHeaders(NOVA_MIN_MINOR),
          ...requestHeaders,
        });
      }
      const base = regionContext(call);
      let mv: number;
      try {
        mv = negotiate(call);
      } catch (err) {
        // Nova echoes the version it was asked for on the 400/406.
        const asked = requestedVersion(call) ?? `2.${NOVA_MIN_MINOR}`;
        const echo = {
          "OpenStack-API-Version": `compute ${asked}`,
          "X-OpenStack-Nova-API-Version": asked,
          Vary: versionHeaders(NOVA_MIN_MINOR).Vary ?? "",
        };
        if (err instanceof ApiError)
          throw new ApiError(err.status, err.message, err.kind, { ...requestHeaders, ...echo });
        throw err;
      }
      const headers = { ...versionHeaders(mv), ...requestHeaders };
      // Legacy URLs carry the project id: /v2.1/<project_id>/servers.
      let rest = rest0;
      const legacy = /^\/([0-9a-f]{32})(\/.*)?$/.exec(rest);
      if (legacy && (legacy[1] === base.auth.projectId || base.auth.isAdmin)) rest = legacy[2] ?? "/";
      const ctx: Ctx = { ...base, mv };
      try {
        const { handler, params } = resolveRoute(router, { ...call.req, path: rest });
        const res = await handler(ctx, params);
        // Nova labels even its empty 202/204 answers as JSON.
        res.headers = { "Content-Type": "application/json", ...headers, ...res.headers };
        return res;
      } catch (err) {
        if (err instanceof ApiError)
          throw new ApiError(err.status, err.message, err.kind, { ...headers, ...err.headers });
        throw err;
      }
    },
    renderError(err: ApiError): SimResponse {
      const res = faultBody(err.status, err.message);
      res.headers = { "Content-Type": "application/json; charset=UTF-8", ...err.headers };
      return res;
    },
  };
}
