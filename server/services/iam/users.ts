// Members of an organisation: listing with their role assignments, invitations (a hashed,
// expiring token the invitee exchanges for a password), suspension, reactivation and removal.
import { randomBytes } from "node:crypto";
import { and, asc, count, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "@/db/client";
import {
  apiTokens,
  loginAttempts,
  memberships,
  organizations,
  roleBindings,
  sessions,
  users,
} from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { hashPassword } from "@/server/auth/password";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import type { Grants } from "@/server/iam/access";
import { hashToken } from "@/server/iam/tokens";
import type { OrgRow } from "@/server/services/orgs";
import { bindingViews, findMember, findProject, type BindingView } from "./bindings";
import { assertCanAssign, assertNotLastAdmin, lockOrg, scopeWords } from "./guards";
import { getRole } from "./roles";

export type UserRow = typeof users.$inferSelect;
export type UserStatus = "active" | "invited" | "suspended";

export interface OrgUser {
  id: string;
  email: string;
  name: string;
  status: UserStatus;
  signIn: "password" | "sso" | "none";
  lastLoginAt: Date | null;
  joinedAt: Date;
  invitationExpiresAt: Date | null;
  roles: BindingView[];
}

const STATUSES: UserStatus[] = ["active", "invited", "suspended"];
const asStatus = (s: string): UserStatus =>
  STATUSES.includes(s as UserStatus) ? (s as UserStatus) : "active";

function toOrgUser(u: UserRow, joinedAt: Date, roles: BindingView[]): OrgUser {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    status: asStatus(u.status),
    signIn: u.oidcSubject ? "sso" : u.passwordHash ? "password" : "none",
    lastLoginAt: u.lastLoginAt,
    joinedAt,
    invitationExpiresAt: u.status === "invited" && u.inviteTokenHash ? u.inviteExpiresAt : null,
    roles,
  };
}

export interface UserFilter {
  q?: string;
  status?: UserStatus;
  limit: number;
  /** Keyset: the lower-cased email and id of the last row of the previous page. */
  after?: { email: string; id: string } | null;
}

