// Dispatch through pg-boss. The job row is the record (written in the caller's transaction);
// pg-boss only carries "run job X" messages, sent after commit and re-sent by the sweeper.
import PgBoss from "pg-boss";
import { env } from "@/server/env";
import { log } from "@/server/log";

export { JOB_QUEUE } from "./queue-name";
import { JOB_QUEUE } from "./queue-name";

const holder = globalThis as unknown as { __cirrusBoss?: Promise<PgBoss> };

export function getBoss(): Promise<PgBoss> {
  holder.__cirrusBoss ??= (async () => {
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
    // The schema and queue were installed by the migrator (db/migrate.ts): the app role runs no DDL.
    const boss = new PgBoss({
      connectionString: env.DATABASE_URL,
      schema: "pgboss",
      max: 4,
      application_name: "cirrus-jobs",
      migrate: false,
    });
    boss.on("error", (e) => log.error("pg-boss error", { error: e }));
    await boss.start();
    return boss;
  })();
  return holder.__cirrusBoss;
}

/** Asks a worker to run the job, now or after a delay (retries). Never throws: the sweeper catches up. */
export async function dispatchJob(jobId: string, delaySeconds = 0): Promise<void> {
  try {
    const boss = await getBoss();
    await boss.send(
      JOB_QUEUE,
      { jobId },
      { startAfter: delaySeconds > 0 ? Math.ceil(delaySeconds) : undefined, retryLimit: 0 },
    );
  } catch (e) {
    log.warn("could not dispatch job; the sweeper will", { jobId, error: e });
  }
}

export async function stopBoss(): Promise<void> {
  const boss = holder.__cirrusBoss;
  holder.__cirrusBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, wait: true, timeout: 5000 });
}
