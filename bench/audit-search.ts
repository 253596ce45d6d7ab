// The activity log's first page with search and filters, through the real procedure (scope,
// permission, filter resolution, keyset query), as an org reader.
import type { Db } from "@/db/client";
import { randomUUID } from "node:crypto";
import { organizations, users } from "@/db/schema";
import { eq, sql } from "drizzle-orm";
import { loadGrants } from "@/server/iam/access";
import { appRouter } from "@/server/routers/_app";
import { auditPageQuery } from "@/server/services/audit/list";
import { resolveFilters, type AuditFilters } from "@/server/services/audit/query";
import { explain, line, measure, printTable } from "./stats";

export async function benchAuditSearch(db: Db, n: number): Promise<void> {
  const [viewer] = await db.select().from(users).where(eq(users.email, "viewer@acme.example"));
  const principal = { userId: viewer!.id, email: viewer!.email, name: viewer!.name, via: "session" as const };
  const grants = await loadGrants(db, principal);
  const requestId = randomUUID();
  const caller = appRouter.createCaller({
    db,
    requestId,
    principal,
    grants,
    authError: null,
    idempotencyKey: null,
    actor: {
      userId: viewer!.id,
      email: viewer!.email,
      type: "user",
      requestId,
      ip: "127.0.0.1",
      userAgent: "bench",
      audit: { written: false },
    },
  });
  const week = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const [{ id: actor7 } = { id: "" }] = await db.execute<{ id: string }>(
    sql`select md5('actor7')::uuid::text as id`,
  );
  const cases: [string, Record<string, string>][] = [
    ["no filter", {}],
    ["q=web (common word)", { q: "web" }],
    ["q=cache-42 (rare)", { q: "cache-42" }],
    ["q=delete (inside actions)", { q: "delete" }],
    ["q=quota + outcome=failure", { q: "quota", outcome: "failure" }],
    // The generated actors are not users of the database, so filter by their id (as the console
    // does for real users, whose email resolves to an id).
    ["q=web + actor + last 7 days", { q: "web", actor: actor7, from: week }],
    ["action=iam.* + outcome=denied", { action: "iam.*", outcome: "denied" }],
    ["targetKind=volume + project=web", { targetKind: "volume", project: "web" }],
  ];
  const rows = [];
  for (const [name, filters] of cases) {
    rows.push(
      await measure(name, () => caller.audit.listEvents({ org: "acme", limit: 50, ...filters }), {
        n: Math.max(50, Math.round(n / 2)),
        warmup: 10,
      }),
    );
  }
  printTable("Activity log, first page of 50 with search and filters (goal: p95 <= 100 ms)", rows, {
    label: "goal",
    ok: (t) => t.p95 <= 100,
  });
  line("  (through the audit.listEvents procedure: ladder + filter resolution + keyset query, no HTTP)");
  line("\n  Postgres execution time (median of 7 EXPLAIN ANALYZE runs) and plan of the page query:");
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, "acme"));
  for (const [name, filters] of cases) {
    const input = { ...filters, ...(filters.from ? { from: new Date(filters.from) } : {}) } as AuditFilters;
    const resolved = await resolveFilters(db, org!.id, input);
    const { executionMs, plan } = await explain(
      db.$client,
      auditPageQuery(db, resolved, { limit: 50 }).toSQL(),
    );
    line(`  ${name.padEnd(34)} ${executionMs.toFixed(2).padStart(8)} ms  ${plan}`);
  }
}
