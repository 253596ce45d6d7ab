// Applies the committed drizzle-kit migrations, then the grants that make the audit log
// append-only for the app role. Runs as the schema owner.
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import PgBoss from "pg-boss";
import postgres from "postgres";
import { JOB_QUEUE } from "@/server/jobs/queue-name";

export async function runMigrations(ownerUrl: string): Promise<void> {
  const client = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    // Replicas starting together migrate one at a time.
    await client`select pg_advisory_lock(hashtext('cirrus-migrations'))`;
    await client`create extension if not exists pg_trgm`;
    await migrate(drizzle(client), { migrationsFolder: path.resolve("db/migrations") });
    await installQueue(ownerUrl);
    await applyGrants(client);
  } finally {
    await client.end();
  }
}

/** pg-boss's schema and queue are DDL: the owner creates them, the app role only uses them. */
async function installQueue(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    schema: "pgboss",
    max: 1,
    supervise: false,
    schedule: false,
  });
  boss.on("error", () => undefined);
  await boss.start();
  if (!(await boss.getQueue(JOB_QUEUE))) await boss.createQueue(JOB_QUEUE);
  await boss.stop({ graceful: false, wait: true });
}

/** The app role may read and append audit events but never change or remove them. */
async function applyGrants(client: postgres.Sql): Promise<void> {
  const [role] = await client`select 1 from pg_roles where rolname = 'cirrus_app'`;
  if (!role) return;
  await client.unsafe(`
    grant usage on schema public to cirrus_app;
    grant select, insert, update, delete on all tables in schema public to cirrus_app;
    grant usage, select on all sequences in schema public to cirrus_app;
    revoke update, delete, truncate on audit_events from cirrus_app;
    grant usage on schema pgboss to cirrus_app;
    grant select, insert, update, delete on all tables in schema pgboss to cirrus_app;
    grant usage, select on all sequences in schema pgboss to cirrus_app;
    grant execute on all functions in schema pgboss to cirrus_app;
  `);
}
