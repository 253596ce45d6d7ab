// Nova (compute v2.1, microversion 2.90 by default): servers and their actions, flavors, key
// pairs, availability zones, limits and server groups — the calls a console needs.
import { z } from "zod";
import { AppError } from "../../errors";
import type { Query, ServiceClient } from "./client";
import {
  JOB_ID_KEY,
  exactNameRegex,
  ignoreNotFound,
  jobTag,
  metadataSchema,
  pollUntil,
  type CreateMeta,
  type PollOptions,
} from "./common";

const address = z.looseObject({
  addr: z.string(),
  version: z.number().optional(),
  "OS-EXT-IPS:type": z.string().optional(),
  "OS-EXT-IPS-MAC:mac_addr": z.string().optional(),
});

export const serverSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  tenant_id: z.string().optional(),
  user_id: z.string().optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  metadata: metadataSchema.optional(),
  addresses: z.record(z.string(), z.array(address)).optional(),
  // ≥ 2.47 the flavor is embedded; older versions give {id, links}
  flavor: z
    .looseObject({
      id: z.string().optional(),
      original_name: z.string().optional(),
      vcpus: z.number().optional(),
      ram: z.number().optional(),
      disk: z.number().optional(),
    })
    .optional(),
  // "" when booted from a volume
  image: z.union([z.looseObject({ id: z.string() }), z.literal(""), z.null()]).optional(),
  key_name: z.string().nullish(),
  "OS-EXT-STS:vm_state": z.string().nullish(),
  "OS-EXT-STS:task_state": z.string().nullish(),
  "OS-EXT-STS:power_state": z.number().nullish(),
  "OS-EXT-AZ:availability_zone": z.string().nullish(),
  locked: z.boolean().optional(),
  locked_reason: z.string().nullish(),
  tags: z.array(z.string()).optional(),
  description: z.string().nullish(),
  fault: z
    .looseObject({
      code: z.number().optional(),
      message: z.string().optional(),
      details: z.string().optional(),
    })
    .optional(),
  security_groups: z.array(z.looseObject({ name: z.string() })).optional(),
  "os-extended-volumes:volumes_attached": z.array(z.looseObject({ id: z.string() })).optional(),
  progress: z.number().optional(),
});
export type Server = z.infer<typeof serverSchema>;

export const flavorSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  vcpus: z.number(),
  ram: z.number(),
  disk: z.number(),
  "OS-FLV-EXT-DATA:ephemeral": z.number().optional(),
  swap: z.union([z.number(), z.literal("")]).optional(),
  "os-flavor-access:is_public": z.boolean().optional(),
  description: z.string().nullish(),
  extra_specs: z.record(z.string(), z.string()).optional(),
});
export type Flavor = z.infer<typeof flavorSchema>;

export const keypairSchema = z.looseObject({
  name: z.string(),
  fingerprint: z.string().optional(),
  public_key: z.string().optional(),
  type: z.string().optional(),
  // only in the answer to a create that generated the key
  private_key: z.string().optional(),
  user_id: z.string().optional(),
  created_at: z.string().optional(),
});
export type Keypair = z.infer<typeof keypairSchema>;

export const volumeAttachmentSchema = z.looseObject({
  id: z.string().optional(),
  volumeId: z.string(),
  serverId: z.string().optional(),
  device: z.string().nullish(),
  tag: z.string().nullish(),
  delete_on_termination: z.boolean().optional(),
});
export type VolumeAttachment = z.infer<typeof volumeAttachmentSchema>;

export const interfaceAttachmentSchema = z.looseObject({
  port_id: z.string(),
  net_id: z.string().optional(),
  mac_addr: z.string().optional(),
  port_state: z.string().optional(),
  fixed_ips: z.array(z.looseObject({ ip_address: z.string(), subnet_id: z.string().optional() })).optional(),
});
export type InterfaceAttachment = z.infer<typeof interfaceAttachmentSchema>;

export const serverGroupSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  policy: z.string().optional(),
  policies: z.array(z.string()).optional(),
  members: z.array(z.string()).optional(),
  rules: z.record(z.string(), z.unknown()).optional(),
});
export type ServerGroup = z.infer<typeof serverGroupSchema>;

export const availabilityZoneSchema = z.looseObject({
  zoneName: z.string(),
  zoneState: z.looseObject({ available: z.boolean() }),
});

