// Glance v2 (per region, mounted at /<region>/image): image records with visibility and members,
// data upload/download with checksums, JSON-patch updates, tags, and the `next`-link listing.
import { createHash } from "node:crypto";
import type { ServiceCall, SimCore, SimService } from "../core";
import { glanceBody } from "../errors";
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
} from "../http";
import type { SimResponse } from "../http";
import { isoSeconds, uuid } from "../ids";
import type { Image, ImageMember, RegionState } from "../model";
import { compareBy, regionContext } from "./common";
import type { RegionCtx } from "./common";

type Ctx = RegionCtx;

const DISK_FORMATS = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"];
const CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"];
const VISIBILITIES = ["public", "private", "shared", "community"];
const READ_ONLY = [
  "checksum",
  "created_at",
  "id",
  "os_hash_algo",
  "os_hash_value",
  "size",
  "status",
  "updated_at",
  "virtual_size",
  "direct_url",
  "self",
  "file",
  "schema",
  "stores",
];
const RESERVED = ["location", "deleted", "deleted_at", "locations"];
const BASE_FIELDS = [
  "name",
  "visibility",
  "protected",
  "os_hidden",
  "owner",
  "tags",
  "container_format",
  "disk_format",
  "min_disk",
  "min_ram",
];
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;
const PATCH_TYPES = [
  "application/openstack-images-v2.1-json-patch",
  "application/openstack-images-v2.0-json-patch",
];

function notFound(id: string): ApiError {
  return new ApiError(404, `No image found with ID ${id}`);
}
function forbidden(message: string): ApiError {
  return new ApiError(403, message);
}
function badRequest(message: string): ApiError {
  return new ApiError(400, message);
}

// ---------------------------------------------------------------- visibility (also used by Nova/Cinder)

export function imageVisible(
  rs: RegionState,
  image: Image,
  projectId: string | null,
  isAdmin: boolean,
): boolean {
  if (isAdmin) return true;
  if (image.visibility === "public" || image.visibility === "community") return true;
  if (projectId !== null && image.owner === projectId) return true;
  if (image.visibility === "shared" && projectId !== null) {
    return rs.image.members.some(
      (m) => m.imageId === image.id && m.memberId === projectId && m.status !== "rejected",
    );
  }
  return false;
}

export function findImage(
  rs: RegionState,
  id: string,
  projectId: string | null,
  isAdmin: boolean,
): Image | undefined {
  const image = rs.image.images[id];
  return image && imageVisible(rs, image, projectId, isAdmin) ? image : undefined;
}

/** A snapshot image Nova's createImage registers before the upload finishes. */
export function createQueuedImage(
  core: SimCore,
  rs: RegionState,
  owner: string,
  name: string,
  properties: Record<string, string>,
  base?: Image,
): Image {
  const now = Date.now();
  const image: Image = {
    id: uuid(),
    name,
    status: "queued",
    visibility: "private",
    protected: false,
    os_hidden: false,
    owner,
    tags: [],
    container_format: base?.container_format ?? "bare",
    disk_format: base?.disk_format ?? "qcow2",
    min_disk: base?.min_disk ?? 0,
    min_ram: base?.min_ram ?? 0,
    size: null,
    virtual_size: null,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    created_at: isoSeconds(now),
    updated_at: isoSeconds(now),
    properties,
    createdMs: now,
    stored: false,
  };
  rs.image.images[image.id] = image;
  core.store.changed();
  return image;
}

/** Finishes a snapshot upload: the image becomes active with a size and hashes. */
export function activateImage(core: SimCore, image: Image, size: number): void {
  const seed = `${image.id}:${size}`;
  image.status = "active";
  image.size = size;
  image.checksum = createHash("md5").update(seed).digest("hex");
  image.os_hash_algo = "sha512";
  image.os_hash_value = createHash("sha512").update(seed).digest("hex");
  image.updated_at = isoSeconds(Date.now());
  core.store.changed();
}

