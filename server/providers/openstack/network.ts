// Neutron (network v2.0): networks, subnets, routers with interfaces and gateway, ports,
// security groups and rules, floating IPs, availability zones and quotas.
import { z } from "zod";
import type { Query, ServiceClient } from "./client";
import { jobTag, type CreateMeta } from "./common";

const std = {
  id: z.string(),
  name: z.string().default(""),
  description: z.string().nullish(),
  project_id: z.string().optional(),
  tenant_id: z.string().optional(),
  tags: z.array(z.string()).optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  revision_number: z.number().optional(),
};

export const networkSchema = z.looseObject({
  ...std,
  status: z.string().optional(),
  admin_state_up: z.boolean().optional(),
  shared: z.boolean().optional(),
  "router:external": z.boolean().optional(),
  subnets: z.array(z.string()).optional(),
  mtu: z.number().optional(),
  availability_zones: z.array(z.string()).optional(),
  "provider:network_type": z.string().nullish(),
});
export type Network = z.infer<typeof networkSchema>;

export const subnetSchema = z.looseObject({
  ...std,
  network_id: z.string(),
  cidr: z.string(),
  ip_version: z.number(),
  gateway_ip: z.string().nullish(),
  enable_dhcp: z.boolean().optional(),
  dns_nameservers: z.array(z.string()).optional(),
  allocation_pools: z.array(z.looseObject({ start: z.string(), end: z.string() })).optional(),
});
export type Subnet = z.infer<typeof subnetSchema>;

const fixedIp = z.looseObject({ subnet_id: z.string().optional(), ip_address: z.string().optional() });

export const routerSchema = z.looseObject({
  ...std,
  status: z.string().optional(),
  admin_state_up: z.boolean().optional(),
  external_gateway_info: z
    .looseObject({
      network_id: z.string(),
      enable_snat: z.boolean().optional(),
      external_fixed_ips: z.array(fixedIp).optional(),
    })
    .nullish(),
  availability_zones: z.array(z.string()).optional(),
});
export type Router = z.infer<typeof routerSchema>;

export const routerInterfaceSchema = z.looseObject({
  id: z.string(),
  subnet_id: z.string().optional(),
  subnet_ids: z.array(z.string()).optional(),
  port_id: z.string(),
});

export const portSchema = z.looseObject({
  ...std,
  network_id: z.string(),
  status: z.string().optional(),
  mac_address: z.string().optional(),
  fixed_ips: z.array(fixedIp).optional(),
  device_id: z.string().optional(),
  device_owner: z.string().optional(),
  security_groups: z.array(z.string()).optional(),
  admin_state_up: z.boolean().optional(),
  port_security_enabled: z.boolean().optional(),
  "binding:vnic_type": z.string().optional(),
});
export type Port = z.infer<typeof portSchema>;

export const securityGroupRuleSchema = z.looseObject({
  id: z.string(),
  security_group_id: z.string(),
  direction: z.enum(["ingress", "egress"]),
  ethertype: z.string().optional(),
  protocol: z.string().nullish(),
  port_range_min: z.number().nullish(),
  port_range_max: z.number().nullish(),
  remote_ip_prefix: z.string().nullish(),
  remote_group_id: z.string().nullish(),
  description: z.string().nullish(),
  project_id: z.string().optional(),
});
export type SecurityGroupRule = z.infer<typeof securityGroupRuleSchema>;

export const securityGroupSchema = z.looseObject({
  ...std,
  stateful: z.boolean().optional(),
  security_group_rules: z.array(securityGroupRuleSchema).optional(),
});
export type SecurityGroup = z.infer<typeof securityGroupSchema>;

export const floatingIpSchema = z.looseObject({
  id: z.string(),
  floating_ip_address: z.string(),
  floating_network_id: z.string(),
  fixed_ip_address: z.string().nullish(),
  port_id: z.string().nullish(),
  router_id: z.string().nullish(),
  status: z.string().optional(),
  description: z.string().nullish(),
  project_id: z.string().optional(),
  tags: z.array(z.string()).optional(),
  dns_name: z.string().nullish(),
});
export type FloatingIp = z.infer<typeof floatingIpSchema>;

export const networkAzSchema = z.looseObject({ name: z.string(), resource: z.string(), state: z.string() });

const quotaDetail = z.looseObject({ limit: z.number(), used: z.number(), reserved: z.number().optional() });

