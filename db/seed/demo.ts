// Demo data (demo mode only): Acme Corp with projects web and data, Globex, and the operator.
// Built through the services, so quotas, jobs and the activity log look like real use. Idempotent.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { memberships, organizations, roleBindings, roles, users } from "@/db/schema";
import { systemActor } from "@/server/audit/actor";
import { hashPassword } from "@/server/auth/password";
import { createOrganization } from "@/server/services/orgs";
import { createProject } from "@/server/services/projects";
import type { JobRow } from "@/server/jobs/jobs";

export const DEMO_USERS = {
  acmeAdmin: { email: "admin@acme.example", name: "Alice Admin" },
  acmeDev: { email: "dev@acme.example", name: "Dan Developer" },
  acmeViewer: { email: "viewer@acme.example", name: "Vera Viewer" },
  globexAdmin: { email: "admin@globex.example", name: "Gus Globex" },
  ops: { email: "ops@cirrus.example", name: "Olivia Operator" },
} as const;

async function roleId(db: DbOrTx, key: string): Promise<string> {
  const [r] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(isNull(roles.orgId), eq(roles.key, key)));
  if (!r) throw new Error(`system role ${key} missing: seedSystem first`);
  return r.id;
}

export async function ensureUser(db: DbOrTx, email: string, name: string, password: string): Promise<string> {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  if (u) return u.id;
  const [row] = await db
    .insert(users)
    .values({ email, name, passwordHash: await hashPassword(password) })
    .returning({ id: users.id });
  return row!.id;
}

export async function bind(
  db: DbOrTx,
  userId: string,
  roleKey: string,
  scope: { orgId?: string; projectId?: string },
): Promise<void> {
  const scopeType = scope.projectId ? "project" : scope.orgId ? "org" : "platform";
  if (scope.orgId) await db.insert(memberships).values({ orgId: scope.orgId, userId }).onConflictDoNothing();
  await db
    .insert(roleBindings)
    .values({
      userId,
      roleId: await roleId(db, roleKey),
      scopeType,
      orgId: scope.orgId ?? null,
      projectId: scope.projectId ?? null,
    })
    .onConflictDoNothing();
}

/** Returns the jobs it created so the caller can dispatch them. */
export async function seedDemo(db: Db, password: string): Promise<JobRow[]> {
  const [done] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.slug, "acme"));
  if (done) return [];
  const actor = systemActor("seed-demo");
  const created: JobRow[] = [];
  await db.transaction(async (tx) => {
    const ids = Object.fromEntries(
      await Promise.all(
        Object.entries(DEMO_USERS).map(
          async ([k, u]) => [k, await ensureUser(tx, u.email, u.name, password)] as const,
        ),
      ),
    ) as Record<keyof typeof DEMO_USERS, string>;
    await bind(tx, ids.ops, "platform-admin", {});
    const acme = await createOrganization(tx, actor, { name: "Acme Corp", slug: "acme" });
    const globex = await createOrganization(tx, actor, { name: "Globex", slug: "globex" });
    const web = await createProject(tx, actor, acme, {
      name: "web",
      slug: "web",
      description: "Public web front end",
    });
    const data = await createProject(tx, actor, acme, {
      name: "data",
      slug: "data",
      description: "Analytics and pipelines",
    });
    const gx = await createProject(tx, actor, globex, {
      name: "default",
      slug: "default",
      description: "Globex workloads",
    });
    created.push(web.job, data.job, gx.job);
    await bind(tx, ids.acmeAdmin, "org-admin", { orgId: acme.id });
    await bind(tx, ids.acmeViewer, "org-reader", { orgId: acme.id });
    await bind(tx, ids.acmeDev, "project-member", { orgId: acme.id, projectId: web.project.id });
    await bind(tx, ids.globexAdmin, "org-admin", { orgId: globex.id });
  });
  return created;
}