// ---------------------------------------------------------------- rendering

function render(image: Image): Record<string, unknown> {
  const out: Record<string, unknown> = { ...image.properties };
  Object.assign(out, {
    name: image.name,
    disk_format: image.disk_format,
    container_format: image.container_format,
    visibility: image.visibility,
    size: image.size,
    virtual_size: image.virtual_size,
    status: image.status,
    checksum: image.checksum,
    protected: image.protected,
    min_ram: image.min_ram,
    min_disk: image.min_disk,
    owner: image.owner,
    os_hidden: image.os_hidden,
    os_hash_algo: image.os_hash_algo,
    os_hash_value: image.os_hash_value,
    id: image.id,
    created_at: image.created_at,
    updated_at: image.updated_at,
    tags: image.tags,
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: "/v2/schemas/image",
  });
  if (image.status === "active" && image.size !== null) out.stores = "file";
  return out;
}

function renderMember(m: ImageMember): Record<string, unknown> {
  return {
    created_at: m.createdAt,
    image_id: m.imageId,
    member_id: m.memberId,
    schema: "/v2/schemas/member",
    status: m.status,
    updated_at: m.updatedAt,
  };
}

// ---------------------------------------------------------------- validation

function validateField(key: string, value: unknown): unknown {
  switch (key) {
    case "name":
      if (value !== null && (typeof value !== "string" || value.length > 255))
        throw schemaError(`${JSON.stringify(value)} is not of type 'null', 'string'`);
      return value;
    case "visibility":
      if (typeof value !== "string" || !VISIBILITIES.includes(value))
        throw schemaError(`${JSON.stringify(value)} is not one of ${pyList(VISIBILITIES)}`);
      return value;
    case "protected":
    case "os_hidden":
      if (typeof value !== "boolean") throw schemaError(`${JSON.stringify(value)} is not of type 'boolean'`);
      return value;
    case "min_disk":
    case "min_ram":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
        throw schemaError(`${JSON.stringify(value)} is not of type 'integer'`);
      return value;
    case "disk_format":
      if (value !== null && (typeof value !== "string" || !DISK_FORMATS.includes(value)))
        throw schemaError(`${JSON.stringify(value)} is not one of ${pyList(DISK_FORMATS)}`);
      return value;
    case "container_format":
      if (value !== null && (typeof value !== "string" || !CONTAINER_FORMATS.includes(value)))
        throw schemaError(`${JSON.stringify(value)} is not one of ${pyList(CONTAINER_FORMATS)}`);
      return value;
    case "tags":
      if (!Array.isArray(value) || !value.every((t) => typeof t === "string" && t.length <= 255))
        throw schemaError(`${JSON.stringify(value)} is not of type 'array'`);
      return [...new Set(value as string[])];
    case "owner":
      if (value !== null && typeof value !== "string")
        throw schemaError(`${JSON.stringify(value)} is not of type 'null', 'string'`);
      return value;
    default:
      if (typeof value !== "string") throw schemaError(`${JSON.stringify(value)} is not of type 'string'`);
      if (value.length > 65535) throw schemaError(`'${value.slice(0, 20)}...' is too long`);
      return value;
  }
}

function schemaError(detail: string): ApiError {
  return badRequest(`Provided object does not match schema 'image': ${detail}`);
}

function pyList(values: string[]): string {
  return `[${values.map((v) => `'${v}'`).join(", ")}]`;
}

function checkWritable(key: string): void {
  if (READ_ONLY.includes(key)) throw forbidden(`Attribute '${key}' is read-only.`);
  if (RESERVED.includes(key)) throw forbidden(`Attribute '${key}' is reserved.`);
}

