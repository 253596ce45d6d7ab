import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { registerReconciler, startReconciler } from "./reconciler";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

it("one leader per region across replicas; the lock passes on when the leader stops", async () => {
  const passes: string[] = [];
  let replica = "";
  registerReconciler({
    kind: "test.kind",
    reconcile: async ({ region }) => {
      passes.push(`${replica}:${region}`);
      return { checked: 0, corrected: 0 };
    },
  });
  const otherDb = createDb(t.appUrl, { max: 3 });
  replica = "a";
  const a = await startReconciler(t.db, () => ["r1", "r2"], { periodMs: 60_000 });
  await a.runOnce();
  replica = "b";
  const b = await startReconciler(otherDb, () => ["r1", "r2"], { periodMs: 60_000 });
  await b.runOnce();
  expect(passes.filter((p) => p.startsWith("b:"))).toEqual([]);
  expect(passes).toContain("a:r1");
  expect(passes).toContain("a:r2");
  await a.stop();
  await b.runOnce();
  expect(passes).toContain("b:r1");
  await b.stop();
  await otherDb.$client.end();
});
