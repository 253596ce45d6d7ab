// Quota limits: project limits are carved out of the organisation's (the sum of project limits
// never exceeds the org limit), organisation limits never drop below what projects hold. Every
// change takes the org's quota rows FOR UPDATE first: that row lock serialises all carving.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { orgQuotas, projectQuotas, projects } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError, type AppErrorCode } from "@/server/errors";
import { quotaResourceNames, quotaResources, type QuotaResource } from "@/server/quota/resources";
import { orgDefaults } from "@/server/services/orgs";
import { amount, perResource, type Limits, type PerResource } from "./figures";

export interface LimitChange {
  scope: "org" | "project";
  resource: QuotaResource;
  before: number;
  after: number;
  projectId?: string;
}

interface OrgRef {
  id: string;
  slug: string;
  name: string;
}
interface ProjectRef {
  id: string;
  slug: string;
  orgId: string;
}

interface Problem {
  code: AppErrorCode;
  resource: QuotaResource;
  message: string;
}

function fail(problems: Problem[], hint?: string): never {
  const first = problems[0]!;
  const text = problems.map((p) => p.message).join(" ");
  throw new AppError(first.code, hint ? `${text} ${hint}` : text, {
    field: `limits.${first.resource}`,
    details: { resources: problems.map((p) => p.resource) },
  });
}

const label = (r: QuotaResource) => quotaResources[r].label;

/**
 * The carving lock: the org's quota rows FOR UPDATE, in resource order. Rows missing for a
 * resource (added to the catalogue after the org was created) are filled from the defaults.
 */
export async function lockOrgQuotas(tx: Tx, orgId: string): Promise<PerResource<number>> {
  const read = () =>
    tx
      .select()
      .from(orgQuotas)
      .where(eq(orgQuotas.orgId, orgId))
      .orderBy(asc(orgQuotas.resource))
      .for("update");
  let rows = await read();
  if (quotaResourceNames.some((r) => !rows.some((row) => row.resource === r))) {
    const defaults = await orgDefaults(tx);
    await tx
      .insert(orgQuotas)
      .values(quotaResourceNames.map((r) => ({ orgId, resource: r, limit: defaults[r]!.org })))
      .onConflictDoNothing();
    rows = await read();
  }
  const by = new Map(rows.map((r) => [r.resource, Number(r.limit)]));
  return perResource((r) => by.get(r) ?? 0);
}

/** Sum of project limits per resource, with each project's share (for messages). Call under the carving lock. */
async function allocations(
  tx: Tx,
  orgId: string,
): Promise<{ total: PerResource<number>; shares: PerResource<{ slug: string; limit: number }[]> }> {
  const rows = await tx
    .select({ resource: projectQuotas.resource, limit: projectQuotas.limit, slug: projects.slug })
    .from(projectQuotas)
    .innerJoin(projects, eq(projects.id, projectQuotas.projectId))
    .where(eq(projectQuotas.orgId, orgId))
    .orderBy(asc(projects.slug));
  const total = perResource(() => 0);
  const shares = perResource<{ slug: string; limit: number }[]>(() => []);
  for (const row of rows) {
    if (!Object.hasOwn(quotaResources, row.resource)) continue;
    const r = row.resource as QuotaResource;
    total[r] += Number(row.limit);
    if (row.limit > 0) shares[r].push({ slug: row.slug, limit: Number(row.limit) });
  }
  return { total, shares };
}

export interface ProjectLimitOptions {
  /** Operators may raise the org's limit to make room; org admins may not. */
  allowOrgRaise: boolean;
  /** Appended to the message when the org has too little left (what the caller should do). */
  orgShortHint?: string;
  /** Limits are only ever raised (an approved increase never lowers a limit set meanwhile). */
  raiseOnly?: boolean;
}

/**
 * Sets some of a project's limits. Raising takes from what the org has left; lowering below what
 * is in use (used + reserved) is refused. Returns the changes made (org raises included).
 */