export const computeLimitsSchema = z.looseObject({
  limits: z.looseObject({ absolute: z.record(z.string(), z.number()) }),
});
export type ComputeLimits = Record<string, number>;

const quotaDetail = z.looseObject({ limit: z.number(), in_use: z.number(), reserved: z.number().optional() });
export const computeQuotaSchema = z.looseObject({
  quota_set: z.record(z.string(), z.union([quotaDetail, z.string()])),
});

const remoteConsoleSchema = z.looseObject({
  remote_console: z.looseObject({ protocol: z.string(), type: z.string(), url: z.string() }),
});

export type RebootType = "SOFT" | "HARD";
export type ConsoleProtocol = "vnc" | "spice" | "serial" | "rdp" | "mks";

export interface ServerCreate extends CreateMeta {
  name: string;
  flavorRef: string;
  /** Omit when booting from a volume (blockDeviceMapping). */
  imageRef?: string;
  /** Networks to attach, or "none"/"auto" (2.37+). */
  networks: Array<{ uuid?: string; port?: string; fixed_ip?: string; tag?: string }> | "none" | "auto";
  keyName?: string;
  securityGroups?: string[];
  /** Plain text; encoded here. */
  userData?: string;
  metadata?: Record<string, string>;
  availabilityZone?: string;
  description?: string;
  tags?: string[];
  blockDeviceMapping?: Array<Record<string, unknown>>;
  serverGroupId?: string;
  configDrive?: boolean;
  adminPass?: string;
}

export interface ServerListFilter {
  name?: string;
  status?: string;
  image?: string;
  flavor?: string;
  tags?: string[];
  changesSince?: string;
  ip?: string;
  /** Admin only upstream; the project scope of our tokens already narrows lists. */
  allTenants?: boolean;
}

