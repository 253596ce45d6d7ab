// Neutron v2.0 (per region, mounted at /<region>/network): networks, subnets with IPAM, ports,
// routers with gateways and interfaces, security groups and rules, floating IPs, quotas, AZs.
import type { ServiceCall, SimCore, SimService } from "../core";
import { neutronBody } from "../errors";
import {
  asText,
  ApiError,
  Router,
  emptyResponse,
  isObject,
  jsonResponse,
  queryBool,
  resolveRoute,
  withQuery,
} from "../http";
import type { SimResponse } from "../http";
import { isoSeconds, macAddress, uuid } from "../ids";
import {
  cidrContains,
  cidrOverlap,
  cidrSize,
  defaultGateway,
  defaultPoolRange,
  formatCidr,
  formatIp,
  parseCidr,
  parseIp,
} from "../ip";
import type {
  FixedIp,
  FloatingIp,
  Network,
  NetworkState,
  NeutronCommon,
  Port,
  RegionState,
  Router as NeutronRouter,
  SecurityGroup,
  SecurityGroupRule,
  Subnet,
  Table,
} from "../model";
import { AVAILABILITY_ZONES, computeHosts } from "../topology";
import { compareBy, jsonBody, owns, projectOf, regionContext } from "./common";
import type { RegionCtx } from "./common";

type Ctx = RegionCtx;
type Row = NeutronCommon & Record<string, unknown>;

export const NEUTRON_QUOTA_DEFAULTS: Record<string, number> = {
  network: 100,
  subnet: 100,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
  rbac_policy: 10,
  subnetpool: -1,
  trunk: -1,
};

const EXTENSIONS: [string, string, string][] = [
  ["address-scope", "Address scope", "Address scopes extension."],
  ["agent", "agent", "The agent management extension."],
  ["allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"],
  ["availability_zone", "Availability Zone", "The availability zone extension."],
  ["network_availability_zone", "Network Availability Zone", "Availability zone support for network."],
  ["router_availability_zone", "Router Availability Zone", "Availability zone support for router."],
  ["binding", "Port Binding", "Expose port bindings of a virtual port to external application"],
  [
    "default-subnetpools",
    "Default Subnetpools",
    "Provides ability to mark and use a subnetpool as the default.",
  ],
  ["dns-integration", "DNS Integration", "Provides integration with DNS."],
  [
    "empty-string-filtering",
    "Empty String Filtering Extension",
    "Allow filtering by attributes with empty string value",
  ],
  ["external-net", "Neutron external network", "Adds external network attribute to network resource."],
  [
    "ext-gw-mode",
    "Neutron L3 Configurable external gateway mode",
    "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway",
  ],
  ["extra_dhcp_opt", "Neutron Extra DHCP options", "Extra options configuration for DHCP."],
  ["extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"],
  ["filter-validation", "Filter parameters validation", "Provides validation on filter parameters."],
  [
    "fip-port-details",
    "Floating IP Port Details Extension",
    "Add port_details attribute to Floating IP resource",
  ],
  [
    "ip-substring-filtering",
    "IP address substring filtering",
    "Provides IP address substring filtering when listing ports",
  ],
  [
    "multi-provider",
    "Multi Provider Network",
    "Expose mapping of virtual networks to multiple physical networks",
  ],
  ["net-mtu", "Network MTU", "Provides MTU attribute for a network resource."],
  ["net-mtu-writable", "Network MTU (writable)", "Provides a writable MTU attribute for a network resource."],
  [
    "network-ip-availability",
    "Network IP Availability",
    "Provides IP availability data for each network and subnet.",
  ],
  ["pagination", "Pagination support", "Extension that indicates that pagination is enabled."],
  ["port-security", "Port Security", "Provides port security"],
  ["project-id", "project_id field enabled", "Extension that indicates that project_id field is enabled."],
  ["provider", "Provider Network", "Expose mapping of virtual networks to physical networks"],
  ["quotas", "Quota management support", "Expose functions for quotas management per project"],
  [
    "quota_details",
    "Quota details management support",
    "Expose functions for quotas usage statistics per project",
  ],
  [
    "router",
    "Neutron L3 Router",
    "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.",
  ],
  ["security-group", "security-group", "The security groups extension."],
  [
    "security-groups-normalized-cidr",
    "Security Group Rule normalized CIDR field",
    "Add new field with normalized remote_ip_prefix cidr in SG rule",
  ],
  ["sorting", "Sorting support", "Extension that indicates that sorting is enabled."],
  [
    "standard-attr-description",
    "standard-attr-description",
    "Extension to add descriptions to standard attributes",
  ],
  [
    "standard-attr-revisions",
    "Resource revision numbers",
    "This extension will display the revision number of neutron resources.",
  ],
  [
    "standard-attr-tag",
    "Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip",
    "Enables to set tag on resources with standard attribute.",
  ],
  [
    "standard-attr-timestamp",
    "Resource timestamps",
    "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.",
  ],
  [
    "stateful-security-group",
    "Stateful security group",
    "Indicates if the security group is stateful or not",
  ],
  ["subnet_allocation", "Subnet Allocation", "Enables allocation of subnets from a subnet pool"],
  ["subnet-service-types", "Subnet service types", "Provides ability to set the subnet service_types field"],
];

// ---------------------------------------------------------------- errors

function notFound(type: string, message: string): ApiError {
  return new ApiError(404, message, type);
}
function badRequest(message: string, type = "BadRequest"): ApiError {
  return new ApiError(400, message, type);
}
function invalidInput(message: string): ApiError {
  return new ApiError(400, `Invalid input for operation: ${message}`, "InvalidInput");
}
function policy(rule: string): ApiError {
  return new ApiError(403, `(rule:${rule}) is disallowed by policy`, "PolicyNotAuthorized");
}
function conflict(type: string, message: string): ApiError {
  return new ApiError(409, message, type);
}
function malformed(): ApiError {
  return badRequest("Body contains invalid data", "HTTPBadRequest");
}

// ---------------------------------------------------------------- resource table

interface ResourceDef {
  path: string;
  key: string;
  plural: string;
  table: (ns: NetworkState) => Table<Row>;
  missing: (id: string) => ApiError;
  /** Who may see a row beyond its owner (admin sees everything in Neutron lists). */
  sharedVisible?: (ctx: Ctx, row: Row) => boolean;
  render?: (ctx: Ctx, row: Row) => Record<string, unknown>;
  extraFilters?: string[];
}

const RESOURCES: Record<string, ResourceDef> = {
  networks: {
    path: "networks",
    key: "network",
    plural: "networks",
    table: (ns) => ns.networks as unknown as Table<Row>,
    missing: (id) => notFound("NetworkNotFound", `Network ${id} could not be found.`),
    sharedVisible: (_ctx, row) => row.shared === true || row["router:external"] === true,
    render: (ctx, row) => renderNetwork(ctx, row as unknown as Network),
  },
  subnets: {
    path: "subnets",
    key: "subnet",
    plural: "subnets",
    table: (ns) => ns.subnets as unknown as Table<Row>,
    missing: (id) => notFound("SubnetNotFound", `Subnet ${id} could not be found.`),
    sharedVisible: (ctx, row) => {
      const net = ctx.rs.network.networks[String(row.network_id)];
      return net !== undefined && (net.shared || net["router:external"]);
    },
  },
  ports: {
    path: "ports",
    key: "port",
    plural: "ports",
    table: (ns) => ns.ports as unknown as Table<Row>,
    missing: (id) => notFound("PortNotFound", `Port ${id} could not be found.`),
    render: (ctx, row) => renderPort(ctx, row as unknown as Port),
    extraFilters: ["fixed_ips"],
  },
  routers: {
    path: "routers",
    key: "router",
    plural: "routers",
    table: (ns) => ns.routers as unknown as Table<Row>,
    missing: (id) => notFound("RouterNotFound", `Router ${id} could not be found.`),
    render: (ctx, row) => renderRouter(ctx, row as unknown as NeutronRouter),
  },
  "security-groups": {
    path: "security-groups",
    key: "security_group",
    plural: "security_groups",
    table: (ns) => ns.securityGroups as unknown as Table<Row>,
    missing: (id) => notFound("SecurityGroupNotFound", `Security group ${id} does not exist`),
    sharedVisible: (_ctx, row) => row.shared === true,
    render: (ctx, row) => ({
      ...row,
      security_group_rules: Object.values(ctx.rs.network.securityGroupRules)
        .filter((r) => r.security_group_id === row.id)
        .map((r) => renderRule(r)),
    }),
  },
  "security-group-rules": {
    path: "security-group-rules",
    key: "security_group_rule",
    plural: "security_group_rules",
    table: (ns) => ns.securityGroupRules as unknown as Table<Row>,
    missing: (id) => notFound("SecurityGroupRuleNotFound", `Security group rule ${id} does not exist`),
    sharedVisible: (ctx, row) => {
      const sg = ctx.rs.network.securityGroups[String(row.security_group_id)];
      return sg !== undefined && owns(ctx, sg.project_id);
    },
    render: (_ctx, row) => renderRule(row as unknown as SecurityGroupRule),
  },
  floatingips: {
    path: "floatingips",
    key: "floatingip",
    plural: "floatingips",
    table: (ns) => ns.floatingIps as unknown as Table<Row>,
    missing: (id) => notFound("FloatingIPNotFound", `Floating IP ${id} could not be found`),
    render: (ctx, row) => renderFloatingIp(ctx, row as unknown as FloatingIp),
  },
};

const RESERVED_QUERY = new Set([
  "fields",
  "limit",
  "marker",
  "page_reverse",
  "sort_key",
  "sort_dir",
  "tags",
  "tags-any",
  "not-tags",
  "not-tags-any",
  "all_tenants",
]);

function visible(ctx: Ctx, def: ResourceDef, row: Row): boolean {
  if (ctx.auth.isAdmin) return true;
  if (row.project_id === ctx.auth.projectId) return true;
  return def.sharedVisible?.(ctx, row) ?? false;
}

function getRow(ctx: Ctx, def: ResourceDef, id: string): Row {
  const row = def.table(ctx.rs.network)[id];
  if (!row || !visible(ctx, def, row)) throw def.missing(id);
  return row;
}

function mustOwn(ctx: Ctx, def: ResourceDef, row: Row, action: string): void {
  if (!owns(ctx, row.project_id)) {
    // Shared rows are readable but not writable: Neutron answers 404 on shared resources it hides and 403 otherwise.
    if (visible(ctx, def, row)) throw policy(`${action}_${def.key}`);
    throw def.missing(row.id);
  }
}

function renderRow(ctx: Ctx, def: ResourceDef, row: Row): Record<string, unknown> {
  const base = def.render ? def.render(ctx, row) : { ...row };
  if (!ctx.auth.isAdmin) {
    for (const key of Object.keys(base)) {
      if (
        key.startsWith("provider:") ||
        key.startsWith("binding:host") ||
        key === "binding:profile" ||
        key === "binding:vif_details" ||
        key === "binding:vif_type"
      ) {
        delete base[key];
      }
    }
    if (def.key === "router") {
      delete base.distributed;
      delete base.ha;
    }
  }
  return base;
}

function pickFields(obj: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  if (fields.length === 0) return obj;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in obj) out[f] = obj[f];
  return out;
}

function matchesFilter(value: unknown, wanted: string[]): boolean {
  return wanted.some((w) => {
    if (typeof value === "boolean") return value === queryBool(w);
    if (typeof value === "number") return String(value) === w;
    if (value === null) return w === "" || w === "None" || w === "null";
    if (Array.isArray(value)) return value.some((v) => String(v) === w);
    return asText(value) === w;
  });
}

