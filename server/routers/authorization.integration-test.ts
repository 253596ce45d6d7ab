// The authorisation matrix: every procedure of the router runs as every persona and the outcome
// must match test/authorization-table.ts exactly: zero unexpected allows or denies. Another
// organisation's resources answer NOT_FOUND; anonymous and suspended callers are UNAUTHORIZED.
// Every mutation call, allowed or not, writes exactly one audit event.
import { TRPCError } from "@trpc/server";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { matrix, makeFixtures, type Fixtures } from "@/test/authorization-table";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, PERSONAS, seedPersonas, type Persona } from "@/test/personas";
import { listProcedures } from "./introspect";

let t: TestDatabase;
let fx: Fixtures;

beforeAll(async () => {
  t = await createTestDatabase();
  fx = makeFixtures(t.db, await seedPersonas(t.db));
});
afterAll(() => t.close());

type Outcome = "allow" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";

async function auditCount(): Promise<number> {
  const [row] = await t.db.select({ n: count() }).from(auditEvents);
  return row?.n ?? 0;
}

async function run(path: string, persona: Persona, input: unknown): Promise<Outcome> {
  const caller = (await callerFor(t.db, PERSONAS[persona])) as unknown as Record<
    string,
    Record<string, (i: unknown) => Promise<unknown>>
  >;
  const [domain, name] = path.split(".") as [string, string];
  try {
    const result = await caller[domain]![name]!(input);
    // Subscriptions are authorised when they start; close them at once.
    if (result && typeof result === "object" && Symbol.asyncIterator in result) {
      await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    }
    return "allow";
  } catch (e) {
    if (
      e instanceof TRPCError &&
      (e.code === "UNAUTHORIZED" || e.code === "FORBIDDEN" || e.code === "NOT_FOUND")
    )
      return e.code;
    // Any other error (conflict, invalid input...) came from past the authorisation gate.
    return "allow";
  }
}

describe("authorisation matrix", () => {
  const procedures = listProcedures();

  it("has a declared permission and a table row for every procedure", () => {
    const undeclared = procedures.filter((p) => !p.meta?.permission).map((p) => p.path);
    expect(undeclared, "procedures without a declared permission").toEqual([]);
    const missing = procedures.filter((p) => !matrix[p.path]).map((p) => p.path);
    expect(missing, "procedures missing from test/authorization-table.ts").toEqual([]);
    const stale = Object.keys(matrix).filter((k) => !procedures.some((p) => p.path === k));
    expect(stale, "table rows for procedures that no longer exist").toEqual([]);
  });

  it("matches the expected table for every persona, with one audit event per mutation call", async () => {
    const unexpected: string[] = [];
    for (const proc of procedures) {
      const row = matrix[proc.path];
      if (!row) continue;
      for (const persona of Object.keys(PERSONAS) as Persona[]) {
        const input = await row.input(fx);
        const before = proc.type === "mutation" ? await auditCount() : 0;
        const outcome = await run(proc.path, persona, input);
        const expectAllow = row.allow.includes(persona);
        if (expectAllow && outcome !== "allow")
          unexpected.push(`${proc.path} as ${persona}: denied (${outcome}), expected allowed`);
        if (!expectAllow && outcome === "allow")
          unexpected.push(`${proc.path} as ${persona}: allowed, expected denied`);
        if (
          !expectAllow &&
          (persona === "anonymous" || persona === "suspended") &&
          outcome !== "UNAUTHORIZED"
        ) {
          unexpected.push(`${proc.path} as ${persona}: ${outcome}, expected UNAUTHORIZED`);
        }
        // Existence must not leak across organisations: outsiders see NOT_FOUND, never FORBIDDEN.
        // (Operator procedures have no tenant resource to hide: their refusal is a plain FORBIDDEN.)
        if (
          !expectAllow &&
          persona === "otherOrg" &&
          outcome === "FORBIDDEN" &&
          !proc.path.startsWith("ops.")
        ) {
          unexpected.push(`${proc.path} as otherOrg: FORBIDDEN leaks existence, expected NOT_FOUND`);
        }
        if (proc.type === "mutation") {
          const delta = (await auditCount()) - before;
          if (delta !== 1)
            unexpected.push(`${proc.path} as ${persona}: ${delta} audit events, expected exactly 1`);
        }
      }
    }
    expect(unexpected).toEqual([]);
  });
});
