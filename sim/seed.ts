// The state of a fresh cloud: Keystone's bootstrap (default domain, admin project/user, roles)
// and, per region, flavors, public images, volume types and the external network `public`.
import { createHash } from "node:crypto";
import { hashSecret } from "./auth";
import { hexId, isoSeconds, uuid } from "./ids";
import type { Flavor, Image, Network, RegionState, SimState, Subnet, VolumeType } from "./model";
import { REGIONS } from "./topology";

export const DEFAULT_DOMAIN_ID = "default";

export function seedState(adminPassword: string): SimState {
  const now = Date.now();
  const adminProject = hexId();
  const adminUser = hexId();
  const roles = ["admin", "member", "reader", "service"].map((name) => ({
    id: hexId(),
    name,
    domain_id: null,
    description: null,
    options: name === "admin" || name === "member" || name === "reader" ? { immutable: true } : {},
  }));
  const adminRole = roles[0]?.id ?? "";
  const state: SimState = {
    version: 1,
    identity: {
      domains: {
        [DEFAULT_DOMAIN_ID]: {
          id: DEFAULT_DOMAIN_ID,
          name: "Default",
          description: "The default domain",
          enabled: true,
          tags: [],
        },
      },
      projects: {
        [adminProject]: {
          id: adminProject,
          name: "admin",
          domain_id: DEFAULT_DOMAIN_ID,
          description: "Bootstrap project for initializing the cloud.",
          enabled: true,
          parent_id: DEFAULT_DOMAIN_ID,
          is_domain: false,
          tags: [],
          options: {},
          extra: {},
        },
      },
      users: {
        [adminUser]: {
          id: adminUser,
          name: "admin",
          domain_id: DEFAULT_DOMAIN_ID,
          enabled: true,
          default_project_id: null,
          description: null,
          email: null,
          password_expires_at: null,
          options: {},
          extra: {},
          createdAt: now,
        },
      },
      passwords: { [adminUser]: hashSecret(adminPassword) },
      roles: Object.fromEntries(roles.map((r) => [r.id, r])),
      assignments: [{ roleId: adminRole, userId: adminUser, projectId: adminProject, domainId: null }],
      appCreds: {},
      tokens: {},
    },
    regions: {},
    transitions: [],
    counters: {},
  };
  for (const region of REGIONS) state.regions[region] = seedRegion(adminProject, now);
  return state;
}

interface FlavorSeed {
  id?: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
}

const FLAVORS: FlavorSeed[] = [
  { id: "1", name: "m1.tiny", vcpus: 1, ram: 512, disk: 1 },
  { id: "2", name: "m1.small", vcpus: 1, ram: 2048, disk: 20 },
  { id: "3", name: "m1.medium", vcpus: 2, ram: 4096, disk: 40 },
  { id: "4", name: "m1.large", vcpus: 4, ram: 8192, disk: 80 },
  { id: "5", name: "m1.xlarge", vcpus: 8, ram: 16384, disk: 160 },
  { name: "c1.small", vcpus: 2, ram: 2048, disk: 20 },
  { name: "c1.medium", vcpus: 4, ram: 4096, disk: 40 },
  { name: "c1.large", vcpus: 8, ram: 8192, disk: 80 },
  { name: "r1.medium", vcpus: 2, ram: 16384, disk: 40 },
  { name: "r1.large", vcpus: 4, ram: 32768, disk: 80 },
  { name: "r1.xlarge", vcpus: 8, ram: 65536, disk: 160 },
];

interface ImageSeed {
  name: string;
  size: number;
  minDisk: number;
  minRam: number;
  diskFormat: string;
  properties: Record<string, string>;
}

const IMAGES: ImageSeed[] = [
  {
    name: "ubuntu-24.04",
    size: 617_349_120,
    minDisk: 10,
    minRam: 512,
    diskFormat: "qcow2",
    properties: {
      os_distro: "ubuntu",
      os_version: "24.04",
      os_type: "linux",
      os_admin_user: "ubuntu",
      architecture: "x86_64",
      hw_qemu_guest_agent: "yes",
    },
  },
  {
    name: "debian-12",
    size: 398_458_880,
    minDisk: 4,
    minRam: 512,
    diskFormat: "qcow2",
    properties: {
      os_distro: "debian",
      os_version: "12",
      os_type: "linux",
      os_admin_user: "debian",
      architecture: "x86_64",
      hw_qemu_guest_agent: "yes",
    },
  },
  {
    name: "rocky-9",
    size: 1_073_741_824,
    minDisk: 10,
    minRam: 1024,
    diskFormat: "qcow2",
    properties: {
      os_distro: "rocky",
      os_version: "9",
      os_type: "linux",
      os_admin_user: "rocky",
      architecture: "x86_64",
    },
  },
  {
    name: "cirros-0.6.2",
    size: 21_430_272,
    minDisk: 1,
    minRam: 64,
    diskFormat: "qcow2",
    properties: {
      os_distro: "cirros",
      os_version: "0.6.2",
      os_type: "linux",
      os_admin_user: "cirros",
      architecture: "x86_64",
    },
  },
];