function listRows(ctx: Ctx, def: ResourceDef, preset?: (row: Row) => boolean): SimResponse {
  const q = ctx.req.query;
  let rows = Object.values(def.table(ctx.rs.network)).filter((row) => visible(ctx, def, row));
  if (preset) rows = rows.filter(preset);
  const sample = rows[0] ?? null;
  const rendered = new Map<string, Record<string, unknown>>();
  const view = (row: Row): Record<string, unknown> => {
    let v = rendered.get(row.id);
    if (!v) {
      v = renderRow(ctx, def, row);
      rendered.set(row.id, v);
    }
    return v;
  };
  for (const key of new Set(q.keys())) {
    if (RESERVED_QUERY.has(key)) continue;
    const wanted = q.getAll(key);
    if (key === "fixed_ips") {
      rows = rows.filter((row) => {
        const ips = (row.fixed_ips as FixedIp[] | undefined) ?? [];
        return wanted.every((w) => {
          const [k, v] = w.split("=", 2);
          if (k === "ip_address_substr") return ips.some((ip) => ip.ip_address.includes(v ?? ""));
          return ips.some((ip) => (ip as unknown as Record<string, string>)[k ?? ""] === v);
        });
      });
      continue;
    }
    const known =
      sample === null ||
      key in view(sample) ||
      key === "tenant_id" ||
      key === "project_id" ||
      (def.extraFilters ?? []).includes(key);
    if (!known) throw badRequest(`[${key}] is invalid attribute for filtering`, "HTTPBadRequest");
    rows = rows.filter((row) => matchesFilter(view(row)[key], wanted));
  }
  const tagFilter = (param: string, test: (tags: string[], wanted: string[]) => boolean): void => {
    const raw = q.get(param);
    if (raw === null) return;
    const wanted = raw.split(",");
    rows = rows.filter((row) => test(row.tags, wanted));
  };
  tagFilter("tags", (tags, w) => w.every((t) => tags.includes(t)));
  tagFilter("tags-any", (tags, w) => w.some((t) => tags.includes(t)));
  tagFilter("not-tags", (tags, w) => !w.every((t) => tags.includes(t)));
  tagFilter("not-tags-any", (tags, w) => !w.some((t) => tags.includes(t)));

  const sortKeys = q.getAll("sort_key");
  const sortDirs = q.getAll("sort_dir");
  const limitText = q.get("limit");
  const paginate = limitText !== null;
  if (sortKeys.length > 0) {
    rows.sort(
      compareBy(
        sortKeys
          .map((k, i) => ({ get: (row: Row) => view(row)[k], desc: sortDirs[i] === "desc" }))
          .concat([{ get: (row: Row) => row.id, desc: false }]),
      ),
    );
  } else if (paginate) {
    rows.sort(compareBy([{ get: (row: Row) => row.id, desc: false }]));
  }
  const links: { href: string; rel: string }[] = [];
  if (paginate) {
    if (!/^\d+$/.test(limitText))
      throw badRequest(`Limit must be an integer 0 or greater and not '${limitText}'`, "HTTPBadRequest");
    const limit = Number(limitText);
    const marker = q.get("marker");
    const reverse = queryBool(q.get("page_reverse")) === true;
    let start = 0;
    if (marker !== null) {
      const index = rows.findIndex((r) => r.id === marker);
      if (index < 0) throw def.missing(marker);
      start = reverse ? index : index + 1;
    }
    let page: Row[];
    let more: boolean;
    if (reverse) {
      const from = Math.max(0, start - (limit || start));
      page = rows.slice(from, start);
      more = from > 0;
    } else {
      page = limit === 0 ? rows.slice(start) : rows.slice(start, start + limit);
      more = limit !== 0 && start + limit < rows.length;
    }
    const base = `${ctx.root}/v2.0/${def.path}`;
    const first = page[0];
    const last = page[page.length - 1];
    if (limit !== 0 && last && (reverse || more))
      links.push({
        href: withQuery(base, q, { limit: String(limit), marker: last.id }).replace("&page_reverse=True", ""),
        rel: "next",
      });
    if (marker !== null && first && (!reverse || more))
      links.push({
        href: withQuery(base, q, { limit: String(limit), marker: first.id, page_reverse: "True" }),
        rel: "previous",
      });
    rows = page;
  }
  const fields = q.getAll("fields");
  const out: Record<string, unknown> = { [def.plural]: rows.map((row) => pickFields(view(row), fields)) };
  if (links.length > 0) out[`${def.plural}_links`] = links;
  return jsonResponse(200, out);
}

function showRow(ctx: Ctx, def: ResourceDef, id: string): SimResponse {
  const row = getRow(ctx, def, id);
  return jsonResponse(200, {
    [def.key]: pickFields(renderRow(ctx, def, row), ctx.req.query.getAll("fields")),
  });
}

// ---------------------------------------------------------------- rendering

function renderNetwork(ctx: Ctx, n: Network): Record<string, unknown> {
  const azs = n.availability_zone_hints.length > 0 ? n.availability_zone_hints : [...AVAILABILITY_ZONES];
  const out: Record<string, unknown> = { ...n, availability_zones: azs };
  if (!n["router:external"]) delete out.is_default;
  void ctx;
  return out;
}

function renderPort(ctx: Ctx, p: Port): Record<string, unknown> {
  const out: Record<string, unknown> = { ...p };
  if (!p.dns_name) {
    delete out.dns_assignment;
  }
  void ctx;
  return out;
}

function renderRouter(ctx: Ctx, r: NeutronRouter): Record<string, unknown> {
  const azs = r.availability_zone_hints.length > 0 ? r.availability_zone_hints : [...AVAILABILITY_ZONES];
  void ctx;
  return { ...r, availability_zones: azs };
}

function renderRule(r: SecurityGroupRule): Record<string, unknown> {
  return { ...r };
}

function renderFloatingIp(ctx: Ctx, f: FloatingIp): Record<string, unknown> {
  const port = f.port_id ? ctx.rs.network.ports[f.port_id] : undefined;
  return {
    ...f,
    port_details: port
      ? {
          name: port.name,
          network_id: port.network_id,
          mac_address: port.mac_address,
          admin_state_up: port.admin_state_up,
          status: port.status,
          device_id: port.device_id,
          device_owner: port.device_owner,
        }
      : null,
  };
}

// ---------------------------------------------------------------- input helpers

function take(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const inner = body[key];
  if (!isObject(inner)) throw badRequest(`Resource body required`, "HTTPBadRequest");
  return inner;
}

function checkAttrs(input: Record<string, unknown>, allowed: string[], readOnly: string[] = []): void {
  const unknown = Object.keys(input).filter((k) => !allowed.includes(k) && !readOnly.includes(k));
  if (unknown.length > 0)
    throw badRequest(`Unrecognized attribute(s) '${unknown.join(", ")}'`, "HTTPBadRequest");
  for (const key of readOnly)
    if (key in input) throw badRequest(`Attribute '${key}' not allowed in POST`, "HTTPBadRequest");
}

function checkUpdateAttrs(input: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) {
      throw badRequest(`Cannot update read-only attribute ${key}`, "HTTPBadRequest");
    }
  }
}

function str(input: Record<string, unknown>, key: string, max = 255): string | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (v === null && key === "description") return "";
  if (typeof v !== "string")
    throw badRequest(
      `Invalid input for ${key}. Reason: '${asText(v)}' is not a valid string.`,
      "HTTPBadRequest",
    );
  if (v.length > max)
    throw badRequest(
      `Invalid input for ${key}. Reason: '${v}' exceeds maximum length of ${max}.`,
      "HTTPBadRequest",
    );
  return v;
}

function bool(input: Record<string, unknown>, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && queryBool(v) !== undefined) return queryBool(v);
  throw badRequest(
    `Invalid input for ${key}. Reason: '${asText(v)}' cannot be converted to boolean.`,
    "HTTPBadRequest",
  );
}

function strList(input: Record<string, unknown>, key: string): string[] | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    throw badRequest(
      `Invalid input for ${key}. Reason: '${JSON.stringify(v)}' is not a list.`,
      "HTTPBadRequest",
    );
  }
  return v;
}

function ownerFor(ctx: Ctx, input: Record<string, unknown>, resource: string): string {
  const own = projectOf(ctx, () => policy(`create_${resource}`));
  const requested = input.project_id ?? input.tenant_id;
  if (requested === undefined) return own;
  if (typeof requested !== "string") throw badRequest(`Invalid input for project_id.`, "HTTPBadRequest");
  if (requested !== own && !ctx.auth.isAdmin) throw policy(`create_${resource}`);
  if (
    input.project_id !== undefined &&
    input.tenant_id !== undefined &&
    input.project_id !== input.tenant_id
  ) {
    throw badRequest("'project_id' and 'tenant_id' do not match", "HTTPBadRequest");
  }
  return requested;
}

function common(ctx: Ctx, projectId: string, description = ""): NeutronCommon {
  const now = isoSeconds(Date.now());
  void ctx;
  return {
    id: uuid(),
    tenant_id: projectId,
    project_id: projectId,
    description,
    tags: [],
    created_at: now,
    updated_at: now,
    revision_number: 0,
  };
}

function bump(row: NeutronCommon): void {
  row.revision_number += 1;
  row.updated_at = isoSeconds(Date.now());
}

function checkAzHints(hints: string[]): void {
  for (const h of hints) {
    if (!(AVAILABILITY_ZONES as readonly string[]).includes(h))
      throw notFound("AvailabilityZoneNotFound", `AvailabilityZone ${h} could not be found.`);
  }
}

// ---------------------------------------------------------------- quotas

export function neutronQuota(rs: RegionState, projectId: string): Record<string, number> {
  return { ...NEUTRON_QUOTA_DEFAULTS, ...rs.network.quotas[projectId] };
}

function usage(rs: RegionState, projectId: string): Record<string, number> {
  const ns = rs.network;
  const count = (t: Table<NeutronCommon>): number =>
    Object.values(t).filter((r) => r.project_id === projectId).length;
  return {
    network: count(ns.networks),
    subnet: count(ns.subnets),
    port: count(ns.ports),
    router: count(ns.routers),
    floatingip: count(ns.floatingIps),
    security_group: count(ns.securityGroups),
    security_group_rule: count(ns.securityGroupRules),
    rbac_policy: 0,
    subnetpool: 0,
    trunk: 0,
  };
}

function checkQuota(rs: RegionState, projectId: string, resource: string, adding = 1): void {
  const limit = neutronQuota(rs, projectId)[resource] ?? -1;
  if (limit < 0) return;
  if ((usage(rs, projectId)[resource] ?? 0) + adding > limit) {
    throw conflict("OverQuota", `Quota exceeded for resources: ['${resource}'].`);
  }
}

// ---------------------------------------------------------------- security groups (also used by Nova)

function ruleRecord(projectId: string, sgId: string, fields: Partial<SecurityGroupRule>): SecurityGroupRule {
  const now = isoSeconds(Date.now());
  return {
    id: uuid(),
    tenant_id: projectId,
    project_id: projectId,
    description: "",
    tags: [],
    created_at: now,
    updated_at: now,
    revision_number: 0,
    security_group_id: sgId,
    direction: "egress",
    ethertype: "IPv4",
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_group_id: null,
    remote_address_group_id: null,
    normalized_cidr: null,
    belongs_to_default_sg: false,
    ...fields,
  };
}

function createSecurityGroup(
  rs: RegionState,
  projectId: string,
  name: string,
  description: string,
  stateful: boolean,
): SecurityGroup {
  const now = isoSeconds(Date.now());
  const sg: SecurityGroup = {
    id: uuid(),
    tenant_id: projectId,
    project_id: projectId,
    description,
    tags: [],
    created_at: now,
    updated_at: now,
    revision_number: 1,
    name,
    stateful,
    shared: false,
  };
  rs.network.securityGroups[sg.id] = sg;
  const isDefault = name === "default";
  for (const ethertype of ["IPv4", "IPv6"]) {
    const egress = ruleRecord(projectId, sg.id, {
      direction: "egress",
      ethertype,
      belongs_to_default_sg: isDefault,
    });
    rs.network.securityGroupRules[egress.id] = egress;
    if (isDefault) {
      const ingress = ruleRecord(projectId, sg.id, {
        direction: "ingress",
        ethertype,
        remote_group_id: sg.id,
        belongs_to_default_sg: true,
      });
      rs.network.securityGroupRules[ingress.id] = ingress;
    }
  }
  return sg;
}

/** Neutron creates a project's `default` group the first time the project touches the API. */
export function ensureDefaultSecurityGroup(core: SimCore, rs: RegionState, projectId: string): SecurityGroup {
  const existing = Object.values(rs.network.securityGroups).find(
    (sg) => sg.project_id === projectId && sg.name === "default",
  );
  if (existing) return existing;
  const sg = createSecurityGroup(rs, projectId, "default", "Default security group", true);
  core.store.changed();
  return sg;
}

/** Nova accepts security groups by name or id. */
export function findSecurityGroup(
  rs: RegionState,
  projectId: string,
  nameOrId: string,
): SecurityGroup | undefined {
  const byId = rs.network.securityGroups[nameOrId];
  if (byId && (byId.project_id === projectId || byId.shared)) return byId;
  return Object.values(rs.network.securityGroups).find(
    (sg) => sg.project_id === projectId && sg.name === nameOrId,
  );
}

// ---------------------------------------------------------------- IPAM

function usedIps(rs: RegionState, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const port of Object.values(rs.network.ports)) {
    for (const ip of port.fixed_ips) if (ip.subnet_id === subnetId) used.add(ip.ip_address);
  }
  return used;
}

