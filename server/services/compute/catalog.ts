// The catalogue a project sees in a region (networks, subnets, security groups, images, flavors,
// its key pairs and elastic IPs), mirrored into the inventory so lists and wizards read Postgres,
// never upstream per request. Refreshed by the reconciler, by provisioning, and by the jobs that
// change it.
import { and, eq, isNull, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { resources } from "@/db/schema";
import { notify } from "@/server/realtime/notify";
import type { ScopedClient } from "@/server/providers/openstack/client";
import { collect, projectCloud, type ProjectRef } from "./upstream";

export type CatalogKind =
  | "network"
  | "subnet"
  | "security_group"
  | "image"
  | "flavor"
  | "keypair"
  | "floating_ip";
export const CATALOG_KINDS: CatalogKind[] = [
  "network",
  "subnet",
  "security_group",
  "image",
  "flavor",
  "keypair",
  "floating_ip",
];

/** Tag on the network and subnet a project's provisioning made (its default VPC). */
export const DEFAULT_VPC_TAG = "cirrus:default-vpc";

/**
 * Nova key pairs belong to the (shared) service user: the portal prefixes names with the project
 * id. Below microversion 2.92 Nova allows only letters, digits, spaces, "_" and "-" in names.
 */
export function novaKeypairName(projectId: string, name: string): string {
  return `${keypairPrefix(projectId)}${name}`;
}

export function keypairPrefix(projectId: string): string {
  return `${projectId}_`;
}

type Attrs = Record<string, string | number | boolean | null>;

export interface MirrorItem {
  providerRef: string;
  name: string;
  status: string;
  attrs: Attrs;
  observed: Record<string, unknown>;
  availabilityZone?: string | null;
}

async function fetchKind(
  cloud: ScopedClient,
  project: ProjectRef,
  kind: CatalogKind,
  keystoneProjectId: string,
): Promise<MirrorItem[]> {
  switch (kind) {
    case "network": {
      const nets = await collect(cloud.network.listNetworks());
      return nets.map((n) => ({
        providerRef: n.id,
        name: n.name || n.id,
        status: n.status ?? "ACTIVE",
        attrs: {
          isDefault: n.tags?.includes(DEFAULT_VPC_TAG) ?? false,
          external: n["router:external"] ?? false,
          shared: n.shared ?? false,
          owned: (n.project_id ?? n.tenant_id) === keystoneProjectId,
        },
        observed: { subnets: n.subnets ?? [], mtu: n.mtu ?? null, description: n.description ?? "" },
      }));
    }
    case "subnet": {
      const subs = await collect(cloud.network.listSubnets());
      return subs.map((s) => ({
        providerRef: s.id,
        name: s.name || s.cidr,
        status: "ACTIVE",
        attrs: {
          networkId: s.network_id,
          cidr: s.cidr,
          gatewayIp: s.gateway_ip ?? null,
          ipVersion: s.ip_version,
          isDefault: s.tags?.includes(DEFAULT_VPC_TAG) ?? false,
        },
        observed: {},
      }));
    }
    case "security_group": {
      const groups = await collect(cloud.network.listSecurityGroups({ project_id: keystoneProjectId }));
      return groups.map((g) => ({
        providerRef: g.id,
        name: g.name,
        status: "ACTIVE",
        attrs: { description: g.description ?? "", rules: g.security_group_rules?.length ?? 0 },
        observed: {
          rules: (g.security_group_rules ?? []).map((r) => ({
            id: r.id,
            direction: r.direction,
            ethertype: r.ethertype ?? "IPv4",
            protocol: r.protocol ?? null,
            portRangeMin: r.port_range_min ?? null,
            portRangeMax: r.port_range_max ?? null,
            remoteIpPrefix: r.remote_ip_prefix ?? null,
            remoteGroupId: r.remote_group_id ?? null,
          })),
        },
      }));
    }
    case "image": {
      const images = await collect(cloud.image.listImages());
      return images
        .filter((i) => i.status !== "deleted" && i.status !== "killed")
        .map((i) => {
          const props = i as Record<string, unknown>;
          const str = (k: string) => (typeof props[k] === "string" ? props[k] : null);
          return {
            providerRef: i.id,
            name: i.name ?? i.id,
            status: i.status,
            attrs: {
              visibility: i.visibility ?? "private",
              owned: i.owner === keystoneProjectId,
              osDistro: str("os_distro"),
              osVersion: str("os_version"),
              sizeBytes: i.size ?? null,
              minDiskGb: i.min_disk ?? 0,
              minRamMb: i.min_ram ?? 0,
              diskFormat: i.disk_format ?? null,
              snapshotOf: str("instance_uuid"),
            },
            observed: { createdAt: i.created_at ?? null },
          };
        });
    }
    case "flavor": {
      const flavors = await cloud.compute.listFlavors();
      return flavors.map((f) => ({
        providerRef: f.id,
        name: f.name,
        status: "ACTIVE",
        attrs: {
          vcpus: f.vcpus,
          ramMb: f.ram,
          diskGb: f.disk,
          isPublic: f["os-flavor-access:is_public"] ?? true,
          description: f.description ?? null,
        },
        observed: {},
      }));
    }
    case "keypair": {
      const prefix = keypairPrefix(project.id);
      const keys = await cloud.compute.listKeypairs();
      return keys
        .filter((k) => k.name.startsWith(prefix))
        .map((k) => ({
          providerRef: k.name,
          name: k.name.slice(prefix.length),
          status: "ACTIVE",
          attrs: { fingerprint: k.fingerprint ?? null, type: k.type ?? "ssh" },
          observed: { publicKey: k.public_key ?? null },
        }));
    }
    case "floating_ip": {
      const fips = await collect(cloud.network.listFloatingIps({ project_id: keystoneProjectId }));
      return fips.map((f) => ({
        providerRef: f.id,
        name: f.floating_ip_address,
        status: f.status ?? "DOWN",
        attrs: {
          address: f.floating_ip_address,
          portId: f.port_id ?? null,
          fixedIp: f.fixed_ip_address ?? null,
          networkId: f.floating_network_id,
        },
        observed: {},
      }));
    }
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Writes what upstream holds of one kind; rows upstream no longer has are marked deleted. */
export async function mirror(
  db: DbOrTx,
  project: ProjectRef,
  region: string,
  kind: CatalogKind,
  items: MirrorItem[],
): Promise<number> {
  const existing = await db
    .select()
    .from(resources)
    .where(and(eq(resources.projectId, project.id), eq(resources.kind, kind), eq(resources.region, region)));
  const byRef = new Map(existing.map((r) => [r.providerRef, r]));
  let changed = 0;
  const now = new Date();
  for (const item of items) {
    const row = byRef.get(item.providerRef);
    if (
      row &&
      !row.deletedAt &&
      row.name === item.name &&
      row.status === item.status &&
      same(row.attrs, { ...row.attrs, ...item.attrs }) &&
      same(row.observed, { ...row.observed, ...item.observed })
    )
      continue;
    const [written] = await db
      .insert(resources)
      .values({
        kind,
        orgId: project.orgId,
        projectId: project.id,
        region,
        availabilityZone: item.availabilityZone ?? null,
        name: item.name,
        status: item.status,
        providerRef: item.providerRef,
        attrs: item.attrs,
        observed: item.observed,
        observedAt: now,
      })
      .onConflictDoUpdate({
        target: [resources.projectId, resources.kind, resources.region, resources.providerRef],
        set: {
          name: item.name,
          status: item.status,
          attrs: sql`${resources.attrs} || ${JSON.stringify(item.attrs)}::jsonb`,
          observed: sql`${resources.observed} || ${JSON.stringify(item.observed)}::jsonb`,
          observedAt: now,
          updatedAt: now,
          deletedAt: null,
        },
      })
      .returning({ id: resources.id });
    changed += 1;
    await notify(db, {
      type: "resource",
      orgId: project.orgId,
      projectId: project.id,
      kind,
      id: written!.id,
    });
  }
  const seen = items.map((i) => i.providerRef);
  const gone = await db
    .update(resources)
    .set({ deletedAt: now, updatedAt: now, status: "DELETED" })
    .where(
      and(
        eq(resources.projectId, project.id),
        eq(resources.kind, kind),
        eq(resources.region, region),
        isNull(resources.deletedAt),
        // a row a job is still creating has no upstream twin yet
        sql`${resources.status} not in ('CREATING')`,
        seen.length > 0 ? notInArray(resources.providerRef, seen) : undefined,
      ),
    )
    .returning({ id: resources.id });
  for (const g of gone)
    await notify(db, { type: "resource", orgId: project.orgId, projectId: project.id, kind, id: g.id });
  return changed + gone.length;
}

/** Refreshes the project's catalogue in a region (all kinds, or the ones given). */
export async function syncCatalog(
  db: DbOrTx,
  project: ProjectRef,
  region: string,
  kinds: CatalogKind[] = CATALOG_KINDS,
): Promise<number> {
  const cloud = projectCloud(project, region);
  const keystoneProjectId = project.upstream[region]!.keystoneProjectId!;
  let changed = 0;
  for (const kind of kinds) {
    const items = await fetchKind(cloud, project, kind, keystoneProjectId);
    changed += await mirror(db, project, region, kind, items);
  }
  return changed;
}
