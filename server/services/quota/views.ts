// Reading quotas: an organisation's (its limits, usage summed over its projects, the per-project
// breakdown) and a project's (its carve-out, and what the org has left to give it).
import { asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orgQuotas, projectQuotas, projects } from "@/db/schema";
import { canSeeProject, type Grants } from "@/server/iam/access";
import { orgDefaults } from "@/server/services/orgs";
import {
  figures,
  perResource,
  projectFigures,
  sumRows,
  type PerResource,
  type QuotaFigures,
} from "./figures";

export interface ProjectQuotaSummary extends QuotaFigures {
  id: string;
  slug: string;
  name: string;
  status: string;
}

export interface OrgQuotaView extends QuotaFigures {
  /** Sum of the project limits: what is carved out of the org's limit. */
  allocated: PerResource<number>;
  /** Org limit minus allocated: what project limits can still grow by. */
  available: PerResource<number>;
  projects: ProjectQuotaSummary[];
}

export interface ProjectQuotaView extends QuotaFigures {
  /** What this project's limits can grow by before the org's limit is reached (null: caller may not read org quotas). */
  available: PerResource<number> | null;
}

/** Org limits; resources without a row (added after the org was created) read as the default. */
export async function orgLimits(db: DbOrTx, orgIds: string[]): Promise<Map<string, PerResource<number>>> {
  const out = new Map<string, PerResource<number>>();
  if (orgIds.length === 0) return out;
  const [rows, defaults] = await Promise.all([
    db.select().from(orgQuotas).where(inArray(orgQuotas.orgId, orgIds)),
    orgDefaults(db),
  ]);
  for (const id of orgIds) {
    const mine = new Map(rows.filter((r) => r.orgId === id).map((r) => [r.resource, Number(r.limit)]));
    out.set(
      id,
      perResource((r) => mine.get(r) ?? defaults[r]!.org),
    );
  }
  return out;
}

export async function orgQuotaView(
  db: DbOrTx,
  org: { id: string },
  grants: Grants | null,
): Promise<OrgQuotaView> {
  const [limitsByOrg, rows, orgProjects] = await Promise.all([
    orgLimits(db, [org.id]),
    db.select().from(projectQuotas).where(eq(projectQuotas.orgId, org.id)),
    db.select().from(projects).where(eq(projects.orgId, org.id)).orderBy(asc(projects.name)),
  ]);
  const limits = limitsByOrg.get(org.id)!;
  const { allocated, usage, reserved } = sumRows(rows);
  return {
    ...figures(limits, usage, reserved),
    allocated,
    available: perResource((r) => Math.max(0, limits[r] - allocated[r])),
    projects: orgProjects
      .filter((p) => !grants || canSeeProject(grants, org.id, p.id))
      .map((p) => ({
        id: p.id,
        slug: p.slug,
        name: p.name,
        status: p.status,
        ...projectFigures(rows.filter((r) => r.projectId === p.id)),
      })),
  };
}

export async function projectQuotaView(
  db: DbOrTx,
  project: { id: string; orgId: string },
  opts: { withOrgRoom: boolean },
): Promise<ProjectQuotaView> {
  const rows = await db.select().from(projectQuotas).where(eq(projectQuotas.projectId, project.id));
  const own = projectFigures(rows);
  if (!opts.withOrgRoom) return { ...own, available: null };
  const [limitsByOrg, orgRows] = await Promise.all([
    orgLimits(db, [project.orgId]),
    db
      .select({ resource: projectQuotas.resource, limit: projectQuotas.limit })
      .from(projectQuotas)
      .where(eq(projectQuotas.orgId, project.orgId)),
  ]);
  const limits = limitsByOrg.get(project.orgId)!;
  const { allocated } = sumRows(orgRows);
  return { ...own, available: perResource((r) => Math.max(0, limits[r] - allocated[r])) };
}
