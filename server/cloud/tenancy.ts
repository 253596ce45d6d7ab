// Tenancy mapping: organisation = Keystone domain, project = Keystone project, in every region.
// Wired to the OpenStack provider (server/providers/openstack/tenancy.ts) through the region registry.
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { organizations, projects } from "@/db/schema";
import { syncCatalog } from "@/server/services/compute/catalog";
import { ensureDefaultVpc, removeDefaultVpc } from "@/server/services/compute/default-vpc";
import { getCloud } from "./regions";

export async function provisionProjectUpstream(
  projectId: string,
  heartbeat: () => Promise<void>,
): Promise<Record<string, unknown>> {
  const db = getDb();
  const [row] = await db
    .select({ project: projects, org: organizations })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.orgId))
    .where(eq(projects.id, projectId));
  if (!row) throw new Error(`project ${projectId} vanished`);
  const cloud = getCloud();
  const upstream = { ...row.project.upstream };
  for (const region of cloud.regionNames()) {
    const refs = await cloud.ensureProject(region, row.org, row.project);
    upstream[region] = refs;
    await db.update(projects).set({ upstream, updatedAt: new Date() }).where(eq(projects.id, projectId));
    await heartbeat();
  }
  return { regions: Object.keys(upstream) };
}

/** The default VPC in every region, then the catalogue mirrored so the wizard can offer it at once. */
export async function provisionDefaultNetworks(
  projectId: string,
  jobId: string,
  heartbeat: () => Promise<void>,
): Promise<Record<string, unknown>> {
  const db = getDb();
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!project) throw new Error(`project ${projectId} vanished`);
  const out: Record<string, unknown> = {};
  for (const region of getCloud().regionNames()) {
    out[region] = await ensureDefaultVpc(project, region, jobId);
    await syncCatalog(db, project, region);
    await heartbeat();
  }
  return out;
}

export async function deprovisionProjectUpstream(projectId: string): Promise<Record<string, unknown>> {
  const db = getDb();
  const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!row) return {};
  const cloud = getCloud();
  const regions = Object.entries(row.upstream).filter(
    ([region, refs]) => refs.keystoneProjectId && cloud.regionNames().includes(region),
  );
  // Networks first, everywhere: regions may share one Keystone, so once its project is gone no
  // region can act for the project any more.
  for (const [region] of regions) await removeDefaultVpc(row, region);
  for (const [region, refs] of regions) await cloud.deleteProject(region, refs.keystoneProjectId!);
  return {};
}
