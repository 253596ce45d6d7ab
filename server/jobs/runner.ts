// Runs one job: claims its lease, runs the unfinished steps, and ends it SUCCEEDED, RETRYING
// (transient error, capped exponential backoff with jitter) or FAILED, settling its quota.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobs, notifications, organizations, type JobStep } from "@/db/schema";
import { systemActor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError, toAppError } from "@/server/errors";
import { log } from "@/server/log";
import { settleJobReservations } from "@/server/quota/reserve";
import { notify } from "@/server/realtime/notify";
import type { JobRow } from "./jobs";
import { dispatchJob } from "./queue";
import { getWorkflow, type StepContext } from "./workflows";

export const LEASE_MS = 60_000;
const TERMINAL = new Set(["SUCCEEDED", "FAILED"]);

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

let backoff: BackoffOptions = { baseMs: 1000, capMs: 60_000 };
/** Tests make retries fast. */
export function setBackoff(b: BackoffOptions): void {
  backoff = b;
}

/** Capped exponential backoff with full jitter between half and all of the step. */
export function retryDelayMs(attempt: number, b: BackoffOptions = backoff): number {
  const ceiling = Math.min(b.capMs, b.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

async function claim(db: Db, jobId: string): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({
      state: "RUNNING",
      attempts: sql`${jobs.attempts} + 1`,
      leaseUntil: new Date(Date.now() + LEASE_MS),
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(jobs.id, jobId),
        sql`${jobs.state} not in ('SUCCEEDED','FAILED')`,
        or(isNull(jobs.leaseUntil), lt(jobs.leaseUntil, new Date())),
        or(isNull(jobs.nextRunAt), lt(jobs.nextRunAt, new Date(Date.now() + 500))),
      ),
    )
    .returning();
  return row ?? null;
}

async function saveSteps(db: Db, job: JobRow, steps: JobStep[]): Promise<void> {
  await db
    .update(jobs)
    .set({ steps, leaseUntil: new Date(Date.now() + LEASE_MS), updatedAt: new Date() })
    .where(eq(jobs.id, job.id));
  await notify(db, {
    type: "job",
    orgId: job.orgId,
    projectId: job.projectId,
    jobId: job.id,
    state: "RUNNING",
  });
}

export async function runJob(db: Db, jobId: string): Promise<void> {
  const job = await claim(db, jobId);
  if (!job) return; // finished, running elsewhere, or not due yet
  await notify(db, { type: "job", orgId: job.orgId, projectId: job.projectId, jobId, state: "RUNNING" });
  const workflow = getWorkflow(job.kind);
  const steps = job.steps.map((s) => ({ ...s }));
  const outputs: StepContext["outputs"] = {};
  for (const s of steps) if (s.state === "SUCCEEDED" && s.output) outputs[s.name] = s.output;
  try {
    if (!workflow)
      throw new AppError("INTERNAL", `No workflow for job kind ${job.kind}`, { transient: false });
    for (const [i, def] of workflow.steps.entries()) {
      const step = steps[i] ?? { name: def.name, state: "PENDING" };
      steps[i] = step;
      if (step.state === "SUCCEEDED") continue;
      step.state = "RUNNING";
      step.startedAt = new Date().toISOString();
      delete step.error;
      await saveSteps(db, job, steps);
      const out = await def.run({
        job,
        outputs,
        heartbeat: () => saveSteps(db, job, steps),
      });
      step.state = "SUCCEEDED";
      step.finishedAt = new Date().toISOString();
      if (out) {
        step.output = out;
        outputs[def.name] = out;
      }
      await saveSteps(db, job, steps);
    }
    await db.transaction(async (tx) => {
      await tx
        .update(jobs)
        .set({
          state: "SUCCEEDED",
          steps,
          output: outputs,
          lastError: null,
          leaseUntil: null,
          finishedAt: new Date(),
          updatedAt: new Date(),
        })
        .where(eq(jobs.id, jobId));
      await settleJobReservations(tx, jobId, "committed");
      await workflow.onSuccess?.(tx, job, outputs);
      await notify(tx, {
        type: "job",
        orgId: job.orgId,
        projectId: job.projectId,
        jobId,
        state: "SUCCEEDED",
      });
    });
  } catch (e) {
    await handleFailure(db, job, steps, e);
  }
}

async function handleFailure(db: Db, job: JobRow, steps: JobStep[], e: unknown): Promise<void> {
  const err = toAppError(e);
  const message = err.code === "INTERNAL" && e instanceof Error ? e.message : err.message;
  const running = steps.find((s) => s.state === "RUNNING");
  if (running) {
    running.state = "FAILED";
    running.error = message;
    running.finishedAt = new Date().toISOString();
  }
  if (err.transient && job.attempts < job.maxAttempts) {
    const delay = retryDelayMs(job.attempts);
    if (running) running.state = "PENDING";
    await db
      .update(jobs)
      .set({
        state: "RETRYING",
        steps,
        lastError: message,
        leaseUntil: null,
        nextRunAt: new Date(Date.now() + delay),
        updatedAt: new Date(),
      })
      .where(eq(jobs.id, job.id));
    await notify(db, {
      type: "job",
      orgId: job.orgId,
      projectId: job.projectId,
      jobId: job.id,
      state: "RETRYING",
    });
    log.info("job will retry", {
      jobId: job.id,
      kind: job.kind,
      attempt: job.attempts,
      delayMs: delay,
      error: message,
    });
    await dispatchJob(job.id, delay / 1000);
    return;
  }
  log.warn("job failed", { jobId: job.id, kind: job.kind, error: message });
  const workflow = getWorkflow(job.kind);
  await db.transaction(async (tx) => {
    await tx
      .update(jobs)
      .set({
        state: "FAILED",
        steps,
        lastError: message,
        leaseUntil: null,
        finishedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(jobs.id, job.id));
    await settleJobReservations(tx, job.id, "released");
    await workflow?.onFailure?.(tx, job, message);
    await writeAudit(tx, systemActor(job.requestId ?? job.id, { userId: job.createdBy, email: null }), {
      action: `job.${job.kind}`,
      orgId: job.orgId,
      projectId: job.projectId,
      target: job.targetKind
        ? { kind: job.targetKind, id: job.targetId, name: job.targetName }
        : { kind: "job", id: job.id },
      outcome: "failure",
      errorCode: err.code,
      message,
      data: { jobId: job.id },
    });
    if (job.createdBy) {
      const [org] = await tx
        .select({ slug: organizations.slug })
        .from(organizations)
        .where(eq(organizations.id, job.orgId));
      await tx.insert(notifications).values({
        userId: job.createdBy,
        orgId: job.orgId,
        kind: "job.failed",
        title: `${workflow?.title ?? job.kind} failed`,
        body: `${job.targetName ?? ""}: ${message}`.trim(),
        link: org ? `/${org.slug}/jobs/${job.id}` : null,
      });
      await notify(tx, { type: "notification", userId: job.createdBy });
    }
    await notify(tx, {
      type: "job",
      orgId: job.orgId,
      projectId: job.projectId,
      jobId: job.id,
      state: "FAILED",
    });
  });
}

/** Jobs whose message was lost (crash between commit and send) or whose worker died mid-run. */
export async function sweepJobs(db: Db): Promise<number> {
  const stale = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        sql`${jobs.state} not in ('SUCCEEDED','FAILED')`,
        or(isNull(jobs.leaseUntil), lt(jobs.leaseUntil, new Date())),
        or(isNull(jobs.nextRunAt), lt(jobs.nextRunAt, new Date(Date.now() - 5000))),
        lt(jobs.updatedAt, new Date(Date.now() - 5000)),
      ),
    )
    .limit(100);
  for (const j of stale) await dispatchJob(j.id);
  return stale.length;
}

export function isTerminal(state: string): boolean {
  return TERMINAL.has(state);
}
