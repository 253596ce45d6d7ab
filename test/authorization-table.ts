// The expected authorisation table: for every procedure of the router, which personas may call
// it and with what input. Add a row with every new procedure; the matrix test fails without one.
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobs, memberships, quotaRequests, resources, roles, savedViews, users } from "@/db/schema";
import { bind } from "@/db/seed/demo";
import { hashToken } from "@/server/iam/tokens";
import { issueApiToken } from "@/server/services/iam/tokens";
import { createOrganization } from "@/server/services/orgs";
import { createProject } from "@/server/services/projects";
import { systemActor } from "@/server/audit/actor";
import type { Demo, Persona } from "./personas";

export interface Fixtures {
  db: Db;
  demo: Demo;
  /** A unique suffix per call, for creates. */
  unique(): string;
  /** A fresh empty project in acme (for renames and deletes that must not disturb others). */
  freshProject(): Promise<{ id: string; slug: string }>;
  freshOrg(): Promise<{ id: string; slug: string }>;
}

export interface MatrixRow {
  allow: readonly Persona[];
  input: (fx: Fixtures) => unknown;
}

const AUTHENTICATED: Persona[] = [
  "platformAdmin",
  "orgAdmin",
  "projectAdmin",
  "member",
  "reader",
  "projectReader",
  "customNoPermission",
  "otherOrg",
];
const EVERYONE: Persona[] = [...AUTHENTICATED, "suspended", "anonymous"];
const PLATFORM: Persona[] = ["platformAdmin"];
const ACME_ADMINS: Persona[] = ["platformAdmin", "orgAdmin"];
const ACME_READERS: Persona[] = [...ACME_ADMINS, "reader"];
/** Anyone with a role somewhere in acme (org or project level). */
const ACME_ANY: Persona[] = [...ACME_READERS, "projectAdmin", "member", "projectReader"];
const WEB_ADMINS: Persona[] = [...ACME_ADMINS, "projectAdmin"];
const WEB_WRITERS: Persona[] = [...WEB_ADMINS, "member"];
const WEB_READERS: Persona[] = [...WEB_WRITERS, "reader", "projectReader"];

export const personaSets = {
  AUTHENTICATED,
  EVERYONE,
  PLATFORM,
  ACME_ADMINS,
  ACME_READERS,
  ACME_ANY,
  WEB_ADMINS,
  WEB_WRITERS,
  WEB_READERS,
};

export function makeFixtures(db: Db, demo: Demo): Fixtures {
  let n = 0;
  const unique = () => `m${Date.now().toString(36)}${(n++).toString(36)}`;
  return {
    db,
    demo,
    unique,
    async freshProject() {
      const { project } = await db.transaction((tx) =>
        createProject(tx, systemActor("fixture"), demo.acme, { name: unique() }),
      );
      return { id: project.id, slug: project.slug };
    },
    async freshOrg() {
      const org = await db.transaction((tx) =>
        createOrganization(tx, systemActor("fixture"), { name: unique() }),
      );
      return { id: org.id, slug: org.slug };
    },
  };
}

