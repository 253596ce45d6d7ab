// First page of an inventory list: the keyset query of the list procedures (listInventory),
// timed in the server process (no HTTP), newest first and by name.
import type { Db } from "@/db/client";
import { listInventory } from "@/server/services/inventory";
import { and, desc, eq, isNull } from "drizzle-orm";
import { resources } from "@/db/schema";
import { explain, line, measure, printTable } from "./stats";

export async function benchInventory(db: Db, project: { id: string }, n: number): Promise<void> {
  const kind = "instance";
  const rows = [
    await measure(
      "newest first, 100 rows",
      () => listInventory(db, { projectId: project.id, kind, limit: 100 }),
      { n },
    ),
    await measure(
      "by name, 100 rows",
      () => listInventory(db, { projectId: project.id, kind, sort: "name", order: "asc", limit: 100 }),
      { n },
    ),
    await measure(
      "status=ACTIVE + label env=prod",
      () =>
        listInventory(db, {
          projectId: project.id,
          kind,
          status: ["ACTIVE"],
          labels: { env: "prod" },
          limit: 100,
        }),
      { n },
    ),
  ];
  const first = await listInventory(db, { projectId: project.id, kind, limit: 100 });
  rows.push(
    await measure(
      "second page (cursor)",
      () =>
        listInventory(db, { projectId: project.id, kind, limit: 100, cursor: first.nextCursor ?? undefined }),
      { n },
    ),
  );
  printTable("Inventory list, first page of 100 (goal: p99 <= 50 ms)", rows, {
    label: "goal",
    ok: (t) => t.p99 <= 50,
  });
  line(`  (${first.items.length} rows per page; server-side time of the query through drizzle/postgres.js)`);
  // The statement listInventory runs for the first page, newest first, EXPLAINed by Postgres.
  const query = db
    .select()
    .from(resources)
    .where(and(eq(resources.projectId, project.id), eq(resources.kind, kind), isNull(resources.deletedAt)))
    .orderBy(desc(resources.createdAt), desc(resources.id))
    .limit(101)
    .toSQL();
  const { executionMs, plan } = await explain(db.$client, query);
  line(`  Postgres execution time ${executionMs.toFixed(2)} ms (median of 7 EXPLAIN ANALYZE runs): ${plan}`);
}