function setField(ctx: Ctx, image: Image, key: string, value: unknown): void {
  checkWritable(key);
  const v = validateField(key, value);
  if (key === "visibility" && v === "public" && !ctx.auth.isAdmin)
    throw forbidden("You are not authorized to complete publicize_image action.");
  if (key === "owner" && !ctx.auth.isAdmin && v !== image.owner)
    throw forbidden("You are not permitted to modify 'owner' on this image.");
  if (BASE_FIELDS.includes(key)) (image as unknown as Record<string, unknown>)[key] = v;
  else image.properties[key] = v as string;
}

function mayModify(ctx: Ctx, image: Image): boolean {
  return ctx.auth.isAdmin || image.owner === ctx.auth.projectId;
}

function getImage(ctx: Ctx, id: string): Image {
  const image = findImage(ctx.rs, id, ctx.auth.projectId, ctx.auth.isAdmin);
  if (!image) throw notFound(id);
  return image;
}

// ---------------------------------------------------------------- listing

function listImages(ctx: Ctx): SimResponse {
  const q = ctx.req.query;
  const rs = ctx.rs;
  const projectId = ctx.auth.projectId;
  const visibility = q.get("visibility");
  if (visibility !== null && ![...VISIBILITIES, "all"].includes(visibility)) {
    throw badRequest(`Invalid visibility value: ${visibility}`);
  }
  const memberStatus = q.get("member_status") ?? "accepted";
  let rows = Object.values(rs.image.images).filter((img) => {
    if (visibility !== null && visibility !== "all" && img.visibility !== visibility) return false;
    if (ctx.auth.isAdmin) return true;
    if (img.owner === projectId) return true;
    if (img.visibility === "public") return true;
    if (img.visibility === "community") return visibility === "community";
    if (img.visibility === "shared") {
      return rs.image.members.some(
        (m) =>
          m.imageId === img.id &&
          m.memberId === projectId &&
          (memberStatus === "all" || m.status === memberStatus),
      );
    }
    return false;
  });
  const osHidden = queryBool(q.get("os_hidden"));
  rows = rows.filter((img) => img.os_hidden === (osHidden ?? false));
  const view = new Map(rows.map((img) => [img.id, render(img)]));
  const special = new Set([
    "limit",
    "marker",
    "sort_key",
    "sort_dir",
    "sort",
    "visibility",
    "member_status",
    "os_hidden",
    "tag",
    "size_min",
    "size_max",
    "created_at",
    "updated_at",
  ]);
  for (const key of new Set(q.keys())) {
    if (special.has(key)) continue;
    const wanted = q.get(key) ?? "";
    const values = wanted.startsWith("in:") ? splitIn(wanted.slice(3)) : [wanted];
    rows = rows.filter((img) => {
      const actual = view.get(img.id)?.[key];
      if (actual === undefined) return false;
      return values.some((v) =>
        typeof actual === "boolean" ? actual === queryBool(v) : asText(actual) === v,
      );
    });
  }
  for (const tag of q.getAll("tag")) rows = rows.filter((img) => img.tags.includes(tag));
  const sizeMin = q.get("size_min");
  const sizeMax = q.get("size_max");
  if (sizeMin !== null) rows = rows.filter((img) => img.size !== null && img.size >= Number(sizeMin));
  if (sizeMax !== null) rows = rows.filter((img) => img.size !== null && img.size <= Number(sizeMax));
  for (const key of ["created_at", "updated_at"] as const) {
    const raw = q.get(key);
    if (raw === null) continue;
    const m = /^(gt|gte|lt|lte|eq|neq):(.+)$/.exec(raw);
    if (!m) throw badRequest(`Unable to filter on a range with a non-numeric value.`);
    const t = Date.parse(m[2] ?? "");
    if (Number.isNaN(t)) throw badRequest(`Invalid time format for ${key}.`);
    const op = m[1];
    rows = rows.filter((img) => {
      const v = Date.parse(img[key]);
      return op === "gt"
        ? v > t
        : op === "gte"
          ? v >= t
          : op === "lt"
            ? v < t
            : op === "lte"
              ? v <= t
              : op === "eq"
                ? v === t
                : v !== t;
    });
  }

  // Sorting: sort=key:dir,... or sort_key/sort_dir (repeatable); default created_at desc.
  const keys: { key: string; desc: boolean }[] = [];
  const sort = q.get("sort");
  if (sort !== null) {
    for (const part of sort.split(",")) {
      const [key, dir] = part.split(":");
      if (!key) continue;
      if (dir !== undefined && dir !== "asc" && dir !== "desc")
        throw badRequest(`Invalid sort direction: ${dir}`);
      keys.push({ key, desc: dir !== "asc" });
    }
  } else {
    const sk = q.getAll("sort_key");
    const sd = q.getAll("sort_dir");
    for (const d of sd) if (d !== "asc" && d !== "desc") throw badRequest(`Invalid sort direction: ${d}`);
    sk.forEach((key, i) => keys.push({ key, desc: (sd[i] ?? sd[0] ?? "desc") === "desc" }));
  }
  if (keys.length === 0) keys.push({ key: "created_at", desc: true });
  const sortable = [
    "name",
    "status",
    "container_format",
    "disk_format",
    "size",
    "id",
    "created_at",
    "updated_at",
    "visibility",
    "owner",
    "min_disk",
    "min_ram",
    "protected",
    "os_hidden",
  ];
  for (const k of keys)
    if (!sortable.includes(k.key))
      throw badRequest(
        `Invalid sort key: ${k.key}. It should be one of the following: ${sortable.join(", ")}.`,
      );
  rows.sort(
    compareBy<Image>([
      ...keys.map((k) => ({
        get: (img: Image) =>
          k.key === "created_at" ? img.createdMs : (img as unknown as Record<string, unknown>)[k.key],
        desc: k.desc,
      })),
      { get: (img: Image) => img.id, desc: keys[0]?.desc ?? true },
    ]),
  );

  const limitText = q.get("limit");
  let limit = DEFAULT_LIMIT;
  if (limitText !== null) {
    if (!/^-?\d+$/.test(limitText)) throw badRequest("limit param must be an integer");
    limit = Number(limitText);
    if (limit < 0) throw badRequest("limit param must be positive");
  }
  limit = Math.min(limit, MAX_LIMIT);
  const marker = q.get("marker");
  let start = 0;
  if (marker !== null) {
    const index = rows.findIndex((img) => img.id === marker);
    if (index < 0) throw badRequest(`Invalid marker. Image ${marker} could not be found.`);
    start = index + 1;
  }
  const page = rows.slice(start, start + limit);
  const params = new URLSearchParams(q);
  params.delete("marker");
  const firstQuery = params.toString();
  const body: Record<string, unknown> = {
    images: page.map((img) => view.get(img.id) ?? render(img)),
    first: firstQuery ? `/v2/images?${firstQuery}` : "/v2/images",
    schema: "/v2/schemas/images",
  };
  const last = page[page.length - 1];
  if (last && page.length === limit) {
    params.set("marker", last.id);
    body.next = `/v2/images?${params.toString()}`;
  }
  return jsonResponse(200, body);
}

