// Reconciles tenancy: every active project must have its Keystone project in every region. The
// portal owns these, so one that vanished upstream is created again, and the correction audited.
import { eq } from "drizzle-orm";
import { organizations, projects } from "@/db/schema";
import { systemActor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import type { KindReconciler } from "@/server/jobs/reconciler";
import { getOpenStack } from "@/server/providers/openstack/client";
import { getCloud } from "./regions";

export const tenancyReconciler: KindReconciler = {
  kind: "tenancy.project",
  async reconcile({ db, region }) {
    const rows = await db
      .select({ project: projects, org: organizations })
      .from(projects)
      .innerJoin(organizations, eq(organizations.id, projects.orgId))
      .where(eq(projects.status, "active"));
    const identity = getOpenStack().admin(region).identity;
    const byDomain = new Map<string, Set<string>>();
    let corrected = 0;
    for (const { project, org } of rows) {
      const refs = project.upstream[region];
      if (!refs?.keystoneDomainId || !refs.keystoneProjectId) continue;
      let ids = byDomain.get(refs.keystoneDomainId);
      if (!ids) {
        ids = new Set((await identity.listProjects({ domainId: refs.keystoneDomainId })).map((p) => p.id));
        byDomain.set(refs.keystoneDomainId, ids);
      }
      if (ids.has(refs.keystoneProjectId)) continue;
      const restored = await getCloud().ensureProject(region, org, project);
      await db.transaction(async (tx) => {
        const [fresh] = await tx.select().from(projects).where(eq(projects.id, project.id)).for("update");
        if (!fresh) return;
        await tx
          .update(projects)
          .set({ upstream: { ...fresh.upstream, [region]: restored }, updatedAt: new Date() })
          .where(eq(projects.id, project.id));
        await writeAudit(tx, systemActor(`reconciler-${region}`), {
          action: "reconciler.project.restore",
          orgId: org.id,
          projectId: project.id,
          target: { kind: "project", id: project.id, name: project.name },
          message: `The Keystone project of ${project.slug} in ${region} was missing; it was created again`,
          data: { region, missing: refs.keystoneProjectId, restored: restored.keystoneProjectId },
        });
      });
      corrected += 1;
    }
    return { checked: rows.length, corrected };
  },
};
