// The permission catalogue and the system roles. A permission is `<service>.<resource>.<action>`;
// every procedure declares one, and roles (system or custom) are sets of them.

/** Permissions that are not held through roles: anyone (public) or any signed-in user (self). */
export const PUBLIC = "public" as const;
export const SELF = "self" as const;

export type Scope = "platform" | "org" | "project";

interface PermissionDef {
  description: string;
  /** The narrowest scope the permission makes sense at. */
  scope: Scope;
  readOnly: boolean;
}

const def = (scope: Scope, description: string, readOnly = false): PermissionDef => ({
  scope,
  description,
  readOnly,
});

export const permissionCatalog = {
  // Platform operators
  "platform.organization.list": def("platform", "List all organisations", true),
  "platform.organization.create": def("platform", "Create organisations"),
  "platform.organization.update": def("platform", "Rename, suspend or reactivate organisations"),
  "platform.flavor.create": def("platform", "Create flavors in every region"),
  "platform.quota.read": def("platform", "Read default quotas", true),
  "platform.quota.update": def("platform", "Change default quotas"),
  "platform.quotarequest.list": def("platform", "List quota requests of every organisation", true),
  // Organisation administration
  "iam.organization.read": def("org", "Read the organisation", true),
  "iam.user.list": def("org", "List users of the organisation", true),
  "iam.user.invite": def("org", "Invite users"),
  "iam.user.suspend": def("org", "Suspend and reactivate users"),
  "iam.user.remove": def("org", "Remove users from the organisation"),
  // Project scope so project admins can read the roles they may assign in their project.
  "iam.role.list": def("project", "List roles", true),
  "iam.role.create": def("org", "Create custom roles"),
  "iam.role.update": def("org", "Change custom roles"),
  "iam.role.delete": def("org", "Delete custom roles"),
  "iam.rolebinding.list": def("project", "List role assignments", true),
  "iam.rolebinding.create": def("project", "Assign roles"),
  "iam.rolebinding.delete": def("project", "Remove role assignments"),
  "resourcemanager.project.list": def("org", "List projects", true),
  "resourcemanager.project.get": def("project", "Read a project", true),
  "resourcemanager.project.create": def("org", "Create projects"),
  "resourcemanager.project.update": def("project", "Rename projects"),
  "resourcemanager.project.delete": def("org", "Delete empty projects"),
  "audit.event.list": def("org", "Read the activity log", true),
  "audit.event.verify": def("org", "Verify the activity log's hash chain", true),
  "quota.org.read": def("org", "Read organisation quotas", true),
  "quota.project.read": def("project", "Read project quotas", true),
  "quota.project.update": def("org", "Change project quotas"),
  // Project scope so project members see their project's requests (org-level holders see all).
  "quota.request.list": def("project", "List quota increase requests", true),
  "quota.request.create": def("project", "Request quota increases"),
  "quota.request.approve": def("org", "Approve or reject quota increase requests"),
  "job.job.list": def("project", "List jobs", true),
  "job.job.get": def("project", "Read a job", true),
  // Compute (used from the compute issue on; declared now so roles are complete)
  "compute.instance.list": def("project", "List virtual machines", true),
  "compute.instance.get": def("project", "Read a virtual machine", true),
  "compute.instance.create": def("project", "Create virtual machines"),
  "compute.instance.update": def("project", "Rename and relabel virtual machines"),
  "compute.instance.delete": def("project", "Delete virtual machines"),
  "compute.instance.action": def("project", "Start, stop, reboot, resize... virtual machines"),
  "compute.image.list": def("project", "List images", true),
  "compute.image.create": def("project", "Upload images"),
  "compute.image.delete": def("project", "Delete images"),
  "compute.flavor.list": def("project", "List flavors", true),
  "compute.keypair.list": def("project", "List key pairs", true),
  "compute.keypair.create": def("project", "Create and import key pairs"),
  "compute.keypair.delete": def("project", "Delete key pairs"),
  "network.network.list": def("project", "List networks", true),
  "network.subnet.list": def("project", "List subnets", true),
  "network.securitygroup.list": def("project", "List security groups", true),
  "storage.volume.list": def("project", "List volumes", true),
  "storage.volume.create": def("project", "Create volumes"),
  "storage.volume.delete": def("project", "Delete volumes"),
  "monitoring.metric.read": def("project", "Read monitoring charts", true),
} as const satisfies Record<string, PermissionDef>;

export type Permission = keyof typeof permissionCatalog;
export type DeclaredPermission = Permission | typeof PUBLIC | typeof SELF;

export const allPermissions = Object.keys(permissionCatalog) as Permission[];

export function isPermission(p: string): p is Permission {
  return Object.hasOwn(permissionCatalog, p);
}

const readPermissions = allPermissions.filter((p) => permissionCatalog[p].readOnly);
const nonPlatform = (p: Permission) => permissionCatalog[p].scope !== "platform";
const projectScoped = (p: Permission) => permissionCatalog[p].scope === "project";

interface SystemRoleDef {
  name: string;
  description: string;
  scopes: Scope[];
  permissions: Permission[];
}

/** Member-level work on resources: everything at project scope but IAM and quota changes. */
const memberPermissions = allPermissions.filter(
  (p) => projectScoped(p) && !p.startsWith("iam.") && p !== "resourcemanager.project.update",
);

export const systemRoles: Record<string, SystemRoleDef> = {
  "platform-admin": {
    name: "Platform admin",
    description: "Operates the whole cloud: every organisation, every permission.",
    scopes: ["platform"],
    permissions: allPermissions,
  },
  "platform-reader": {
    name: "Platform reader",
    description: "Reads everything everywhere, changes nothing.",
    scopes: ["platform"],
    permissions: readPermissions,
  },
  "org-admin": {
    name: "Organisation admin",
    description: "Administers the organisation: users, roles, projects, quotas and every resource.",
    scopes: ["org"],
    permissions: allPermissions.filter(nonPlatform),
  },
  "org-reader": {
    name: "Organisation reader",
    description: "Reads everything in the organisation, changes nothing.",
    scopes: ["org"],
    permissions: readPermissions.filter(nonPlatform),
  },
  "project-admin": {
    name: "Project admin",
    description: "Everything in the project, including who has access to it.",
    scopes: ["project"],
    permissions: allPermissions.filter(projectScoped),
  },
  "project-member": {
    name: "Project member",
    description: "Creates and operates resources in the project.",
    scopes: ["project"],
    permissions: memberPermissions,
  },
  "project-reader": {
    name: "Project reader",
    description: "Reads the project's resources, changes nothing.",
    scopes: ["project"],
    permissions: readPermissions.filter(projectScoped),
  },
};

export type SystemRoleKey = keyof typeof systemRoles;
