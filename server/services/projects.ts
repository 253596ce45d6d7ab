// Projects: create (quotas carved out of the organisation's, provisioning job), rename, delete when empty.
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { jobs, orgQuotas, projectQuotas, projects, resources } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { canSeeProject, type Grants } from "@/server/iam/access";
import { createJob, type JobRow } from "@/server/jobs/jobs";
import { quotaResourceNames } from "@/server/quota/resources";
import { orgDefaults, type OrgRow } from "./orgs";
import { RESERVED_PROJECT_SLUGS, SLUG, slugify } from "./slug";

export type ProjectRow = typeof projects.$inferSelect;

export { RESERVED_PROJECT_SLUGS } from "./slug";

export function checkProjectSlug(slug: string): void {
  if (!SLUG.test(slug))
    throw new AppError("INVALID_INPUT", "slug: use lowercase letters, digits and dashes (1-40)", {
      field: "slug",
    });
  if ((RESERVED_PROJECT_SLUGS as readonly string[]).includes(slug))
    throw new AppError(
      "INVALID_INPUT",
      `slug: ${slug} is reserved by the console; choose another slug (reserved: ${RESERVED_PROJECT_SLUGS.join(", ")})`,
      { field: "slug" },
    );
}

export async function listProjects(db: DbOrTx, org: OrgRow, grants: Grants): Promise<ProjectRow[]> {
  const rows = await db.select().from(projects).where(eq(projects.orgId, org.id)).orderBy(asc(projects.name));
  return rows.filter((p) => canSeeProject(grants, org.id, p.id));
}

export async function createProject(
  tx: Tx,
  actor: Actor,
  org: OrgRow,
  input: { name: string; slug?: string; description?: string },
): Promise<{ project: ProjectRow; job: JobRow }> {
  const slug = input.slug ?? slugify(input.name);
  checkProjectSlug(slug);
  const [taken] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.orgId, org.id), eq(projects.slug, slug)));
  if (taken)
    throw new AppError("CONFLICT", `A project with the slug ${slug} already exists in ${org.slug}`, {
      field: "slug",
    });

  const [project] = await tx
    .insert(projects)
    .values({ orgId: org.id, name: input.name, slug, description: input.description ?? "" })
    // Two creates of one slug at once: the second is a clear 409, not a unique-violation 500.
    .onConflictDoNothing()
    .returning();
  if (!project)
    throw new AppError("CONFLICT", `A project with the slug ${slug} already exists in ${org.slug}`, {
      field: "slug",
    });
  await tx.insert(projectQuotas).values(await carveProjectQuotas(tx, org.id, project.id));
  const job = await createJob(tx, actor, {
    kind: "project.provision",
    orgId: org.id,
    projectId: project.id,
    target: { kind: "project", id: project.id, name: project.name },
  });
  await writeAudit(tx, actor, {
    action: "resourcemanager.project.create",
    orgId: org.id,
    projectId: project.id,
    target: { kind: "project", id: project.id, name: project.name },
    data: { slug, jobId: job.id },
  });
  return { project, job };
}

/**
 * A new project gets the platform's project default for each resource, but never more than the
 * organisation has left, so the sum of project limits stays within the organisation's.
 */
async function carveProjectQuotas(tx: Tx, orgId: string, projectId: string) {
  const defaults = await orgDefaults(tx);
  const orgRows = await tx.select().from(orgQuotas).where(eq(orgQuotas.orgId, orgId)).for("update");
  const allocated = await tx
    .select({
      resource: projectQuotas.resource,
      total: sql<number>`coalesce(sum(${projectQuotas.limit}), 0)::bigint`,
    })
    .from(projectQuotas)
    .where(eq(projectQuotas.orgId, orgId))
    .groupBy(projectQuotas.resource);
  return quotaResourceNames.map((resource) => {
    const orgLimit = orgRows.find((r) => r.resource === resource)?.limit ?? defaults[resource]!.org;
    const used = Number(allocated.find((a) => a.resource === resource)?.total ?? 0);
    return {
      projectId,
      orgId,
      resource,
      limit: Math.max(0, Math.min(defaults[resource]!.project, orgLimit - used)),
    };
  });
}