export const matrix: Record<string, MatrixRow> = {
  "common.getHealth": { allow: EVERYONE, input: () => ({}) },
  "common.createToken": {
    allow: EVERYONE,
    // Public: the credentials decide, not the caller. A wrong password is refused for everyone alike (checked elsewhere).
    input: () => ({ email: "admin@acme.example", password: "cirrus-demo", name: "matrix" }),
  },
  "common.getMe": { allow: AUTHENTICATED, input: () => ({}) },
  "common.listMyOrganizations": { allow: AUTHENTICATED, input: () => ({}) },
  "common.listRegions": { allow: AUTHENTICATED, input: () => ({}) },
  // Preferences, saved views and notifications are the caller's own: any signed-in user.
  "prefs.getPreferences": { allow: AUTHENTICATED, input: () => ({}) },
  "prefs.updatePreferences": { allow: AUTHENTICATED, input: () => ({ tablePageSize: 25 }) },
  "prefs.listSavedViews": { allow: AUTHENTICATED, input: () => ({ kind: "iam.user" }) },
  "prefs.createSavedView": {
    allow: AUTHENTICATED,
    input: (fx) => ({ kind: "matrix", name: `view-${fx.unique()}`, query: "q=a" }),
  },
  // Only the owner deletes a view: the fixture view is the org admin's; anyone else gets NOT_FOUND.
  "prefs.deleteSavedView": { allow: ["orgAdmin"], input: async (fx) => ({ id: await adminSavedView(fx) }) },
  "prefs.listNotifications": { allow: AUTHENTICATED, input: () => ({}) },
  "prefs.markNotificationsRead": { allow: AUTHENTICATED, input: () => ({ all: true }) },
  "prefs.search": { allow: AUTHENTICATED, input: () => ({ q: "web", limit: 5 }) },
  "prefs.countResources": { allow: ACME_ANY, input: () => ({ org: "acme" }) },
  "resourcemanager.listProjects": { allow: ACME_ANY, input: () => ({ org: "acme" }) },
  "resourcemanager.createProject": {
    allow: ACME_ADMINS,
    input: (fx) => ({ org: "acme", name: fx.unique() }),
  },
  "resourcemanager.getProject": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "resourcemanager.updateProject": {
    allow: WEB_ADMINS,
    input: (fx) => ({ project: fx.demo.web.id, description: fx.unique() }),
  },
  "resourcemanager.deleteProject": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ project: (await fx.freshProject()).id }),
  },
  // Quotas and quota requests (server/routers/quota).
  "quota.getOrgQuotas": { allow: ACME_READERS, input: () => ({ org: "acme" }) },
  "quota.getProjectQuotas": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "quota.updateProjectQuotas": {
    allow: ACME_ADMINS,
    input: (fx) => ({ project: fx.demo.web.id, limits: { snapshots: 45 } }),
  },
  "quota.listQuotaRequests": { allow: ACME_ANY, input: () => ({ org: "acme" }) },
  "quota.createQuotaRequest": {
    allow: WEB_WRITERS,
    input: (fx) => ({
      org: "acme",
      project: fx.demo.web.id,
      description: "matrix",
      priority: "Low",
      resources: [{ resource: "buckets", limit: 1000 }],
    }),
  },
  "quota.getQuotaRequest": {
    allow: WEB_READERS,
    input: async (fx) => ({ id: await pendingQuotaRequest(fx) }),
  },
  "quota.approveQuotaRequest": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ id: await pendingQuotaRequest(fx) }),
  },
  "quota.rejectQuotaRequest": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ id: await pendingQuotaRequest(fx), comment: "matrix" }),
  },
  // IAM (server/routers/iam): users, roles, role bindings, the catalogue, API tokens, invitations.
  "iam.listUsers": { allow: ACME_READERS, input: () => ({ org: "acme" }) },
  "iam.getUser": { allow: ACME_READERS, input: () => ({ org: "acme", userId: "dev@acme.example" }) },
  "iam.inviteUser": {
    allow: ACME_ADMINS,
    input: (fx) => ({
      org: "acme",
      email: `${fx.unique()}@invitee.example`,
      name: "Invitee",
      role: "org-reader",
    }),
  },
  "iam.resendInvitation": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ org: "acme", userId: (await invitedMember(fx)).userId }),
  },
  "iam.suspendUser": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ org: "acme", userId: await freshMember(fx) }),
  },
  "iam.reactivateUser": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ org: "acme", userId: await freshMember(fx, "suspended") }),
  },
  "iam.removeUser": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ org: "acme", userId: await freshMember(fx) }),
  },
  // Project admins and readers read the roles and assignments of their project (iam.role.list, iam.rolebinding.list).
  "iam.listRoles": {
    allow: [...ACME_READERS, "projectAdmin", "projectReader"],
    input: () => ({ org: "acme" }),
  },
  "iam.getRole": {
    allow: [...ACME_READERS, "projectAdmin", "projectReader"],
    input: () => ({ org: "acme", roleId: "project-member" }),
  },
  "iam.createRole": {
    allow: ACME_ADMINS,
    input: (fx) => ({ org: "acme", name: fx.unique(), scopes: ["project"], permissions: ["job.job.list"] }),
  },
  "iam.updateRole": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ org: "acme", roleId: await freshRole(fx), description: "matrix" }),
  },
  "iam.deleteRole": {
    allow: ACME_ADMINS,
    input: async (fx) => ({ org: "acme", roleId: await freshRole(fx) }),
  },
  "iam.listRoleBindings": {
    allow: [...ACME_READERS, "projectAdmin", "projectReader"],
    input: () => ({ org: "acme" }),
  },
  // A project admin assigns (and removes) roles in their project.
  "iam.createRoleBinding": {
    allow: WEB_ADMINS,
    input: async (fx) => ({
      org: "acme",
      user: await freshMember(fx),
      role: "project-reader",
      project: "web",
    }),
  },
  "iam.deleteRoleBinding": {
    allow: WEB_ADMINS,
    input: async (fx) => ({ org: "acme", bindingId: await freshWebBinding(fx) }),
  },
  "iam.listPermissions": { allow: AUTHENTICATED, input: () => ({}) },
  "iam.listApiTokens": { allow: AUTHENTICATED, input: () => ({}) },
  "iam.createApiToken": { allow: AUTHENTICATED, input: () => ({ name: "matrix", expiresInDays: 1 }) },
  // Only the owner revokes a token: the fixture token is the org admin's; anyone else gets NOT_FOUND.
  "iam.revokeApiToken": { allow: ["orgAdmin"], input: async (fx) => ({ id: await adminToken(fx) }) },
  "iam.getInvitation": { allow: EVERYONE, input: async (fx) => ({ token: (await invitedMember(fx)).token }) },
  "iam.acceptInvite": {
    allow: EVERYONE,
    input: async (fx) => ({ token: (await invitedMember(fx)).token, password: "matrix password 1" }),
  },
  // Activity log (server/routers/audit): org scope only; project-level roles do not read it.
  "audit.listEvents": { allow: ACME_READERS, input: () => ({ org: "acme", q: "project" }) },
  "audit.listFacets": { allow: ACME_READERS, input: () => ({ org: "acme" }) },
  "audit.verifyLog": { allow: ACME_READERS, input: () => ({ org: "acme" }) },
  "audit.exportEvents": { allow: ACME_READERS, input: () => ({ org: "acme", format: "csv" }) },
  "audit.live": { allow: ACME_READERS, input: () => ({ org: "acme" }) },
  // Jobs (server/routers/jobs). The custom "job-watcher" role holds job.job.list at org scope.
  "jobs.listProjectJobs": {
    allow: [...WEB_READERS, "customNoPermission"],
    input: (fx) => ({ project: fx.demo.web.id }),
  },
  "jobs.listOrgJobs": { allow: [...ACME_ANY, "customNoPermission"], input: () => ({ org: "acme" }) },
  "jobs.listJobKinds": { allow: [...ACME_ANY, "customNoPermission"], input: () => ({ org: "acme" }) },
  "jobs.live": { allow: [...ACME_ANY, "customNoPermission"], input: () => ({ org: "acme" }) },
  "jobs.getJob": { allow: WEB_READERS, input: async (fx) => ({ id: await webJob(fx) }) },
  // Operators (server/routers/ops).
  "ops.listOrganizations": { allow: PLATFORM, input: () => ({}) },
  "ops.createOrganization": {
    allow: PLATFORM,
    input: (fx) => ({ name: fx.unique(), admin: { email: `${fx.unique()}@new.example` } }),
  },
  "ops.updateOrganization": {
    allow: PLATFORM,
    input: async (fx) => ({ org: (await fx.freshOrg()).slug, name: fx.unique() }),
  },
  "ops.updateOrgQuotas": {
    allow: PLATFORM,
    input: async (fx) => ({ org: (await fx.freshOrg()).id, limits: { instances: 150 } }),
  },
  "ops.getDefaultQuotas": { allow: PLATFORM, input: () => ({}) },
  "ops.updateDefaultQuotas": {
    allow: PLATFORM,
    input: () => ({ items: [{ resource: "registryGb", orgLimit: 1000 }] }),
  },
  "ops.listAllQuotaRequests": { allow: PLATFORM, input: () => ({}) },
  "ops.createFlavor": {
    allow: PLATFORM,
    input: (fx) => ({ region: "RegionOne", name: `m-${fx.unique()}`, vcpus: 1, ramMb: 512, diskGb: 1 }),
  },
  // Compute (server/routers/compute). Rows of web's inventory stand in for VMs and the catalogue;
  // what needs the cloud fails past the gate (no cloud runs here), which counts as allowed.
  "compute.listInstances": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "compute.getInstance": {
    allow: WEB_READERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "instance") }),
  },
  "compute.createInstances": {
    allow: WEB_WRITERS,
    input: (fx) => ({
      project: fx.demo.web.id,
      name: `vm-${fx.unique()}`,
      region: "RegionOne",
      imageId: "img",
      flavorId: "flv",
      networkId: "net",
    }),
  },
  "compute.updateInstance": {
    allow: WEB_WRITERS,
    input: async (fx) => ({
      project: fx.demo.web.id,
      id: await webRow(fx, "instance"),
      labels: { env: "matrix" },
    }),
  },
  "compute.deleteInstance": {
    allow: WEB_WRITERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "instance") }),
  },
  "compute.instanceAction": {
    allow: WEB_WRITERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "instance"), action: "stop" }),
  },
  "compute.getInstanceConsole": {
    allow: WEB_WRITERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "instance") }),
  },
  "compute.getInstanceConsoleLog": {
    allow: WEB_READERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "instance") }),
  },
  "compute.getInstanceMetrics": {
    allow: WEB_READERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "instance") }),
  },
  "compute.listImages": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "compute.createImage": {
    allow: WEB_WRITERS,
    input: (fx) => ({ project: fx.demo.web.id, name: `img-${fx.unique()}`, region: "RegionOne" }),
  },
  "compute.startImageUpload": {
    allow: WEB_WRITERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "image"), bytes: 10 }),
  },
  "compute.updateImage": {
    allow: WEB_WRITERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "image"), visibility: "shared" }),
  },
  "compute.deleteImage": {
    allow: WEB_WRITERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "image") }),
  },
  "compute.listFlavors": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "compute.listKeypairs": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "compute.createKeypair": {
    allow: WEB_WRITERS,
    input: (fx) => ({ project: fx.demo.web.id, name: `key-${fx.unique()}`, region: "RegionOne" }),
  },
  "compute.deleteKeypair": {
    allow: WEB_WRITERS,
    input: async (fx) => ({ project: fx.demo.web.id, id: await webRow(fx, "keypair") }),
  },
  "network.listNetworks": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "network.listSubnets": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "network.listSecurityGroups": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "network.listFloatingIps": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "storage.listVolumes": { allow: WEB_READERS, input: (fx) => ({ project: fx.demo.web.id }) },
  "resources.live": {
    allow: WEB_READERS,
    input: (fx) => ({ project: fx.demo.web.id, kinds: ["instance", "volume"] }),
  },
};

