// Operator work on organisations: the overview of every tenant with its quota usage, creating an
// organisation together with its first admin (invited when new), renaming and suspending.
import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { memberships, organizations, projectQuotas, projects, roleBindings, roles, users } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { hashToken } from "@/server/iam/tokens";
import { createOrganization, type OrgRow } from "@/server/services/orgs";
import { RESERVED_ORG_SLUGS, SLUG, slugify } from "@/server/services/slug";
import { figures, sumRows, worstHealth, type Health, type QuotaFigures } from "../quota/figures";
import { pendingCounts } from "../quota/requests";
import { orgLimits } from "../quota/views";

/** First path segments of the console's own pages: an organisation cannot take them as its slug. */

const INVITE_DAYS = 7;

/** The same accept link as iam.inviteUser gives: absolute when the console's public URL is known. */
function invitationUrl(token: string): string {
  const path = `/sign-in/accept?token=${encodeURIComponent(token)}`;
  return env.CIRRUS_PUBLIC_URL ? new URL(path, env.CIRRUS_PUBLIC_URL).toString() : path;
}

export interface OrgSummary extends QuotaFigures {
  org: OrgRow;
  projectCount: number;
  memberCount: number;
  pendingRequests: number;
  allocated: QuotaFigures["limits"];
  worst: Health;
}

