// The live channel's source: Postgres NOTIFY, so web and worker replicas share one event stream.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

export type LiveEvent =
  | { type: "audit"; orgId: string | null; projectId: string | null; id: number }
  | { type: "job"; orgId: string; projectId: string | null; jobId: string; state: string }
  | { type: "resource"; orgId: string; projectId: string; kind: string; id: string }
  | { type: "notification"; userId: string };

export const CHANNEL = "cirrus_events";

/** Inside a transaction the notification is delivered on commit, and never on rollback. */
export async function notify(db: DbOrTx, event: LiveEvent): Promise<void> {
  await db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(event)})`);
}
