import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs, projectQuotas } from "@/db/schema";
import { systemActor } from "@/server/audit/actor";
import { AppError } from "@/server/errors";
import { reserveQuota } from "@/server/quota/reserve";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedPersonas, type Demo } from "@/test/personas";
import { createJob } from "./jobs";
import { retryDelayMs, runJob, setBackoff, sweepJobs } from "./runner";
import { registerWorkflow } from "./workflows";

let t: TestDatabase;
let demo: Demo;
const calls: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  setBackoff({ baseMs: 1, capMs: 5 });
  registerWorkflow({
    kind: "test.flaky",
    title: "Flaky",
    steps: [
      { name: "first", run: async () => ({ made: "thing-1" }) },
      {
        name: "second",
        run: async ({ job, outputs }) => {
          calls[job.id] = (calls[job.id] ?? 0) + 1;
          expect(outputs.first).toEqual({ made: "thing-1" }); // outputs of done steps survive retries
          if (calls[job.id]! < 3) throw new AppError("UPSTREAM_UNAVAILABLE", "503 from upstream");
        },
      },
    ],
  });
  registerWorkflow({
    kind: "test.broken",
    title: "Broken",
    steps: [
      {
        name: "only",
        run: async () => Promise.reject(new AppError("INVALID_INPUT", "Nova says: flavor too small")),
      },
    ],
  });
});
afterAll(() => t.close());

async function newJob(kind: string, reserve = 0) {
  return t.db.transaction(async (tx) => {
    const job = await createJob(tx, systemActor("test"), {
      kind,
      orgId: demo.acme.id,
      projectId: demo.web.id,
    });
    if (reserve) await reserveQuota(tx, demo.web, { instances: reserve }, { jobId: job.id });
    return job;
  });
}

async function state(id: string) {
  const [row] = await t.db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}

async function instances() {
  const [row] = await t.db
    .select()
    .from(projectQuotas)
    .where(and(eq(projectQuotas.projectId, demo.web.id), eq(projectQuotas.resource, "instances")));
  return row!;
}

describe("job runner", () => {
  it("retries transient failures with backoff, keeps finished steps, commits the reservation", async () => {
    const job = await newJob("test.flaky", 2);
    expect((await instances()).reserved).toBe(2);
    for (let i = 0; i < 5 && (await state(job.id)).state !== "SUCCEEDED"; i++) {
      await new Promise((r) => setTimeout(r, 10));
      await runJob(t.db, job.id);
    }
    const done = await state(job.id);
    expect(done).toMatchObject({ state: "SUCCEEDED", attempts: 3, lastError: null });
    expect(done.steps.map((s) => s.state)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(await instances()).toMatchObject({ reserved: 0, used: 2 });
  });

  it("fails at once on a permanent error with the upstream message, releasing the reservation", async () => {
    const before = await instances();
    const job = await newJob("test.broken", 1);
    await runJob(t.db, job.id);
    const failed = await state(job.id);
    expect(failed).toMatchObject({ state: "FAILED", attempts: 1, lastError: "Nova says: flavor too small" });
    expect(failed.steps[0]).toMatchObject({ state: "FAILED", error: "Nova says: flavor too small" });
    expect(await instances()).toMatchObject({ reserved: before.reserved, used: before.used });
  });

  it("a job whose worker died is picked up again once its lease expires", async () => {
    const job = await newJob("test.flaky");
    // A worker claimed it and died: RUNNING with a lease in the past.
    await t.db
      .update(jobs)
      .set({
        state: "RUNNING",
        leaseUntil: new Date(Date.now() - 1000),
        updatedAt: new Date(Date.now() - 10_000),
      })
      .where(eq(jobs.id, job.id));
    expect(await sweepJobs(t.db)).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5 && (await state(job.id)).state !== "SUCCEEDED"; i++) {
      await new Promise((r) => setTimeout(r, 10));
      await runJob(t.db, job.id);
    }
    expect((await state(job.id)).state).toBe("SUCCEEDED");
  });

  it("a job held by a live lease is not run twice", async () => {
    const job = await newJob("test.flaky");
    await t.db
      .update(jobs)
      .set({ state: "RUNNING", leaseUntil: new Date(Date.now() + 60_000) })
      .where(eq(jobs.id, job.id));
    await runJob(t.db, job.id);
    expect((await state(job.id)).attempts).toBe(0);
  });

  it("backoff grows exponentially, is capped and jittered", () => {
    const b = { baseMs: 100, capMs: 1000 };
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      const d = retryDelayMs(attempt, b);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
  });
});