function allocateIp(rs: RegionState, subnet: Subnet, requested?: string): string {
  const cidr = parseCidr(subnet.cidr);
  if (!cidr) throw invalidInput(`bad subnet ${subnet.id}`);
  const used = usedIps(rs, subnet.id);
  if (requested !== undefined) {
    const ip = parseIp(requested);
    if (!ip || !cidrContains(cidr, ip)) {
      throw badRequest(
        `IP address ${requested} is not a valid IP for the specified subnet.`,
        "InvalidIpForSubnet",
      );
    }
    const canonical = formatIp(ip.version, ip.value);
    if (used.has(canonical)) {
      throw conflict(
        "IpAddressAlreadyAllocated",
        `IP address ${canonical} already allocated in subnet ${subnet.id}`,
      );
    }
    return canonical;
  }
  const gateway = subnet.gateway_ip;
  for (const pool of subnet.allocation_pools) {
    const start = parseIp(pool.start);
    const end = parseIp(pool.end);
    if (!start || !end) continue;
    let tries = 0;
    for (let v = start.value; v <= end.value && tries < 70_000; v++, tries++) {
      const text = formatIp(cidr.version, v);
      if (text !== gateway && !used.has(text)) return text;
    }
  }
  throw conflict(
    "IpAddressGenerationFailure",
    `No more IP addresses available on network ${subnet.network_id}.`,
  );
}

function resolveFixedIps(rs: RegionState, network: Network, requested: unknown): FixedIp[] {
  const subnets = Object.values(rs.network.subnets).filter((s) => s.network_id === network.id);
  if (requested === undefined) {
    const out: FixedIp[] = [];
    const v4 = subnets.find((s) => s.ip_version === 4);
    if (v4) out.push({ subnet_id: v4.id, ip_address: allocateIp(rs, v4) });
    for (const v6 of subnets.filter((s) => s.ip_version === 6))
      out.push({ subnet_id: v6.id, ip_address: allocateIp(rs, v6) });
    return out;
  }
  if (!Array.isArray(requested))
    throw badRequest(
      `Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: '${JSON.stringify(requested)}'.`,
      "HTTPBadRequest",
    );
  const out: FixedIp[] = [];
  for (const item of requested) {
    if (!isObject(item))
      throw badRequest(
        `Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: '${JSON.stringify(item)}'.`,
        "HTTPBadRequest",
      );
    const subnetId = typeof item.subnet_id === "string" ? item.subnet_id : undefined;
    const address = typeof item.ip_address === "string" ? item.ip_address : undefined;
    let subnet: Subnet | undefined;
    if (subnetId !== undefined) {
      subnet = rs.network.subnets[subnetId];
      if (!subnet) throw notFound("SubnetNotFound", `Subnet ${subnetId} could not be found.`);
      if (subnet.network_id !== network.id) {
        throw badRequest(
          `Invalid input for operation: Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${subnetId}.`,
          "InvalidInput",
        );
      }
    } else if (address !== undefined) {
      const ip = parseIp(address);
      subnet = subnets.find((s) => {
        const c = parseCidr(s.cidr);
        return ip !== null && c !== null && cidrContains(c, ip);
      });
      if (!subnet)
        throw badRequest(
          `IP address ${address} is not a valid IP for any of the subnets on the specified network.`,
          "InvalidIpForNetwork",
        );
    } else {
      throw badRequest(
        `Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: '${JSON.stringify(item)}'.`,
        "HTTPBadRequest",
      );
    }
    out.push({ subnet_id: subnet.id, ip_address: allocateIp(rs, subnet, address) });
  }
  return out;
}

// ---------------------------------------------------------------- ports (also used by Nova)

export interface PortArgs {
  projectId: string;
  networkId: string;
  name?: string;
  fixedIps?: unknown;
  securityGroups?: string[];
  deviceId?: string;
  deviceOwner?: string;
  hostId?: string;
  macAddress?: string;
  portSecurity?: boolean;
  description?: string;
  adminStateUp?: boolean;
  allowedAddressPairs?: { ip_address: string; mac_address: string }[];
  dnsName?: string;
  /** Ports that Neutron owns (router gateway, floating IP) have no project. */
  systemOwned?: boolean;
}

export function createPort(core: SimCore, rs: RegionState, args: PortArgs): Port {
  const network = rs.network.networks[args.networkId];
  if (!network) throw notFound("NetworkNotFound", `Network ${args.networkId} could not be found.`);
  const projectId = args.systemOwned ? "" : args.projectId;
  if (!args.systemOwned) checkQuota(rs, projectId, "port");
  const portSecurity = args.portSecurity ?? network.port_security_enabled;
  let groups: string[] = [];
  if (portSecurity && !args.systemOwned && !(args.deviceOwner ?? "").startsWith("network:")) {
    groups = args.securityGroups ?? [ensureDefaultSecurityGroup(core, rs, projectId).id];
  } else if (args.securityGroups && args.securityGroups.length > 0) {
    if (!portSecurity) {
      throw conflict(
        "PortSecurityAndIPRequiredForSecurityGroups",
        "Port security must be enabled and port must have an IP address in order to use security groups.",
      );
    }
    groups = args.securityGroups;
  }
  const mac = args.macAddress ?? macAddress();
  if (Object.values(rs.network.ports).some((p) => p.network_id === network.id && p.mac_address === mac)) {
    throw conflict(
      "MacAddressInUse",
      `Unable to complete operation for network ${network.id}. The mac address ${mac} is in use.`,
    );
  }
  const fixedIps = resolveFixedIps(rs, network, args.fixedIps);
  const now = isoSeconds(Date.now());
  const bound = Boolean(args.hostId);
  const port: Port = {
    id: uuid(),
    tenant_id: projectId,
    project_id: projectId,
    description: args.description ?? "",
    tags: [],
    created_at: now,
    updated_at: now,
    revision_number: 1,
    name: args.name ?? "",
    network_id: network.id,
    mac_address: mac,
    admin_state_up: args.adminStateUp ?? true,
    status: (args.deviceOwner ?? "").startsWith("network:router") ? "ACTIVE" : bound ? "ACTIVE" : "DOWN",
    device_id: args.deviceId ?? "",
    device_owner: args.deviceOwner ?? "",
    fixed_ips: fixedIps,
    allowed_address_pairs: args.allowedAddressPairs ?? [],
    extra_dhcp_opts: [],
    security_groups: groups,
    port_security_enabled: portSecurity,
    "binding:host_id": args.hostId ?? "",
    "binding:vif_type": bound ? "ovs" : "unbound",
    "binding:vif_details": bound
      ? {
          port_filter: true,
          connectivity: "l2",
          bridge_name: "br-int",
          datapath_type: "system",
          bound_drivers: { "0": "ovn" },
        }
      : {},
    "binding:vnic_type": "normal",
    "binding:profile": {},
    dns_name: args.dnsName ?? "",
    dns_assignment: fixedIps.map((ip) => ({
      hostname: `host-${ip.ip_address.replace(/[.:]/g, "-")}`,
      ip_address: ip.ip_address,
      fqdn: `host-${ip.ip_address.replace(/[.:]/g, "-")}.openstacklocal.`,
    })),
    ip_allocation: "immediate",
    propagate_uplink_status: false,
    qos_policy_id: null,
    qos_network_policy_id: null,
  };
  rs.network.ports[port.id] = port;
  core.store.changed();
  return port;
}

/** Binds a port to a server (Nova does this when booting or attaching an interface). */
export function bindPort(
  core: SimCore,
  rs: RegionState,
  port: Port,
  serverId: string,
  host: string,
  az: string,
): void {
  port.device_id = serverId;
  port.device_owner = `compute:${az}`;
  port["binding:host_id"] = host;
  port["binding:vif_type"] = "ovs";
  port["binding:vif_details"] = {
    port_filter: true,
    connectivity: "l2",
    bridge_name: "br-int",
    datapath_type: "system",
    bound_drivers: { "0": "ovn" },
  };
  port.status = "ACTIVE";
  bump(port);
  core.store.changed();
}

export function unbindPort(core: SimCore, rs: RegionState, port: Port): void {
  port.device_id = "";
  port.device_owner = "";
  port["binding:host_id"] = "";
  port["binding:vif_type"] = "unbound";
  port["binding:vif_details"] = {};
  port.status = "DOWN";
  bump(port);
  void rs;
  core.store.changed();
}

export function deletePort(core: SimCore, rs: RegionState, portId: string): void {
  const ns = rs.network;
  for (const fip of Object.values(ns.floatingIps)) {
    if (fip.port_id === portId) disassociate(fip);
  }
  delete ns.ports[portId];
  core.store.changed();
}

/** Nova's `addresses`: per network name, fixed IPs then the floating IPs that point at them. */
export function serverAddresses(
  rs: RegionState,
  serverId: string,
  /** The server's ports when the caller has them already (a list page indexes them once). */
  serverPorts?: Port[],
): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  const ports = (
    serverPorts ??
    Object.values(rs.network.ports).filter(
      (p) => p.device_id === serverId && p.device_owner.startsWith("compute:"),
    )
  ).sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  for (const port of ports) {
    const network = rs.network.networks[port.network_id];
    const name = network?.name ?? port.network_id;
    const list = out[name] ?? [];
    for (const ip of port.fixed_ips) {
      const version = ip.ip_address.includes(":") ? 6 : 4;
      list.push({
        version,
        addr: ip.ip_address,
        "OS-EXT-IPS:type": "fixed",
        "OS-EXT-IPS-MAC:mac_addr": port.mac_address,
      });
      for (const fip of Object.values(rs.network.floatingIps)) {
        if (fip.port_id === port.id && fip.fixed_ip_address === ip.ip_address) {
          list.push({
            version: 4,
            addr: fip.floating_ip_address,
            "OS-EXT-IPS:type": "floating",
            "OS-EXT-IPS-MAC:mac_addr": port.mac_address,
          });
        }
      }
    }
    out[name] = list;
  }
  return out;
}

// ---------------------------------------------------------------- floating IPs

function disassociate(fip: FloatingIp): void {
  fip.port_id = null;
  fip.fixed_ip_address = null;
  fip.router_id = null;
  fip.status = "DOWN";
  bump(fip);
}

/** The router that connects a port's subnet to the floating IP's external network. */
function routerFor(rs: RegionState, externalNetId: string, subnetId: string): NeutronRouter | undefined {
  return Object.values(rs.network.routers).find((router) => {
    if (router.external_gateway_info?.network_id !== externalNetId) return false;
    return Object.values(rs.network.ports).some(
      (p) =>
        p.device_id === router.id &&
        p.device_owner === "network:router_interface" &&
        p.fixed_ips.some((ip) => ip.subnet_id === subnetId),
    );
  });
}

