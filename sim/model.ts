// Shapes of the persisted simulator state. Neutron, Cinder and Glance records are kept in their
// API shape (snake_case, as returned on the wire) so filters and `fields=` work on them directly;
// Nova and Keystone records are internal because their rendering depends on microversion/scope.

export type Table<T> = Record<string, T>;

// ---------------------------------------------------------------- identity (global)

export interface Domain {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  tags: string[];
}

export interface Project {
  id: string;
  name: string;
  domain_id: string;
  description: string;
  enabled: boolean;
  parent_id: string;
  is_domain: false;
  tags: string[];
  options: Record<string, unknown>;
  extra: Record<string, unknown>;
}

export interface User {
  id: string;
  name: string;
  domain_id: string;
  enabled: boolean;
  default_project_id: string | null;
  description: string | null;
  email: string | null;
  password_expires_at: string | null;
  options: Record<string, unknown>;
  extra: Record<string, unknown>;
  createdAt: number;
}

export interface Role {
  id: string;
  name: string;
  domain_id: string | null;
  description: string | null;
  options: Record<string, unknown>;
}

export interface Assignment {
  roleId: string;
  userId: string;
  /** Exactly one of projectId / domainId is set. */
  projectId: string | null;
  domainId: string | null;
}

export interface AppCredential {
  id: string;
  name: string;
  userId: string;
  projectId: string;
  description: string | null;
  secretHash: string;
  expiresAt: number | null;
  roleIds: string[];
  unrestricted: boolean;
  createdAt: number;
}

export type TokenScope =
  | { kind: "project"; projectId: string }
  | { kind: "domain"; domainId: string }
  | { kind: "system" }
  | { kind: "unscoped" };

export interface Token {
  id: string;
  userId: string;
  methods: string[];
  issuedAt: number;
  expiresAt: number;
  scope: TokenScope;
  auditIds: string[];
  appCredId: string | null;
  revoked: boolean;
}

export interface IdentityState {
  domains: Table<Domain>;
  projects: Table<Project>;
  users: Table<User>;
  passwords: Table<string>;
  roles: Table<Role>;
  assignments: Assignment[];
  appCreds: Table<AppCredential>;
  tokens: Table<Token>;
}

// ---------------------------------------------------------------- compute (Nova)

export interface FlavorSnapshot {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral: number;
  swap: number;
  extraSpecs: Record<string, string>;
}

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  access: string[];
  createdAt: number;
}

export interface ServerFault {
  code: number;
  message: string;
  details: string;
  created: number;
}

export interface VolumeAttachmentRecord {
  volumeId: string;
  device: string;
  tag: string | null;
  deleteOnTermination: boolean;
  attachmentId: string;
  bdmUuid: string;
  bootIndex: number | null;
}

export interface Server {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  createdAt: number;
  updatedAt: number;
  launchedAt: number | null;
  vmState: string;
  taskState: string | null;
  powerState: number;
  flavor: FlavorSnapshot;
  oldFlavor: FlavorSnapshot | null;
  imageId: string | null;
  keyName: string | null;
  keyData: string | null;
  userData: string | null;
  metadata: Record<string, string>;
  availabilityZone: string;
  host: string;
  instanceName: string;
  /** Security groups asked for at boot, used when the server has no port to carry them. */
  requestedSecurityGroups: string[];
  locked: boolean;
  lockedReason: string | null;
  lockedByAdmin: boolean;
  configDrive: string;
  description: string | null;
  tags: string[];
  hostname: string;
  accessIPv4: string;
  accessIPv6: string;
  fault: ServerFault | null;
  progress: number;
  reservationId: string;
  launchIndex: number;
  volumes: VolumeAttachmentRecord[];
  /** Id of the transition chain in flight; a stale timer compares and gives up. */
  opId: string | null;
  /** Set while a delete is in flight, so a restart can finish it. */
  deleting: boolean;
  /** vm_state to return to when a reboot/revert/confirm finishes. */
  resumeVmState: string | null;
  serverGroupId: string | null;
  trustedCerts: string[] | null;
  /** Networks asked for at boot; ports are made when the build reaches networking. */
  requestedNetworks: RequestedNetwork[];
  /** Ports Nova created (deleted with the server); user-supplied ports are only unbound. */
  ownedPorts: string[];
  actions: InstanceAction[];
  /** Shelved servers keep their place in the AZ but lose their host. */
  shelvedAt: number | null;
  /** Power on/off history [ms, 1|0], oldest first: synthetic metrics only accrue while running. */
  powerLog?: [number, number][];
  /** Decided at the API (no valid host, volume quota, ...): the build fails with this fault. */
  buildFailure?: string | null;
  /** Set when the scheduler has placed the server (hostId and AZ show from then on). */
  scheduled?: boolean;
  /** Boot-from-volume or attached-at-boot volumes still being prepared. */
  pendingVolumes?: string[];
}