const webRows = new WeakMap<Fixtures, Map<string, string>>();

/** One inventory row of each kind in acme/web, made once per run (an owned image, an ACTIVE VM...). */
async function webRow(fx: Fixtures, kind: "instance" | "image" | "keypair"): Promise<string> {
  const cache = webRows.get(fx) ?? new Map<string, string>();
  webRows.set(fx, cache);
  const hit = cache.get(kind);
  if (hit) return hit;
  const [row] = await fx.db
    .insert(resources)
    .values({
      kind,
      orgId: fx.demo.acme.id,
      projectId: fx.demo.web.id,
      region: "RegionOne",
      name: `matrix-${kind}`,
      status: kind === "image" ? "active" : "ACTIVE",
      providerRef: `matrix-${kind}`,
      attrs: kind === "image" ? { owned: true } : {},
    })
    .returning({ id: resources.id });
  cache.set(kind, row!.id);
  return row!.id;
}

/** A pending project-level request in acme/web, filed straight in the table (decisions consume it). */
async function pendingQuotaRequest(fx: Fixtures): Promise<string> {
  const [row] = await fx.db
    .insert(quotaRequests)
    .values({
      orgId: fx.demo.acme.id,
      projectId: fx.demo.web.id,
      description: "matrix",
      priority: "Low",
      resources: [{ resource: "snapshots", limit: 41, previousLimit: 40 }],
    })
    .returning({ id: quotaRequests.id });
  return row!.id;
}