function associate(ctx: Ctx, fip: FloatingIp, portId: string, fixedIp: string | undefined): void {
  const port = ctx.rs.network.ports[portId];
  if (!port || !owns(ctx, port.project_id))
    throw notFound("PortNotFound", `Port ${portId} could not be found.`);
  const v4 = port.fixed_ips.filter((ip) => !ip.ip_address.includes(":"));
  let chosen: FixedIp | undefined;
  if (fixedIp !== undefined) {
    chosen = v4.find((ip) => ip.ip_address === fixedIp);
    if (!chosen)
      throw badRequest(`Bad floatingip request: Port ${portId} does not have fixed ip ${fixedIp}.`);
  } else {
    if (v4.length === 0)
      throw badRequest(`Bad floatingip request: Port ${portId} does not have any fixed IPv4 addresses.`);
    if (v4.length > 1)
      throw badRequest(
        `Bad floatingip request: Port ${portId} has multiple fixed IPv4 addresses. Must provide a specific IPv4 address when assigning a floating IP.`,
      );
    chosen = v4[0];
  }
  if (!chosen) return;
  const taken = Object.values(ctx.rs.network.floatingIps).find(
    (f) =>
      f.id !== fip.id &&
      f.port_id === portId &&
      f.fixed_ip_address === chosen.ip_address &&
      f.floating_network_id === fip.floating_network_id,
  );
  if (taken) {
    throw conflict(
      "FloatingIPPortAlreadyAssociated",
      `Cannot associate floating IP ${fip.floating_ip_address} (${fip.id}) with port ${portId} using fixed IP ${chosen.ip_address}, as that fixed IP already has a floating IP on external network ${fip.floating_network_id}.`,
    );
  }
  const router = routerFor(ctx.rs, fip.floating_network_id, chosen.subnet_id);
  if (!router) {
    throw notFound(
      "ExternalGatewayForFloatingIPNotFound",
      `External network ${fip.floating_network_id} is not reachable from subnet ${chosen.subnet_id}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
    );
  }
  fip.port_id = portId;
  fip.fixed_ip_address = chosen.ip_address;
  fip.router_id = router.id;
  fip.status = "ACTIVE";
  bump(fip);
}

// ---------------------------------------------------------------- handlers: networks

function createNetwork(ctx: Ctx, input: Record<string, unknown>): Network {
  checkAttrs(
    input,
    [
      "name",
      "admin_state_up",
      "shared",
      "router:external",
      "mtu",
      "availability_zone_hints",
      "description",
      "port_security_enabled",
      "provider:network_type",
      "provider:physical_network",
      "provider:segmentation_id",
      "dns_domain",
      "project_id",
      "tenant_id",
      "is_default",
      "qos_policy_id",
      "tags",
    ],
    ["id", "status", "subnets"],
  );
  const owner = ownerFor(ctx, input, "network");
  for (const adminOnly of [
    "shared",
    "router:external",
    "provider:network_type",
    "provider:physical_network",
    "provider:segmentation_id",
    "is_default",
  ]) {
    if (input[adminOnly] !== undefined && input[adminOnly] !== false && !ctx.auth.isAdmin) {
      throw policy(`create_network and rule:create_network:${adminOnly.replace("router:", "router:")}`);
    }
  }
  checkQuota(ctx.rs, owner, "network");
  const hints = strList(input, "availability_zone_hints") ?? [];
  checkAzHints(hints);
  const mtu = input.mtu;
  if (mtu !== undefined && (typeof mtu !== "number" || !Number.isInteger(mtu) || mtu < 68)) {
    throw badRequest(
      `Invalid input for mtu. Reason: '${asText(mtu)}' is too small - must be at least '68'.`,
      "HTTPBadRequest",
    );
  }
  const external = bool(input, "router:external") ?? false;
  const type =
    typeof input["provider:network_type"] === "string"
      ? input["provider:network_type"]
      : external
        ? "flat"
        : "geneve";
  const network: Network = {
    ...common(ctx, owner, str(input, "description") ?? ""),
    revision_number: 1,
    name: str(input, "name") ?? "",
    admin_state_up: bool(input, "admin_state_up") ?? true,
    status: "ACTIVE",
    subnets: [],
    shared: bool(input, "shared") ?? false,
    "router:external": external,
    mtu: typeof mtu === "number" ? mtu : type === "geneve" ? 1442 : 1500,
    availability_zone_hints: hints,
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    port_security_enabled: bool(input, "port_security_enabled") ?? true,
    is_default: bool(input, "is_default") ?? false,
    l2_adjacency: true,
    "provider:network_type": type,
    "provider:physical_network":
      typeof input["provider:physical_network"] === "string"
        ? input["provider:physical_network"]
        : type === "flat" || type === "vlan"
          ? "physnet1"
          : null,
    "provider:segmentation_id":
      typeof input["provider:segmentation_id"] === "number"
        ? input["provider:segmentation_id"]
        : type === "flat"
          ? null
          : ctx.core.store.next(`${ctx.region}.segment`) + 100,
    qos_policy_id: null,
    dns_domain: str(input, "dns_domain") ?? "",
  };
  if (Array.isArray(input.tags)) network.tags = strList(input, "tags") ?? [];
  ctx.rs.network.networks[network.id] = network;
  ensureDefaultSecurityGroup(ctx.core, ctx.rs, owner);
  return network;
}

function updateNetwork(ctx: Ctx, network: Network, input: Record<string, unknown>): void {
  checkUpdateAttrs(input, [
    "name",
    "admin_state_up",
    "shared",
    "router:external",
    "mtu",
    "description",
    "port_security_enabled",
    "dns_domain",
    "is_default",
    "qos_policy_id",
    "availability_zone_hints",
  ]);
  if (
    (input.shared !== undefined ||
      input["router:external"] !== undefined ||
      input.is_default !== undefined) &&
    !ctx.auth.isAdmin
  ) {
    throw policy("update_network:shared");
  }
  if (input.availability_zone_hints !== undefined)
    throw badRequest("Cannot update read-only attribute availability_zone_hints", "HTTPBadRequest");
  network.name = str(input, "name") ?? network.name;
  network.description = str(input, "description") ?? network.description;
  network.admin_state_up = bool(input, "admin_state_up") ?? network.admin_state_up;
  network.port_security_enabled = bool(input, "port_security_enabled") ?? network.port_security_enabled;
  network.shared = bool(input, "shared") ?? network.shared;
  network.is_default = bool(input, "is_default") ?? network.is_default;
  network.dns_domain = str(input, "dns_domain") ?? network.dns_domain;
  const external = bool(input, "router:external");
  if (external === false && network["router:external"]) {
    const inUse = Object.values(ctx.rs.network.routers).some(
      (r) => r.external_gateway_info?.network_id === network.id,
    );
    if (inUse)
      throw conflict(
        "ExternalNetworkInUse",
        `External network ${network.id} cannot be updated to be made non-external, since it has existing gateway ports.`,
      );
  }
  if (external !== undefined) network["router:external"] = external;
  if (typeof input.mtu === "number") network.mtu = input.mtu;
  bump(network);
}

function deleteNetwork(ctx: Ctx, network: Network): void {
  const ns = ctx.rs.network;
  const ports = Object.values(ns.ports).filter((p) => p.network_id === network.id);
  // Neutron removes its own DHCP/metadata ports but refuses while anything else is plugged in.
  if (
    ports.some((p) => !p.device_owner.startsWith("network:dhcp") && p.device_owner !== "network:distributed")
  ) {
    throw conflict(
      "NetworkInUse",
      `Unable to complete operation on network ${network.id}. There are one or more ports still in use on the network.`,
    );
  }
  for (const p of ports) delete ns.ports[p.id];
  for (const s of Object.values(ns.subnets)) if (s.network_id === network.id) delete ns.subnets[s.id];
  delete ns.networks[network.id];
}

// ---------------------------------------------------------------- handlers: subnets

function createSubnet(ctx: Ctx, input: Record<string, unknown>): Subnet {
  checkAttrs(
    input,
    [
      "name",
      "network_id",
      "ip_version",
      "cidr",
      "gateway_ip",
      "allocation_pools",
      "dns_nameservers",
      "host_routes",
      "enable_dhcp",
      "ipv6_ra_mode",
      "ipv6_address_mode",
      "description",
      "subnetpool_id",
      "prefixlen",
      "service_types",
      "project_id",
      "tenant_id",
      "use_default_subnetpool",
      "dns_publish_fixed_ip",
      "segment_id",
      "tags",
    ],
    ["id"],
  );
  const networkId = str(input, "network_id");
  if (networkId === undefined)
    throw badRequest(
      "Failed to parse request. Required attribute 'network_id' not specified",
      "HTTPBadRequest",
    );
  const network = ctx.rs.network.networks[networkId];
  if (!network || !visible(ctx, RESOURCES.networks as ResourceDef, network as unknown as Row)) {
    throw notFound("NetworkNotFound", `Network ${networkId} could not be found.`);
  }
  const owner = ownerFor(ctx, input, "subnet");
  if (network.project_id !== owner && !ctx.auth.isAdmin)
    throw policy("create_subnet and rule:create_subnet:network_owner");
  checkQuota(ctx.rs, owner, "subnet");
  const cidrText = str(input, "cidr");
  if (cidrText === undefined)
    throw badRequest("Bad subnets request: a subnetpool must be specified in the absence of a cidr.");
  const versionRaw = input.ip_version;
  const version = versionRaw === undefined ? 4 : Number(versionRaw);
  if (version !== 4 && version !== 6)
    throw badRequest(
      `Invalid input for ip_version. Reason: '${String(versionRaw)}' is not in [4, 6].`,
      "HTTPBadRequest",
    );
  const loose = parseCidr(cidrText, false);
  if (!loose)
    throw badRequest(
      `Invalid input for cidr. Reason: '${cidrText}' is not a valid IP subnet.`,
      "HTTPBadRequest",
    );
  const cidr = parseCidr(cidrText, true);
  if (!cidr) {
    throw badRequest(
      `Invalid input for cidr. Reason: '${cidrText}' isn't a recognized IP subnet cidr, '${formatCidr(loose)}' is recommended.`,
      "HTTPBadRequest",
    );
  }
  if (cidr.version !== version)
    throw badRequest(`Bad subnets request: Cidr ${cidrText} does not match IP version ${version}.`);
  if ((version === 4 && cidr.prefix > 30) || (version === 6 && cidr.prefix > 126)) {
    throw invalidInput(`${formatCidr(cidr)} is not a valid IP subnet: prefix is too long.`);
  }
  for (const other of Object.values(ctx.rs.network.subnets)) {
    if (other.network_id !== network.id) continue;
    const oc = parseCidr(other.cidr);
    if (oc && cidrOverlap(oc, cidr)) {
      throw badRequest(
        `Invalid input for operation: Requested subnet with cidr: ${formatCidr(cidr)} for network: ${network.id} overlaps with another subnet.`,
        "InvalidInput",
      );
    }
  }
  let gateway: string | null;
  if (input.gateway_ip === null) gateway = null;
  else if (typeof input.gateway_ip === "string") {
    const g = parseIp(input.gateway_ip);
    if (!g || g.version !== version)
      throw badRequest(
        `Invalid input for gateway_ip. Reason: '${input.gateway_ip}' is not a valid IP address.`,
        "HTTPBadRequest",
      );
    if (!cidrContains(cidr, g)) throw invalidInput(`Gateway is not valid on subnet.`);
    gateway = formatIp(version, g.value);
  } else {
    const g = defaultGateway(cidr);
    gateway = g === null ? null : formatIp(version, g);
  }
  let pools: { start: string; end: string }[];
  if (input.allocation_pools !== undefined) {
    if (!Array.isArray(input.allocation_pools))
      throw badRequest("Invalid input for allocation_pools.", "HTTPBadRequest");
    pools = input.allocation_pools.map((p) => {
      if (!isObject(p) || typeof p.start !== "string" || typeof p.end !== "string")
        throw badRequest("Invalid input for allocation_pools.", "HTTPBadRequest");
      const s = parseIp(p.start);
      const e = parseIp(p.end);
      if (!s || !e || !cidrContains(cidr, s) || !cidrContains(cidr, e) || s.value > e.value) {
        throw badRequest(
          `The allocation pool ${p.start}-${p.end} spans beyond the subnet cidr ${formatCidr(cidr)}.`,
          "OutOfBoundsAllocationPool",
        );
      }
      if (gateway !== null) {
        const g = parseIp(gateway);
        if (g && g.value >= s.value && g.value <= e.value) {
          throw conflict(
            "GatewayConflictWithAllocationPools",
            `Gateway ip ${gateway} conflicts with allocation pool ${p.start}-${p.end}.`,
          );
        }
      }
      return { start: formatIp(version, s.value), end: formatIp(version, e.value) };
    });
  } else {
    const range = defaultPoolRange(cidr);
    pools = [];
    if (range) {
      const g = gateway === null ? null : (parseIp(gateway)?.value ?? null);
      const [first, last] = range;
      if (g !== null && g >= first && g <= last) {
        if (g > first) pools.push({ start: formatIp(version, first), end: formatIp(version, g - 1n) });
        if (g < last) pools.push({ start: formatIp(version, g + 1n), end: formatIp(version, last) });
      } else {
        pools.push({ start: formatIp(version, first), end: formatIp(version, last) });
      }
    }
  }
  const dns = strList(input, "dns_nameservers") ?? [];
  for (const d of dns)
    if (!parseIp(d))
      throw badRequest(
        `Invalid input for dns_nameservers. Reason: '${d}' is not a valid nameserver.`,
        "HTTPBadRequest",
      );
  const routes = Array.isArray(input.host_routes)
    ? (input.host_routes as { destination: string; nexthop: string }[])
    : [];
  const subnet: Subnet = {
    ...common(ctx, owner, str(input, "description") ?? ""),
    name: str(input, "name") ?? "",
    network_id: network.id,
    ip_version: version,
    cidr: formatCidr(cidr),
    gateway_ip: gateway,
    allocation_pools: pools,
    dns_nameservers: dns,
    host_routes: routes,
    enable_dhcp: bool(input, "enable_dhcp") ?? true,
    ipv6_ra_mode: typeof input.ipv6_ra_mode === "string" ? input.ipv6_ra_mode : null,
    ipv6_address_mode: typeof input.ipv6_address_mode === "string" ? input.ipv6_address_mode : null,
    subnetpool_id: null,
    service_types: strList(input, "service_types") ?? [],
    dns_publish_fixed_ip: bool(input, "dns_publish_fixed_ip") ?? false,
  };
  ctx.rs.network.subnets[subnet.id] = subnet;
  network.subnets.push(subnet.id);
  bump(network);
  void cidrSize;
  return subnet;
}

