// Integration tests: one embedded Postgres for the run, a migrated template database, and a
// fresh database per test file cloned from it (test/db.ts).
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../db/embedded";

declare module "vitest" {
  export interface ProvidedContext {
    pg: { ownerUrl: string; appUrl: string };
  }
}

export default async function setup(project: TestProject) {
  const dataDir = path.resolve(process.env.CIRRUS_TEST_DATA_DIR ?? ".cirrus/test");
  const port = Number(process.env.CIRRUS_TEST_PG_PORT ?? 54339);
  const pg = await startEmbeddedPostgres({ dataDir, port, database: "cirrus_template" });
  // Migrations run in a child step so this module does not load the app's env before tests set it.
  const { runMigrations } = await import("../db/migrate");
  await runMigrations(pg.ownerUrl);
  const { createDb } = await import("../db/client");
  const db = createDb(pg.ownerUrl, { max: 1 });
  const { seedSystem } = await import("../db/seed/system");
  await seedSystem(db);
  await db.$client.end();
  // Old per-file databases of an earlier run are dropped so the data dir does not grow.
  const admin = postgres(pg.ownerUrl.replace(/\/cirrus_template$/, "/postgres"), {
    max: 1,
    onnotice: () => undefined,
  });
  for (const row of await admin<
    { datname: string }[]
  >`select datname from pg_database where datname like 't\\_%'`) {
    await admin.unsafe(`drop database if exists "${row.datname}" with (force)`);
  }
  await admin.end();
  project.provide("pg", { ownerUrl: pg.ownerUrl, appUrl: pg.appUrl });
  return async () => {
    await pg.stop();
  };
}
