// Reservations under contention: the project's quota row lock must admit exactly as many
// concurrent reservations as the limit leaves room for, every run.
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectQuotas, quotaReservations } from "@/db/schema";
import { AppError } from "@/server/errors";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedPersonas, type Demo } from "@/test/personas";
import { commitReservation, releaseReservation, reserveQuota } from "./reserve";

let t: TestDatabase;
let demo: Demo;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
});
afterAll(() => t.close());

async function setInstances(limit: number, used: number): Promise<void> {
  await t.db.delete(quotaReservations).where(eq(quotaReservations.projectId, demo.web.id));
  await t.db
    .update(projectQuotas)
    .set({ limit, used, reserved: 0 })
    .where(and(eq(projectQuotas.projectId, demo.web.id), eq(projectQuotas.resource, "instances")));
}

async function instancesRow() {
  const [row] = await t.db
    .select()
    .from(projectQuotas)
    .where(and(eq(projectQuotas.projectId, demo.web.id), eq(projectQuotas.resource, "instances")));
  return row!;
}

describe("reserveQuota under contention", () => {
  it("admits exactly one of 50 concurrent creates at limit − 1, every run", async () => {
    const N = 10;
    for (let run = 0; run < 5; run++) {
      await setInstances(N, N - 1);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          t.db.transaction((tx) => reserveQuota(tx, demo.web, { instances: 1 })),
        ),
      );
      const ok = results.filter((r) => r.status === "fulfilled");
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(ok, `run ${run}`).toHaveLength(1);
      expect(refused, `run ${run}`).toHaveLength(49);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(AppError);
        expect((r.reason as AppError).code).toBe("QUOTA_EXCEEDED");
      }
      const row = await instancesRow();
      expect({ used: row.used, reserved: row.reserved }, `run ${run}`).toEqual({ used: N - 1, reserved: 1 });
      const [open] = await t.db
        .select({ n: count() })
        .from(quotaReservations)
        .where(and(eq(quotaReservations.projectId, demo.web.id), eq(quotaReservations.state, "reserved")));
      expect(open!.n, `run ${run}`).toBe(1);
    }
  });

  it("admits as many as the room left when several fit", async () => {
    await setInstances(10, 3);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        t.db.transaction((tx) => reserveQuota(tx, demo.web, { instances: 1 })),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    expect(await instancesRow()).toMatchObject({ used: 3, reserved: 7 });
  });

  it("names the limit, what is in use and what was asked when it refuses", async () => {
    await setInstances(10, 8);
    await t.db.transaction((tx) => reserveQuota(tx, demo.web, { instances: 1 }));
    const err = await t.db
      .transaction((tx) => reserveQuota(tx, demo.web, { instances: 2 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe(
      "Quota exceeded for Instances in project web: limit 10, in use 9, requested 2. Free some up or request an increase on the Quotas page.",
    );
    expect((err as AppError).details).toEqual({ resource: "instances", limit: 10, inUse: 9, requested: 2 });
  });

  it("commits a reservation to usage and releases one back, once each", async () => {
    await setInstances(10, 0);
    const a = await t.db.transaction((tx) => reserveQuota(tx, demo.web, { instances: 2 }));
    const b = await t.db.transaction((tx) => reserveQuota(tx, demo.web, { instances: 3 }));
    expect(await instancesRow()).toMatchObject({ used: 0, reserved: 5 });
    await t.db.transaction((tx) => commitReservation(tx, a));
    await t.db.transaction((tx) => commitReservation(tx, a)); // a retried job settles twice: no double count
    await t.db.transaction((tx) => releaseReservation(tx, b));
    expect(await instancesRow()).toMatchObject({ used: 2, reserved: 0 });
  });
});