function splitIn(text: string): string[] {
  // Glance's "in:" operator: comma separated, with double quotes protecting commas.
  const out: string[] = [];
  const re = /"([^"]*)"|([^,]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push(m[1] ?? m[2] ?? "");
  return out;
}

// ---------------------------------------------------------------- handlers

function createImage(ctx: Ctx): SimResponse {
  if (ctx.auth.projectId === null && !ctx.auth.isAdmin)
    throw forbidden("You are not authorized to complete add_image action.");
  const input = readJson(ctx.req, () => badRequest("Body expected in request."));
  if (!isObject(input)) throw badRequest("Body expected in request.");
  const now = Date.now();
  let id = uuid();
  if (input.id !== undefined) {
    if (
      typeof input.id !== "string" ||
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.id)
    ) {
      throw schemaError(
        `${JSON.stringify(input.id)} does not match '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'`,
      );
    }
    if (ctx.rs.image.images[input.id])
      throw new ApiError(409, `Image with identifier ${input.id} already exists!`);
    id = input.id;
  }
  const image: Image = {
    id,
    name: null,
    status: "queued",
    visibility: "shared",
    protected: false,
    os_hidden: false,
    owner: ctx.auth.projectId ?? "",
    tags: [],
    container_format: null,
    disk_format: null,
    min_disk: 0,
    min_ram: 0,
    size: null,
    virtual_size: null,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    created_at: isoSeconds(now),
    updated_at: isoSeconds(now),
    properties: {},
    createdMs: now,
    stored: false,
  };
  for (const [key, value] of Object.entries(input)) {
    if (key === "id") continue;
    setField(ctx, image, key, value);
  }
  ctx.rs.image.images[image.id] = image;
  ctx.core.store.changed();
  return jsonResponse(201, render(image), {
    Location: `${ctx.root}/v2/images/${image.id}`,
    "OpenStack-image-import-methods": "glance-direct,web-download,copy-image",
  });
}

