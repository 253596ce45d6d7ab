// Shapes of the compute API: instances, their actions, and the catalogue lists (images, flavors,
// key pairs, networks, subnets, security groups) read from the inventory.
import { z } from "zod";
import { INSTANCE_ACTIONS } from "@/lib/compute/actions";
import { isoDate, jobSummary, nameSchema, pageInput } from "../shared";

const labelsSchema = z
  .record(z.string().max(63), z.string().max(63))
  .describe("At most 5 key/value labels (keys: letters, digits, . _ / -)");

/** Nova server names: printable, no leading/trailing space. */
export const instanceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    "use letters, digits, dots, dashes and underscores; start with a letter or digit",
  );

export const instanceOutput = z.object({
  id: z.string().uuid(),
  name: z.string(),
  description: z.string(),
  status: z
    .string()
    .describe(
      "CREATING | DELETING (portal) or Nova's status: BUILD, ACTIVE, SHUTOFF, PAUSED, SUSPENDED, REBOOT, RESIZE, VERIFY_RESIZE, ERROR...",
    ),
  region: z.string(),
  availabilityZone: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  providerId: z.string().nullable().describe("The Nova server id, once created"),
  flavor: z
    .object({ id: z.string(), name: z.string(), vcpus: z.number(), ramMb: z.number(), diskGb: z.number() })
    .nullable(),
  image: z.object({ id: z.string(), name: z.string() }).nullable(),
  bootFromVolume: z.boolean(),
  keyName: z.string().nullable(),
  privateIps: z.array(z.string()),
  floatingIps: z.array(z.string()),
  taskState: z.string().nullable().describe("Nova's task_state while it works on the server"),
  locked: z.boolean(),
  lockedReason: z.string().nullable(),
  pendingAction: z.string().nullable().describe("The portal action in progress, if any"),
  fault: z.string().nullable().describe("Why the server failed (ERROR), from Nova"),
  securityGroups: z.array(z.string()),
  lastJob: jobSummary.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  observedAt: isoDate.nullable(),
});
export type InstanceOutput = z.infer<typeof instanceOutput>;

export const instanceDetailOutput = instanceOutput.extend({
  interfaces: z.array(
    z.object({
      portId: z.string(),
      networkId: z.string().nullable(),
      networkName: z.string().nullable(),
      macAddress: z.string().nullable(),
      fixedIps: z.array(z.object({ ip: z.string(), subnetId: z.string().nullable() })),
      floatingIps: z.array(z.object({ id: z.string(), ip: z.string() })),
    }),
  ),
  volumes: z.array(
    z.object({
      id: z.string().uuid().nullable().describe("Inventory id of the volume"),
      providerId: z.string(),
      name: z.string(),
      sizeGb: z.number().nullable(),
      volumeType: z.string().nullable(),
      device: z.string().nullable(),
      boot: z.boolean(),
      deleteOnTermination: z.boolean(),
    }),
  ),
  securityGroupDetails: z.array(z.object({ id: z.string().nullable(), name: z.string() })),
  userDataPresent: z.boolean(),
});
export type InstanceDetailOutput = z.infer<typeof instanceDetailOutput>;

const sortSchema = z.enum(["createdAt", "name", "status"]).optional();

export const listInstancesInput = z.object({
  q: z.string().trim().max(100).optional().describe("Name contains"),
  status: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? undefined : (Array.isArray(v) ? v : v.split(",")).filter(Boolean)))
    .describe("One or more statuses (comma-separated)"),
  region: z.string().max(64).optional(),
  availabilityZone: z.string().max(64).optional(),
  flavor: z.string().max(64).optional().describe("Flavor id"),
  image: z.string().max(64).optional().describe("Image id"),
  label: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]))
    .describe("key=value or key (any value); repeat for several"),
  sort: sortSchema,
  order: z.enum(["asc", "desc"]).optional(),
  ...pageInput,
});

