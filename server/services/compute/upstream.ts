// The project's OpenStack client in a region: every call the compute slice makes upstream is
// scoped to the one Keystone project that belongs to the portal project.
import { eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { projects, resources } from "@/db/schema";
import { getCloud } from "@/server/cloud/regions";
import { AppError } from "@/server/errors";
import { getOpenStack, type CallContext, type ScopedClient } from "@/server/providers/openstack/client";

export interface ProjectRef {
  id: string;
  slug: string;
  orgId: string;
  upstream: Record<string, { keystoneProjectId?: string; keystoneDomainId?: string }>;
}

export function checkRegion(region: string): void {
  const names = getCloud().regionNames();
  if (!names.includes(region))
    throw new AppError("INVALID_INPUT", `region: unknown region ${region} (regions: ${names.join(", ")})`, {
      field: "region",
    });
}

export function keystoneProjectId(project: ProjectRef, region: string): string {
  const id = project.upstream[region]?.keystoneProjectId;
  if (!id)
    throw new AppError(
      "CONFLICT",
      `Project ${project.slug} is not provisioned in ${region} yet: wait for its provisioning job`,
      { transient: true },
    );
  return id;
}

export function projectCloud(project: ProjectRef, region: string, ctx: CallContext = {}): ScopedClient {
  return getOpenStack().forProject(region, keystoneProjectId(project, region), ctx);
}

export async function loadProject(db: DbOrTx, projectId: string): Promise<ProjectRef & { status: string }> {
  const [p] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!p) throw new AppError("NOT_FOUND", `Project ${projectId} not found`, { transient: false });
  return p;
}

export async function collect<T>(it: AsyncIterable<T>, max = 10_000): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    if (out.length >= max) break;
  }
  return out;
}

/** A job's target row (input.resourceId) with its project and the project's client in the row's region. */
export async function loadJobTarget(job: { input: Record<string, unknown>; requestId: string | null }) {
  const id = String(job.input.resourceId);
  const db = getDb();
  const [row] = await db.select().from(resources).where(eq(resources.id, id));
  if (!row)
    throw new AppError("NOT_FOUND", `Resource ${id} is gone from the inventory`, { transient: false });
  const project = await loadProject(db, row.projectId);
  return {
    db,
    row,
    project,
    cloud: projectCloud(project, row.region, { requestId: job.requestId ?? undefined }),
  };
}