function updateSubnet(ctx: Ctx, subnet: Subnet, input: Record<string, unknown>): void {
  checkUpdateAttrs(input, [
    "name",
    "description",
    "gateway_ip",
    "allocation_pools",
    "dns_nameservers",
    "host_routes",
    "enable_dhcp",
    "dns_publish_fixed_ip",
    "service_types",
    "segment_id",
  ]);
  subnet.name = str(input, "name") ?? subnet.name;
  subnet.description = str(input, "description") ?? subnet.description;
  subnet.enable_dhcp = bool(input, "enable_dhcp") ?? subnet.enable_dhcp;
  subnet.dns_nameservers = strList(input, "dns_nameservers") ?? subnet.dns_nameservers;
  if (Array.isArray(input.host_routes))
    subnet.host_routes = input.host_routes as { destination: string; nexthop: string }[];
  if (input.gateway_ip === null) subnet.gateway_ip = null;
  else if (typeof input.gateway_ip === "string") {
    const cidr = parseCidr(subnet.cidr);
    const g = parseIp(input.gateway_ip);
    if (!cidr || !g || !cidrContains(cidr, g)) throw invalidInput("Gateway is not valid on subnet.");
    subnet.gateway_ip = formatIp(cidr.version, g.value);
  }
  if (Array.isArray(input.allocation_pools))
    subnet.allocation_pools = input.allocation_pools as { start: string; end: string }[];
  bump(subnet);
}

function deleteSubnet(ctx: Ctx, subnet: Subnet): void {
  const ns = ctx.rs.network;
  const users = Object.values(ns.ports).filter((p) => p.fixed_ips.some((ip) => ip.subnet_id === subnet.id));
  if (users.some((p) => !p.device_owner.startsWith("network:dhcp"))) {
    throw conflict(
      "SubnetInUse",
      `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`,
    );
  }
  delete ns.subnets[subnet.id];
  const network = ns.networks[subnet.network_id];
  if (network) {
    network.subnets = network.subnets.filter((id) => id !== subnet.id);
    bump(network);
  }
}

// ---------------------------------------------------------------- handlers: ports

const PORT_CREATE_ATTRS = [
  "name",
  "network_id",
  "fixed_ips",
  "mac_address",
  "admin_state_up",
  "device_id",
  "device_owner",
  "security_groups",
  "allowed_address_pairs",
  "extra_dhcp_opts",
  "port_security_enabled",
  "binding:host_id",
  "binding:vnic_type",
  "binding:profile",
  "description",
  "dns_name",
  "dns_domain",
  "project_id",
  "tenant_id",
  "qos_policy_id",
  "propagate_uplink_status",
  "tags",
  "numa_affinity_policy",
];

function resolveGroups(ctx: Ctx, owner: string, ids: string[]): string[] {
  return ids.map((id) => {
    const sg = ctx.rs.network.securityGroups[id];
    if (!sg || (sg.project_id !== owner && !sg.shared && !ctx.auth.isAdmin))
      throw notFound("SecurityGroupNotFound", `Security group ${id} does not exist`);
    return sg.id;
  });
}

function createPortFromApi(ctx: Ctx, input: Record<string, unknown>): Port {
  checkAttrs(input, PORT_CREATE_ATTRS, ["id", "status"]);
  const networkId = str(input, "network_id");
  if (networkId === undefined)
    throw badRequest(
      "Failed to parse request. Required attribute 'network_id' not specified",
      "HTTPBadRequest",
    );
  const network = ctx.rs.network.networks[networkId];
  if (!network || !visible(ctx, RESOURCES.networks as ResourceDef, network as unknown as Row))
    throw notFound("NetworkNotFound", `Network ${networkId} could not be found.`);
  const owner = ownerFor(ctx, input, "port");
  if (network["router:external"] && !network.shared && network.project_id !== owner && !ctx.auth.isAdmin) {
    throw policy("create_port and rule:create_port:fixed_ips");
  }
  if (input["binding:host_id"] !== undefined && !ctx.auth.isAdmin)
    throw policy("create_port:binding:host_id");
  const groups = strList(input, "security_groups");
  const macText = str(input, "mac_address");
  if (macText !== undefined && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(macText)) {
    throw badRequest(
      `Invalid input for mac_address. Reason: '${macText}' is not a valid MAC address.`,
      "HTTPBadRequest",
    );
  }
  const port = createPort(ctx.core, ctx.rs, {
    projectId: owner,
    networkId: network.id,
    name: str(input, "name"),
    fixedIps: input.fixed_ips,
    securityGroups: groups === undefined ? undefined : resolveGroups(ctx, owner, groups),
    deviceId: str(input, "device_id"),
    deviceOwner: str(input, "device_owner"),
    hostId: str(input, "binding:host_id"),
    macAddress: macText?.toLowerCase(),
    portSecurity: bool(input, "port_security_enabled"),
    description: str(input, "description"),
    adminStateUp: bool(input, "admin_state_up"),
    allowedAddressPairs: Array.isArray(input.allowed_address_pairs)
      ? (input.allowed_address_pairs as Record<string, unknown>[]).map((p) => ({
          ip_address: String(p.ip_address),
          mac_address: typeof p.mac_address === "string" ? p.mac_address : "",
        }))
      : undefined,
    dnsName: str(input, "dns_name"),
  });
  if (typeof input["binding:vnic_type"] === "string") port["binding:vnic_type"] = input["binding:vnic_type"];
  if (Array.isArray(input.tags)) port.tags = strList(input, "tags") ?? [];
  for (const pair of port.allowed_address_pairs) if (!pair.mac_address) pair.mac_address = port.mac_address;
  return port;
}

function updatePort(ctx: Ctx, port: Port, input: Record<string, unknown>): void {
  checkUpdateAttrs(input, [
    "name",
    "description",
    "admin_state_up",
    "fixed_ips",
    "security_groups",
    "device_id",
    "device_owner",
    "allowed_address_pairs",
    "port_security_enabled",
    "binding:host_id",
    "binding:profile",
    "binding:vnic_type",
    "dns_name",
    "mac_address",
    "extra_dhcp_opts",
    "qos_policy_id",
    "propagate_uplink_status",
  ]);
  if (input.mac_address !== undefined && !ctx.auth.isAdmin) throw policy("update_port:mac_address");
  if (input["binding:host_id"] !== undefined && !ctx.auth.isAdmin)
    throw policy("update_port:binding:host_id");
  const portSecurity = bool(input, "port_security_enabled");
  const groups = strList(input, "security_groups");
  const nextGroups =
    groups === undefined ? port.security_groups : resolveGroups(ctx, port.project_id, groups);
  const nextSecurity = portSecurity ?? port.port_security_enabled;
  if (!nextSecurity && nextGroups.length > 0) {
    throw conflict(
      "PortSecurityPortHasSecurityGroup",
      "Port has security group associated. Cannot disable port security or ip address until security group is removed",
    );
  }
  if (input.fixed_ips !== undefined) {
    const network = ctx.rs.network.networks[port.network_id];
    if (network) {
      const old = port.fixed_ips;
      port.fixed_ips = [];
      try {
        // Keep addresses the caller repeats; allocate only new ones.
        const requested = Array.isArray(input.fixed_ips) ? (input.fixed_ips as unknown[]) : [];
        const kept = requested.filter(
          (r) =>
            isObject(r) && typeof r.ip_address === "string" && old.some((o) => o.ip_address === r.ip_address),
        );
        const fresh = requested.filter((r) => !kept.includes(r));
        port.fixed_ips = [
          ...kept.map(
            (r) => old.find((o) => o.ip_address === (r as { ip_address: string }).ip_address) as FixedIp,
          ),
          ...resolveFixedIps(ctx.rs, network, fresh),
        ];
      } catch (err) {
        port.fixed_ips = old;
        throw err;
      }
    }
  }
  port.security_groups = nextGroups;
  port.port_security_enabled = nextSecurity;
  port.name = str(input, "name") ?? port.name;
  port.description = str(input, "description") ?? port.description;
  port.admin_state_up = bool(input, "admin_state_up") ?? port.admin_state_up;
  port.device_id = str(input, "device_id") ?? port.device_id;
  port.device_owner = str(input, "device_owner") ?? port.device_owner;
  port.dns_name = str(input, "dns_name") ?? port.dns_name;
  if (typeof input.mac_address === "string") port.mac_address = input.mac_address.toLowerCase();
  if (typeof input["binding:host_id"] === "string") {
    port["binding:host_id"] = input["binding:host_id"];
    port.status = input["binding:host_id"] ? "ACTIVE" : "DOWN";
  }
  if (typeof input["binding:vnic_type"] === "string") port["binding:vnic_type"] = input["binding:vnic_type"];
  if (Array.isArray(input.allowed_address_pairs)) {
    port.allowed_address_pairs = (input.allowed_address_pairs as Record<string, unknown>[]).map((p) => ({
      ip_address: String(p.ip_address),
      mac_address: typeof p.mac_address === "string" ? p.mac_address : port.mac_address,
    }));
  }
  bump(port);
}

// ---------------------------------------------------------------- handlers: routers

function setGateway(ctx: Ctx, router: NeutronRouter, info: unknown): void {
  const ns = ctx.rs.network;
  const current = Object.values(ns.ports).find(
    (p) => p.device_id === router.id && p.device_owner === "network:router_gateway",
  );
  if (info === null || (isObject(info) && Object.keys(info).length === 0)) {
    if (router.external_gateway_info) {
      const needed = Object.values(ns.floatingIps).some((f) => f.router_id === router.id);
      if (needed) {
        throw conflict(
          "RouterExternalGatewayInUseByFloatingIp",
          `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${router.external_gateway_info.network_id} is required by one or more floating IPs.`,
        );
      }
    }
    if (current) delete ns.ports[current.id];
    router.external_gateway_info = null;
    return;
  }
  if (!isObject(info)) throw badRequest("Invalid input for external_gateway_info.", "HTTPBadRequest");
  const networkId = info.network_id;
  if (typeof networkId !== "string")
    throw badRequest(
      "Invalid input for external_gateway_info. Reason: Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: set().",
      "HTTPBadRequest",
    );
  const network = ns.networks[networkId];
  if (!network) throw notFound("NetworkNotFound", `Network ${networkId} could not be found.`);
  if (!network["router:external"])
    throw badRequest(`Bad router request: Network ${networkId} is not a valid external network.`);
  const enableSnat = typeof info.enable_snat === "boolean" ? info.enable_snat : true;
  if (info.enable_snat !== undefined && !ctx.auth.isAdmin && info.enable_snat !== true)
    throw policy("update_router:external_gateway_info:enable_snat");
  if (router.external_gateway_info?.network_id === networkId && current) {
    router.external_gateway_info.enable_snat = enableSnat;
    return;
  }
  if (current) delete ns.ports[current.id];
  const port = createPort(ctx.core, ctx.rs, {
    projectId: "",
    systemOwned: true,
    networkId,
    deviceId: router.id,
    deviceOwner: "network:router_gateway",
    fixedIps: info.external_fixed_ips,
  });
  port.status = "ACTIVE";
  router.external_gateway_info = {
    network_id: networkId,
    enable_snat: enableSnat,
    external_fixed_ips: port.fixed_ips.map((ip) => ({ ...ip })),
  };
}

function createRouter(ctx: Ctx, input: Record<string, unknown>): NeutronRouter {
  checkAttrs(
    input,
    [
      "name",
      "admin_state_up",
      "external_gateway_info",
      "description",
      "availability_zone_hints",
      "distributed",
      "ha",
      "project_id",
      "tenant_id",
      "flavor_id",
      "tags",
      "enable_ndp_proxy",
    ],
    ["id", "status"],
  );
  const owner = ownerFor(ctx, input, "router");
  if ((input.distributed !== undefined || input.ha !== undefined) && !ctx.auth.isAdmin)
    throw policy("create_router:distributed");
  checkQuota(ctx.rs, owner, "router");
  const hints = strList(input, "availability_zone_hints") ?? [];
  checkAzHints(hints);
  const router: NeutronRouter = {
    ...common(ctx, owner, str(input, "description") ?? ""),
    revision_number: 1,
    name: str(input, "name") ?? "",
    admin_state_up: bool(input, "admin_state_up") ?? true,
    status: "ACTIVE",
    external_gateway_info: null,
    availability_zone_hints: hints,
    availability_zones: [],
    routes: [],
    distributed: bool(input, "distributed") ?? false,
    ha: bool(input, "ha") ?? false,
    flavor_id: null,
  };
  if (input.external_gateway_info !== undefined && input.external_gateway_info !== null)
    setGateway(ctx, router, input.external_gateway_info);
  if (Array.isArray(input.tags)) router.tags = strList(input, "tags") ?? [];
  ctx.rs.network.routers[router.id] = router;
  return router;
}

