// The benchmark's own database: an embedded Postgres in a temporary directory, migrated and
// seeded like a real installation (system roles, demo organisations), then bulk data.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, setDb, type Db } from "@/db/client";
import { startEmbeddedPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/db/seed/demo";
import { seedSystem } from "@/db/seed/system";
import { setRuntimeEnv } from "@/server/env";

export interface BenchDb {
  db: Db;
  owner: Db;
  stop(): Promise<void>;
}

export async function startBenchDb(port: number): Promise<BenchDb> {
  const dir = await mkdtemp(path.join(tmpdir(), "cirrus-bench-"));
  // Postgres runs as its own user when started as root: it must be able to enter the directory.
  await chmod(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port, database: "cirrus_bench" });
  await runMigrations(pg.ownerUrl);
  setRuntimeEnv({ DATABASE_URL: pg.appUrl, AUTH_SECRET: "bench-secret-bench-secret-bench-secret-00" });
  const db = createDb(pg.appUrl, { max: 10 });
  setDb(db);
  const owner = createDb(pg.ownerUrl, { max: 2 });
  await seedSystem(db);
  await seedDemo(db, "cirrus-demo");
  return {
    db,
    owner,
    async stop() {
      const { stopBoss } = await import("@/server/jobs/queue");
      await stopBoss().catch(() => undefined);
      await db.$client.end({ timeout: 2 });
      await owner.$client.end({ timeout: 2 });
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
