// A fresh database for one test file, cloned from the migrated template, with the process's
// db client, pg-boss and env pointed at it.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { createDb, setDb, type Db } from "@/db/client";
import { setRuntimeEnv } from "@/server/env";

export interface TestDatabase {
  /** The app role (cannot alter the audit log). */
  db: Db;
  /** The schema owner, for tests that tamper. */
  owner: Db;
  appUrl: string;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { ownerUrl, appUrl } = inject("pg");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(ownerUrl.replace(/\/cirrus_template$/, "/postgres"), {
    max: 1,
    onnotice: () => undefined,
  });
  // Template cloning needs the template idle; retry briefly while another file clones it.
  for (let i = 0; ; i++) {
    try {
      await admin.unsafe(`create database "${name}" template cirrus_template`);
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = appUrl.replace(/\/cirrus_template$/, `/${name}`);
  const db = createDb(url, { max: 20 });
  const owner = createDb(ownerUrl.replace(/\/cirrus_template$/, `/${name}`), { max: 2 });
  setDb(db);
  setRuntimeEnv({ DATABASE_URL: url, AUTH_SECRET: "test-secret-test-secret-test-secret-0000" });
  return {
    db,
    owner,
    appUrl: url,
    async close() {
      const { stopBoss } = await import("@/server/jobs/queue");
      await stopBoss();
      await db.$client.end({ timeout: 2 });
      await owner.$client.end({ timeout: 2 });
      setDb(undefined);
    },
  };
}