function patchImage(ctx: Ctx, image: Image): SimResponse {
  const type = (header(ctx.req, "content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!PATCH_TYPES.includes(type)) {
    return {
      status: 415,
      headers: { "Accept-Patch": PATCH_TYPES.join(", ") },
      body: `415 Unsupported Media Type\n\nUnsupported Content-Type\n\n   `,
    };
  }
  if (!mayModify(ctx, image)) throw forbidden("You are not permitted to modify this image.");
  const ops = readJson(ctx.req, () => badRequest("Body expected in request."));
  if (!Array.isArray(ops)) throw badRequest("Request body must be a JSON array of operation objects.");
  const draft: Image = structuredClone(image);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== "string")
      throw badRequest(
        'Operation objects must contain exactly one member named "add", "remove", or "replace".',
      );
    const path = typeof op.path === "string" ? op.path : "";
    if (!path.startsWith("/") || path.length < 2)
      throw badRequest(`Invalid JSON pointer for this resource: '${path}'`);
    const key = path.slice(1).replace(/~1/g, "/").replace(/~0/g, "~");
    if (key.includes("/")) {
      if (key.startsWith("locations"))
        throw forbidden("It's not allowed to update locations if locations are invisible.");
      throw badRequest(`Invalid JSON pointer for this resource: '${path}'`);
    }
    const exists = BASE_FIELDS.includes(key) || key in draft.properties;
    switch (op.op) {
      case "add":
      case "replace":
        if (!("value" in op)) throw badRequest(`Operation "${op.op}" requires a member named "value".`);
        if (op.op === "replace" && !exists) throw new ApiError(409, `Property ${key} does not exist.`);
        setField(ctx, draft, key, op.value);
        break;
      case "remove":
        checkWritable(key);
        if (BASE_FIELDS.includes(key)) throw forbidden(`Properties ${key} cannot be removed.`);
        if (!(key in draft.properties)) throw new ApiError(409, `Property ${key} does not exist.`);
        delete draft.properties[key];
        break;
      default:
        throw badRequest(
          `Invalid operation: \`${op.op}\`: Operation objects must contain exactly one member named "add", "remove", or "replace".`,
        );
    }
  }
  draft.updated_at = isoSeconds(Date.now());
  ctx.rs.image.images[image.id] = draft;
  ctx.core.store.changed();
  return jsonResponse(200, render(draft));
}

