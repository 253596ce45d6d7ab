// Schemas shared by the IAM procedures: users with their role assignments, roles, bindings, tokens.
import { z } from "zod";
import type { BindingView } from "@/server/services/iam/bindings";
import type { RoleWithUse } from "@/server/services/iam/roles";
import type { TokenView } from "@/server/services/iam/tokens";
import type { OrgUser } from "@/server/services/iam/users";
import { isoDate, nameSchema } from "../shared";

export const userRef = z.string().trim().min(1).max(254).describe("User id (or email)");
export const roleRef = z.string().trim().min(1).max(64).describe("Role id or key");
export const projectRef = z.string().trim().min(1).max(64).describe("Project id or slug");

export const bindingOutput = z.object({
  id: z.string().uuid(),
  userId: z.string().uuid(),
  userEmail: z.string(),
  userName: z.string(),
  userStatus: z.string().describe("active | invited | suspended"),
  roleId: z.string().uuid(),
  roleKey: z.string(),
  roleName: z.string(),
  roleIsSystem: z.boolean(),
  scopeType: z
    .enum(["org", "project"])
    .describe("Where the role applies: the whole organisation or one project"),
  projectId: z.string().uuid().nullable(),
  projectSlug: z.string().nullable(),
  projectName: z.string().nullable(),
  createdAt: isoDate,
});

export const toBinding = (b: BindingView): z.infer<typeof bindingOutput> => ({
  id: b.id,
  userId: b.userId,
  userEmail: b.userEmail,
  userName: b.userName,
  userStatus: b.userStatus,
  roleId: b.roleId,
  roleKey: b.roleKey,
  roleName: b.roleName,
  roleIsSystem: b.roleIsSystem,
  scopeType: b.scopeType,
  projectId: b.projectId,
  projectSlug: b.projectSlug,
  projectName: b.projectName,
  createdAt: b.createdAt,
});

export const userOutput = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  status: z.enum(["active", "invited", "suspended"]),
  signIn: z
    .enum(["password", "sso", "none"])
    .describe("How the user signs in; none until an invitation is accepted"),
  lastLoginAt: isoDate.nullable().describe("Last sign-in"),
  joinedAt: isoDate.describe("When the user joined (or was invited to) the organisation"),
  invitationExpiresAt: isoDate.nullable().describe("Expiry of the pending invitation link, if any"),
  roles: z.array(bindingOutput).describe("Role assignments in this organisation"),
});

export const toUser = (u: OrgUser): z.infer<typeof userOutput> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  status: u.status,
  signIn: u.signIn,
  lastLoginAt: u.lastLoginAt,
  joinedAt: u.joinedAt,
  invitationExpiresAt: u.invitationExpiresAt,
  roles: u.roles.map(toBinding),
});

export const invitationOutput = z.object({
  url: z.string().describe("Link the invitee opens to set a password; shown only once"),
  expiresAt: isoDate,
});

export const roleScope = z.enum(["org", "project"]);

export const roleOutput = z.object({
  id: z.string().uuid(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  isSystem: z.boolean().describe("System roles are defined by Cirrus and cannot be changed"),
  scopes: z.array(z.string()).describe("Where the role can be assigned: org, project"),
  permissions: z.array(z.string()),
  bindingCount: z.number().int().describe("Assignments of the role in this organisation"),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const toRole = (r: RoleWithUse): z.infer<typeof roleOutput> => ({
  id: r.id,
  key: r.key,
  name: r.name,
  description: r.description,
  isSystem: r.isSystem,
  scopes: r.scopes,
  permissions: [...r.permissions].sort(),
  bindingCount: r.bindingCount,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const roleFields = {
  name: nameSchema.describe("Display name"),
  description: z.string().trim().max(500).describe("What the role is for"),
  scopes: z
    .array(roleScope)
    .min(1)
    .max(2)
    .describe("Where the role can be assigned: org (the whole organisation), project, or both"),
  permissions: z
    .array(z.string().max(100))
    .min(1)
    .max(500)
    .describe("Permissions from GET /tenant/v1/permissions"),
};

export const tokenOutput = z.object({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string().describe("First characters of the token, to recognise it"),
  project: z
    .object({
      id: z.string().uuid(),
      slug: z.string(),
      name: z.string(),
      orgSlug: z.string(),
      orgName: z.string(),
    })
    .nullable()
    .describe("The one project the token is limited to, or null for all of the owner's access"),
  expiresAt: isoDate,
  expired: z.boolean(),
  lastUsedAt: isoDate.nullable(),
  createdAt: isoDate,
});

export const toToken = (t: TokenView): z.infer<typeof tokenOutput> => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  project: t.project,
  expiresAt: t.expiresAt,
  expired: t.expired,
  lastUsedAt: t.lastUsedAt,
  createdAt: t.createdAt,
});
