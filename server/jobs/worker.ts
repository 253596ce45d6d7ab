// The job worker: takes "run job X" messages from pg-boss, and sweeps for jobs whose message
// was lost or whose worker died (expired lease).
import type { Db } from "@/db/client";
import { log } from "@/server/log";
import { expireKeys } from "@/server/http/idempotency";
import { getBoss, JOB_QUEUE } from "./queue";
import { runJob, sweepJobs } from "./runner";

export interface WorkerHandle {
  stop(): Promise<void>;
}

export async function startWorker(
  db: Db,
  opts: { concurrency?: number; sweepMs?: number } = {},
): Promise<WorkerHandle> {
  const boss = await getBoss();
  const ids: string[] = [];
  for (let i = 0; i < (opts.concurrency ?? 4); i++) {
    ids.push(
      await boss.work<{ jobId: string }>(
        JOB_QUEUE,
        { pollingIntervalSeconds: 0.5, batchSize: 1 },
        async (batch) => {
          for (const j of batch) {
            await runJob(db, j.data.jobId).catch((e: unknown) =>
              log.error("job runner crashed", { jobId: j.data.jobId, error: e }),
            );
          }
        },
      ),
    );
  }
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    Promise.all([sweepJobs(db), expireKeys(db)])
      .catch((e: unknown) => log.warn("sweep failed", { error: e }))
      .finally(() => {
        sweeping = false;
      });
  }, opts.sweepMs ?? 5000);
  timer.unref();
  log.info("worker started", { concurrency: ids.length });
  return {
    async stop() {
      clearInterval(timer);
      for (const id of ids) await boss.offWork({ id }).catch(() => undefined);
    },
  };
}