export const rootVolumeSchema = z.object({
  sizeGb: z.number().int().min(1).max(16384).describe("Size of the boot volume (GB)"),
  volumeType: z.string().max(64).optional().describe("Cinder volume type; the default type when omitted"),
  deleteOnTermination: z.boolean().default(true),
});

export const createInstancesInput = z.object({
  name: instanceNameSchema.describe("Name; with count > 1 the instances are named name-1, name-2..."),
  description: z.string().trim().max(255).optional(),
  region: z.string().min(1).max(64),
  availabilityZone: z.string().min(1).max(64).optional().describe("A zone of the region; any when omitted"),
  imageId: z.string().min(1).max(64).describe("Glance image id"),
  flavorId: z.string().min(1).max(64).describe("Nova flavor id"),
  networkId: z.string().min(1).max(64).describe("Neutron network id"),
  subnetId: z.string().min(1).max(64).optional().describe("A subnet of the network for the fixed IP"),
  securityGroupIds: z.array(z.string().min(1).max(64)).max(10).optional(),
  keyPairName: z.string().min(1).max(64).optional().describe("Name of one of the project's key pairs"),
  userData: z
    .string()
    .max(65535)
    .optional()
    .describe("cloud-init user data: #cloud-config YAML or a script starting with #!"),
  rootVolume: rootVolumeSchema
    .optional()
    .describe("Boot from a new volume instead of the image's local disk"),
  additionalVolumes: z
    .array(
      z.object({ sizeGb: z.number().int().min(1).max(16384), volumeType: z.string().max(64).optional() }),
    )
    .max(8)
    .optional()
    .describe("Blank volumes created and attached at boot (deleted with the instance)"),
  count: z.number().int().min(1).max(20).default(1),
  labels: labelsSchema.optional(),
});
export type CreateInstancesInput = z.infer<typeof createInstancesInput>;

export const createInstancesOutput = z.object({
  instance: instanceOutput.describe("The first instance created"),
  job: jobSummary.describe("The first instance's job"),
  instances: z.array(instanceOutput.extend({ job: jobSummary })),
});

export const updateInstanceInput = z.object({
  id: z.string().uuid(),
  name: instanceNameSchema.optional(),
  description: z.string().trim().max(255).optional(),
  labels: labelsSchema.optional().describe("Replaces all labels"),
});

const idOnly = z.object({ id: z.string().uuid() });
const upstreamId = z.string().min(1).max(64);
const bare = <A extends string>(action: A) => idOnly.extend({ action: z.literal(action) });

/** The body of POST .../instances/{id}/actions: the action and its parameters. */
export const instanceActionInput = z.discriminatedUnion("action", [
  bare("start"),
  bare("stop"),
  bare("pause"),
  bare("unpause"),
  bare("suspend"),
  bare("resume"),
  bare("reboot"),
  bare("hardReboot"),
  bare("confirmResize"),
  bare("revertResize"),
  bare("unlock"),
  idOnly.extend({ action: z.literal("lock"), reason: z.string().trim().max(255).optional() }),
  idOnly.extend({ action: z.literal("resize"), flavorId: upstreamId }),
  idOnly.extend({ action: z.literal("snapshot"), imageName: nameSchema.describe("Name of the new image") }),
  idOnly.extend({ action: z.literal("rebuild"), imageId: upstreamId }),
  idOnly.extend({
    action: z.literal("attachVolume"),
    volumeId: z.string().uuid().optional().describe("An available volume of the project (inventory id)"),
    newVolume: z
      .object({
        name: nameSchema.optional(),
        sizeGb: z.number().int().min(1).max(16384),
        volumeType: z.string().max(64).optional(),
      })
      .optional()
      .describe("Or create a new blank volume and attach it"),
  }),
  idOnly.extend({
    action: z.literal("detachVolume"),
    volumeId: z.string().uuid().describe("Inventory id of the volume"),
  }),
  idOnly.extend({
    action: z.literal("attachInterface"),
    networkId: upstreamId,
    subnetId: upstreamId.optional(),
  }),
  idOnly.extend({ action: z.literal("detachInterface"), portId: upstreamId }),
  idOnly.extend({ action: z.literal("addSecurityGroup"), securityGroupId: upstreamId }),
  idOnly.extend({ action: z.literal("removeSecurityGroup"), securityGroupId: upstreamId }),
  idOnly.extend({
    action: z.literal("associateFloatingIp"),
    floatingIpId: upstreamId
      .optional()
      .describe("An existing unassociated elastic IP; a new one is allocated when omitted"),
    portId: upstreamId.optional().describe("The interface to associate with; the first when omitted"),
  }),
  idOnly.extend({
    action: z.literal("disassociateFloatingIp"),
    floatingIpId: upstreamId,
    release: z.boolean().default(true).describe("Also release the address back to the pool"),
  }),
]);
export type InstanceActionInput = z.infer<typeof instanceActionInput>;