function routerInterfaces(ctx: Ctx, router: NeutronRouter): Port[] {
  return Object.values(ctx.rs.network.ports).filter(
    (p) => p.device_id === router.id && p.device_owner.startsWith("network:router_interface"),
  );
}

function updateRouter(ctx: Ctx, router: NeutronRouter, input: Record<string, unknown>): void {
  checkUpdateAttrs(input, [
    "name",
    "admin_state_up",
    "external_gateway_info",
    "description",
    "routes",
    "distributed",
    "ha",
    "enable_ndp_proxy",
  ]);
  if ((input.distributed !== undefined || input.ha !== undefined) && !ctx.auth.isAdmin)
    throw policy("update_router:distributed");
  if (input.external_gateway_info !== undefined) setGateway(ctx, router, input.external_gateway_info);
  if (input.routes !== undefined) {
    if (!Array.isArray(input.routes)) throw badRequest("Invalid input for routes.", "HTTPBadRequest");
    const subnets = routerInterfaces(ctx, router).flatMap((p) =>
      p.fixed_ips.map((ip) => ctx.rs.network.subnets[ip.subnet_id]),
    );
    const routes = input.routes.map((r) => {
      if (!isObject(r) || typeof r.destination !== "string" || typeof r.nexthop !== "string")
        throw badRequest("Invalid input for routes.", "HTTPBadRequest");
      const hop = parseIp(r.nexthop);
      const connected = subnets.some((s) => {
        const c = s ? parseCidr(s.cidr) : null;
        return c !== null && hop !== null && cidrContains(c, hop);
      });
      if (!connected) {
        throw badRequest(
          `Invalid format for routes: [{'destination': '${r.destination}', 'nexthop': '${r.nexthop}'}], the nexthop is not connected with router`,
          "InvalidRoutes",
        );
      }
      return { destination: r.destination, nexthop: r.nexthop };
    });
    router.routes = routes;
  }
  router.name = str(input, "name") ?? router.name;
  router.description = str(input, "description") ?? router.description;
  router.admin_state_up = bool(input, "admin_state_up") ?? router.admin_state_up;
  router.distributed = bool(input, "distributed") ?? router.distributed;
  router.ha = bool(input, "ha") ?? router.ha;
  bump(router);
}

function deleteRouter(ctx: Ctx, router: NeutronRouter): void {
  if (routerInterfaces(ctx, router).length > 0)
    throw conflict("RouterInUse", `Router ${router.id} still has ports`);
  if (Object.values(ctx.rs.network.floatingIps).some((f) => f.router_id === router.id)) {
    throw conflict("RouterInUse", `Router ${router.id} still has ports`);
  }
  for (const p of Object.values(ctx.rs.network.ports))
    if (p.device_id === router.id) delete ctx.rs.network.ports[p.id];
  delete ctx.rs.network.routers[router.id];
}

/** Neutron's router interface info: exactly these keys (no project_id, no tags; checked on Zed). */
function interfaceInfo(router: NeutronRouter, port: Port): Record<string, unknown> {
  return {
    id: router.id,
    tenant_id: router.project_id,
    port_id: port.id,
    network_id: port.network_id,
    subnet_id: port.fixed_ips[0]?.subnet_id ?? null,
    subnet_ids: port.fixed_ips.map((ip) => ip.subnet_id),
  };
}

function addInterface(
  ctx: Ctx,
  router: NeutronRouter,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const ns = ctx.rs.network;
  const subnetId = input.subnet_id;
  const portId = input.port_id;
  if (subnetId !== undefined && portId !== undefined)
    throw badRequest("Bad router request: Cannot specify both subnet-id and port-id.");
  if (typeof portId === "string") {
    const port = ns.ports[portId];
    if (!port || !owns(ctx, port.project_id))
      throw notFound("PortNotFound", `Port ${portId} could not be found.`);
    if (port.device_id)
      throw conflict(
        "PortInUse",
        `Unable to complete operation on port ${port.id} for network ${port.network_id}. Port already has an attached device ${port.device_id}.`,
      );
    if (port.fixed_ips.length === 0)
      throw badRequest(`Bad router request: Router port must have at least one fixed IP.`);
    for (const ip of port.fixed_ips) {
      if (routerInterfaces(ctx, router).some((p) => p.fixed_ips.some((x) => x.subnet_id === ip.subnet_id))) {
        throw badRequest(`Bad router request: Router already has a port on subnet ${ip.subnet_id}.`);
      }
    }
    port.device_id = router.id;
    port.device_owner = "network:router_interface";
    port.status = "ACTIVE";
    bump(port);
    bump(router);
    return interfaceInfo(router, port);
  }
  if (typeof subnetId !== "string")
    throw badRequest("Bad router request: Either subnet_id or port_id must be specified.");
  const subnet = ns.subnets[subnetId];
  if (!subnet || !visible(ctx, RESOURCES.subnets as ResourceDef, subnet as unknown as Row))
    throw notFound("SubnetNotFound", `Subnet ${subnetId} could not be found.`);
  if (subnet.gateway_ip === null)
    throw badRequest(`Bad router request: Subnet for router interface must have a gateway IP.`);
  if (routerInterfaces(ctx, router).some((p) => p.fixed_ips.some((ip) => ip.subnet_id === subnet.id))) {
    throw badRequest(`Bad router request: Router already has a port on subnet ${subnet.id}.`);
  }
  const cidr = parseCidr(subnet.cidr);
  for (const other of routerInterfaces(ctx, router)) {
    for (const ip of other.fixed_ips) {
      const oc = ns.subnets[ip.subnet_id] ? parseCidr((ns.subnets[ip.subnet_id] as Subnet).cidr) : null;
      if (cidr && oc && cidrOverlap(cidr, oc)) {
        throw badRequest(
          `Bad router request: Cidr ${subnet.cidr} of subnet ${subnet.id} overlaps with cidr ${(ns.subnets[ip.subnet_id] as Subnet).cidr} of subnet ${ip.subnet_id}.`,
        );
      }
    }
  }
  const port = createPort(ctx.core, ctx.rs, {
    projectId: router.project_id,
    networkId: subnet.network_id,
    deviceId: router.id,
    deviceOwner: "network:router_interface",
    fixedIps: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
  });
  bump(router);
  return interfaceInfo(router, port);
}

function removeInterface(
  ctx: Ctx,
  router: NeutronRouter,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const ns = ctx.rs.network;
  const subnetId = input.subnet_id;
  const portId = input.port_id;
  let port: Port | undefined;
  if (typeof portId === "string") {
    port = routerInterfaces(ctx, router).find((p) => p.id === portId);
    if (!port)
      throw notFound(
        "RouterInterfaceNotFound",
        `Router ${router.id} does not have an interface with id ${portId}`,
      );
    if (typeof subnetId === "string" && !port.fixed_ips.some((ip) => ip.subnet_id === subnetId)) {
      throw conflict(
        "SubnetMismatchForPort",
        `Subnet ${subnetId} does not match the subnet of port ${portId}`,
      );
    }
  } else if (typeof subnetId === "string") {
    port = routerInterfaces(ctx, router).find((p) => p.fixed_ips.some((ip) => ip.subnet_id === subnetId));
    if (!port)
      throw notFound(
        "RouterInterfaceNotFoundForSubnet",
        `Router ${router.id} has no interface on subnet ${subnetId}`,
      );
  } else {
    throw badRequest("Bad router request: Either subnet_id or port_id must be specified.");
  }
  for (const ip of port.fixed_ips) {
    const users = Object.values(ns.floatingIps).filter((f) => {
      if (f.router_id !== router.id || !f.port_id) return false;
      const p = ns.ports[f.port_id];
      return p?.fixed_ips.some((x) => x.subnet_id === ip.subnet_id) ?? false;
    });
    if (users.length > 0) {
      throw conflict(
        "RouterInterfaceInUseByFloatingIP",
        `Router interface for subnet ${ip.subnet_id} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`,
      );
    }
  }
  const info = interfaceInfo(router, port);
  delete ns.ports[port.id];
  bump(router);
  return info;
}

// ---------------------------------------------------------------- handlers: security groups

const PROTOCOLS: Record<string, number> = {
  ah: 51,
  dccp: 33,
  egp: 8,
  esp: 50,
  gre: 47,
  hopopt: 0,
  icmp: 1,
  icmpv6: 58,
  igmp: 2,
  ipip: 4,
  ipv6: 41,
  "ipv6-encap": 41,
  "ipv6-frag": 44,
  "ipv6-icmp": 58,
  "ipv6-nonxt": 59,
  "ipv6-opts": 60,
  "ipv6-route": 43,
  ospf: 89,
  pgm: 113,
  rsvp: 46,
  sctp: 132,
  tcp: 6,
  udp: 17,
  udplite: 136,
  vrrp: 112,
};

function normalizeProtocol(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === "any" || raw === "") return null;
  const text = asText(raw).toLowerCase();
  if (text in PROTOCOLS) return text;
  if (/^\d+$/.test(text) && Number(text) <= 255) return text;
  throw badRequest(
    `Security group rule protocol ${asText(raw)} not supported. Only protocol values [None, 'ah', 'dccp', 'egp', 'esp', 'gre', 'hopopt', 'icmp', 'igmp', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp'] and integer representations [0 to 255] are supported.`,
    "SecurityGroupRuleInvalidProtocol",
  );
}

function protocolNumber(p: string | null): number | null {
  if (p === null) return null;
  return PROTOCOLS[p] ?? Number(p);
}

function portNumber(raw: unknown, key: string): number | null {
  if (raw === undefined || raw === null) return null;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw badRequest(
      `Invalid input for ${key}. Reason: '${asText(raw)}' is not a valid port number.`,
      "HTTPBadRequest",
    );
  return n;
}