export async function listOrganizationSummaries(
  db: DbOrTx,
  opts: {
    q?: string;
    status?: "active" | "suspended";
    limit: number;
    cursor?: { name: string; id: string } | null;
  },
): Promise<{ items: OrgSummary[]; last: { name: string; id: string } | null }> {
  const where: (SQL | undefined)[] = [];
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(organizations.name, like), ilike(organizations.slug, like)));
  }
  if (opts.status) where.push(eq(organizations.status, opts.status));
  if (opts.cursor) {
    where.push(
      or(
        gt(organizations.name, opts.cursor.name),
        and(eq(organizations.name, opts.cursor.name), gt(organizations.id, opts.cursor.id)),
      ),
    );
  }
  const rows = await db
    .select()
    .from(organizations)
    .where(and(...where))
    .orderBy(asc(organizations.name), asc(organizations.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const ids = page.map((o) => o.id);
  if (ids.length === 0) return { items: [], last: null };
  const [limits, quotaRows, projectCounts, memberCounts, pending] = await Promise.all([
    orgLimits(db, ids),
    db.select().from(projectQuotas).where(inArray(projectQuotas.orgId, ids)),
    db
      .select({ orgId: projects.orgId, n: sql<number>`count(*)::int` })
      .from(projects)
      .where(inArray(projects.orgId, ids))
      .groupBy(projects.orgId),
    db
      .select({ orgId: memberships.orgId, n: sql<number>`count(*)::int` })
      .from(memberships)
      .where(inArray(memberships.orgId, ids))
      .groupBy(memberships.orgId),
    pendingCounts(db, ids),
  ]);
  const items = page.map((org) => {
    const sums = sumRows(quotaRows.filter((r) => r.orgId === org.id));
    const f = figures(limits.get(org.id)!, sums.usage, sums.reserved);
    return {
      org,
      ...f,
      allocated: sums.allocated,
      worst: worstHealth(f.health),
      projectCount: Number(projectCounts.find((c) => c.orgId === org.id)?.n ?? 0),
      memberCount: Number(memberCounts.find((c) => c.orgId === org.id)?.n ?? 0),
      pendingRequests: pending.get(org.id) ?? 0,
    };
  });
  const lastRow = rows.length > opts.limit ? page[page.length - 1]! : null;
  return { items, last: lastRow ? { name: lastRow.name, id: lastRow.id } : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findOrganization(
  db: DbOrTx,
  ref: string,
  opts: { lock?: boolean } = {},
): Promise<OrgRow> {
  const q = db
    .select()
    .from(organizations)
    .where(UUID.test(ref) ? eq(organizations.id, ref) : eq(organizations.slug, ref.toLowerCase()))
    .limit(1);
  const [org] = opts.lock ? await q.for("update") : await q;
  if (!org) throw new AppError("NOT_FOUND", `Organization ${ref} not found`);
  return org;
}

export interface FirstAdmin {
  id: string;
  email: string;
  name: string;
  status: string;
  /** Set when the admin is a new (invited) account: the link is shown once, only its hash is kept. */
  invitation: { url: string; expiresAt: Date } | null;
}

export async function createOrganizationWithAdmin(
  tx: Tx,
  actor: Actor,
  input: { name: string; slug?: string; admin: { email: string; name?: string } },
): Promise<{ org: OrgRow; admin: FirstAdmin }> {
  const slug = input.slug ?? slugify(input.name);
  if ((RESERVED_ORG_SLUGS as readonly string[]).includes(slug))
    throw new AppError("INVALID_INPUT", `slug: ${slug} is reserved for the console's own pages`, {
      field: "slug",
    });
  if (!SLUG.test(slug))
    throw new AppError("INVALID_INPUT", "slug: use 1-40 lowercase letters, digits and dashes", {
      field: "slug",
    });
  const email = input.admin.email.trim();
  // Everything that can refuse runs before the org is written (its audit event is the mutation's one).
  const [existing] = await tx
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .for("update");
  if (existing?.status === "suspended") {
    throw new AppError(
      "CONFLICT",
      `${existing.email} is suspended: reactivate the account first, or name another first admin`,
      { field: "admin.email" },
    );
  }
  const [orgAdmin] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(and(sql`${roles.orgId} is null`, eq(roles.key, "org-admin")));
  if (!orgAdmin) throw new AppError("INTERNAL", "The system role org-admin is missing");

  const invite = !existing || existing.status === "invited";
  const token = invite ? randomBytes(32).toString("base64url") : null;
  const expiresAt = new Date(Date.now() + INVITE_DAYS * 86_400_000);
  let user = existing;
  if (!user) {
    // Another request may create the same account at the same moment: then use theirs.
    [user] = await tx
      .insert(users)
      .values({
        email,
        name: input.admin.name?.trim() || email.split("@")[0]!,
        status: "invited",
      })
      .onConflictDoNothing()
      .returning();
    user ??= (
      await tx
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    )[0];
    if (!user) throw new AppError("CONFLICT", `${email} is being created by another request; retry`);
  }
  if (token) {
    // A fresh link for someone who has not accepted yet: an older one stops working.
    await tx
      .update(users)
      .set({ inviteTokenHash: hashToken(token), inviteExpiresAt: expiresAt, updatedAt: new Date() })
      .where(eq(users.id, user.id));
  }
  // The org's audit event is written inside createOrganization: only conflict-free inserts follow it.
  const org = await createOrganization(tx, actor, {
    name: input.name,
    slug,
    auditData: {
      firstAdmin: { email, newAccount: !existing, invited: invite },
      ...(invite ? { invitationExpiresAt: expiresAt.toISOString() } : {}),
    },
  });
  await tx.insert(memberships).values({ orgId: org.id, userId: user.id }).onConflictDoNothing();
  await tx
    .insert(roleBindings)
    .values({
      userId: user.id,
      roleId: orgAdmin.id,
      scopeType: "org",
      orgId: org.id,
      createdBy: actor.userId,
    })
    .onConflictDoNothing();
  return {
    org,
    admin: {
      id: user.id,
      email: user.email,
      name: user.name,
      status: user.status,
      invitation: token ? { url: invitationUrl(token), expiresAt } : null,
    },
  };
}

export async function updateOrganization(
  tx: Tx,
  actor: Actor,
  ref: string,
  input: { name?: string; status?: "active" | "suspended" },
): Promise<OrgRow> {
  const org = await findOrganization(tx, ref, { lock: true });
  const after = { name: input.name ?? org.name, status: input.status ?? org.status };
  const [row] = await tx
    .update(organizations)
    .set({ ...after, updatedAt: new Date() })
    .where(eq(organizations.id, org.id))
    .returning();
  const verb =
    after.status !== org.status ? (after.status === "suspended" ? "suspend" : "reactivate") : "rename";
  await writeAudit(tx, actor, {
    action: "platform.organization.update",
    orgId: org.id,
    target: { kind: "organization", id: org.id, name: row!.name },
    data: { change: verb, before: { name: org.name, status: org.status }, after },
  });
  return row!;
}
