// Tenancy mapping: organisation = Keystone domain, project = Keystone project, in every region.
// Wired to the OpenStack provider (server/providers/openstack/tenancy.ts) through the region registry.
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { organizations, projects } from "@/db/schema";
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

export async function deprovisionProjectUpstream(projectId: string): Promise<Record<string, unknown>> {
  const db = getDb();
  const [row] = await db.select().from(projects).where(eq(projects.id, projectId));
  if (!row) return {};
  const cloud = getCloud();
  for (const [region, refs] of Object.entries(row.upstream)) {
    if (refs.keystoneProjectId && cloud.regionNames().includes(region))
      await cloud.deleteProject(region, refs.keystoneProjectId);
  }
  return {};
}