export async function renameProject(
  tx: Tx,
  actor: Actor,
  project: ProjectRow,
  input: { name?: string; description?: string },
): Promise<ProjectRow> {
  const [row] = await tx
    .update(projects)
    .set({
      ...(input.name ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      updatedAt: new Date(),
    })
    .where(eq(projects.id, project.id))
    .returning();
  await writeAudit(tx, actor, {
    action: "resourcemanager.project.update",
    orgId: project.orgId,
    projectId: project.id,
    target: { kind: "project", id: project.id, name: row!.name },
    data: { before: { name: project.name, description: project.description }, after: input },
  });
  return row!;
}

/**
 * What blocks a project's deletion: what it owns. The mirrored catalogue (flavors, shared and
 * public images, external networks, security groups) and the default VPC, which the delete job
 * removes itself, do not.
 */
const ownedResource = sql`(
  ${resources.kind} not in ('flavor', 'image', 'network', 'subnet', 'security_group')
  or (${resources.kind} = 'image' and ${resources.attrs} ->> 'owned' = 'true')
  or (${resources.kind} in ('network', 'subnet') and ${resources.attrs} ->> 'owned' = 'true'
      and coalesce(${resources.attrs} ->> 'isDefault', 'false') <> 'true')
)`;

export async function deleteProject(tx: Tx, actor: Actor, project: ProjectRow): Promise<JobRow> {
  // Lock the project so a concurrent create cannot slip a resource in between the check and the job.
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, project.id)).for("update");
  if (project.status === "deleting")
    throw new AppError("CONFLICT", `Project ${project.slug} is already being deleted`);
  const byKind = await tx
    .select({ kind: resources.kind, n: count() })
    .from(resources)
    .where(and(eq(resources.projectId, project.id), isNull(resources.deletedAt), ownedResource))
    .groupBy(resources.kind);
  const total = byKind.reduce((sum, k) => sum + k.n, 0);
  if (total > 0) {
    const kinds = byKind
      .sort((a, b) => b.n - a.n)
      .map((k) => `${k.n} ${k.kind}`)
      .join(", ");
    throw new AppError(
      "CONFLICT",
      `Project ${project.slug} still holds ${total} resource${total === 1 ? "" : "s"} (${kinds}): delete them first`,
      { details: { resources: total, kinds: Object.fromEntries(byKind.map((k) => [k.kind, k.n])) } },
    );
  }
  await tx
    .update(projects)
    .set({ status: "deleting", updatedAt: new Date() })
    .where(eq(projects.id, project.id));
  const job = await createJob(tx, actor, {
    kind: "project.delete",
    orgId: project.orgId,
    projectId: project.id,
    target: { kind: "project", id: project.id, name: project.name },
  });
  await writeAudit(tx, actor, {
    action: "resourcemanager.project.delete",
    orgId: project.orgId,
    projectId: project.id,
    target: { kind: "project", id: project.id, name: project.name },
    data: { jobId: job.id },
  });
  return job;
}

export async function projectsByIds(db: DbOrTx, ids: string[]): Promise<ProjectRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(projects).where(inArray(projects.id, ids));
}

export interface ProjectJob {
  id: string;
  kind: string;
  state: string;
  lastError: string | null;
  updatedAt: Date;
}

/** The latest job of each project (provisioning, deletion), so lists can show where it stands. */
export async function latestProjectJobs(db: DbOrTx, projectIds: string[]): Promise<Map<string, ProjectJob>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([jobs.projectId], {
      projectId: jobs.projectId,
      id: jobs.id,
      kind: jobs.kind,
      state: jobs.state,
      lastError: jobs.lastError,
      updatedAt: jobs.updatedAt,
    })
    .from(jobs)
    .where(and(inArray(jobs.projectId, projectIds), sql`${jobs.kind} like 'project.%'`))
    .orderBy(jobs.projectId, desc(jobs.createdAt));
  return new Map(rows.map(({ projectId, ...j }) => [projectId!, j]));
}