export interface RequestedNetwork {
  networkId: string | null;
  portId: string | null;
  fixedIp: string | null;
  tag: string | null;
}

export interface InstanceAction {
  action: string;
  requestId: string;
  userId: string;
  projectId: string;
  startTime: number;
  updatedAt: number;
  message: string | null;
  events: { event: string; start: number; finish: number | null; result: string | null }[];
}

export interface Keypair {
  id: number;
  name: string;
  userId: string;
  publicKey: string;
  fingerprint: string;
  type: "ssh" | "x509";
  createdAt: number;
}

export interface ServerGroup {
  id: string;
  name: string;
  policy: string;
  rules: Record<string, unknown>;
  members: string[];
  projectId: string;
  userId: string;
  metadata: Record<string, string>;
}

export interface ComputeState {
  servers: Table<Server>;
  flavors: Table<Flavor>;
  keypairs: Table<Keypair>;
  serverGroups: Table<ServerGroup>;
  quotas: Table<Record<string, number>>;
}

// ---------------------------------------------------------------- network (Neutron)

export interface NeutronCommon {
  id: string;
  tenant_id: string;
  project_id: string;
  description: string;
  tags: string[];
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export interface Network extends NeutronCommon {
  name: string;
  admin_state_up: boolean;
  status: string;
  subnets: string[];
  shared: boolean;
  "router:external": boolean;
  mtu: number;
  availability_zone_hints: string[];
  availability_zones: string[];
  ipv4_address_scope: string | null;
  ipv6_address_scope: string | null;
  port_security_enabled: boolean;
  is_default: boolean;
  l2_adjacency: boolean;
  "provider:network_type": string;
  "provider:physical_network": string | null;
  "provider:segmentation_id": number | null;
  qos_policy_id: string | null;
  dns_domain: string;
}

export interface AllocationPool {
  start: string;
  end: string;
}

export interface Subnet extends NeutronCommon {
  name: string;
  network_id: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  dns_nameservers: string[];
  host_routes: { destination: string; nexthop: string }[];
  enable_dhcp: boolean;
  ipv6_ra_mode: string | null;
  ipv6_address_mode: string | null;
  subnetpool_id: string | null;
  service_types: string[];
  dns_publish_fixed_ip: boolean;
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface Port extends NeutronCommon {
  name: string;
  network_id: string;
  mac_address: string;
  admin_state_up: boolean;
  status: string;
  device_id: string;
  device_owner: string;
  fixed_ips: FixedIp[];
  allowed_address_pairs: { ip_address: string; mac_address: string }[];
  extra_dhcp_opts: unknown[];
  security_groups: string[];
  port_security_enabled: boolean;
  "binding:host_id": string;
  "binding:vif_type": string;
  "binding:vif_details": Record<string, unknown>;
  "binding:vnic_type": string;
  "binding:profile": Record<string, unknown>;
  dns_name: string;
  dns_assignment: { hostname: string; ip_address: string; fqdn: string }[];
  ip_allocation: string;
  propagate_uplink_status: boolean;
  qos_policy_id: string | null;
  qos_network_policy_id: string | null;
}

export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: FixedIp[];
}

export interface Router extends NeutronCommon {
  name: string;
  admin_state_up: boolean;
  status: string;
  external_gateway_info: ExternalGatewayInfo | null;
  availability_zone_hints: string[];
  availability_zones: string[];
  routes: { destination: string; nexthop: string }[];
  distributed: boolean;
  ha: boolean;
  flavor_id: string | null;
}

export interface SecurityGroup extends NeutronCommon {
  name: string;
  stateful: boolean;
  shared: boolean;
}

export interface SecurityGroupRule extends NeutronCommon {
  security_group_id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  normalized_cidr: string | null;
  belongs_to_default_sg: boolean;
}

export interface FloatingIp extends NeutronCommon {
  floating_network_id: string;
  floating_ip_address: string;
  router_id: string | null;
  port_id: string | null;
  fixed_ip_address: string | null;
  status: string;
  dns_domain: string;
  dns_name: string;
  qos_policy_id: string | null;
  port_forwardings: unknown[];
}

export interface NetworkState {
  networks: Table<Network>;
  subnets: Table<Subnet>;
  ports: Table<Port>;
  routers: Table<Router>;
  securityGroups: Table<SecurityGroup>;
  securityGroupRules: Table<SecurityGroupRule>;
  floatingIps: Table<FloatingIp>;
  quotas: Table<Record<string, number>>;
}

// ---------------------------------------------------------------- volume (Cinder)

export interface CinderAttachment {
  id: string;
  attachment_id: string;
  volume_id: string;
  server_id: string;
  host_name: string | null;
  device: string;
  attached_at: string;
}

export interface Volume {
  id: string;
  name: string | null;
  description: string | null;
  status: string;
  size: number;
  availability_zone: string;
  created_at: string;
  updated_at: string | null;
  attachments: CinderAttachment[];
  volume_type: string;
  volume_type_id: string;
  snapshot_id: string | null;
  source_volid: string | null;
  metadata: Record<string, string>;
  user_id: string;
  project_id: string;
  bootable: "true" | "false";
  encrypted: boolean;
  multiattach: boolean;
  migration_status: string | null;
  replication_status: string | null;
  group_id: string | null;
  host: string;
  volume_image_metadata: Record<string, string> | null;
  /** Milliseconds since epoch, for stable ordering. */
  createdMs: number;
}

export interface Snapshot {
  id: string;
  name: string | null;
  description: string | null;
  status: string;
  size: number;
  volume_id: string;
  created_at: string;
  updated_at: string | null;
  metadata: Record<string, string>;
  project_id: string;
  user_id: string;
  progress: string;
  createdMs: number;
}

export interface VolumeType {
  id: string;
  name: string;
  description: string | null;
  is_public: boolean;
  extra_specs: Record<string, string>;
  qos_specs_id: string | null;
}

export interface VolumeState {
  volumes: Table<Volume>;
  snapshots: Table<Snapshot>;
  types: Table<VolumeType>;
  quotas: Table<Record<string, number>>;
}

// ---------------------------------------------------------------- image (Glance)

/** Glance image: fixed fields plus arbitrary string properties at the top level. */
export interface Image {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  protected: boolean;
  os_hidden: boolean;
  owner: string;
  tags: string[];
  container_format: string | null;
  disk_format: string | null;
  min_disk: number;
  min_ram: number;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  created_at: string;
  updated_at: string;
  properties: Record<string, string>;
  createdMs: number;
  /** Bytes kept for download (memory mode keeps small images only). */
  stored: boolean;
}

export interface ImageMember {
  imageId: string;
  memberId: string;
  status: "pending" | "accepted" | "rejected";
  createdAt: string;
  updatedAt: string;
}

export interface ImageState {
  images: Table<Image>;
  members: ImageMember[];
}

// ---------------------------------------------------------------- whole state

export interface RegionState {
  compute: ComputeState;
  network: NetworkState;
  volume: VolumeState;
  image: ImageState;
}

export interface Transition {
  id: string;
  due: number;
  kind: string;
  region: string;
  target: string;
  data: Record<string, unknown>;
}

export interface SimState {
  version: 1;
  identity: IdentityState;
  regions: Record<string, RegionState>;
  transitions: Transition[];
  counters: Record<string, number>;
}
