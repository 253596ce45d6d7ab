import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas, type Demo } from "@/test/personas";
import { verifyChain } from "./verify";

let t: TestDatabase;

/** drizzle wraps driver errors: the database's own message is the cause. */
async function dbError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof Error ? String((e.cause as Error | undefined)?.message ?? e.message) : String(e);
  }
  return "no error";
}
let demo: Demo;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  const admin = await callerFor(t.db, "admin@acme.example");
  for (let i = 0; i < 5; i++) await admin.resourcemanager.createProject({ org: "acme", name: `p${i}` });
});
afterAll(() => t.close());

describe("audit log", () => {
  it("is append-only for the app's database role", async () => {
    for (const stmt of [
      sql`update audit_events set action = 'x'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
    ]) {
      expect(await dbError(t.db.execute(stmt))).toMatch(/permission denied/);
    }
  });

  it("refuses changes even from the owner, unless the trigger is bypassed", async () => {
    expect(await dbError(t.owner.execute(sql`delete from audit_events`))).toMatch(/append-only/);
  });

  it("verifies an untouched chain", async () => {
    const res = await verifyChain(t.db, demo.acme.id);
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThanOrEqual(7);
  });

  it("pinpoints the first altered row of the real chain", async () => {
    await t.owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(
        sql`update audit_events set target_name = 'forged' where chain = ${demo.acme.id} and seq = 4`,
      );
    });
    const res = await verifyChain(t.db, demo.acme.id);
    expect(res).toMatchObject({ ok: false, checked: 3, problem: { kind: "altered", seq: 4 } });
  });

  it("pinpoints a removed row", async () => {
    await t.owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from audit_events where chain = ${demo.acme.id} and seq in (4)`);
    });
    const res = await verifyChain(t.db, demo.acme.id);
    expect(res).toMatchObject({ ok: false, problem: { kind: "removed", seq: 4 } });
  });

  it("pinpoints an inserted row", async () => {
    const chain = demo.globex.id;
    const first = await verifyChain(t.db, chain);
    expect(first.ok).toBe(true);
    await t.owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      // Make room after seq 1 and slip a forged row in with a plausible hash.
      await tx.execute(sql`update audit_events set seq = seq + 1 where chain = ${chain} and seq >= 2`);
      await tx.execute(sql`insert into audit_events (chain, seq, org_id, actor_type, action, outcome, data, created_at, prev_hash, hash)
        select chain, 2, org_id, 'user', 'forged.action', 'success', '{}'::jsonb, now(), hash, md5(random()::text) from audit_events where chain = ${chain} and seq = 1`);
    });
    const res = await verifyChain(t.db, chain);
    expect(res.ok).toBe(false);
    expect(res.problem?.seq).toBe(2);
    expect(["altered", "inserted"]).toContain(res.problem?.kind);
  });
});