function serverCreateBody(s: ServerCreate): Record<string, unknown> {
  const metadata = { ...s.metadata, ...(s.jobId ? { [JOB_ID_KEY]: s.jobId } : {}) };
  const tags = [...(s.tags ?? []), ...(s.jobId ? [jobTag(s.jobId)] : [])];
  const server: Record<string, unknown> = {
    name: s.name,
    flavorRef: s.flavorRef,
    networks: s.networks,
    ...(s.imageRef ? { imageRef: s.imageRef } : {}),
    ...(s.keyName ? { key_name: s.keyName } : {}),
    ...(s.securityGroups ? { security_groups: s.securityGroups.map((name) => ({ name })) } : {}),
    ...(s.userData ? { user_data: Buffer.from(s.userData, "utf8").toString("base64") } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    ...(s.availabilityZone ? { availability_zone: s.availabilityZone } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(s.blockDeviceMapping ? { block_device_mapping_v2: s.blockDeviceMapping } : {}),
    ...(s.configDrive !== undefined ? { config_drive: s.configDrive } : {}),
    ...(s.adminPass ? { adminPass: s.adminPass } : {}),
  };
  return { server, ...(s.serverGroupId ? { "os:scheduler_hints": { group: s.serverGroupId } } : {}) };
}

function serverQuery(f: ServerListFilter = {}): Query {
  return {
    name: f.name,
    status: f.status,
    image: f.image,
    flavor: f.flavor,
    tags: f.tags && f.tags.length > 0 ? f.tags.join(",") : undefined,
    "changes-since": f.changesSince,
    ip: f.ip,
    all_tenants: f.allTenants ? "1" : undefined,
  };
}

const enc = encodeURIComponent;

export function computeApi(svc: ServiceClient) {
  const action = async (id: string, body: Record<string, unknown>) => {
    await svc.send("POST", `/servers/${enc(id)}/action`, { json: body });
  };
  const getServer = async (id: string) =>
    (await svc.json("GET", `/servers/${enc(id)}`, z.looseObject({ server: serverSchema }))).server;

  const api = {
    // --- servers
    listServers: (filter: ServerListFilter = {}, page: { pageSize?: number; max?: number } = {}) =>
      svc.list("/servers/detail", "servers", serverSchema, { query: serverQuery(filter), ...page }),
    getServer,
    findServer: (id: string) =>
      svc
        .getOrUndefined(`/servers/${enc(id)}`, z.looseObject({ server: serverSchema }))
        .then((r) => r?.server),
    /** Returns the new server's id at once (Nova answers 202 and builds in the background). */
    createServer: async (s: ServerCreate) => {
      const r = await svc.json(
        "POST",
        "/servers",
        z.looseObject({ server: z.looseObject({ id: z.string(), adminPass: z.string().optional() }) }),
        {
          json: serverCreateBody(s),
        },
      );
      return r.server;
    },
    /** The server a job created earlier, found by its tag, confirmed by metadata. */
    findServerByJobId: async (jobId: string, name?: string): Promise<Server | undefined> => {
      const query = serverQuery({ tags: [jobTag(jobId)], ...(name ? { name: exactNameRegex(name) } : {}) });
      for await (const s of svc.list("/servers/detail", "servers", serverSchema, { query })) {
        if (s.metadata?.[JOB_ID_KEY] === jobId) return s;
      }
      return undefined;
    },
    findServersByName: async (name: string): Promise<Server[]> => {
      const out: Server[] = [];
      for await (const s of svc.list("/servers/detail", "servers", serverSchema, {
        query: { name: exactNameRegex(name) },
      })) {
        if (s.name === name) out.push(s);
      }
      return out;
    },
    updateServer: async (id: string, patch: { name?: string; description?: string | null }) =>
      (
        await svc.json("PUT", `/servers/${enc(id)}`, z.looseObject({ server: serverSchema }), {
          json: { server: patch },
        })
      ).server,
    deleteServer: async (id: string) => {
      await svc.send("DELETE", `/servers/${enc(id)}`);
    },
    setServerMetadata: async (id: string, metadata: Record<string, string>) => {
      await svc.send("POST", `/servers/${enc(id)}/metadata`, { json: { metadata }, idempotent: true });
    },
    /** Polls until the server has one of `statuses`; ERROR (unless wanted) fails with Nova's fault. */
    waitForServer: (id: string, statuses: string[], opts: PollOptions = {}) =>
      pollUntil(
        `Server ${id}`,
        () => getServer(id),
        (s) => statuses.includes(s.status) && !s["OS-EXT-STS:task_state"],
        (s) =>
          s.status === "ERROR" && !statuses.includes("ERROR")
            ? (s.fault?.message ?? "the server went into ERROR")
            : undefined,
        opts,
      ),
    /** Polls until the server is gone. */
    waitForServerDeleted: (id: string, opts: PollOptions = {}) =>
      pollUntil(
        `Deletion of server ${id}`,
        () => ignoreNotFound(getServer(id)),
        (s) => s === undefined || s.status === "DELETED",
        (s) =>
          s?.status === "ERROR"
            ? (s.fault?.message ?? "the server went into ERROR while deleting")
            : undefined,
        opts,
      ),

    // --- server actions (202, no body)
    start: (id: string) => action(id, { "os-start": null }),
    stop: (id: string) => action(id, { "os-stop": null }),
    pause: (id: string) => action(id, { pause: null }),
    unpause: (id: string) => action(id, { unpause: null }),
    suspend: (id: string) => action(id, { suspend: null }),
    resume: (id: string) => action(id, { resume: null }),
    reboot: (id: string, type: RebootType = "SOFT") => action(id, { reboot: { type } }),
    resize: (id: string, flavorRef: string) => action(id, { resize: { flavorRef } }),
    confirmResize: (id: string) => action(id, { confirmResize: null }),
    revertResize: (id: string) => action(id, { revertResize: null }),
    lock: (id: string, reason?: string) => action(id, { lock: reason ? { locked_reason: reason } : null }),
    unlock: (id: string) => action(id, { unlock: null }),
    shelve: (id: string) => action(id, { shelve: null }),
    unshelve: (id: string) => action(id, { unshelve: null }),
    rebuild: async (
      id: string,
      r: {
        imageRef: string;
        name?: string;
        adminPass?: string;
        keyName?: string | null;
        description?: string;
        metadata?: Record<string, string>;
      },
    ) => {
      const body = {
        imageRef: r.imageRef,
        ...(r.name ? { name: r.name } : {}),
        ...(r.adminPass ? { adminPass: r.adminPass } : {}),
        ...(r.keyName !== undefined ? { key_name: r.keyName } : {}),
        ...(r.description !== undefined ? { description: r.description } : {}),
        ...(r.metadata ? { metadata: r.metadata } : {}),
      };
      return (
        await svc.json("POST", `/servers/${enc(id)}/action`, z.looseObject({ server: serverSchema }), {
          json: { rebuild: body },
        })
      ).server;
    },
    /** Snapshot of a server; returns the new image id (2.45+ answers it in the body). */
    createImage: async (id: string, name: string, metadata: Record<string, string> = {}) => {
      const res = await svc.send("POST", `/servers/${enc(id)}/action`, {
        json: { createImage: { name, metadata } },
      });
      const fromBody = res.text ? (JSON.parse(res.text) as { image_id?: string }).image_id : undefined;
      const fromLocation = res.headers.get("location")?.split("/").pop();
      const imageId = fromBody ?? fromLocation;
      if (!imageId)
        throw new AppError("UPSTREAM_ERROR", "Nova did not say which image it created", {
          details: { service: "compute" },
        });
      return imageId;
    },
    consoleOutput: async (id: string, length?: number) =>
      (
        await svc.json("POST", `/servers/${enc(id)}/action`, z.looseObject({ output: z.string() }), {
          json: { "os-getConsoleOutput": length ? { length } : {} },
          idempotent: true,
        })
      ).output,
    remoteConsole: async (id: string, protocol: ConsoleProtocol = "vnc", type = "novnc") =>
      (
        await svc.json("POST", `/servers/${enc(id)}/remote-consoles`, remoteConsoleSchema, {
          json: { remote_console: { protocol, type } },
        })
      ).remote_console,
    addSecurityGroup: (id: string, name: string) => action(id, { addSecurityGroup: { name } }),
    removeSecurityGroup: (id: string, name: string) => action(id, { removeSecurityGroup: { name } }),

    // --- volume attachments
    listVolumeAttachments: async (id: string) =>
      (
        await svc.json(
          "GET",
          `/servers/${enc(id)}/os-volume_attachments`,
          z.looseObject({ volumeAttachments: z.array(volumeAttachmentSchema) }),
        )
      ).volumeAttachments,
    attachVolume: async (
      id: string,
      volumeId: string,
      opts: { device?: string; tag?: string; deleteOnTermination?: boolean } = {},
    ) =>
      (
        await svc.json(
          "POST",
          `/servers/${enc(id)}/os-volume_attachments`,
          z.looseObject({ volumeAttachment: volumeAttachmentSchema }),
          {
            json: {
              volumeAttachment: {
                volumeId,
                ...(opts.device ? { device: opts.device } : {}),
                ...(opts.tag ? { tag: opts.tag } : {}),
                ...(opts.deleteOnTermination !== undefined
                  ? { delete_on_termination: opts.deleteOnTermination }
                  : {}),
              },
            },
          },
        )
      ).volumeAttachment,
    detachVolume: async (id: string, volumeId: string) => {
      await svc.send("DELETE", `/servers/${enc(id)}/os-volume_attachments/${enc(volumeId)}`);
    },

    // --- interfaces
    listInterfaces: async (id: string) =>
      (
        await svc.json(
          "GET",
          `/servers/${enc(id)}/os-interface`,
          z.looseObject({ interfaceAttachments: z.array(interfaceAttachmentSchema) }),
        )
      ).interfaceAttachments,
    attachInterface: async (id: string, target: { netId?: string; portId?: string; fixedIp?: string }) =>
      (
        await svc.json(
          "POST",
          `/servers/${enc(id)}/os-interface`,
          z.looseObject({ interfaceAttachment: interfaceAttachmentSchema }),
          {
            json: {
              interfaceAttachment: {
                ...(target.netId ? { net_id: target.netId } : {}),
                ...(target.portId ? { port_id: target.portId } : {}),
                ...(target.fixedIp ? { fixed_ips: [{ ip_address: target.fixedIp }] } : {}),
              },
            },
          },
        )
      ).interfaceAttachment,
    detachInterface: async (id: string, portId: string) => {
      await svc.send("DELETE", `/servers/${enc(id)}/os-interface/${enc(portId)}`);
    },

    // --- flavors
    listFlavors: (opts: { isPublic?: boolean } = {}) =>
      svc.listAll("/flavors/detail", "flavors", flavorSchema, {
        query: { is_public: opts.isPublic === undefined ? undefined : String(opts.isPublic) },
      }),
    getFlavor: async (id: string) =>
      (await svc.json("GET", `/flavors/${enc(id)}`, z.looseObject({ flavor: flavorSchema }))).flavor,
    /** Admin only upstream. */
    createFlavor: async (f: {
      name: string;
      vcpus: number;
      ram: number;
      disk: number;
      id?: string;
      isPublic?: boolean;
      description?: string;
      ephemeral?: number;
      swap?: number;
    }) =>
      (
        await svc.json("POST", "/flavors", z.looseObject({ flavor: flavorSchema }), {
          json: {
            flavor: {
              name: f.name,
              vcpus: f.vcpus,
              ram: f.ram,
              disk: f.disk,
              ...(f.id ? { id: f.id } : {}),
              ...(f.isPublic !== undefined ? { "os-flavor-access:is_public": f.isPublic } : {}),
              ...(f.description ? { description: f.description } : {}),
              ...(f.ephemeral !== undefined ? { "OS-FLV-EXT-DATA:ephemeral": f.ephemeral } : {}),
              ...(f.swap !== undefined ? { swap: f.swap } : {}),
            },
          },
        })
      ).flavor,
    deleteFlavor: async (id: string) => {
      await svc.send("DELETE", `/flavors/${enc(id)}`);
    },

    // --- key pairs (items are wrapped: {"keypairs": [{"keypair": {...}}]})
    listKeypairs: async () => {
      const items = await svc.listAll("/os-keypairs", "keypairs", z.looseObject({ keypair: keypairSchema }), {
        pageSize: 100,
      });
      return items.map((k) => k.keypair);
    },
    getKeypair: async (name: string) =>
      (await svc.json("GET", `/os-keypairs/${enc(name)}`, z.looseObject({ keypair: keypairSchema }))).keypair,
    /** Without a public key Nova generates one and answers the private key, once. */
    createKeypair: async (name: string, opts: { publicKey?: string; type?: "ssh" | "x509" } = {}) =>
      (
        await svc.json("POST", "/os-keypairs", z.looseObject({ keypair: keypairSchema }), {
          json: {
            keypair: {
              name,
              ...(opts.publicKey ? { public_key: opts.publicKey } : {}),
              ...(opts.type ? { type: opts.type } : {}),
            },
          },
        })
      ).keypair,
    deleteKeypair: async (name: string) => {
      await svc.send("DELETE", `/os-keypairs/${enc(name)}`);
    },

    // --- zones, limits, quotas, server groups
    listAvailabilityZones: async () =>
      (
        await svc.json(
          "GET",
          "/os-availability-zone",
          z.looseObject({ availabilityZoneInfo: z.array(availabilityZoneSchema) }),
        )
      ).availabilityZoneInfo,
    limits: async (): Promise<ComputeLimits> =>
      (await svc.json("GET", "/limits", computeLimitsSchema)).limits.absolute,
    quotas: async (projectId: string) =>
      (await svc.json("GET", `/os-quota-sets/${enc(projectId)}/detail`, computeQuotaSchema)).quota_set,
    updateQuotas: async (projectId: string, quotas: Record<string, number>) =>
      (
        await svc.json(
          "PUT",
          `/os-quota-sets/${enc(projectId)}`,
          z.looseObject({ quota_set: z.record(z.string(), z.unknown()) }),
          { json: { quota_set: quotas } },
        )
      ).quota_set,
    // offset-paginated upstream, and 2.75+ rejects unknown query keys: one plain page is enough here
    listServerGroups: async () =>
      (
        await svc.json(
          "GET",
          "/os-server-groups",
          z.looseObject({ server_groups: z.array(serverGroupSchema) }),
        )
      ).server_groups,
    createServerGroup: async (
      name: string,
      policy: "affinity" | "anti-affinity" | "soft-affinity" | "soft-anti-affinity",
    ) =>
      (
        await svc.json("POST", "/os-server-groups", z.looseObject({ server_group: serverGroupSchema }), {
          json: { server_group: { name, policy } },
        })
      ).server_group,
    getServerGroup: async (id: string) =>
      (
        await svc.json(
          "GET",
          `/os-server-groups/${enc(id)}`,
          z.looseObject({ server_group: serverGroupSchema }),
        )
      ).server_group,
    deleteServerGroup: async (id: string) => {
      await svc.send("DELETE", `/os-server-groups/${enc(id)}`);
    },
  };
  return api;
}

export type ComputeApi = ReturnType<typeof computeApi>;