/**
 * The same body as one flat object, for the procedure's input: OpenAPI generators need an object
 * to find the {id} path parameter in. The handler checks it against instanceActionInput.
 */
export const instanceActionRequest = z.object({
  id: z.string().uuid(),
  action: z.enum(INSTANCE_ACTIONS).describe("The lifecycle action"),
  reason: z.string().trim().max(255).optional().describe("lock: why (shown to others)"),
  flavorId: upstreamId.optional().describe("resize: the new flavor"),
  imageName: nameSchema.optional().describe("snapshot: name of the new image"),
  imageId: upstreamId.optional().describe("rebuild: the image"),
  volumeId: z.string().uuid().optional().describe("attachVolume/detachVolume: inventory id of the volume"),
  newVolume: z
    .object({
      name: nameSchema.optional(),
      sizeGb: z.number().int().min(1).max(16384),
      volumeType: z.string().max(64).optional(),
    })
    .optional()
    .describe("attachVolume: create a new blank volume and attach it"),
  networkId: upstreamId.optional().describe("attachInterface: the network"),
  subnetId: upstreamId.optional().describe("attachInterface: a subnet of it"),
  portId: upstreamId.optional().describe("detachInterface / associateFloatingIp: the interface"),
  securityGroupId: upstreamId.optional().describe("add/removeSecurityGroup"),
  floatingIpId: upstreamId.optional().describe("associate/disassociateFloatingIp: the elastic IP"),
  release: z.boolean().optional().describe("disassociateFloatingIp: also release the address (default true)"),
});

export const instanceActionOutput = z.object({ instance: instanceOutput, job: jobSummary });

// --- the catalogue

export const imageOutput = z.object({
  id: z.string().uuid().describe("Inventory id"),
  providerId: z.string().describe("Glance image id"),
  name: z.string(),
  status: z.string(),
  region: z.string(),
  visibility: z.string(),
  owned: z.boolean().describe("Owned by this project (uploaded or a snapshot)"),
  osDistro: z.string().nullable(),
  osVersion: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  minDiskGb: z.number(),
  minRamMb: z.number(),
  diskFormat: z.string().nullable(),
  createdAt: isoDate,
});

export const flavorOutput = z.object({
  id: z.string().uuid(),
  providerId: z.string().describe("Nova flavor id"),
  name: z.string(),
  region: z.string(),
  vcpus: z.number(),
  ramMb: z.number(),
  diskGb: z.number(),
  isPublic: z.boolean(),
  description: z.string().nullable(),
});

export const keypairOutput = z.object({
  id: z.string().uuid(),
  name: z.string(),
  region: z.string(),
  status: z.string(),
  fingerprint: z.string().nullable(),
  type: z.string(),
  publicKey: z.string().nullable(),
  createdAt: isoDate,
});

export const networkOutput = z.object({
  id: z.string().uuid(),
  providerId: z.string().describe("Neutron network id"),
  name: z.string(),
  region: z.string(),
  status: z.string(),
  isDefault: z.boolean().describe("The project's default VPC network in this region"),
  external: z.boolean(),
  shared: z.boolean(),
  subnetIds: z.array(z.string()),
});

