// Keystone v3: domains, projects, users, roles and role assignments, application credentials.
// Keystone lists are not paginated (a `list_limit` may truncate them; `truncated` says so).
import { z } from "zod";
import type { Query, ServiceClient } from "./client";

const links = z.looseObject({ self: z.string().optional() }).optional();

export const domainSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  enabled: z.boolean(),
  tags: z.array(z.string()).optional(),
  links,
});
export type Domain = z.infer<typeof domainSchema>;

export const projectSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  description: z.string().nullish(),
  enabled: z.boolean(),
  parent_id: z.string().nullish(),
  is_domain: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  links,
});
export type Project = z.infer<typeof projectSchema>;

export const userSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string(),
  enabled: z.boolean().optional(),
  email: z.string().nullish(),
  description: z.string().nullish(),
  default_project_id: z.string().nullish(),
  links,
});
export type User = z.infer<typeof userSchema>;

export const roleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  domain_id: z.string().nullish(),
});
export type Role = z.infer<typeof roleSchema>;

const named = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  domain: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
});

export const roleAssignmentSchema = z.looseObject({
  role: named,
  user: named.optional(),
  group: named.optional(),
  scope: z
    .looseObject({
      project: named.optional(),
      domain: named.optional(),
      system: z.record(z.string(), z.unknown()).optional(),
      "OS-INHERIT:inherited_to": z.string().optional(),
    })
    .optional(),
});
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

export const applicationCredentialSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  project_id: z.string().optional(),
  expires_at: z.string().nullish(),
  unrestricted: z.boolean().optional(),
  roles: z.array(z.looseObject({ id: z.string().optional(), name: z.string().optional() })).optional(),
  // only in the answer to a create
  secret: z.string().optional(),
});
export type ApplicationCredential = z.infer<typeof applicationCredentialSchema>;

export interface RoleAssignmentFilter {
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  roleId?: string;
  effective?: boolean;
  includeNames?: boolean;
}

const enc = encodeURIComponent;