async function uploadData(ctx: Ctx, image: Image): Promise<SimResponse> {
  if (!mayModify(ctx, image)) throw forbidden("You are not permitted to upload data to this image.");
  const type = (header(ctx.req, "content-type") ?? "application/octet-stream").split(";")[0]?.trim();
  if (type !== "application/octet-stream") {
    return {
      status: 415,
      body: `415 Unsupported Media Type\n\nContent-Type must be application/octet-stream\n\n   `,
    };
  }
  if (image.status !== "queued")
    throw new ApiError(409, `Image status transition from ${image.status} to saving is not allowed`);
  if (image.disk_format === null || image.container_format === null) {
    throw badRequest("Properties disk_format, container_format must be set prior to saving data.");
  }
  const data = ctx.req.body;
  image.stored = await ctx.core.blobs.put(ctx.region, image.id, data);
  image.size = data.length;
  image.checksum = createHash("md5").update(data).digest("hex");
  image.os_hash_algo = "sha512";
  image.os_hash_value = createHash("sha512").update(data).digest("hex");
  image.status = "active";
  image.updated_at = isoSeconds(Date.now());
  ctx.core.store.changed();
  return emptyResponse(204);
}

async function downloadData(ctx: Ctx, image: Image): Promise<SimResponse> {
  if (image.status === "deactivated" && !ctx.auth.isAdmin)
    throw forbidden("The requested image has been deactivated. Image data download is forbidden.");
  const data = image.stored ? await ctx.core.blobs.get(ctx.region, image.id) : null;
  if (!data) return emptyResponse(204);
  return {
    status: 200,
    headers: { "Content-Type": "application/octet-stream", "Content-MD5": image.checksum ?? "" },
    body: data,
  };
}

function imageSchema(): Record<string, unknown> {
  const str = { type: ["null", "string"] };
  return {
    name: "image",
    additionalProperties: { type: "string" },
    properties: {
      id: {
        type: "string",
        description: "An identifier for the image",
        pattern: "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$",
      },
      name: { ...str, maxLength: 255 },
      status: {
        type: "string",
        readOnly: true,
        enum: [
          "queued",
          "saving",
          "active",
          "killed",
          "deleted",
          "uploading",
          "importing",
          "pending_delete",
          "deactivated",
        ],
      },
      visibility: { type: "string", enum: VISIBILITIES },
      protected: { type: "boolean" },
      os_hidden: { type: "boolean" },
      checksum: { ...str, readOnly: true },
      os_hash_algo: { ...str, readOnly: true },
      os_hash_value: { ...str, readOnly: true },
      owner: { ...str, maxLength: 255 },
      size: { type: ["null", "integer"], readOnly: true },
      virtual_size: { type: ["null", "integer"], readOnly: true },
      container_format: { type: ["null", "string"], enum: [null, ...CONTAINER_FORMATS] },
      disk_format: { type: ["null", "string"], enum: [null, ...DISK_FORMATS] },
      created_at: { type: "string", readOnly: true },
      updated_at: { type: "string", readOnly: true },
      tags: { type: "array", items: { type: "string", maxLength: 255 } },
      min_ram: { type: "integer" },
      min_disk: { type: "integer" },
      self: { type: "string", readOnly: true },
      file: { type: "string", readOnly: true },
      schema: { type: "string", readOnly: true },
      stores: { type: "string", readOnly: true },
    },
    links: [
      { rel: "self", href: "{self}" },
      { rel: "enclosure", href: "{file}" },
      { rel: "describedby", href: "{schema}" },
    ],
  };
}