export async function listOrgUsers(
  db: DbOrTx,
  org: OrgRow,
  filter: UserFilter,
): Promise<{ items: OrgUser[]; more: boolean }> {
  const q = filter.q?.trim().toLowerCase();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db
    .select({ user: users, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, org.id),
        like ? sql`(lower(${users.email}) like ${like} or lower(${users.name}) like ${like})` : undefined,
        filter.status ? eq(users.status, filter.status) : undefined,
        filter.after
          ? sql`(lower(${users.email}), ${users.id}) > (${filter.after.email}, ${filter.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(sql`lower(${users.email})`, asc(users.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const ids = page.map((r) => r.user.id);
  const bindings =
    ids.length > 0
      ? await bindingViews(db, and(eq(roleBindings.orgId, org.id), inArray(roleBindings.userId, ids)))
      : [];
  return {
    items: page.map((r) =>
      toOrgUser(
        r.user,
        r.joinedAt,
        bindings.filter((b) => b.userId === r.user.id),
      ),
    ),
    more: rows.length > filter.limit,
  };
}

export async function getOrgUser(db: DbOrTx, org: OrgRow, ref: string): Promise<OrgUser> {
  const user = await findMember(db, org, ref);
  const [m] = await db
    .select({ joinedAt: memberships.createdAt })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)));
  const bindings = await bindingViews(
    db,
    and(eq(roleBindings.orgId, org.id), eq(roleBindings.userId, user.id)),
  );
  return toOrgUser(user, m!.joinedAt, bindings);
}

/** The invite link's secret: random, shown once to the inviter, stored as SHA-256 only. */
function newInvitation(days: number): { token: string; hash: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token), expiresAt: new Date(Date.now() + days * 86_400_000) };
}

export interface Invitation {
  token: string;
  expiresAt: Date;
}

export async function inviteUser(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: OrgRow,
  input: { email: string; name: string; role: string; project?: string | null; expiresInDays: number },
): Promise<{ user: OrgUser; created: boolean; invitation: Invitation | null }> {
  await lockOrg(tx, org.id);
  const project = input.project ? await findProject(tx, grants, org, input.project) : null;
  const role = await getRole(tx, org, input.role).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND")
      throw new AppError("NOT_FOUND", `Role ${input.role} not found`, { field: "role" });
    throw e;
  });
  const where = scopeWords(org, project);
  assertCanAssign(grants, role, { orgId: org.id, projectId: project?.id }, where);

  const email = input.email.trim();
  const [existing] = await tx
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .for("update");
  let user: UserRow;
  let created = false;
  if (existing) {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, existing.id)));
    if (member)
      throw new AppError(
        "CONFLICT",
        `${existing.email} is already a member of ${org.slug}: change their roles from Manage Role instead`,
        { field: "email" },
      );
    user = existing;
  } else {
    // Another organisation may invite the same new address at the same moment: the loser joins
    // the account the winner created instead of failing on the unique email.
    const [row] = await tx
      .insert(users)
      .values({ email, name: input.name, status: "invited" })
      .onConflictDoNothing()
      .returning();
    if (row) {
      user = row;
      created = true;
    } else {
      const [raced] = await tx
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
        .for("update");
      if (!raced) throw new AppError("CONFLICT", `${email} was just changed by another request: try again`);
      user = raced;
    }
  }
  // Someone who has not accepted yet gets a fresh link (the previous one stops working).
  let invitation: Invitation | null = null;
  if (user.status === "invited") {
    const inv = newInvitation(input.expiresInDays);
    [user] = (await tx
      .update(users)
      .set({ inviteTokenHash: inv.hash, inviteExpiresAt: inv.expiresAt, updatedAt: new Date() })
      .where(eq(users.id, user.id))
      .returning()) as [UserRow];
    invitation = { token: inv.token, expiresAt: inv.expiresAt };
  }
  const [membership] = await tx.insert(memberships).values({ orgId: org.id, userId: user.id }).returning();
  await tx.insert(roleBindings).values({
    userId: user.id,
    roleId: role.id,
    scopeType: project ? "project" : "org",
    orgId: org.id,
    projectId: project?.id ?? null,
    createdBy: actor.userId,
  });
  await writeAudit(tx, actor, {
    action: "iam.user.invite",
    orgId: org.id,
    projectId: project?.id ?? null,
    target: { kind: "user", id: user.id, name: user.email },
    data: {
      email: user.email,
      role: role.key,
      scope: project ? `project:${project.slug}` : "org",
      newAccount: created,
      ...(invitation ? { invitationExpiresAt: invitation.expiresAt.toISOString() } : {}),
    },
  });
  const bindings = await bindingViews(
    tx,
    and(eq(roleBindings.orgId, org.id), eq(roleBindings.userId, user.id)),
  );
  return { user: toOrgUser(user, membership!.createdAt, bindings), created, invitation };
}

export async function resendInvitation(
  tx: Tx,
  actor: Actor,
  org: OrgRow,
  ref: string,
  expiresInDays: number,
): Promise<{ user: OrgUser; invitation: Invitation }> {
  const member = await findMember(tx, org, ref);
  if (member.status !== "invited")
    throw new AppError(
      "CONFLICT",
      member.status === "active"
        ? `${member.email} has already accepted: they can sign in`
        : `${member.email} is suspended: reactivate them first`,
    );
  const inv = newInvitation(expiresInDays);
  await tx
    .update(users)
    .set({ inviteTokenHash: inv.hash, inviteExpiresAt: inv.expiresAt, updatedAt: new Date() })
    .where(eq(users.id, member.id));
  await writeAudit(tx, actor, {
    action: "iam.user.invite",
    orgId: org.id,
    target: { kind: "user", id: member.id, name: member.email },
    data: { email: member.email, resent: true, invitationExpiresAt: inv.expiresAt.toISOString() },
  });
  return {
    user: await getOrgUser(tx, org, member.id),
    invitation: { token: inv.token, expiresAt: inv.expiresAt },
  };
}

/**
 * Status is per account, not per organisation: an org admin may only change it for someone who
 * belongs to no other organisation (platform operators may always), so no tenant locks a user
 * out of another tenant.
 */
async function assertOnlyThisOrg(
  tx: Tx,
  grants: Grants,
  org: OrgRow,
  user: UserRow,
  verb: string,
): Promise<void> {
  if (grants.platform.size > 0) return;
  const [other] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.userId, user.id), ne(memberships.orgId, org.id)));
  if ((other?.n ?? 0) > 0)
    throw new AppError(
      "CONFLICT",
      `${user.email} also belongs to other organisations and cannot be ${verb} from ${org.slug}: remove them from ${org.slug} instead, or ask a platform operator`,
    );
}

export async function suspendUser(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: OrgRow,
  ref: string,
): Promise<{ user: OrgUser; sessionsRevoked: number }> {
  await lockOrg(tx, org.id);
  const user = await findMember(tx, org, ref);
  if (user.id === actor.userId) throw new AppError("CONFLICT", "You cannot suspend yourself");
  if (user.status === "suspended") throw new AppError("CONFLICT", `${user.email} is already suspended`);
  await assertOnlyThisOrg(tx, grants, org, user, "suspended");
  await assertNotLastAdmin(tx, org, user, "suspend them");
  await tx
    .update(users)
    .set({ status: "suspended", inviteTokenHash: null, inviteExpiresAt: null, updatedAt: new Date() })
    .where(eq(users.id, user.id));
  // API tokens stop at once too: principals resolve only for active users (server/iam/access.ts).
  const revoked = await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  await writeAudit(tx, actor, {
    action: "iam.user.suspend",
    orgId: org.id,
    target: { kind: "user", id: user.id, name: user.email },
    data: { email: user.email, previousStatus: user.status, sessionsRevoked: revoked.length },
  });
  return { user: await getOrgUser(tx, org, user.id), sessionsRevoked: revoked.length };
}

export async function reactivateUser(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: OrgRow,
  ref: string,
): Promise<OrgUser> {
  await lockOrg(tx, org.id);
  const user = await findMember(tx, org, ref);
  if (user.status !== "suspended") throw new AppError("CONFLICT", `${user.email} is not suspended`);
  await assertOnlyThisOrg(tx, grants, org, user, "reactivated");
  // Someone who never set a password nor signed in with SSO goes back to invited (send a new link).
  const status = user.passwordHash || user.oidcSubject ? "active" : "invited";
  await tx.update(users).set({ status, updatedAt: new Date() }).where(eq(users.id, user.id));
  await writeAudit(tx, actor, {
    action: "iam.user.reactivate",
    orgId: org.id,
    target: { kind: "user", id: user.id, name: user.email },
    data: { email: user.email, status },
  });
  return getOrgUser(tx, org, user.id);
}

export async function removeUser(
  tx: Tx,
  actor: Actor,
  org: OrgRow,
  ref: string,
): Promise<{ bindingsRemoved: number; tokensRevoked: number }> {
  await lockOrg(tx, org.id);
  const user = await findMember(tx, org, ref);
  if (user.id === actor.userId)
    throw new AppError("CONFLICT", `You cannot remove yourself from ${org.slug}: ask another admin`);
  await assertNotLastAdmin(tx, org, user, "remove them");
  const bindings = await tx
    .delete(roleBindings)
    .where(and(eq(roleBindings.orgId, org.id), eq(roleBindings.userId, user.id)))
    .returning({ id: roleBindings.id });
  await tx.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)));
  const tokens = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, user.id), eq(apiTokens.orgId, org.id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  const [left] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.userId, user.id));
  // A pending invitation to no organisation at all would only lead to an empty console.
  if ((left?.n ?? 0) === 0 && user.status === "invited")
    await tx
      .update(users)
      .set({ inviteTokenHash: null, inviteExpiresAt: null, updatedAt: new Date() })
      .where(eq(users.id, user.id));
  await writeAudit(tx, actor, {
    action: "iam.user.remove",
    orgId: org.id,
    target: { kind: "user", id: user.id, name: user.email },
    data: { email: user.email, bindingsRemoved: bindings.length, tokensRevoked: tokens.length },
  });
  return { bindingsRemoved: bindings.length, tokensRevoked: tokens.length };
}

// ── Accepting an invitation (public, rate limited like the sign-in) ──────────────────────────

const WINDOW_MS = 15 * 60 * 1000;
const INVALID = "This invitation link is invalid or has expired. Ask an administrator for a new one.";

async function checkRate(db: DbOrTx, ip: string | null): Promise<string> {
  const key = `invite|${ip ?? "?"}`;
  const [recent] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.key, key),
        eq(loginAttempts.success, false),
        gt(loginAttempts.createdAt, new Date(Date.now() - WINDOW_MS)),
      ),
    );
  if ((recent?.n ?? 0) >= env.CIRRUS_LOGIN_LIMIT)
    throw new AppError(
      "RATE_LIMITED",
      "Too many attempts with invalid invitation links. Wait 15 minutes and try again.",
    );
  return key;
}

async function findInvited(db: DbOrTx, token: string): Promise<UserRow | null> {
  const [u] = await db
    .select()
    .from(users)
    .where(
      and(
        eq(users.inviteTokenHash, hashToken(token)),
        eq(users.status, "invited"),
        gt(users.inviteExpiresAt, new Date()),
      ),
    );
  return u ?? null;
}

async function invitingOrgs(db: DbOrTx, userId: string) {
  return db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(sql`${memberships.createdAt} desc`);
}

export interface InvitationView {
  email: string;
  name: string;
  expiresAt: Date;
  organizations: { slug: string; name: string }[];
}

/** What the accept page shows. Failed look-ups count towards the rate limit, like sign-ins. */
export async function getInvitation(db: Db, token: string, ip: string | null): Promise<InvitationView> {
  const key = await checkRate(db, ip);
  const user = await findInvited(db, token);
  if (!user) {
    await db.insert(loginAttempts).values({ key, success: false });
    throw new AppError("NOT_FOUND", INVALID);
  }
  const orgs = await invitingOrgs(db, user.id);
  return {
    email: user.email,
    name: user.name,
    expiresAt: user.inviteExpiresAt!,
    organizations: orgs.map((o) => ({ slug: o.slug, name: o.name })),
  };
}

export async function acceptInvitation(
  db: Db,
  actor: Actor,
  input: { token: string; password: string; name?: string },
): Promise<InvitationView> {
  const key = await checkRate(db, actor.ip);
  const found = await findInvited(db, input.token);
  if (!found) {
    // Recorded outside any transaction, so the failure counts even though the request fails.
    await db.insert(loginAttempts).values({ key, success: false });
    throw new AppError("NOT_FOUND", INVALID);
  }
  const local = found.email.split("@")[0]!.toLowerCase();
  if (local.length >= 4 && input.password.toLowerCase().includes(local))
    throw new AppError("INVALID_INPUT", "password: do not use your email address in your password", {
      field: "password",
    });
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // The token is single use: the update only matches while it is still the pending one.
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        status: "active",
        name: input.name?.trim() || found.name,
        inviteTokenHash: null,
        inviteExpiresAt: null,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(users.id, found.id),
          eq(users.inviteTokenHash, hashToken(input.token)),
          eq(users.status, "invited"),
        ),
      )
      .returning();
    if (!user) throw new AppError("NOT_FOUND", INVALID);
    await tx.insert(loginAttempts).values({ key, success: true });
    const orgs = await invitingOrgs(tx, user.id);
    const who = { ...actor, userId: user.id, email: user.email, type: "user" as const };
    await writeAudit(tx, who, {
      action: "iam.invitation.accept",
      orgId: orgs[0]?.id ?? null,
      target: { kind: "user", id: user.id, name: user.email },
      data: { organizations: orgs.map((o) => o.slug) },
    });
    actor.audit.written = true;
    return {
      email: user.email,
      name: user.name,
      expiresAt: found.inviteExpiresAt!,
      organizations: orgs.map((o) => ({ slug: o.slug, name: o.name })),
    };
  });
}
