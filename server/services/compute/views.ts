// Inventory rows of instances → the API's shapes.
import type { InstanceState } from "@/lib/compute/actions";
import type { ResourceRow } from "@/server/services/inventory";
import type { InstanceDetailOutput, InstanceOutput } from "@/server/routers/compute/schemas";

type JobRef = {
  id: string;
  kind: string;
  state: "PENDING" | "RUNNING" | "RETRYING" | "SUCCEEDED" | "FAILED";
};

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number => (typeof v === "number" ? v : 0);

interface ObservedServer {
  addresses?: Record<
    string,
    { addr: string; "OS-EXT-IPS:type"?: string; "OS-EXT-IPS-MAC:mac_addr"?: string }[]
  >;
  security_groups?: { name: string }[];
}

export function addressesOf(observed: Record<string, unknown>): {
  privateIps: string[];
  floatingIps: string[];
} {
  const server = (observed.server ?? {}) as ObservedServer;
  const privateIps: string[] = [];
  const floatingIps: string[] = [];
  for (const list of Object.values(server.addresses ?? {}))
    for (const a of list) (a["OS-EXT-IPS:type"] === "floating" ? floatingIps : privateIps).push(a.addr);
  return { privateIps, floatingIps };
}

function withElastic(
  addrs: { privateIps: string[]; floatingIps: string[] },
  mirrored: unknown,
): { privateIps: string[]; floatingIps: string[] } {
  // the elastic IPs Neutron holds for the instance's ports (recorded with the instance); Nova's
  // "floating" addresses are only a lagging copy of them
  const floatingIps = typeof mirrored === "string" && mirrored ? mirrored.split(",") : [];
  return { privateIps: addrs.privateIps.filter((ip) => !floatingIps.includes(ip)), floatingIps };
}

export function toInstance(row: ResourceRow, lastJob: JobRef | null = null): InstanceOutput {
  const a = row.attrs;
  const server = (row.observed.server ?? {}) as ObservedServer;
  const desired = row.desired as { description?: string };
  return {
    id: row.id,
    name: row.name,
    description: desired.description ?? "",
    status: row.status,
    region: row.region,
    availabilityZone: row.availabilityZone,
    labels: row.labels,
    providerId: row.providerRef,
    flavor: str(a.flavorId)
      ? {
          id: a.flavorId as string,
          name: str(a.flavorName) ?? (a.flavorId as string),
          vcpus: num(a.vcpus),
          ramMb: num(a.ramMb),
          diskGb: num(a.diskGb),
        }
      : null,
    image: str(a.imageId)
      ? { id: a.imageId as string, name: str(a.imageName) ?? (a.imageId as string) }
      : null,
    bootFromVolume: a.bootFromVolume === true,
    keyName: str(a.keyName),
    ...withElastic(addressesOf(row.observed), a.floatingIps),
    taskState: str(a.taskState),
    locked: a.locked === true,
    lockedReason: str(a.lockedReason),
    pendingAction: str(a.pendingAction),
    fault: str(a.fault),
    securityGroups: [...new Set((server.security_groups ?? []).map((g) => g.name))],
    lastJob,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    observedAt: row.observedAt,
  };
}

interface ObservedInterface {
  port_id: string;
  net_id?: string;
  mac_addr?: string;
  fixed_ips?: { ip_address: string; subnet_id?: string }[];
}

export function toInstanceDetail(
  row: ResourceRow,
  lastJob: JobRef | null,
  related: {
    volumes: ResourceRow[];
    networks: Map<string, string>;
    securityGroups: Map<string, string>;
    floatingIps: ResourceRow[];
  },
): InstanceDetailOutput {
  const base = toInstance(row, lastJob);
  const interfaces = ((row.observed.interfaces ?? []) as ObservedInterface[]).map((i) => ({
    portId: i.port_id,
    networkId: i.net_id ?? null,
    networkName: (i.net_id && related.networks.get(i.net_id)) || null,
    macAddress: i.mac_addr ?? null,
    fixedIps: (i.fixed_ips ?? []).map((f) => ({ ip: f.ip_address, subnetId: f.subnet_id ?? null })),
    floatingIps: related.floatingIps
      .filter((f) => f.attrs.portId === i.port_id)
      .map((f) => ({ id: f.providerRef!, ip: f.name })),
  }));
  const attachments = (row.observed.volumeAttachments ?? []) as {
    volumeId: string;
    device?: string | null;
    delete_on_termination?: boolean;
  }[];
  const volumes = attachments.map((att) => {
    const v = related.volumes.find((r) => r.providerRef === att.volumeId);
    return {
      id: v?.id ?? null,
      providerId: att.volumeId,
      name: v?.name ?? att.volumeId,
      sizeGb: typeof v?.attrs.sizeGb === "number" ? v.attrs.sizeGb : null,
      volumeType: str(v?.attrs.volumeType),
      device: att.device ?? null,
      boot: att.device === "/dev/vda" || v?.attrs.bootable === true,
      deleteOnTermination: att.delete_on_termination ?? false,
    };
  });
  return {
    ...base,
    interfaces,
    volumes,
    securityGroupDetails: base.securityGroups.map((name) => ({
      id: [...related.securityGroups.entries()].find(([, n]) => n === name)?.[0] ?? null,
      name,
    })),
    userDataPresent: Boolean((row.desired as { userData?: string }).userData),
  };
}

/** What the action table needs to know of an instance row. */
export function instanceState(row: ResourceRow): InstanceState {
  return {
    name: row.name,
    status: row.status,
    taskState: str(row.attrs.taskState),
    locked: row.attrs.locked === true,
    lockedReason: str(row.attrs.lockedReason),
    pendingAction: str(row.attrs.pendingAction),
  };
}