function buildRouter(): Router<Ctx> {
  const r = new Router<Ctx>();
  r.get("/v2/images", (ctx) => listImages(ctx));
  r.post("/v2/images", (ctx) => createImage(ctx));
  r.get("/v2/images/:id", (ctx, p) => jsonResponse(200, render(getImage(ctx, p.id ?? ""))));
  r.patch("/v2/images/:id", (ctx, p) => patchImage(ctx, getImage(ctx, p.id ?? "")));
  r.delete("/v2/images/:id", async (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    if (!mayModify(ctx, image)) throw forbidden("You are not permitted to delete this image.");
    if (image.protected) throw forbidden(`Image ${image.id} is protected and cannot be deleted.`);
    delete ctx.rs.image.images[image.id];
    ctx.rs.image.members = ctx.rs.image.members.filter((m) => m.imageId !== image.id);
    await ctx.core.blobs.delete(ctx.region, image.id);
    ctx.core.store.changed();
    return emptyResponse(204);
  });
  r.put("/v2/images/:id/file", (ctx, p) => uploadData(ctx, getImage(ctx, p.id ?? "")));
  r.get("/v2/images/:id/file", (ctx, p) => downloadData(ctx, getImage(ctx, p.id ?? "")));
  r.post("/v2/images/:id/actions/deactivate", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    if (!ctx.auth.isAdmin) throw forbidden("You are not authorized to complete deactivate action.");
    if (image.status !== "active" && image.status !== "deactivated")
      throw badRequest(`Not allowed to deactivate image in status '${image.status}'`);
    image.status = "deactivated";
    ctx.core.store.changed();
    return emptyResponse(204);
  });
  r.post("/v2/images/:id/actions/reactivate", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    if (!ctx.auth.isAdmin) throw forbidden("You are not authorized to complete reactivate action.");
    if (image.status !== "active" && image.status !== "deactivated")
      throw badRequest(`Not allowed to reactivate image in status '${image.status}'`);
    image.status = "active";
    ctx.core.store.changed();
    return emptyResponse(204);
  });
  r.put("/v2/images/:id/tags/:tag", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    if (!mayModify(ctx, image)) throw forbidden("You are not permitted to modify this image.");
    if (!image.tags.includes(p.tag ?? "")) image.tags.push(p.tag ?? "");
    image.updated_at = isoSeconds(Date.now());
    ctx.core.store.changed();
    return emptyResponse(204);
  });
  r.delete("/v2/images/:id/tags/:tag", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    if (!mayModify(ctx, image)) throw forbidden("You are not permitted to modify this image.");
    if (!image.tags.includes(p.tag ?? "")) throw new ApiError(404, `Tag ${p.tag ?? ""} not found`);
    image.tags = image.tags.filter((t) => t !== p.tag);
    ctx.core.store.changed();
    return emptyResponse(204);
  });

  r.get("/v2/images/:id/members", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    const members = ctx.rs.image.members.filter(
      (m) => m.imageId === image.id && (mayModify(ctx, image) || m.memberId === ctx.auth.projectId),
    );
    return jsonResponse(200, { members: members.map(renderMember), schema: "/v2/schemas/members" });
  });
  r.post("/v2/images/:id/members", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    if (!mayModify(ctx, image))
      throw forbidden("You are not permitted to create image members for the image.");
    if (image.visibility !== "shared") throw forbidden(`Only shared images have members.`);
    const input = readJson(ctx.req, () => badRequest("Body expected in request."));
    if (!isObject(input) || typeof input.member !== "string")
      throw badRequest("Member to be added not specified");
    const memberId = input.member;
    if (ctx.rs.image.members.some((m) => m.imageId === image.id && m.memberId === memberId)) {
      throw new ApiError(409, `Member ${memberId} already exists on image ${image.id}`);
    }
    const now = isoSeconds(Date.now());
    const member: ImageMember = {
      imageId: image.id,
      memberId,
      status: "pending",
      createdAt: now,
      updatedAt: now,
    };
    ctx.rs.image.members.push(member);
    ctx.core.store.changed();
    return jsonResponse(200, renderMember(member));
  });
  r.get("/v2/images/:id/members/:member", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    const m = ctx.rs.image.members.find((x) => x.imageId === image.id && x.memberId === p.member);
    if (!m || (!mayModify(ctx, image) && m.memberId !== ctx.auth.projectId))
      throw new ApiError(404, `Not found`);
    return jsonResponse(200, renderMember(m));
  });
  r.put("/v2/images/:id/members/:member", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    const m = ctx.rs.image.members.find((x) => x.imageId === image.id && x.memberId === p.member);
    if (!m) throw new ApiError(404, `Not found`);
    if (m.memberId !== ctx.auth.projectId && !ctx.auth.isAdmin)
      throw forbidden("You are not permitted to modify 'status' on this image member.");
    const input = readJson(ctx.req, () => badRequest("Body expected in request."));
    const status = isObject(input) ? input.status : undefined;
    if (status !== "pending" && status !== "accepted" && status !== "rejected")
      throw badRequest(
        `Provided object does not match schema 'member': '${String(status)}' is not one of ['pending', 'accepted', 'rejected']`,
      );
    m.status = status;
    m.updatedAt = isoSeconds(Date.now());
    ctx.core.store.changed();
    return jsonResponse(200, renderMember(m));
  });
  r.delete("/v2/images/:id/members/:member", (ctx, p) => {
    const image = getImage(ctx, p.id ?? "");
    if (!mayModify(ctx, image))
      throw forbidden("You are not permitted to delete image members for the image.");
    const before = ctx.rs.image.members.length;
    ctx.rs.image.members = ctx.rs.image.members.filter(
      (x) => !(x.imageId === image.id && x.memberId === p.member),
    );
    if (ctx.rs.image.members.length === before) throw new ApiError(404, `Not found`);
    ctx.core.store.changed();
    return emptyResponse(204);
  });

  r.get("/v2/schemas/image", () => jsonResponse(200, imageSchema()));
  r.get("/v2/schemas/images", () =>
    jsonResponse(200, {
      name: "images",
      properties: {
        images: { type: "array", items: imageSchema() },
        schema: { type: "string" },
        first: { type: "string" },
        next: { type: "string" },
      },
      links: [
        { rel: "first", href: "{first}" },
        { rel: "next", href: "{next}" },
        { rel: "describedby", href: "{schema}" },
      ],
    }),
  );
  r.get("/v2/info/import", () =>
    jsonResponse(200, {
      "import-methods": {
        description: "Import methods available.",
        type: "array",
        value: ["glance-direct", "web-download", "copy-image"],
      },
    }),
  );
  r.get("/v2/info/stores", () =>
    jsonResponse(200, { stores: [{ id: "file", description: "Local file store", default: true }] }),
  );
  return r;
}