export async function applyProjectLimits(
  tx: Tx,
  org: OrgRef,
  project: ProjectRef,
  wanted: Limits,
  opts: ProjectLimitOptions,
): Promise<LimitChange[]> {
  const orgLimits = await lockOrgQuotas(tx, org.id);
  const { total: allocated } = await allocations(tx, org.id);
  // The project's rows are locked too: reservations change used/reserved under the same lock.
  const rows = await tx
    .select()
    .from(projectQuotas)
    .where(eq(projectQuotas.projectId, project.id))
    .orderBy(asc(projectQuotas.resource))
    .for("update");
  const current = new Map(rows.map((r) => [r.resource, r]));
  const problems: Problem[] = [];
  const changes: LimitChange[] = [];
  const entries = quotaResourceNames
    .filter((r) => wanted[r] !== undefined)
    .map((r) => [r, wanted[r]!] as const);
  for (const [resource, asked] of entries) {
    const row = current.get(resource);
    const before = Number(row?.limit ?? 0);
    const next = opts.raiseOnly ? Math.max(before, asked) : asked;
    if (next === before) continue;
    const used = Number(row?.used ?? 0);
    const reserved = Number(row?.reserved ?? 0);
    if (next < used + reserved) {
      problems.push({
        code: "CONFLICT",
        resource,
        message:
          `${label(resource)}: ${project.slug} has ${amount(resource, used + reserved)} in use ` +
          `(${used} used, ${reserved} reserved), so its limit cannot go below that ` +
          `(asked ${amount(resource, next)}). Free some up first.`,
      });
      continue;
    }
    changes.push({ scope: "project", projectId: project.id, resource, before, after: next });
    if (next <= before) continue;
    const need = next - before;
    const left = orgLimits[resource] - allocated[resource];
    if (need > left) {
      if (opts.allowOrgRaise) {
        const after = allocated[resource] + need;
        changes.push({ scope: "org", resource, before: orgLimits[resource], after });
        orgLimits[resource] = after;
      } else {
        problems.push({
          code: "QUOTA_EXCEEDED",
          resource,
          message:
            `${label(resource)}: raising ${project.slug} from ${amount(resource, before)} to ` +
            `${amount(resource, next)} needs ${amount(resource, need)} more, but ${org.name} has only ` +
            `${amount(resource, Math.max(0, left))} left to allocate (limit ${amount(resource, orgLimits[resource])}, ` +
            `${amount(resource, allocated[resource])} allocated to projects).`,
        });
        continue;
      }
    }
    allocated[resource] += need;
  }
  if (problems.length > 0) {
    fail(
      problems,
      problems[0]!.code === "QUOTA_EXCEEDED"
        ? (opts.orgShortHint ??
            "Lower another project's limit, or ask a cloud operator to raise the organisation's.")
        : undefined,
    );
  }
  for (const c of changes) {
    if (c.scope === "org") {
      await tx
        .update(orgQuotas)
        .set({ limit: c.after, updatedAt: new Date() })
        .where(and(eq(orgQuotas.orgId, org.id), eq(orgQuotas.resource, c.resource)));
    } else {
      await tx
        .insert(projectQuotas)
        .values({ projectId: project.id, orgId: org.id, resource: c.resource, limit: c.after })
        .onConflictDoUpdate({
          target: [projectQuotas.projectId, projectQuotas.resource],
          set: { limit: sql`excluded.limit`, updatedAt: new Date() },
        });
    }
  }
  return changes;
}

/** Sets some of an organisation's limits; never below what its projects hold together. */
export async function applyOrgLimits(
  tx: Tx,
  org: OrgRef,
  wanted: Limits,
  opts: { raiseOnly?: boolean } = {},
): Promise<LimitChange[]> {
  const orgLimits = await lockOrgQuotas(tx, org.id);
  const { total, shares } = await allocations(tx, org.id);
  const problems: Problem[] = [];
  const changes: LimitChange[] = [];
  for (const resource of quotaResourceNames) {
    const asked = wanted[resource];
    if (asked === undefined) continue;
    const before = orgLimits[resource];
    const next = opts.raiseOnly ? Math.max(before, asked) : asked;
    if (next === before) continue;
    if (next < total[resource]) {
      const who = shares[resource].map((s) => `${s.slug} ${amount(resource, s.limit)}`).join(", ");
      problems.push({
        code: "CONFLICT",
        resource,
        message:
          `${label(resource)}: ${org.name}'s projects hold ${amount(resource, total[resource])}` +
          `${who ? ` (${who})` : ""}, so its limit cannot go below that (asked ${amount(resource, next)}). ` +
          `Lower the project limits first.`,
      });
      continue;
    }
    changes.push({ scope: "org", resource, before, after: next });
  }
  if (problems.length > 0) fail(problems);
  for (const c of changes) {
    await tx
      .update(orgQuotas)
      .set({ limit: c.after, updatedAt: new Date() })
      .where(and(eq(orgQuotas.orgId, org.id), eq(orgQuotas.resource, c.resource)));
  }
  return changes;
}

/** PUT /tenant/v1/projects/{project}/quotas: an org admin sets project limits within the org's. */
export async function updateProjectQuotas(
  tx: Tx,
  actor: Actor,
  org: OrgRef,
  project: ProjectRef & { name: string },
  limits: Limits,
): Promise<LimitChange[]> {
  const changes = await applyProjectLimits(tx, org, project, limits, { allowOrgRaise: false });
  await writeAudit(tx, actor, {
    action: "quota.project.update",
    orgId: org.id,
    projectId: project.id,
    target: { kind: "project", id: project.id, name: project.name },
    data: { requested: limits, changes },
  });
  return changes;
}

/** PUT /ops/v1/organizations/{org}/quotas: an operator sets the organisation's limits. */
export async function updateOrgQuotas(
  tx: Tx,
  actor: Actor,
  org: OrgRef,
  limits: Limits,
): Promise<LimitChange[]> {
  const changes = await applyOrgLimits(tx, org, limits);
  await writeAudit(tx, actor, {
    action: "quota.org.update",
    orgId: org.id,
    target: { kind: "organization", id: org.id, name: org.name },
    data: { requested: limits, changes },
  });
  return changes;
}
