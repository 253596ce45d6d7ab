// Quota increase requests: filed by org or project members, decided by org admins (project
// requests within the org's limit) or operators (anything, raising the org's limit if needed).
// A decision locks the request row and applies the new limits in the same transaction.
import { and, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx, Tx } from "@/db/client";
import {
  notifications,
  organizations,
  projectQuotas,
  projects,
  quotaRequests,
  roleBindings,
  roles,
  users,
} from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { can, canSeeProject, type Grants } from "@/server/iam/access";
import { notify } from "@/server/realtime/notify";
import { quotaResources, type QuotaResource } from "@/server/quota/resources";
import { amount } from "./figures";
import { applyOrgLimits, applyProjectLimits, type LimitChange } from "./limits";
import { orgLimits } from "./views";

export type QuotaRequestRow = typeof quotaRequests.$inferSelect;
export type QuotaRequestStatus = "pending" | "approved" | "rejected";
export type Priority = "High" | "Medium" | "Low";

interface Person {
  id: string;
  email: string;
  name: string;
}

export interface QuotaRequestView {
  id: string;
  org: { id: string; slug: string; name: string };
  project: { id: string; slug: string; name: string } | null;
  requester: Person | null;
  description: string;
  priority: Priority;
  resources: { resource: QuotaResource; limit: number; previousLimit: number }[];
  tags: string[];
  status: QuotaRequestStatus;
  decidedBy: Person | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const requester = alias(users, "requester");
const decider = alias(users, "decider");

function selectViews(db: DbOrTx) {
  return db
    .select({
      request: quotaRequests,
      org: { id: organizations.id, slug: organizations.slug, name: organizations.name },
      project: { id: projects.id, slug: projects.slug, name: projects.name },
      requester: { id: requester.id, email: requester.email, name: requester.name },
      decider: { id: decider.id, email: decider.email, name: decider.name },
      // Full microsecond precision for keyset cursors (a JS Date would round it to milliseconds).
      createdKey: sql<string>`${quotaRequests.createdAt}::text`,
    })
    .from(quotaRequests)
    .innerJoin(organizations, eq(organizations.id, quotaRequests.orgId))
    .leftJoin(projects, eq(projects.id, quotaRequests.projectId))
    .leftJoin(requester, eq(requester.id, quotaRequests.requesterId))
    .leftJoin(decider, eq(decider.id, quotaRequests.decidedBy));
}

type Joined = Awaited<ReturnType<ReturnType<typeof selectViews>["execute"]>>[number];

function toView(row: Joined): QuotaRequestView {
  const r = row.request;
  return {
    id: r.id,
    org: row.org,
    project: row.project?.id ? (row.project as QuotaRequestView["project"]) : null,
    requester: row.requester?.id ? (row.requester as Person) : null,
    description: r.description,
    priority: r.priority as Priority,
    resources: r.resources.map((x) => ({
      resource: x.resource as QuotaResource,
      limit: x.limit,
      previousLimit: x.previousLimit ?? 0,
    })),
    tags: r.tags,
    status: r.status as QuotaRequestStatus,
    decidedBy: row.decider?.id ? (row.decider as Person) : null,
    decidedAt: r.decidedAt,
    decisionComment: r.decisionComment,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export async function getQuotaRequestRow(db: DbOrTx, id: string): Promise<QuotaRequestRow | null> {
  const [row] = await db.select().from(quotaRequests).where(eq(quotaRequests.id, id)).limit(1);
  return row ?? null;
}

export async function getQuotaRequestView(db: DbOrTx, id: string): Promise<QuotaRequestView> {
  const [row] = await selectViews(db).where(eq(quotaRequests.id, id)).limit(1);
  if (!row) throw new AppError("NOT_FOUND", `Quota request ${id} not found`);
  return toView(row);
}

export interface ListOptions {
  /** One organisation (tenant list) or every one (operators). */
  orgId?: string;
  /** Tenant lists show what the caller may list: the whole org, or only the projects they hold the permission in. */
  grants?: Grants;
  status?: QuotaRequestStatus;
  projectId?: string;
  /** Matches the description, a tag or the requester's email. */
  q?: string;
  limit: number;
  cursor?: RequestCursor | null;
}

/** Position after the last row of a page: created_at as Postgres text, and the id. */
export interface RequestCursor {
  createdAt: string;
  id: string;
}

export async function listQuotaRequests(
  db: DbOrTx,
  opts: ListOptions,
): Promise<{ items: QuotaRequestView[]; last: RequestCursor | null }> {
  const where: (SQL | undefined)[] = [];
  if (opts.orgId) where.push(eq(quotaRequests.orgId, opts.orgId));
  if (opts.orgId && opts.grants && !can(opts.grants, "quota.request.list", { orgId: opts.orgId })) {
    const mine = [...opts.grants.projects.entries()]
      .filter(([, p]) => p.orgId === opts.orgId && p.permissions.has("quota.request.list"))
      .map(([id]) => id);
    if (mine.length === 0) return { items: [], last: null };
    where.push(inArray(quotaRequests.projectId, mine));
  }
  if (opts.status) where.push(eq(quotaRequests.status, opts.status));
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        ilike(quotaRequests.description, like),
        ilike(requester.email, like),
        sql`exists (select 1 from unnest(${quotaRequests.tags}) tag where tag ilike ${like})`,
      ),
    );
  }
  if (opts.projectId) where.push(eq(quotaRequests.projectId, opts.projectId));
  if (opts.cursor) {
    where.push(
      sql`(${quotaRequests.createdAt}, ${quotaRequests.id}) < (${opts.cursor.createdAt}::timestamptz, ${opts.cursor.id}::uuid)`,
    );
  }
  const rows = await selectViews(db)
    .where(and(...where))
    .orderBy(desc(quotaRequests.createdAt), desc(quotaRequests.id))
    .limit(opts.limit + 1);
  const items = rows.slice(0, opts.limit).map(toView);
  const lastRow = rows.length > opts.limit ? rows[opts.limit - 1]! : null;
  return { items, last: lastRow ? { createdAt: lastRow.createdKey, id: lastRow.request.id } : null };
}