const VERSIONS = [
  "2.15",
  "2.14",
  "2.13",
  "2.12",
  "2.11",
  "2.10",
  "2.9",
  "2.8",
  "2.7",
  "2.6",
  "2.5",
  "2.4",
  "2.3",
  "2.2",
  "2.1",
  "2.0",
];

function versions(root: string): Record<string, unknown> {
  return {
    versions: VERSIONS.map((v, i) => ({
      id: `v${v}`,
      status: i === 0 ? "CURRENT" : "SUPPORTED",
      links: [{ rel: "self", href: `${root}/v2/` }],
    })),
  };
}

export function createImageService(_core: SimCore): SimService {
  const router = buildRouter();
  return {
    name: "image",
    mount: "image",
    global: false,
    catalog: [{ type: "image", name: "glance", url: (base, region) => `${base}/${region}/image` }],
    async handle(call: ServiceCall): Promise<SimResponse> {
      const path = call.req.path.replace(/\/+$/, "");
      if (path === "" || path === "/v2") return jsonResponse(300, versions(call.root));
      if (path === "/versions") return jsonResponse(200, versions(call.root));
      const ctx = regionContext(call);
      const { handler, params } = resolveRoute(router, { ...call.req, path });
      return await handler(ctx, params);
    },
    renderError(err: ApiError, call: ServiceCall): SimResponse {
      const accept = header(call.req, "accept") ?? "";
      const res = glanceBody(
        err.status,
        err.message,
        accept.includes("application/json") && !accept.includes("text/html"),
      );
      if (err.headers) res.headers = { ...res.headers, ...err.headers };
      return res;
    },
  };
}