export function identityApi(svc: ServiceClient) {
  const list = async <S extends z.ZodType>(path: string, key: string, schema: S, query: Query = {}) =>
    (await svc.json("GET", path, z.looseObject({ [key]: z.array(schema) }), { query }))[key] as z.output<S>[];
  const one = async <S extends z.ZodType>(
    method: string,
    path: string,
    key: string,
    schema: S,
    json?: unknown,
  ) =>
    (await svc.json(method, path, z.looseObject({ [key]: schema }), json === undefined ? {} : { json }))[
      key
    ] as z.output<S>;

  return {
    // --- domains
    listDomains: (query: { name?: string; enabled?: boolean } = {}) =>
      list("/domains", "domains", domainSchema, {
        name: query.name,
        enabled: query.enabled === undefined ? undefined : String(query.enabled),
      }),
    getDomain: (id: string) => one("GET", `/domains/${enc(id)}`, "domain", domainSchema),
    createDomain: (d: { name: string; description?: string; enabled?: boolean }) =>
      one("POST", "/domains", "domain", domainSchema, { domain: d }),
    updateDomain: (id: string, patch: { name?: string; description?: string; enabled?: boolean }) =>
      one("PATCH", `/domains/${enc(id)}`, "domain", domainSchema, { domain: patch }),
    /** Keystone deletes only disabled domains. */
    deleteDomain: async (id: string) => {
      await svc.send("DELETE", `/domains/${enc(id)}`);
    },

    // --- projects
    listProjects: (query: { domainId?: string; name?: string; parentId?: string } = {}) =>
      list("/projects", "projects", projectSchema, {
        domain_id: query.domainId,
        name: query.name,
        parent_id: query.parentId,
      }),
    getProject: (id: string) => one("GET", `/projects/${enc(id)}`, "project", projectSchema),
    createProject: (p: {
      name: string;
      domainId: string;
      description?: string;
      enabled?: boolean;
      tags?: string[];
      parentId?: string;
    }) =>
      one("POST", "/projects", "project", projectSchema, {
        project: {
          name: p.name,
          domain_id: p.domainId,
          ...(p.description !== undefined ? { description: p.description } : {}),
          enabled: p.enabled ?? true,
          ...(p.tags ? { tags: p.tags } : {}),
          ...(p.parentId ? { parent_id: p.parentId } : {}),
        },
      }),
    updateProject: (
      id: string,
      patch: { name?: string; description?: string; enabled?: boolean; tags?: string[] },
    ) => one("PATCH", `/projects/${enc(id)}`, "project", projectSchema, { project: patch }),
    deleteProject: async (id: string) => {
      await svc.send("DELETE", `/projects/${enc(id)}`);
    },

    // --- users
    listUsers: (query: { domainId?: string; name?: string } = {}) =>
      list("/users", "users", userSchema, { domain_id: query.domainId, name: query.name }),
    getUser: (id: string) => one("GET", `/users/${enc(id)}`, "user", userSchema),
    createUser: (u: {
      name: string;
      domainId: string;
      password?: string;
      email?: string;
      description?: string;
      enabled?: boolean;
      defaultProjectId?: string;
    }) =>
      one("POST", "/users", "user", userSchema, {
        user: {
          name: u.name,
          domain_id: u.domainId,
          enabled: u.enabled ?? true,
          ...(u.password ? { password: u.password } : {}),
          ...(u.email ? { email: u.email } : {}),
          ...(u.description ? { description: u.description } : {}),
          ...(u.defaultProjectId ? { default_project_id: u.defaultProjectId } : {}),
        },
      }),
    updateUser: (
      id: string,
      patch: { name?: string; email?: string; description?: string; enabled?: boolean; password?: string },
    ) => one("PATCH", `/users/${enc(id)}`, "user", userSchema, { user: patch }),
    deleteUser: async (id: string) => {
      await svc.send("DELETE", `/users/${enc(id)}`);
    },

    // --- roles and assignments
    listRoles: (query: { name?: string } = {}) => list("/roles", "roles", roleSchema, { name: query.name }),
    listRoleAssignments: (f: RoleAssignmentFilter = {}) =>
      list("/role_assignments", "role_assignments", roleAssignmentSchema, {
        "user.id": f.userId,
        "group.id": f.groupId,
        "scope.project.id": f.projectId,
        "scope.domain.id": f.domainId,
        "role.id": f.roleId,
        effective: f.effective ? "true" : undefined,
        include_names: f.includeNames ? "true" : undefined,
      }),
    /** PUT is idempotent upstream: granting a held role again is a no-op. */
    grantProjectRole: async (projectId: string, userId: string, roleId: string) => {
      await svc.send("PUT", `/projects/${enc(projectId)}/users/${enc(userId)}/roles/${enc(roleId)}`);
    },
    revokeProjectRole: async (projectId: string, userId: string, roleId: string) => {
      await svc.send("DELETE", `/projects/${enc(projectId)}/users/${enc(userId)}/roles/${enc(roleId)}`);
    },
    grantDomainRole: async (domainId: string, userId: string, roleId: string) => {
      await svc.send("PUT", `/domains/${enc(domainId)}/users/${enc(userId)}/roles/${enc(roleId)}`);
    },

    /** Revokes a token (sign-out of a Keystone session; tests use it to force a 401). */
    revokeToken: async (subjectToken: string) => {
      await svc.send("DELETE", "/auth/tokens", { headers: { "X-Subject-Token": subjectToken } });
    },

    // --- application credentials (of a user; a user may manage only their own)
    listApplicationCredentials: (userId: string) =>
      list(
        `/users/${enc(userId)}/application_credentials`,
        "application_credentials",
        applicationCredentialSchema,
      ),
    createApplicationCredential: (
      userId: string,
      c: {
        name: string;
        description?: string;
        expiresAt?: string;
        roles?: Array<{ name: string } | { id: string }>;
        unrestricted?: boolean;
      },
    ) =>
      one(
        "POST",
        `/users/${enc(userId)}/application_credentials`,
        "application_credential",
        applicationCredentialSchema,
        {
          application_credential: {
            name: c.name,
            ...(c.description ? { description: c.description } : {}),
            ...(c.expiresAt ? { expires_at: c.expiresAt } : {}),
            ...(c.roles ? { roles: c.roles } : {}),
            ...(c.unrestricted !== undefined ? { unrestricted: c.unrestricted } : {}),
          },
        },
      ),
    deleteApplicationCredential: async (userId: string, id: string) => {
      await svc.send("DELETE", `/users/${enc(userId)}/application_credentials/${enc(id)}`);
    },
  };
}

export type IdentityApi = ReturnType<typeof identityApi>;