function createRule(ctx: Ctx, input: Record<string, unknown>): SecurityGroupRule {
  checkAttrs(
    input,
    [
      "security_group_id",
      "direction",
      "ethertype",
      "protocol",
      "port_range_min",
      "port_range_max",
      "remote_ip_prefix",
      "remote_group_id",
      "remote_address_group_id",
      "description",
      "project_id",
      "tenant_id",
    ],
    ["id"],
  );
  const sgId = str(input, "security_group_id");
  if (sgId === undefined)
    throw badRequest(
      "Failed to parse request. Required attribute 'security_group_id' not specified",
      "HTTPBadRequest",
    );
  const sg = ctx.rs.network.securityGroups[sgId];
  if (!sg || !owns(ctx, sg.project_id))
    throw notFound("SecurityGroupNotFound", `Security group ${sgId} does not exist`);
  const direction = input.direction;
  if (direction !== "ingress" && direction !== "egress") {
    throw badRequest(
      `Invalid input for direction. Reason: '${String(direction)}' is not in ['ingress', 'egress'].`,
      "HTTPBadRequest",
    );
  }
  const ethertype = input.ethertype === undefined ? "IPv4" : input.ethertype;
  if (ethertype !== "IPv4" && ethertype !== "IPv6") {
    throw badRequest(
      `Invalid input for ethertype. Reason: '${asText(ethertype)}' is not in ['IPv4', 'IPv6'].`,
      "HTTPBadRequest",
    );
  }
  const protocol = normalizeProtocol(input.protocol);
  let min = portNumber(input.port_range_min, "port_range_min");
  let max = portNumber(input.port_range_max, "port_range_max");
  const pnum = protocolNumber(protocol);
  if ((min !== null || max !== null) && protocol === null)
    throw badRequest(
      "Must also specify protocol if port range is given.",
      "SecurityGroupProtocolRequiredWithPorts",
    );
  if (pnum === 6 || pnum === 17 || pnum === 132 || pnum === 33 || pnum === 136) {
    if (min !== null && max === null) max = min;
    if (min === null && max !== null) min = max;
    if (min !== null && max !== null && min > max)
      throw badRequest(
        "For TCP/UDP protocols, port_range_min must be <= port_range_max",
        "SecurityGroupInvalidPortRange",
      );
    if (min === 0) throw badRequest("Invalid value for port 0", "SecurityGroupInvalidPortValue");
  } else if (pnum === 1 || pnum === 58) {
    if (min !== null && min > 255)
      throw badRequest(
        `Invalid value for ICMP field (type) ${min}. It must be 0 to 255.`,
        "SecurityGroupInvalidIcmpValue",
      );
    if (max !== null && max > 255)
      throw badRequest(
        `Invalid value for ICMP field (code) ${max}. It must be 0 to 255.`,
        "SecurityGroupInvalidIcmpValue",
      );
    if (min === null && max !== null)
      throw badRequest(
        `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
        "SecurityGroupMissingIcmpType",
      );
  } else if (min !== null || max !== null) {
    throw badRequest(
      `Invalid protocol ${protocol ?? ""} for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.`,
      "SecurityGroupInvalidProtocolForPortRange",
    );
  }
  const remoteIp = str(input, "remote_ip_prefix");
  const remoteGroup = str(input, "remote_group_id");
  if (remoteIp !== undefined && remoteGroup !== undefined)
    throw badRequest(
      "Only remote_ip_prefix or remote_group_id may be provided.",
      "SecurityGroupRemoteGroupAndRemoteIpPrefix",
    );
  let normalized: string | null = null;
  let prefix: string | null = null;
  if (remoteIp !== undefined) {
    const c = parseCidr(remoteIp, false);
    if (!c)
      throw badRequest(
        `Invalid input for remote_ip_prefix. Reason: '${remoteIp}' is not a valid IP subnet.`,
        "HTTPBadRequest",
      );
    if ((c.version === 4 ? "IPv4" : "IPv6") !== ethertype)
      throw badRequest(
        `Conflicting value ethertype ${ethertype} for CIDR ${remoteIp}`,
        "SecurityGroupConflictingValue",
      );
    prefix = remoteIp.includes("/") ? remoteIp : `${remoteIp}/${c.version === 4 ? 32 : 128}`;
    normalized = formatCidr(c);
  }
  if (remoteGroup !== undefined) {
    const rg = ctx.rs.network.securityGroups[remoteGroup];
    if (!rg || !owns(ctx, rg.project_id))
      throw notFound("SecurityGroupNotFound", `Security group ${remoteGroup} does not exist`);
  }
  const duplicate = Object.values(ctx.rs.network.securityGroupRules).find(
    (r) =>
      r.security_group_id === sg.id &&
      r.direction === direction &&
      r.ethertype === ethertype &&
      protocolNumber(r.protocol) === pnum &&
      r.port_range_min === min &&
      r.port_range_max === max &&
      (r.normalized_cidr ?? r.remote_ip_prefix) === normalized &&
      r.remote_group_id === (remoteGroup ?? null),
  );
  if (duplicate)
    throw conflict(
      "SecurityGroupRuleExists",
      `Security group rule already exists. Rule id is ${duplicate.id}.`,
    );
  checkQuota(ctx.rs, sg.project_id, "security_group_rule");
  const rule = ruleRecord(sg.project_id, sg.id, {
    direction,
    ethertype,
    protocol,
    port_range_min: min,
    port_range_max: max,
    remote_ip_prefix: prefix,
    remote_group_id: remoteGroup ?? null,
    normalized_cidr: normalized,
    description: str(input, "description") ?? "",
    belongs_to_default_sg: sg.name === "default",
  });
  ctx.rs.network.securityGroupRules[rule.id] = rule;
  bump(sg);
  return rule;
}

// ---------------------------------------------------------------- handlers: floating IPs

function createFloatingIp(ctx: Ctx, input: Record<string, unknown>): FloatingIp {
  checkAttrs(
    input,
    [
      "floating_network_id",
      "port_id",
      "fixed_ip_address",
      "floating_ip_address",
      "subnet_id",
      "description",
      "dns_name",
      "dns_domain",
      "project_id",
      "tenant_id",
      "qos_policy_id",
      "tags",
    ],
    ["id", "status", "router_id"],
  );
  const networkId = str(input, "floating_network_id");
  if (networkId === undefined)
    throw badRequest(
      "Failed to parse request. Required attribute 'floating_network_id' not specified",
      "HTTPBadRequest",
    );
  const network = ctx.rs.network.networks[networkId];
  if (!network) throw notFound("NetworkNotFound", `Network ${networkId} could not be found.`);
  if (!network["router:external"])
    throw badRequest(`Bad floatingip request: Network ${networkId} is not a valid external network.`);
  const owner = ownerFor(ctx, input, "floatingip");
  if (input.floating_ip_address !== undefined && !ctx.auth.isAdmin)
    throw policy("create_floatingip:floating_ip_address");
  checkQuota(ctx.rs, owner, "floatingip");
  let fixedIps: unknown;
  const subnetId = str(input, "subnet_id");
  const address = str(input, "floating_ip_address");
  if (subnetId !== undefined || address !== undefined)
    fixedIps = [
      { ...(subnetId ? { subnet_id: subnetId } : {}), ...(address ? { ip_address: address } : {}) },
    ];
  const id = uuid();
  const port = createPort(ctx.core, ctx.rs, {
    projectId: "",
    systemOwned: true,
    networkId,
    deviceId: id,
    deviceOwner: "network:floatingip",
    fixedIps,
  });
  port.status = "N/A";
  const fip: FloatingIp = {
    ...common(ctx, owner, str(input, "description") ?? ""),
    id,
    floating_network_id: networkId,
    floating_ip_address: port.fixed_ips[0]?.ip_address ?? "",
    router_id: null,
    port_id: null,
    fixed_ip_address: null,
    status: "DOWN",
    dns_domain: str(input, "dns_domain") ?? "",
    dns_name: str(input, "dns_name") ?? "",
    qos_policy_id: null,
    port_forwardings: [],
  };
  ctx.rs.network.floatingIps[fip.id] = fip;
  const portId = str(input, "port_id");
  try {
    if (portId !== undefined) associate(ctx, fip, portId, str(input, "fixed_ip_address"));
  } catch (err) {
    delete ctx.rs.network.floatingIps[fip.id];
    delete ctx.rs.network.ports[port.id];
    throw err;
  }
  return fip;
}

function updateFloatingIp(ctx: Ctx, fip: FloatingIp, input: Record<string, unknown>): void {
  checkUpdateAttrs(input, ["port_id", "fixed_ip_address", "description", "qos_policy_id"]);
  if ("port_id" in input) {
    if (input.port_id === null) disassociate(fip);
    else if (typeof input.port_id === "string")
      associate(ctx, fip, input.port_id, str(input, "fixed_ip_address"));
  }
  fip.description = str(input, "description") ?? fip.description;
  bump(fip);
}

function deleteFloatingIp(ctx: Ctx, fip: FloatingIp): void {
  for (const p of Object.values(ctx.rs.network.ports))
    if (p.device_id === fip.id && p.device_owner === "network:floatingip") delete ctx.rs.network.ports[p.id];
  delete ctx.rs.network.floatingIps[fip.id];
}

// ---------------------------------------------------------------- router

function changed(ctx: Ctx): void {
  ctx.core.store.changed();
}

function buildRouter(): Router<Ctx> {
  const r = new Router<Ctx>();
  const parse = (ctx: Ctx): Record<string, unknown> => jsonBody(ctx, malformed);

  r.get("/v2.0", (ctx) =>
    jsonResponse(200, {
      resources: Object.values(RESOURCES).map((d) => ({
        name: d.key,
        collection: d.plural,
        links: [{ href: `${ctx.root}/v2.0/${d.path}`, rel: "self" }],
      })),
    }),
  );
  r.get("/v2.0/extensions", () =>
    jsonResponse(200, {
      extensions: EXTENSIONS.map(([alias, name, description]) => ({
        alias,
        name,
        description,
        updated: "2013-01-01T10:00:00-00:00",
        links: [],
      })),
    }),
  );
  r.get("/v2.0/extensions/:alias", (_ctx, p) => {
    const ext = EXTENSIONS.find(([alias]) => alias === p.alias);
    if (!ext) throw notFound("HTTPNotFound", `Extension with alias ${p.alias ?? ""} does not exist`);
    return jsonResponse(200, {
      extension: {
        alias: ext[0],
        name: ext[1],
        description: ext[2],
        updated: "2013-01-01T10:00:00-00:00",
        links: [],
      },
    });
  });
  r.get("/v2.0/availability_zones", () =>
    jsonResponse(200, {
      availability_zones: AVAILABILITY_ZONES.flatMap((name) =>
        ["network", "router"].map((resource) => ({ name, resource, state: "available" })),
      ),
    }),
  );

  for (const def of Object.values(RESOURCES)) {
    r.get(`/v2.0/${def.path}`, (ctx) => listRows(ctx, def));
    r.get(`/v2.0/${def.path}/:id`, (ctx, p) => showRow(ctx, def, p.id ?? ""));
    // Tags (standard-attr-tag).
    r.get(`/v2.0/${def.path}/:id/tags`, (ctx, p) =>
      jsonResponse(200, { tags: getRow(ctx, def, p.id ?? "").tags }),
    );
    r.get(`/v2.0/${def.path}/:id/tags/:tag`, (ctx, p) => {
      const row = getRow(ctx, def, p.id ?? "");
      if (!row.tags.includes(p.tag ?? ""))
        throw notFound("TagNotFound", `Tag ${p.tag ?? ""} could not be found for ${def.key} ${row.id}.`);
      return emptyResponse(204);
    });
    r.put(`/v2.0/${def.path}/:id/tags`, (ctx, p) => {
      const row = getRow(ctx, def, p.id ?? "");
      mustOwn(ctx, def, row, "update");
      const tags = strList(parse(ctx), "tags");
      if (tags === undefined) throw badRequest("Invalid input for tags.", "HTTPBadRequest");
      row.tags = [...new Set(tags)];
      bump(row);
      changed(ctx);
      return jsonResponse(200, { tags: row.tags });
    });
    r.put(`/v2.0/${def.path}/:id/tags/:tag`, (ctx, p) => {
      const row = getRow(ctx, def, p.id ?? "");
      mustOwn(ctx, def, row, "update");
      if (!row.tags.includes(p.tag ?? "")) row.tags.push(p.tag ?? "");
      bump(row);
      changed(ctx);
      return emptyResponse(201);
    });
    r.delete(`/v2.0/${def.path}/:id/tags`, (ctx, p) => {
      const row = getRow(ctx, def, p.id ?? "");
      mustOwn(ctx, def, row, "update");
      row.tags = [];
      bump(row);
      changed(ctx);
      return emptyResponse(204);
    });
    r.delete(`/v2.0/${def.path}/:id/tags/:tag`, (ctx, p) => {
      const row = getRow(ctx, def, p.id ?? "");
      mustOwn(ctx, def, row, "update");
      if (!row.tags.includes(p.tag ?? ""))
        throw notFound("TagNotFound", `Tag ${p.tag ?? ""} could not be found for ${def.key} ${row.id}.`);
      row.tags = row.tags.filter((t) => t !== p.tag);
      bump(row);
      changed(ctx);
      return emptyResponse(204);
    });
  }

  const created = (ctx: Ctx, def: ResourceDef, row: object): SimResponse => {
    changed(ctx);
    return jsonResponse(201, { [def.key]: renderRow(ctx, def, row as Row) });
  };
  const updated = (ctx: Ctx, def: ResourceDef, row: object): SimResponse => {
    changed(ctx);
    return jsonResponse(200, { [def.key]: renderRow(ctx, def, row as Row) });
  };
  const defs = RESOURCES;
  const d = (name: string): ResourceDef => defs[name] as ResourceDef;

  /**
   * POST, PUT and (unless the resource needs its own) DELETE for a resource with Neutron's usual
   * shape: the body wrapped in its singular key, ownership checked, the row answered back.
   */
  const writeRoutes = <T extends object>(
    name: string,
    key: string,
    ops: {
      create: (ctx: Ctx, input: Record<string, unknown>) => T;
      update: (ctx: Ctx, row: T, input: Record<string, unknown>) => void;
      remove?: (ctx: Ctx, row: T) => void;
    },
  ): void => {
    r.post(`/v2.0/${name}`, (ctx) => created(ctx, d(name), ops.create(ctx, take(parse(ctx), key))));
    r.put(`/v2.0/${name}/:id`, (ctx, p) => {
      const row = getRow(ctx, d(name), p.id ?? "");
      mustOwn(ctx, d(name), row, "update");
      ops.update(ctx, row as unknown as T, take(parse(ctx), key));
      return updated(ctx, d(name), row);
    });
    const remove = ops.remove;
    if (!remove) return;
    r.delete(`/v2.0/${name}/:id`, (ctx, p) => {
      const row = getRow(ctx, d(name), p.id ?? "");
      mustOwn(ctx, d(name), row, "delete");
      remove(ctx, row as unknown as T);
      changed(ctx);
      return emptyResponse(204);
    });
  };

  writeRoutes<Network>("networks", "network", {
    create: createNetwork,
    update: updateNetwork,
    remove: deleteNetwork,
  });
  writeRoutes<Subnet>("subnets", "subnet", {
    create: createSubnet,
    update: updateSubnet,
    remove: deleteSubnet,
  });
  // Ports refuse direct deletion of service ports: their DELETE is written out below.
  writeRoutes<Port>("ports", "port", { create: createPortFromApi, update: updatePort });

  r.delete("/v2.0/ports/:id", (ctx, p) => {
    const row = getRow(ctx, d("ports"), p.id ?? "") as unknown as Port;
    mustOwn(ctx, d("ports"), row as unknown as Row, "delete");
    if (
      row.device_owner === "network:router_interface" ||
      row.device_owner === "network:router_gateway" ||
      row.device_owner === "network:floatingip"
    ) {
      throw conflict(
        "ServicePortInUse",
        `Port ${row.id} cannot be deleted directly via the port API: has device owner ${row.device_owner}.`,
      );
    }
    deletePort(ctx.core, ctx.rs, row.id);
    return emptyResponse(204);
  });

  writeRoutes<NeutronRouter>("routers", "router", {
    create: createRouter,
    update: updateRouter,
    remove: deleteRouter,
  });
  r.put("/v2.0/routers/:id/add_router_interface", (ctx, p) => {
    const row = getRow(ctx, d("routers"), p.id ?? "") as unknown as NeutronRouter;
    mustOwn(ctx, d("routers"), row as unknown as Row, "add_router_interface");
    const info = addInterface(ctx, row, parse(ctx));
    changed(ctx);
    return jsonResponse(200, info);
  });
  r.put("/v2.0/routers/:id/remove_router_interface", (ctx, p) => {
    const row = getRow(ctx, d("routers"), p.id ?? "") as unknown as NeutronRouter;
    mustOwn(ctx, d("routers"), row as unknown as Row, "remove_router_interface");
    const info = removeInterface(ctx, row, parse(ctx));
    changed(ctx);
    return jsonResponse(200, info);
  });

  r.post("/v2.0/security-groups", (ctx) => {
    const input = take(parse(ctx), "security_group");
    checkAttrs(
      input,
      ["name", "description", "stateful", "project_id", "tenant_id", "tags", "shared"],
      ["id"],
    );
    const owner = ownerFor(ctx, input, "security_group");
    const name = str(input, "name") ?? "";
    if (
      name === "default" &&
      Object.values(ctx.rs.network.securityGroups).some(
        (sg) => sg.project_id === owner && sg.name === "default",
      )
    ) {
      throw conflict("SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
    }
    ensureDefaultSecurityGroup(ctx.core, ctx.rs, owner);
    checkQuota(ctx.rs, owner, "security_group");
    const sg = createSecurityGroup(
      ctx.rs,
      owner,
      name,
      str(input, "description") ?? "",
      bool(input, "stateful") ?? true,
    );
    if (Array.isArray(input.tags)) sg.tags = strList(input, "tags") ?? [];
    return created(ctx, d("security-groups"), sg);
  });
  r.put("/v2.0/security-groups/:id", (ctx, p) => {
    const row = getRow(ctx, d("security-groups"), p.id ?? "") as unknown as SecurityGroup;
    mustOwn(ctx, d("security-groups"), row as unknown as Row, "update");
    const input = take(parse(ctx), "security_group");
    checkUpdateAttrs(input, ["name", "description", "stateful", "shared"]);
    if (row.name === "default" && input.name !== undefined && input.name !== "default") {
      throw conflict("SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.");
    }
    row.name = str(input, "name") ?? row.name;
    row.description = str(input, "description") ?? row.description;
    row.stateful = bool(input, "stateful") ?? row.stateful;
    bump(row);
    return updated(ctx, d("security-groups"), row);
  });
  r.delete("/v2.0/security-groups/:id", (ctx, p) => {
    const row = getRow(ctx, d("security-groups"), p.id ?? "") as unknown as SecurityGroup;
    mustOwn(ctx, d("security-groups"), row as unknown as Row, "delete");
    if (row.name === "default" && !ctx.auth.isAdmin) {
      throw conflict(
        "SecurityGroupCannotRemoveDefault",
        "Insufficient rights for removing default security group.",
      );
    }
    if (Object.values(ctx.rs.network.ports).some((port) => port.security_groups.includes(row.id))) {
      throw conflict("SecurityGroupInUse", `Security Group ${row.id} in use.`);
    }
    for (const rule of Object.values(ctx.rs.network.securityGroupRules)) {
      if (rule.security_group_id === row.id) delete ctx.rs.network.securityGroupRules[rule.id];
    }
    delete ctx.rs.network.securityGroups[row.id];
    changed(ctx);
    return emptyResponse(204);
  });

  r.post("/v2.0/security-group-rules", (ctx) =>
    created(ctx, d("security-group-rules"), createRule(ctx, take(parse(ctx), "security_group_rule"))),
  );
  r.put("/v2.0/security-group-rules/:id", (ctx, p) => {
    const row = getRow(ctx, d("security-group-rules"), p.id ?? "") as unknown as SecurityGroupRule;
    mustOwn(ctx, d("security-group-rules"), row as unknown as Row, "update");
    const input = take(parse(ctx), "security_group_rule");
    checkUpdateAttrs(input, ["description"]);
    row.description = str(input, "description") ?? row.description;
    bump(row);
    return updated(ctx, d("security-group-rules"), row);
  });
  r.delete("/v2.0/security-group-rules/:id", (ctx, p) => {
    const row = getRow(ctx, d("security-group-rules"), p.id ?? "") as unknown as SecurityGroupRule;
    mustOwn(ctx, d("security-group-rules"), row as unknown as Row, "delete");
    delete ctx.rs.network.securityGroupRules[row.id];
    const sg = ctx.rs.network.securityGroups[row.security_group_id];
    if (sg) bump(sg);
    changed(ctx);
    return emptyResponse(204);
  });

  writeRoutes<FloatingIp>("floatingips", "floatingip", {
    create: createFloatingIp,
    update: updateFloatingIp,
    remove: deleteFloatingIp,
  });

  // --- quotas
  const quotaTarget = (ctx: Ctx, projectId: string): string => {
    if (!ctx.auth.isAdmin && projectId !== ctx.auth.projectId) throw policy("get_quota");
    return projectId;
  };
  r.get("/v2.0/quotas", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("get_quota");
    const quotas = Object.entries(ctx.rs.network.quotas).map(([projectId, q]) => ({
      ...NEUTRON_QUOTA_DEFAULTS,
      ...q,
      project_id: projectId,
      tenant_id: projectId,
    }));
    return jsonResponse(200, { quotas });
  });
  r.get("/v2.0/quotas/:project", (ctx, p) =>
    jsonResponse(200, { quota: neutronQuota(ctx.rs, quotaTarget(ctx, p.project ?? "")) }),
  );
  r.get("/v2.0/quotas/:project/default", (ctx, p) => {
    quotaTarget(ctx, p.project ?? "");
    return jsonResponse(200, { quota: { ...NEUTRON_QUOTA_DEFAULTS } });
  });
  r.get("/v2.0/quotas/:project/details", (ctx, p) => {
    const projectId = quotaTarget(ctx, p.project ?? "");
    const limits = neutronQuota(ctx.rs, projectId);
    const used = usage(ctx.rs, projectId);
    const quota: Record<string, unknown> = {};
    for (const [k, limit] of Object.entries(limits)) quota[k] = { limit, used: used[k] ?? 0, reserved: 0 };
    return jsonResponse(200, { quota });
  });
  r.put("/v2.0/quotas/:project", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("update_quota");
    const input = take(parse(ctx), "quota");
    const current = ctx.rs.network.quotas[p.project ?? ""] ?? {};
    for (const [k, v] of Object.entries(input)) {
      if (k === "force" || k === "check_limit") continue;
      if (!(k in NEUTRON_QUOTA_DEFAULTS))
        throw badRequest(`Unrecognized attribute(s) '${k}'`, "HTTPBadRequest");
      const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < -1)
        throw badRequest(
          `Invalid input for ${k}. Reason: '${String(v)}' is not an integer.`,
          "HTTPBadRequest",
        );
      current[k] = n;
    }
    ctx.rs.network.quotas[p.project ?? ""] = current;
    changed(ctx);
    return jsonResponse(200, { quota: neutronQuota(ctx.rs, p.project ?? "") });
  });
  r.delete("/v2.0/quotas/:project", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("delete_quota");
    delete ctx.rs.network.quotas[p.project ?? ""];
    changed(ctx);
    return emptyResponse(204);
  });

  // --- IP availability (admin), agents (admin) and empty collections clients probe for.
  r.get("/v2.0/network-ip-availabilities", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("get_network_ip_availability");
    return jsonResponse(200, {
      network_ip_availabilities: Object.values(ctx.rs.network.networks).map((n) => ipAvailability(ctx, n)),
    });
  });
  r.get("/v2.0/network-ip-availabilities/:id", (ctx, p) => {
    if (!ctx.auth.isAdmin) throw policy("get_network_ip_availability");
    const n = ctx.rs.network.networks[p.id ?? ""];
    if (!n) throw notFound("NetworkNotFound", `Network ${p.id ?? ""} could not be found.`);
    return jsonResponse(200, { network_ip_availability: ipAvailability(ctx, n) });
  });
  r.get("/v2.0/agents", (ctx) => {
    if (!ctx.auth.isAdmin) throw policy("get_agent");
    return jsonResponse(200, { agents: agents(ctx) });
  });
  for (const [path, key] of [
    ["subnetpools", "subnetpools"],
    ["qos/policies", "policies"],
    ["rbac-policies", "rbac_policies"],
    ["address-scopes", "address_scopes"],
    ["address-groups", "address_groups"],
    ["trunks", "trunks"],
    ["network_segment_ranges", "network_segment_ranges"],
    ["segments", "segments"],
  ] as const) {
    r.get(`/v2.0/${path}`, () => jsonResponse(200, { [key]: [] }));
  }
  return r;
}

function ipAvailability(ctx: Ctx, n: Network): Record<string, unknown> {
  const subnets = Object.values(ctx.rs.network.subnets).filter((s) => s.network_id === n.id);
  const per = subnets.map((s) => {
    let total = 0n;
    for (const pool of s.allocation_pools) {
      const a = parseIp(pool.start);
      const b = parseIp(pool.end);
      if (a && b) total += b.value - a.value + 1n;
    }
    const used = usedIps(ctx.rs, s.id).size;
    return {
      subnet_id: s.id,
      subnet_name: s.name,
      cidr: s.cidr,
      ip_version: s.ip_version,
      total_ips: Number(total),
      used_ips: used,
    };
  });
  return {
    network_id: n.id,
    network_name: n.name,
    tenant_id: n.project_id,
    project_id: n.project_id,
    total_ips: per.reduce((a, s) => a + s.total_ips, 0),
    used_ips: per.reduce((a, s) => a + s.used_ips, 0),
    subnet_ip_availability: per,
  };
}

function agents(ctx: Ctx): Record<string, unknown>[] {
  const now = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "");
  return computeHosts(ctx.region).map((h) => ({
    id: `${h.uuid.slice(0, 24)}${h.id.toString(16).padStart(12, "0")}`,
    agent_type: "OVN Controller agent",
    binary: "ovn-controller",
    host: h.name,
    availability_zone: null,
    topic: "N/A",
    admin_state_up: true,
    alive: true,
    created_at: now,
    started_at: now,
    heartbeat_timestamp: now,
    description: "",
    configurations: { chassis_name: h.uuid, bridge_mappings: "public:br-ex" },
    resources_synced: null,
    ha_state: null,
  }));
}

export function createNetworkService(core: SimCore): SimService {
  const router = buildRouter();
  return {
    name: "network",
    mount: "network",
    global: false,
    catalog: [{ type: "network", name: "neutron", url: (base, region) => `${base}/${region}/network` }],
    async handle(call: ServiceCall): Promise<SimResponse> {
      const req = call.req;
      const path = req.path.replace(/\.json$/, "").replace(/\/+$/, "");
      if (path === "" && (req.method === "GET" || req.method === "HEAD")) {
        return jsonResponse(200, {
          versions: [{ id: "v2.0", status: "CURRENT", links: [{ href: `${call.root}/v2.0/`, rel: "self" }] }],
        });
      }
      const ctx = regionContext(call);
      if (ctx.auth.projectId !== null) ensureDefaultSecurityGroup(core, ctx.rs, ctx.auth.projectId);
      const { handler, params } = resolveRoute(router, { ...req, path });
      return await handler(ctx, params);
    },
    renderError(err: ApiError): SimResponse {
      return neutronBody(err.status, err.message, err.kind);
    },
  };
}