export const subnetOutput = z.object({
  id: z.string().uuid(),
  providerId: z.string(),
  name: z.string(),
  region: z.string(),
  networkId: z.string().describe("Neutron network id"),
  cidr: z.string(),
  gatewayIp: z.string().nullable(),
  ipVersion: z.number(),
  isDefault: z.boolean(),
});

export const securityGroupOutput = z.object({
  id: z.string().uuid(),
  providerId: z.string(),
  name: z.string(),
  region: z.string(),
  description: z.string(),
  rules: z.array(
    z.object({
      id: z.string(),
      direction: z.string(),
      ethertype: z.string(),
      protocol: z.string().nullable(),
      portRangeMin: z.number().nullable(),
      portRangeMax: z.number().nullable(),
      remoteIpPrefix: z.string().nullable(),
      remoteGroupId: z.string().nullable(),
    }),
  ),
});

export const catalogListInput = z.object({
  region: z.string().max(64).optional().describe("Only this region"),
  q: z.string().trim().max(100).optional().describe("Name contains"),
  ...pageInput,
});

export const createKeypairInput = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-][A-Za-z0-9 _-]*$/, "use letters, digits, spaces, dashes and underscores"),
  region: z.string().min(1).max(64),
  publicKey: z
    .string()
    .trim()
    .max(16384)
    .optional()
    .describe(
      "OpenSSH public key to import; when omitted an ed25519 key is generated and its private key answered once",
    ),
});

export const createKeypairOutput = keypairOutput.extend({
  privateKey: z.string().nullable().describe("PEM/OpenSSH private key; only in this answer, never stored"),
  job: jobSummary,
});

export const createImageInput = z.object({
  name: nameSchema,
  region: z.string().min(1).max(64),
  diskFormat: z
    .enum(["qcow2", "raw", "vmdk", "vdi", "iso", "vhd", "vhdx", "ami", "ari", "aki"])
    .default("qcow2"),
  containerFormat: z.enum(["bare", "ovf", "ova", "docker", "ami", "ari", "aki"]).default("bare"),
  visibility: z.enum(["private", "shared", "community"]).default("private"),
  minDiskGb: z.number().int().min(0).max(16384).default(0),
  minRamMb: z.number().int().min(0).max(1048576).default(0),
  osDistro: z.string().trim().max(64).optional().describe("os_distro property, e.g. ubuntu"),
  osVersion: z.string().trim().max(64).optional(),
});

export const updateImageInput = z.object({
  id: z.string().uuid(),
  name: nameSchema.optional(),
  visibility: z.enum(["private", "shared", "community"]).optional(),
});

export const createFlavorInput = z.object({
  region: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(64),
  vcpus: z.number().int().min(1).max(512),
  ramMb: z.number().int().min(64).max(4194304),
  diskGb: z.number().int().min(0).max(16384),
  isPublic: z.boolean().default(true),
  description: z.string().trim().max(255).optional(),
});

export const consoleOutput = z.object({
  url: z.string().url(),
  protocol: z.string(),
  type: z.string(),
});

export const consoleLogOutput = z.object({
  output: z.string(),
  lines: z.number(),
});

export { INSTANCE_ACTIONS };

export const floatingIpOutput = z.object({
  id: z.string().uuid(),
  providerId: z.string(),
  address: z.string(),
  region: z.string(),
  status: z.string(),
  portId: z.string().nullable().describe("The interface it is associated with, if any"),
  fixedIp: z.string().nullable(),
});

export const volumeOutput = z.object({
  id: z.string().uuid(),
  providerId: z.string(),
  name: z.string(),
  region: z.string(),
  availabilityZone: z.string().nullable(),
  status: z.string(),
  sizeGb: z.number(),
  volumeType: z.string().nullable(),
  bootable: z.boolean(),
  attachedTo: z.string().nullable().describe("Inventory id of the instance it is attached to"),
  device: z.string().nullable(),
  createdAt: isoDate,
});