/** A member of acme with no role (status as given), for suspensions, removals and assignments. */
async function freshMember(fx: Fixtures, status = "active"): Promise<string> {
  const [user] = await fx.db
    .insert(users)
    .values({ email: `${fx.unique()}@member.example`, name: "Matrix member", status })
    .returning({ id: users.id });
  await fx.db.insert(memberships).values({ orgId: fx.demo.acme.id, userId: user!.id });
  return user!.id;
}

/** An invited member of acme and the raw token of their invite link. */
async function invitedMember(fx: Fixtures): Promise<{ userId: string; token: string }> {
  const token = `matrix-invite-${fx.unique()}-${"x".repeat(16)}`;
  const userId = await freshMember(fx, "invited");
  await fx.db
    .update(users)
    .set({ inviteTokenHash: hashToken(token), inviteExpiresAt: new Date(Date.now() + 86_400_000) })
    .where(eq(users.id, userId));
  return { userId, token };
}

async function freshRole(fx: Fixtures): Promise<string> {
  const [role] = await fx.db
    .insert(roles)
    .values({
      orgId: fx.demo.acme.id,
      key: fx.unique(),
      name: "Matrix role",
      scopes: ["project"],
      permissions: ["job.job.list"],
    })
    .returning({ id: roles.id });
  return role!.id;
}