export interface NetworkCreate extends CreateMeta {
  name: string;
  description?: string;
  adminStateUp?: boolean;
  mtu?: number;
  availabilityZoneHints?: string[];
  portSecurityEnabled?: boolean;
}

export interface SubnetCreate extends CreateMeta {
  networkId: string;
  name: string;
  cidr: string;
  ipVersion?: 4 | 6;
  gatewayIp?: string | null;
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  allocationPools?: Array<{ start: string; end: string }>;
  description?: string;
}

export interface SecurityGroupRuleCreate {
  securityGroupId: string;
  direction: "ingress" | "egress";
  ethertype?: "IPv4" | "IPv6";
  protocol?: string | null;
  portRangeMin?: number | null;
  portRangeMax?: number | null;
  remoteIpPrefix?: string | null;
  remoteGroupId?: string | null;
  description?: string;
}

const enc = encodeURIComponent;

function meta(m: CreateMeta, description?: string): Record<string, unknown> {
  return {
    ...(description !== undefined ? { description } : {}),
    ...(m.jobId ? { jobId: m.jobId } : {}),
  };
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const extensionsSchema = z.looseObject({
  extensions: z.array(z.looseObject({ alias: z.string(), name: z.string().optional() })),
});

function extensionAliases(svc: ServiceClient): Promise<Set<string>> {
  return svc.scoped.os.capability(svc.scoped.region.name, "network:extensions", async () => {
    const r = await svc.json("GET", "/extensions", extensionsSchema);
    return new Set(r.extensions.map((e) => e.alias));
  });
}

/** CRUD of one Neutron collection (`path` in URLs, `plural`/`singular` keys in bodies). */
function collection<S extends z.ZodType>(
  svc: ServiceClient,
  path: string,
  singular: string,
  schema: S,
  plural = path,
) {
  const wrapped = z.looseObject({ [singular]: schema });
  const unwrap = (r: Record<string, unknown>) => r[singular] as z.output<S>;
  /**
   * The job id becomes a tag. Where Neutron has `tag-creation` (2023.1+) it is set in the
   * create itself; older clouds (Zed) get it right after, so a crash in between leaves an
   * untagged resource for the reconciler to adopt.
   */
  const create = async (raw: Record<string, unknown>) => {
    const { jobId, ...body } = raw;
    if (typeof jobId !== "string")
      return unwrap(await svc.json("POST", `/${path}`, wrapped, { json: { [singular]: compact(body) } }));
    const tag = jobTag(jobId);
    if ((await extensionAliases(svc)).has("tag-creation")) {
      return unwrap(
        await svc.json("POST", `/${path}`, wrapped, {
          json: { [singular]: compact({ ...body, tags: [tag] }) },
        }),
      );
    }
    const created = unwrap(
      await svc.json("POST", `/${path}`, wrapped, { json: { [singular]: compact(body) } }),
    );
    const id = (created as { id: string }).id;
    await svc.send("PUT", `/${path}/${enc(id)}/tags/${enc(tag)}`);
    return {
      ...(created as object),
      tags: [...((created as { tags?: string[] }).tags ?? []), tag],
    } as z.output<S>;
  };
  return {
    list: (query: Query = {}, page: { pageSize?: number; max?: number } = {}) =>
      svc.list(`/${path}`, plural, schema, { query, ...page }),
    listAll: (query: Query = {}) => svc.listAll(`/${path}`, plural, schema, { query }),
    get: async (id: string) => unwrap(await svc.json("GET", `/${path}/${enc(id)}`, wrapped)),
    find: async (id: string) => {
      const r = await svc.getOrUndefined(`/${path}/${enc(id)}`, wrapped);
      return r ? unwrap(r) : undefined;
    },
    create,
    update: async (id: string, body: Record<string, unknown>) =>
      unwrap(await svc.json("PUT", `/${path}/${enc(id)}`, wrapped, { json: { [singular]: body } })),
    delete: async (id: string) => {
      await svc.send("DELETE", `/${path}/${enc(id)}`);
    },
    /** What a job created earlier: found by its tag (exact name too when given). */
    findByJobId: async (jobId: string, name?: string) => {
      const items = await svc.listAll(`/${path}`, plural, schema, {
        query: { tags: jobTag(jobId), ...(name ? { name } : {}) },
      });
      return items.find((i) => {
        const tags = (i as { tags?: string[] }).tags;
        return tags?.includes(jobTag(jobId)) ?? false;
      });
    },
    findByName: (name: string) => svc.listAll(`/${path}`, plural, schema, { query: { name } }),
  };
}

export function networkApi(svc: ServiceClient) {
  const networks = collection(svc, "networks", "network", networkSchema);
  const subnets = collection(svc, "subnets", "subnet", subnetSchema);
  const routers = collection(svc, "routers", "router", routerSchema);
  const ports = collection(svc, "ports", "port", portSchema);
  const securityGroups = collection(
    svc,
    "security-groups",
    "security_group",
    securityGroupSchema,
    "security_groups",
  );
  const rules = collection(
    svc,
    "security-group-rules",
    "security_group_rule",
    securityGroupRuleSchema,
    "security_group_rules",
  );
  const floatingIps = collection(svc, "floatingips", "floatingip", floatingIpSchema);

  return {
    // --- networks
    listNetworks: (query: Query = {}) => networks.list(query),
    listExternalNetworks: () => networks.listAll({ "router:external": "true" }),
    getNetwork: networks.get,
    findNetwork: networks.find,
    findNetworkByJobId: networks.findByJobId,
    createNetwork: (n: NetworkCreate) =>
      networks.create({
        name: n.name,
        admin_state_up: n.adminStateUp,
        mtu: n.mtu,
        availability_zone_hints: n.availabilityZoneHints,
        port_security_enabled: n.portSecurityEnabled,
        ...meta(n, n.description),
      }),
    updateNetwork: (id: string, patch: { name?: string; description?: string; admin_state_up?: boolean }) =>
      networks.update(id, patch),
    deleteNetwork: networks.delete,

    // --- subnets
    listSubnets: (query: Query = {}) => subnets.list(query),
    getSubnet: subnets.get,
    findSubnetByJobId: subnets.findByJobId,
    createSubnet: (s: SubnetCreate) =>
      subnets.create({
        network_id: s.networkId,
        name: s.name,
        cidr: s.cidr,
        ip_version: s.ipVersion ?? 4,
        gateway_ip: s.gatewayIp,
        enable_dhcp: s.enableDhcp,
        dns_nameservers: s.dnsNameservers,
        allocation_pools: s.allocationPools,
        ...meta(s, s.description),
      }),
    updateSubnet: (
      id: string,
      patch: {
        name?: string;
        description?: string;
        dns_nameservers?: string[];
        enable_dhcp?: boolean;
        gateway_ip?: string | null;
      },
    ) => subnets.update(id, patch),
    deleteSubnet: subnets.delete,

    // --- routers
    listRouters: (query: Query = {}) => routers.list(query),
    getRouter: routers.get,
    findRouterByJobId: routers.findByJobId,
    createRouter: (
      r: CreateMeta & {
        name: string;
        description?: string;
        externalNetworkId?: string;
        adminStateUp?: boolean;
      },
    ) =>
      routers.create({
        name: r.name,
        admin_state_up: r.adminStateUp,
        ...(r.externalNetworkId ? { external_gateway_info: { network_id: r.externalNetworkId } } : {}),
        ...meta(r, r.description),
      }),
    updateRouter: (id: string, patch: { name?: string; description?: string; admin_state_up?: boolean }) =>
      routers.update(id, patch),
    setRouterGateway: (id: string, externalNetworkId: string, opts: { enableSnat?: boolean } = {}) =>
      routers.update(id, {
        external_gateway_info: {
          network_id: externalNetworkId,
          ...(opts.enableSnat !== undefined ? { enable_snat: opts.enableSnat } : {}),
        },
      }),
    clearRouterGateway: (id: string) => routers.update(id, { external_gateway_info: {} }),
    addRouterInterface: async (id: string, target: { subnetId?: string; portId?: string }) =>
      svc.json("PUT", `/routers/${enc(id)}/add_router_interface`, routerInterfaceSchema, {
        json: target.subnetId ? { subnet_id: target.subnetId } : { port_id: target.portId },
        // adding the same subnet twice is refused (400), so a replay is harmless
        idempotent: true,
      }),
    removeRouterInterface: async (id: string, target: { subnetId?: string; portId?: string }) =>
      svc.json("PUT", `/routers/${enc(id)}/remove_router_interface`, routerInterfaceSchema, {
        json: target.subnetId ? { subnet_id: target.subnetId } : { port_id: target.portId },
      }),
    deleteRouter: routers.delete,

    // --- ports
    listPorts: (query: Query = {}) => ports.list(query),
    getPort: ports.get,
    findPortByJobId: ports.findByJobId,
    createPort: (
      p: CreateMeta & {
        networkId: string;
        name?: string;
        description?: string;
        fixedIps?: Array<{ subnet_id?: string; ip_address?: string }>;
        securityGroups?: string[];
        portSecurityEnabled?: boolean;
      },
    ) =>
      ports.create({
        network_id: p.networkId,
        name: p.name,
        fixed_ips: p.fixedIps,
        security_groups: p.securityGroups,
        port_security_enabled: p.portSecurityEnabled,
        ...meta(p, p.description),
      }),
    updatePort: (
      id: string,
      patch: {
        name?: string;
        description?: string;
        security_groups?: string[];
        admin_state_up?: boolean;
        port_security_enabled?: boolean;
      },
    ) => ports.update(id, patch),
    deletePort: ports.delete,

    // --- security groups and rules
    listSecurityGroups: (query: Query = {}) => securityGroups.list(query),
    getSecurityGroup: securityGroups.get,
    findSecurityGroupByJobId: securityGroups.findByJobId,
    findSecurityGroupsByName: securityGroups.findByName,
    createSecurityGroup: (g: CreateMeta & { name: string; description?: string; stateful?: boolean }) =>
      securityGroups.create({ name: g.name, stateful: g.stateful, ...meta(g, g.description ?? "") }),
    updateSecurityGroup: (id: string, patch: { name?: string; description?: string }) =>
      securityGroups.update(id, patch),
    deleteSecurityGroup: securityGroups.delete,
    listSecurityGroupRules: (securityGroupId: string) =>
      rules.listAll({ security_group_id: securityGroupId }),
    createSecurityGroupRule: (r: SecurityGroupRuleCreate) =>
      rules.create({
        security_group_id: r.securityGroupId,
        direction: r.direction,
        ethertype: r.ethertype ?? "IPv4",
        protocol: r.protocol,
        port_range_min: r.portRangeMin,
        port_range_max: r.portRangeMax,
        remote_ip_prefix: r.remoteIpPrefix,
        remote_group_id: r.remoteGroupId,
        description: r.description,
      }),
    deleteSecurityGroupRule: rules.delete,

    // --- floating IPs
    listFloatingIps: (query: Query = {}) => floatingIps.list(query),
    getFloatingIp: floatingIps.get,
    findFloatingIpByJobId: floatingIps.findByJobId,
    createFloatingIp: (
      f: CreateMeta & {
        floatingNetworkId: string;
        portId?: string;
        fixedIpAddress?: string;
        description?: string;
        floatingIpAddress?: string;
      },
    ) =>
      floatingIps.create({
        floating_network_id: f.floatingNetworkId,
        port_id: f.portId,
        fixed_ip_address: f.fixedIpAddress,
        floating_ip_address: f.floatingIpAddress,
        ...meta(f, f.description),
      }),
    associateFloatingIp: (id: string, portId: string, fixedIpAddress?: string) =>
      floatingIps.update(id, {
        port_id: portId,
        ...(fixedIpAddress ? { fixed_ip_address: fixedIpAddress } : {}),
      }),
    disassociateFloatingIp: (id: string) => floatingIps.update(id, { port_id: null }),
    deleteFloatingIp: floatingIps.delete,

    // --- zones, quotas
    listAvailabilityZones: async () =>
      (
        await svc.json(
          "GET",
          "/availability_zones",
          z.looseObject({ availability_zones: z.array(networkAzSchema) }),
        )
      ).availability_zones,
    /** Limits with usage (quota_details extension). */
    quotas: async (projectId: string) =>
      (
        await svc.json(
          "GET",
          `/quotas/${enc(projectId)}/details`,
          z.looseObject({ quota: z.record(z.string(), quotaDetail) }),
        )
      ).quota,
    updateQuotas: async (projectId: string, quota: Record<string, number>) =>
      (
        await svc.json(
          "PUT",
          `/quotas/${enc(projectId)}`,
          z.looseObject({ quota: z.record(z.string(), z.number()) }),
          { json: { quota } },
        )
      ).quota,
    /** Tags on an existing resource (e.g. adopt: mark something the portal now owns). */
    addTag: async (
      resource: "networks" | "subnets" | "routers" | "ports" | "security-groups" | "floatingips",
      id: string,
      tag: string,
    ) => {
      await svc.send("PUT", `/${resource}/${enc(id)}/tags/${enc(tag)}`);
    },
    /** Aliases of the API extensions the region's Neutron offers (cached per region). */
    extensions: () => extensionAliases(svc),
  };
}

export type NetworkApi = ReturnType<typeof networkApi>;