/** Counts of pending requests per organisation (operator overview). */
export async function pendingCounts(db: DbOrTx, orgIds: string[]): Promise<Map<string, number>> {
  if (orgIds.length === 0) return new Map();
  const rows = await db
    .select({ orgId: quotaRequests.orgId, n: sql<number>`count(*)::int` })
    .from(quotaRequests)
    .where(and(inArray(quotaRequests.orgId, orgIds), eq(quotaRequests.status, "pending")))
    .groupBy(quotaRequests.orgId);
  return new Map(rows.map((r) => [r.orgId, Number(r.n)]));
}

export interface NewQuotaRequest {
  project?: string;
  description: string;
  priority: Priority;
  resources: { resource: QuotaResource; limit: number }[];
  tags: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resolves a project of the org by id or slug; one the caller cannot see is NOT_FOUND. */
export async function resolveOrgProject(
  db: DbOrTx,
  grants: Grants,
  org: { id: string },
  ref: string,
): Promise<typeof projects.$inferSelect> {
  const [project] = await db
    .select()
    .from(projects)
    .where(
      and(
        eq(projects.orgId, org.id),
        UUID.test(ref) ? eq(projects.id, ref) : eq(projects.slug, ref.toLowerCase()),
      ),
    )
    .limit(1);
  if (!project || !canSeeProject(grants, org.id, project.id))
    throw new AppError("NOT_FOUND", `Project ${ref} not found`, { field: "project" });
  return project;
}

export async function createQuotaRequest(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  org: { id: string; slug: string; name: string },
  input: NewQuotaRequest,
): Promise<QuotaRequestView> {
  const project = input.project ? await resolveOrgProject(tx, grants, org, input.project) : null;
  if (!can(grants, "quota.request.create", { orgId: org.id, projectId: project?.id })) {
    throw new AppError(
      "FORBIDDEN",
      project
        ? `You do not have the permission quota.request.create in project ${project.slug}`
        : "You do not have the permission quota.request.create for the organisation: request an increase for one of your projects instead",
      { details: { permission: "quota.request.create" } },
    );
  }
  // The limits the request starts from: shown to approvers and kept as previousLimit.
  let current: Partial<Record<string, number>>;
  if (project) {
    const rows = await tx.select().from(projectQuotas).where(eq(projectQuotas.projectId, project.id));
    current = Object.fromEntries(rows.map((r) => [r.resource, Number(r.limit)]));
  } else {
    current = (await orgLimits(tx, [org.id])).get(org.id)!;
  }
  const scopeName = project ? `project ${project.slug}` : org.name;
  for (const [i, item] of input.resources.entries()) {
    const now = current[item.resource] ?? 0;
    if (item.limit <= now) {
      throw new AppError(
        "INVALID_INPUT",
        `resources.${i}.limit: the ${quotaResources[item.resource].label} limit of ${scopeName} is already ` +
          `${amount(item.resource, now)}; ask for more than that`,
        { field: `resources.${i}.limit` },
      );
    }
  }
  const [row] = await tx
    .insert(quotaRequests)
    .values({
      orgId: org.id,
      projectId: project?.id ?? null,
      requesterId: actor.userId,
      description: input.description,
      priority: input.priority,
      resources: input.resources.map((r) => ({
        resource: r.resource,
        limit: r.limit,
        previousLimit: current[r.resource] ?? 0,
      })),
      tags: input.tags,
    })
    .returning();
  const approvers = await approversOf(tx, org.id, { includeOperators: !project });
  await notifyUsers(
    tx,
    approvers.filter((id) => id !== actor.userId),
    {
      orgId: org.id,
      kind: "quota-request.created",
      title: `Quota request for ${scopeName}`,
      body: `${actor.email ?? "Someone"} asks for ${summary(row!)} (${input.priority} priority).`,
      link: `/${org.slug}/quota-requests/${row!.id}`,
    },
  );
  // The audit event last: once it is written the ladder adds none, so nothing may fail after it.
  await writeAudit(tx, actor, {
    action: "quota.request.create",
    orgId: org.id,
    projectId: project?.id ?? null,
    target: { kind: "quota-request", id: row!.id, name: summary(row!) },
    data: { priority: input.priority, resources: row!.resources, tags: input.tags },
  });
  return getQuotaRequestView(tx, row!.id);
}

/** "Instances 20 → 40, vCPUs 40 → 80" */
function summary(row: Pick<QuotaRequestRow, "resources">): string {
  return row.resources
    .map((r) => {
      const res = r.resource as QuotaResource;
      const meta = quotaResources[res];
      return `${meta?.label ?? r.resource} ${r.previousLimit ?? 0} → ${meta ? amount(res, r.limit) : r.limit}`;
    })
    .join(", ");
}

/** Users who may decide the org's requests: org-scope holders of quota.request.approve (and operators). */
async function approversOf(tx: Tx, orgId: string, opts: { includeOperators: boolean }): Promise<string[]> {
  const holds = sql`${"quota.request.approve"} = any(${roles.permissions})`;
  const scope = opts.includeOperators
    ? or(
        and(eq(roleBindings.scopeType, "org"), eq(roleBindings.orgId, orgId)),
        eq(roleBindings.scopeType, "platform"),
      )
    : and(eq(roleBindings.scopeType, "org"), eq(roleBindings.orgId, orgId));
  const rows = await tx
    .selectDistinct({ id: users.id })
    .from(roleBindings)
    .innerJoin(roles, eq(roles.id, roleBindings.roleId))
    .innerJoin(users, eq(users.id, roleBindings.userId))
    .where(and(scope, holds, eq(users.status, "active")));
  return rows.map((r) => r.id);
}

async function notifyUsers(
  tx: Tx,
  userIds: string[],
  n: { orgId: string; kind: string; title: string; body: string; link: string },
): Promise<void> {
  if (userIds.length === 0) return;
  await tx.insert(notifications).values(userIds.map((userId) => ({ userId, ...n })));
  for (const userId of userIds) await notify(tx, { type: "notification", userId });
}

export interface Decision {
  decision: "approve" | "reject";
  comment?: string;
  /** Operators may decide org-level requests and raise the org's limit to fit a project request. */
  asOperator: boolean;
}

/**
 * Approves or rejects a pending request. The request row is locked first, so of two concurrent
 * decisions exactly one finds it pending; the other gets CONFLICT naming the first decision.
 */
export async function decideQuotaRequest(
  tx: Tx,
  actor: Actor,
  id: string,
  d: Decision,
): Promise<{ request: QuotaRequestView; changes: LimitChange[] }> {
  const [row] = await tx.select().from(quotaRequests).where(eq(quotaRequests.id, id)).for("update");
  if (!row) throw new AppError("NOT_FOUND", `Quota request ${id} not found`);
  if (row.status !== "pending") {
    const [who] = row.decidedBy
      ? await tx.select({ email: users.email }).from(users).where(eq(users.id, row.decidedBy))
      : [];
    throw new AppError(
      "CONFLICT",
      `This quota request was already ${row.status}${who ? ` by ${who.email}` : ""}` +
        `${row.decidedAt ? ` at ${row.decidedAt.toISOString()}` : ""}`,
      { details: { status: row.status } },
    );
  }
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, row.orgId));
  const [project] = row.projectId
    ? await tx.select().from(projects).where(eq(projects.id, row.projectId))
    : [];
  if (!org || (row.projectId && !project)) throw new AppError("NOT_FOUND", `Quota request ${id} not found`);
  if (d.decision === "approve" && !project && !d.asOperator) {
    throw new AppError(
      "FORBIDDEN",
      `Organisation-level quota requests raise ${org.name}'s own limits: only a cloud operator can approve them`,
      { details: { permission: "platform.quota.update" } },
    );
  }

  let changes: LimitChange[] = [];
  if (d.decision === "approve") {
    const wanted = Object.fromEntries(row.resources.map((r) => [r.resource, r.limit])) as Partial<
      Record<QuotaResource, number>
    >;
    changes = project
      ? await applyProjectLimits(tx, org, project, wanted, {
          allowOrgRaise: d.asOperator,
          raiseOnly: true,
          orgShortHint:
            "Ask a cloud operator to approve this request (they can raise the organisation's limit), or lower another project's limit first.",
        })
      : await applyOrgLimits(tx, org, wanted, { raiseOnly: true });
  }
  const status = d.decision === "approve" ? "approved" : "rejected";
  await tx
    .update(quotaRequests)
    .set({
      status,
      decidedBy: actor.userId,
      decidedAt: new Date(),
      decisionComment: d.comment?.trim() || null,
      updatedAt: new Date(),
    })
    .where(and(eq(quotaRequests.id, id), eq(quotaRequests.status, "pending")));
  if (row.requesterId && row.requesterId !== actor.userId) {
    const scopeName = project ? `project ${project.slug}` : org.name;
    await notifyUsers(tx, [row.requesterId], {
      orgId: org.id,
      kind: `quota-request.${status}`,
      title: `Quota request ${status}`,
      body:
        `Your request for ${scopeName} (${summary(row)}) was ${status} by ${actor.email ?? "an administrator"}` +
        (d.comment?.trim() ? `: "${d.comment.trim()}"` : "."),
      link: `/${org.slug}/quota-requests/${row.id}`,
    });
  }
  // The audit event last, as in createQuotaRequest.
  await writeAudit(tx, actor, {
    action: d.decision === "approve" ? "quota.request.approve" : "quota.request.reject",
    orgId: org.id,
    projectId: project?.id ?? null,
    target: { kind: "quota-request", id: row.id, name: summary(row) },
    data: { comment: d.comment ?? null, asOperator: d.asOperator, changes },
  });
  return { request: await getQuotaRequestView(tx, id), changes };
}
