// Tenancy against the simulated cloud through the real provider: a project maps to a Keystone
// project in its organisation's domain, in every region; the reconciler restores one deleted
// out of band; deleting the project removes it upstream.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, jobs, projects } from "@/db/schema";
import { runJob } from "@/server/jobs/runner";
import { getOpenStack } from "@/server/providers/openstack/client";
import { startTestCloud } from "@/test/cloud";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas } from "@/test/personas";
import type { SimHandle } from "@/sim/server";
import { tenancyReconciler } from "./tenancy-reconciler";

let t: TestDatabase;
let sim: SimHandle;

beforeAll(async () => {
  t = await createTestDatabase();
  sim = await startTestCloud();
  await seedPersonas(t.db);
});
afterAll(async () => {
  await sim.close();
  await t.close();
});

async function project(id: string) {
  const [row] = await t.db.select().from(projects).where(eq(projects.id, id));
  return row;
}

describe("tenancy", () => {
  let id = "";

  it("provisions a new project in every region, in its organisation's domain", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const created = await admin.resourcemanager.createProject({
      org: "acme",
      name: "Tenancy test",
      slug: "tenancy",
    });
    id = created.id;
    await runJob(t.db, created.job.id);
    const row = await project(id);
    expect(row?.status).toBe("active");
    expect(Object.keys(row!.upstream).sort()).toEqual(sim.regions.slice().sort());
    for (const region of sim.regions) {
      const refs = row!.upstream[region]!;
      const identity = getOpenStack().admin(region).identity;
      const inDomain = await identity.listProjects({ domainId: refs.keystoneDomainId! });
      expect(inDomain.map((p) => p.id)).toContain(refs.keystoneProjectId);
      // The portal acts with a token scoped to that one project.
      const scoped = await getOpenStack().forProject(region, refs.keystoneProjectId!).token();
      expect(scoped.projectId).toBe(refs.keystoneProjectId);
    }
  });

  it("restores a Keystone project deleted out of band, and audits it", async () => {
    const region = sim.regions[0]!;
    const before = (await project(id))!.upstream[region]!;
    await getOpenStack().admin(region).identity.deleteProject(before.keystoneProjectId!);
    const res = await tenancyReconciler.reconcile({ db: t.db, region, startedAt: new Date() });
    expect(res.corrected).toBe(1);
    const after = (await project(id))!.upstream[region]!;
    expect(after.keystoneProjectId).not.toBe(before.keystoneProjectId);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "reconciler.project.restore"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ projectId: id, actorType: "system", outcome: "success" });
    // A second pass finds nothing to do.
    expect((await tenancyReconciler.reconcile({ db: t.db, region, startedAt: new Date() })).corrected).toBe(
      0,
    );
  });

  it("deleting the (empty) project removes it upstream", async () => {
    const refs = (await project(id))!.upstream;
    const admin = await callerFor(t.db, "admin@acme.example");
    const { job } = await admin.resourcemanager.deleteProject({ project: id });
    await runJob(t.db, job.id);
    const [ran] = await t.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(ran?.lastError ?? null).toBeNull();
    expect(await project(id)).toBeUndefined();
    for (const [region, r] of Object.entries(refs)) {
      const left = await getOpenStack()
        .admin(region)
        .identity.listProjects({ domainId: r.keystoneDomainId! });
      expect(left.map((p) => p.id)).not.toContain(r.keystoneProjectId);
    }
  });
});