function seedRegion(adminProject: string, now: number): RegionState {
  const flavors: Record<string, Flavor> = {};
  for (const f of FLAVORS) {
    const id = f.id ?? uuid();
    flavors[id] = {
      id,
      name: f.name,
      vcpus: f.vcpus,
      ram: f.ram,
      disk: f.disk,
      ephemeral: 0,
      swap: 0,
      rxtxFactor: 1,
      isPublic: true,
      disabled: false,
      description: null,
      extraSpecs: f.name.startsWith("c1.") ? { "hw:cpu_policy": "dedicated" } : {},
      access: [],
      createdAt: now,
    };
  }

  const images: Record<string, Image> = {};
  IMAGES.forEach((img, i) => {
    const id = uuid();
    const created = now - (IMAGES.length - i) * 60_000;
    const digest = (algo: string): string => createHash(algo).update(`${img.name}:${img.size}`).digest("hex");
    images[id] = {
      id,
      name: img.name,
      status: "active",
      visibility: "public",
      protected: false,
      os_hidden: false,
      owner: adminProject,
      tags: [],
      container_format: "bare",
      disk_format: img.diskFormat,
      min_disk: img.minDisk,
      min_ram: img.minRam,
      size: img.size,
      virtual_size: null,
      checksum: digest("md5"),
      os_hash_algo: "sha512",
      os_hash_value: digest("sha512"),
      created_at: isoSeconds(created),
      updated_at: isoSeconds(created),
      properties: { ...img.properties },
      createdMs: created,
      stored: false,
    };
  });

  const types: Record<string, VolumeType> = {};
  const addType = (name: string, description: string | null, extra: Record<string, string>): void => {
    const id = uuid();
    types[id] = { id, name, description, is_public: true, extra_specs: extra, qos_specs_id: null };
  };
  addType("__DEFAULT__", "Default Volume Type", {});
  addType("standard", "Standard HDD-backed block storage", { volume_backend_name: "standard" });
  addType("ssd", "SSD-backed block storage", { volume_backend_name: "ssd" });

  const stamp = isoSeconds(now);
  const common = {
    tenant_id: adminProject,
    project_id: adminProject,
    description: "",
    tags: [],
    created_at: stamp,
    updated_at: stamp,
    revision_number: 1,
  };
  const networkId = uuid();
  const subnetId = uuid();
  const network: Network = {
    ...common,
    id: networkId,
    name: "public",
    admin_state_up: true,
    status: "ACTIVE",
    subnets: [subnetId],
    shared: false,
    "router:external": true,
    mtu: 1500,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    port_security_enabled: true,
    is_default: true,
    l2_adjacency: true,
    "provider:network_type": "flat",
    "provider:physical_network": "public",
    "provider:segmentation_id": null,
    qos_policy_id: null,
    dns_domain: "",
  };
  const subnet: Subnet = {
    ...common,
    id: subnetId,
    revision_number: 0,
    name: "public-subnet",
    network_id: networkId,
    ip_version: 4,
    cidr: "172.24.4.0/24",
    gateway_ip: "172.24.4.1",
    allocation_pools: [{ start: "172.24.4.2", end: "172.24.4.254" }],
    dns_nameservers: [],
    host_routes: [],
    enable_dhcp: false,
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    service_types: [],
    dns_publish_fixed_ip: false,
  };

  return {
    compute: { servers: {}, flavors, keypairs: {}, serverGroups: {}, quotas: {} },
    network: {
      networks: { [networkId]: network },
      subnets: { [subnetId]: subnet },
      ports: {},
      routers: {},
      securityGroups: {},
      securityGroupRules: {},
      floatingIps: {},
      quotas: {},
    },
    volume: { volumes: {}, snapshots: {}, types, quotas: {} },
    image: { images, members: [] },
  };
}
