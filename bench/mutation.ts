// What governance adds to a mutation: the same row update bare, then inside the governed path
// (permission check, quota reservation under row lock, job row, audit event with its hash chain
// and NOTIFY, all in one transaction, then the pg-boss enqueue), and the full procedure.
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects, resources, users } from "@/db/schema";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { can, loadGrants } from "@/server/iam/access";
import { createJob } from "@/server/jobs/jobs";
import { dispatchJob, getBoss } from "@/server/jobs/queue";
import { reserveQuota } from "@/server/quota/reserve";
import { appRouter } from "@/server/routers/_app";
import { contextForBench } from "./context";
import { line, measure, printTable, type Timing } from "./stats";

export async function benchMutation(
  db: Db,
  project: { id: string; slug: string; orgId: string },
  n: number,
): Promise<void> {
  const [target] = await db
    .select({ id: resources.id })
    .from(resources)
    .where(eq(resources.projectId, project.id))
    .limit(1);
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@acme.example"));
  const principal = { userId: admin!.id, email: admin!.email, name: admin!.name, via: "session" as const };
  await getBoss(); // start pg-boss once, as the server does at boot

  const bare = await measure(
    "bare UPDATE (autocommit)",
    (i) =>
      db
        .update(resources)
        .set({ name: `vm-bench-${i}`, updatedAt: new Date() })
        .where(eq(resources.id, target!.id)),
    { n },
  );

  const governed = await measure(
    "governed service call",
    async (i) => {
      const grants = await loadGrants(db, principal);
      if (!can(grants, "compute.instance.update", { orgId: project.orgId, projectId: project.id }))
        throw new AppError("FORBIDDEN", "no");
      const actor = { ...contextForBench(principal).actor };
      const job = await db.transaction(async (tx) => {
        await tx
          .update(resources)
          .set({ name: `vm-bench-${i}`, updatedAt: new Date() })
          .where(eq(resources.id, target!.id));
        const job = await createJob(tx, actor, {
          kind: "project.provision",
          orgId: project.orgId,
          projectId: project.id,
          target: { kind: "instance", id: target!.id, name: `vm-bench-${i}` },
        });
        await reserveQuota(tx, project, { instances: 1 }, { jobId: job.id, resourceId: target!.id });
        await writeAudit(tx, actor, {
          action: "compute.instance.update",
          orgId: project.orgId,
          projectId: project.id,
          target: { kind: "instance", id: target!.id, name: `vm-bench-${i}` },
          data: { jobId: job.id },
        });
        return job;
      });
      await dispatchJob(job.id);
    },
    { n },
  );

  const procedure = await measure(
    "resourcemanager.updateProject (caller)",
    async (i) => {
      const ctx = contextForBench(principal);
      ctx.grants = await loadGrants(db, principal);
      await appRouter.createCaller({ ...ctx, db }).resourcemanager.updateProject({
        project: project.id,
        description: `bench ${i}`,
      });
    },
    { n },
  );
  const bareProject = await measure(
    "bare UPDATE of the project row",
    (i) =>
      db
        .update(projects)
        .set({ description: `bare ${i}`, updatedAt: new Date() })
        .where(eq(projects.id, project.id)),
    { n },
  );
  printTable("Cost of governance on a mutation (goal: added p99 <= 10 ms)", [
    bare,
    governed,
    bareProject,
    procedure,
  ]);
  const added = (a: Timing, b: Timing, label: string) =>
    line(
      `  ${label}: +${(a.p50 - b.p50).toFixed(2)} ms at p50 (x${(a.p50 / b.p50).toFixed(1)}), +${(a.p99 - b.p99).toFixed(2)} ms at p99 (x${(a.p99 / b.p99).toFixed(1)})  ${a.p99 - b.p99 <= 10 ? "goal met" : "goal MISSED"}`,
    );
  line("");
  added(governed, bare, "authz + quota + job + audit + enqueue vs bare update");
  added(procedure, bareProject, "updateProject procedure (grants, ladder, audit) vs bare update");
  const [left] = await db.execute<{ n: number }>(sql`select count(*)::int as n from quota_reservations`);
  line(`  (${left?.n ?? 0} quota reservations and as many jobs written; the worker is not running)`);
}
