// The one database client: postgres.js under drizzle, created lazily so the embedded
// Postgres can be started (and DATABASE_URL handed over) before the first query.
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/server/env";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A transaction handle; services take `Tx | Db` so they compose inside a caller's transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export function createDb(url: string, opts: { max?: number } = {}): Db {
  const client = postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 30,
    onnotice: () => undefined,
    connection: { application_name: "cirrus" },
  });
  return drizzle(client, { schema, casing: "snake_case" }) as Db;
}

const holder = globalThis as unknown as { __cirrusDb?: Db };

/** The process-wide database. */
export function getDb(): Db {
  if (!holder.__cirrusDb) {
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set and no embedded Postgres was started");
    holder.__cirrusDb = createDb(env.DATABASE_URL);
  }
  return holder.__cirrusDb;
}

/** Tests point the process at their own database. */
export function setDb(db: Db | undefined): void {
  holder.__cirrusDb = db;
}