async function freshWebBinding(fx: Fixtures): Promise<string> {
  const userId = await freshMember(fx);
  await bind(fx.db, userId, "project-reader", { orgId: fx.demo.acme.id, projectId: fx.demo.web.id });
  const [b] = await fx.db.execute<{ id: string }>(
    sql`select id from role_bindings where user_id = ${userId} and project_id = ${fx.demo.web.id}`,
  );
  return b!.id;
}

async function adminToken(fx: Fixtures): Promise<string> {
  const [admin] = await fx.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "admin@acme.example"));
  return (await issueApiToken(fx.db, admin!.id, { name: "matrix", expiresInDays: 1 })).id;
}

/** A job of acme/web (the demo seed's provisioning job). */
async function webJob(fx: Fixtures): Promise<string> {
  const [job] = await fx.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(eq(jobs.projectId, fx.demo.web.id))
    .limit(1);
  return job!.id;
}

/** A saved view of the org admin (prefs.deleteSavedView). */
async function adminSavedView(fx: Fixtures): Promise<string> {
  const [admin] = await fx.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "admin@acme.example"));
  const [view] = await fx.db
    .insert(savedViews)
    .values({ userId: admin!.id, kind: "matrix", name: `fixture-${fx.unique()}`, query: "" })
    .returning({ id: savedViews.id });
  return view!.id;
}
