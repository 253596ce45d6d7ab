// Job records: created in the caller's transaction (with quota reservation, inventory row and
// audit event), dispatched after commit.
import type { Tx } from "@/db/client";
import { jobs, type JobStep } from "@/db/schema";
import { notify } from "@/server/realtime/notify";
import type { Actor } from "@/server/audit/actor";
import { workflowSteps } from "./workflows";

export type JobRow = typeof jobs.$inferSelect;

export interface NewJob {
  kind: string;
  orgId: string;
  projectId?: string | null;
  region?: string | null;
  target?: { kind: string; id: string; name: string };
  input?: Record<string, unknown>;
  maxAttempts?: number;
}

export async function createJob(tx: Tx, actor: Actor, job: NewJob): Promise<JobRow> {
  const steps: JobStep[] = workflowSteps(job.kind).map((name) => ({ name, state: "PENDING" }));
  const [row] = await tx
    .insert(jobs)
    .values({
      kind: job.kind,
      orgId: job.orgId,
      projectId: job.projectId ?? null,
      region: job.region ?? null,
      targetKind: job.target?.kind ?? null,
      targetId: job.target?.id ?? null,
      targetName: job.target?.name ?? null,
      input: job.input ?? {},
      steps,
      maxAttempts: job.maxAttempts ?? 8,
      createdBy: actor.userId,
      requestId: actor.requestId,
    })
    .returning();
  await notify(tx, {
    type: "job",
    orgId: job.orgId,
    projectId: job.projectId ?? null,
    jobId: row!.id,
    state: "PENDING",
  });
  return row!;
}
