// Callers for integration tests: the demo organisations and one caller per persona, going
// through the real procedure ladder (authorisation, validation, audit) without HTTP.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizations, projects, roles, users } from "@/db/schema";
import { bind, ensureUser, seedDemo } from "@/db/seed/demo";
import type { Context } from "@/server/context";
import { loadGrants, type Principal } from "@/server/iam/access";
import { appRouter } from "@/server/routers/_app";

export const PASSWORD = "cirrus-demo";

export interface Demo {
  acme: typeof organizations.$inferSelect;
  globex: typeof organizations.$inferSelect;
  web: typeof projects.$inferSelect;
  data: typeof projects.$inferSelect;
}

/** Seeds the demo data plus the extra personas of the authorisation matrix. */
export async function seedPersonas(db: Db): Promise<Demo> {
  await seedDemo(db, PASSWORD);
  const [acme] = await db.select().from(organizations).where(eq(organizations.slug, "acme"));
  const [globex] = await db.select().from(organizations).where(eq(organizations.slug, "globex"));
  const [web] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.orgId, acme!.id), eq(projects.slug, "web")));
  const [data] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.orgId, acme!.id), eq(projects.slug, "data")));
  // A project admin of web, a reader of web, a holder of a custom role with one harmless permission, a suspended member.
  const padmin = await ensureUser(db, "padmin@acme.example", "Pat Project-Admin", PASSWORD);
  await bind(db, padmin, "project-admin", { orgId: acme!.id, projectId: web!.id });
  const preader = await ensureUser(db, "preader@acme.example", "Rae Reader", PASSWORD);
  await bind(db, preader, "project-reader", { orgId: acme!.id, projectId: web!.id });
  const [custom] = await db
    .insert(roles)
    .values({
      orgId: acme!.id,
      key: "job-watcher",
      name: "Job watcher",
      scopes: ["org", "project"],
      permissions: ["job.job.list"],
    })
    .onConflictDoNothing()
    .returning();
  const customUser = await ensureUser(db, "custom@acme.example", "Cus Tom", PASSWORD);
  if (custom) {
    await db.execute(
      sql`insert into role_bindings (user_id, role_id, scope_type, org_id) values (${customUser}, ${custom.id}, 'org', ${acme!.id}) on conflict do nothing`,
    );
    await db.execute(
      sql`insert into memberships (org_id, user_id) values (${acme!.id}, ${customUser}) on conflict do nothing`,
    );
  }
  const suspended = await ensureUser(db, "suspended@acme.example", "Sus Pended", PASSWORD);
  await bind(db, suspended, "project-member", { orgId: acme!.id, projectId: web!.id });
  await db.update(users).set({ status: "suspended" }).where(eq(users.id, suspended));
  return { acme: acme!, globex: globex!, web: web!, data: data! };
}

export const PERSONAS = {
  platformAdmin: "ops@cirrus.example",
  orgAdmin: "admin@acme.example",
  projectAdmin: "padmin@acme.example",
  member: "dev@acme.example",
  reader: "viewer@acme.example",
  projectReader: "preader@acme.example",
  customNoPermission: "custom@acme.example",
  otherOrg: "admin@globex.example",
  suspended: "suspended@acme.example",
  anonymous: null,
} as const;

export type Persona = keyof typeof PERSONAS;

/** A context as the HTTP layer would build it, for the given user (null = anonymous). */
export async function contextFor(db: Db, email: string | null): Promise<Context> {
  let principal: Principal | null = null;
  if (email) {
    const [u] = await db
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    // A suspended user's session no longer resolves (server/iam/access.ts): they are anonymous.
    if (u && u.status === "active")
      principal = { userId: u.id, email: u.email, name: u.name, via: "session", sessionId: "test" };
  }
  const requestId = randomUUID();
  return {
    db,
    requestId,
    principal,
    grants: principal ? await loadGrants(db, principal) : null,
    authError: null,
    idempotencyKey: null,
    actor: {
      userId: principal?.userId ?? null,
      email: principal?.email ?? null,
      type: principal ? "user" : "anonymous",
      requestId,
      ip: "127.0.0.1",
      userAgent: "vitest",
      audit: { written: false },
    },
  };
}

export async function callerFor(db: Db, email: string | null) {
  return appRouter.createCaller(await contextFor(db, email));
}
