// Inventory rows of the catalogue → the API's shapes, and the one list query they share.
import type { DbOrTx } from "@/db/client";
import { listInventory, type ResourceRow } from "@/server/services/inventory";

const s = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const n = (v: unknown): number => (typeof v === "number" ? v : 0);

export async function listCatalog<T>(
  db: DbOrTx,
  projectId: string,
  kind: string,
  input: {
    region?: string | undefined;
    q?: string | undefined;
    limit: number;
    cursor?: string | undefined;
    status?: string[] | undefined;
  },
  map: (r: ResourceRow) => T,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const { items, nextCursor } = await listInventory(db, {
    projectId,
    kind,
    q: input.q,
    region: input.region,
    status: input.status,
    sort: "name",
    order: "asc",
    limit: input.limit,
    cursor: input.cursor,
  });
  return { items: items.map(map), nextCursor };
}

export const toImage = (r: ResourceRow) => ({
  id: r.id,
  providerId: r.providerRef ?? "",
  name: r.name,
  status: r.status,
  region: r.region,
  visibility: s(r.attrs.visibility) ?? "private",
  owned: r.attrs.owned === true,
  osDistro: s(r.attrs.osDistro),
  osVersion: s(r.attrs.osVersion),
  sizeBytes: typeof r.attrs.sizeBytes === "number" ? r.attrs.sizeBytes : null,
  minDiskGb: n(r.attrs.minDiskGb),
  minRamMb: n(r.attrs.minRamMb),
  diskFormat: s(r.attrs.diskFormat),
  createdAt: r.createdAt,
});

export const toFlavor = (r: ResourceRow) => ({
  id: r.id,
  providerId: r.providerRef ?? "",
  name: r.name,
  region: r.region,
  vcpus: n(r.attrs.vcpus),
  ramMb: n(r.attrs.ramMb),
  diskGb: n(r.attrs.diskGb),
  isPublic: r.attrs.isPublic !== false,
  description: s(r.attrs.description),
});

export const toKeypair = (r: ResourceRow) => ({
  id: r.id,
  name: r.name,
  region: r.region,
  status: r.status,
  fingerprint: s(r.attrs.fingerprint),
  type: s(r.attrs.type) ?? "ssh",
  publicKey:
    s((r.desired as { publicKey?: string }).publicKey) ?? s((r.observed as { publicKey?: string }).publicKey),
  createdAt: r.createdAt,
});

export const toNetwork = (r: ResourceRow) => ({
  id: r.id,
  providerId: r.providerRef ?? "",
  name: r.name,
  region: r.region,
  status: r.status,
  isDefault: r.attrs.isDefault === true,
  external: r.attrs.external === true,
  shared: r.attrs.shared === true,
  subnetIds: ((r.observed as { subnets?: string[] }).subnets ?? []).filter((x) => typeof x === "string"),
});

export const toSubnet = (r: ResourceRow) => ({
  id: r.id,
  providerId: r.providerRef ?? "",
  name: r.name,
  region: r.region,
  networkId: s(r.attrs.networkId) ?? "",
  cidr: s(r.attrs.cidr) ?? "",
  gatewayIp: s(r.attrs.gatewayIp),
  ipVersion: n(r.attrs.ipVersion) || 4,
  isDefault: r.attrs.isDefault === true,
});

type Rule = {
  id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
};

export const toSecurityGroup = (r: ResourceRow) => ({
  id: r.id,
  providerId: r.providerRef ?? "",
  name: r.name,
  region: r.region,
  description: s(r.attrs.description) ?? "",
  rules: (r.observed as { rules?: Rule[] }).rules ?? [],
});

export const toFloatingIp = (r: ResourceRow) => ({
  id: r.id,
  providerId: r.providerRef ?? "",
  address: r.name,
  region: r.region,
  status: r.status,
  portId: s(r.attrs.portId),
  fixedIp: s(r.attrs.fixedIp),
});

export const toVolume = (r: ResourceRow) => ({
  id: r.id,
  providerId: r.providerRef ?? "",
  name: r.name,
  region: r.region,
  availabilityZone: r.availabilityZone,
  status: r.status,
  sizeGb: n(r.attrs.sizeGb),
  volumeType: s(r.attrs.volumeType),
  bootable: r.attrs.bootable === true,
  attachedTo: s(r.attrs.attachedTo),
  device: s(r.attrs.device),
  createdAt: r.createdAt,
});
