// Start-up shared by the server, tests and scripts: secrets, database (embedded or configured),
// migrations, system seed, demo seed, and the cloud (configured, or the embedded simulated one).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { getDb } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedDb } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/db/seed/demo";
import { seedSystem } from "@/db/seed/system";
import { env, setRuntimeEnv } from "./env";
import { dispatchJob } from "./jobs/queue";
import { log } from "./log";

export interface Bootstrapped {
  embedded: EmbeddedDb | null;
  demo: boolean;
  stop(): Promise<void>;
}

/** A secret for session cookies, generated once per data dir when AUTH_SECRET is not set. */
async function ensureAuthSecret(dataDir: string): Promise<void> {
  if (env.AUTH_SECRET) return;
  const file = path.join(dataDir, "auth-secret");
  let secret: string;
  if (existsSync(file)) secret = (await readFile(file, "utf8")).trim();
  else {
    secret = randomBytes(32).toString("base64url");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
  }
  setRuntimeEnv({ AUTH_SECRET: secret });
}

export async function bootstrapDatabase(
  opts: { dataDir?: string; port?: number; quiet?: boolean } = {},
): Promise<Bootstrapped> {
  const dataDir = path.resolve(opts.dataDir ?? env.CIRRUS_DATA_DIR);
  await ensureAuthSecret(dataDir);
  let embedded: EmbeddedDb | null = null;
  if (env.DATABASE_URL) {
    await runMigrations(env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL);
  } else {
    const t0 = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: opts.port ?? env.CIRRUS_EMBEDDED_PG_PORT,
      log: opts.quiet ? undefined : (l) => log.debug("postgres", { line: l.trim() }),
    });
    await runMigrations(embedded.ownerUrl);
    setRuntimeEnv({ DATABASE_URL: embedded.appUrl });
    log.info("embedded postgres ready", { dir: path.join(dataDir, "pg"), ms: Date.now() - t0 });
  }
  await seedSystem(getDb());
  // Demo data exists only in demo mode: the embedded default, or CIRRUS_DEMO=1 with a configured database.
  const demo = embedded !== null || env.CIRRUS_DEMO;
  return {
    embedded,
    demo,
    async stop() {
      await getDb().$client.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

export async function seedDemoData(): Promise<void> {
  const jobs = await seedDemo(getDb(), env.CIRRUS_DEMO_PASSWORD);
  for (const j of jobs) await dispatchJob(j.id);
  if (jobs.length) log.info("demo data seeded", { jobs: jobs.length });
}
