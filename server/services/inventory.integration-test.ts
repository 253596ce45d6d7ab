import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedPersonas, type Demo } from "@/test/personas";
import { AppError } from "@/server/errors";
import { listInventory, validateLabels, type SortKey } from "./inventory";

let t: TestDatabase;
let demo: Demo;
const N = 500;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  // Many rows share a created_at and a status, so ties must be broken by id without gaps.
  await t.db.execute(sql`
    insert into resources (kind, org_id, project_id, region, availability_zone, name, status, labels, created_at)
    select 'compute.instance', ${demo.acme.id}, ${demo.web.id}, 'region-one', 'az-' || (i % 3 + 1),
           'vm-' || lpad(i::text, 4, '0'), (array['ACTIVE','SHUTOFF','BUILD'])[i % 3 + 1],
           case when i % 5 = 0 then '{"env":"prod"}'::jsonb else '{"env":"dev"}'::jsonb end,
           timestamptz '2026-01-01' + ((i / 7) || ' minutes')::interval
    from generate_series(1, ${N}) as i`);
});
afterAll(() => t.close());

async function all(
  sort: SortKey,
  order: "asc" | "desc",
  filters: Partial<Parameters<typeof listInventory>[1]> = {},
) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listInventory(t.db, {
      projectId: demo.web.id,
      kind: "compute.instance",
      sort,
      order,
      limit: 37,
      cursor,
      ...filters,
    });
    seen.push(...page.items.map((r) => r.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return seen;
}

describe("inventory keyset pagination", () => {
  it.each([
    ["createdAt", "desc"],
    ["createdAt", "asc"],
    ["name", "asc"],
    ["status", "desc"],
  ] as const)("pages by %s %s without duplicates or gaps", async (sort, order) => {
    const ids = await all(sort, order);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
  });

  it("filters by status, zone, label and name", async () => {
    const count = (f: (i: number) => boolean) => Array.from({ length: N }, (_, k) => k + 1).filter(f).length;
    expect(await all("name", "asc", { status: ["ACTIVE"] })).toHaveLength(count((i) => i % 3 === 0));
    expect(await all("name", "asc", { labels: { env: "prod" } })).toHaveLength(count((i) => i % 5 === 0));
    expect(await all("name", "asc", { q: "vm-001" })).toHaveLength(10);
    expect(await all("name", "asc", { availabilityZone: "az-2" })).toHaveLength(count((i) => i % 3 === 1));
  });

  it("keeps rows whose timestamps differ below the millisecond", async () => {
    // clock_timestamp() gives each row its own microseconds; several share one millisecond.
    await t.db.execute(sql`
      insert into resources (kind, org_id, project_id, region, name, status, created_at)
      select 'compute.volume', ${demo.acme.id}, ${demo.web.id}, 'region-one', 'vol-' || i, 'available',
             timestamptz '2026-02-01 00:00:00' + (i || ' microseconds')::interval
      from generate_series(1, 300) as i`);
    for (const order of ["desc", "asc"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await listInventory(t.db, {
          projectId: demo.web.id,
          kind: "compute.volume",
          sort: "createdAt",
          order,
          limit: 7,
          cursor,
        });
        seen.push(...page.items.map((r) => r.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(new Set(seen).size).toBe(300);
    }
  });

  it("refuses a forged cursor", async () => {
    await expect(
      listInventory(t.db, { projectId: demo.web.id, kind: "compute.instance", limit: 5, cursor: "garbage" }),
    ).rejects.toThrow(AppError);
  });

  it("allows at most five labels, with valid keys", () => {
    expect(() => validateLabels({ a: "1", b: "2", c: "3", d: "4", e: "5", f: "6" })).toThrow(
      /at most 5 labels/,
    );
    expect(() => validateLabels({ "bad key": "x" })).toThrow(/invalid key/);
    expect(validateLabels({ team: "web" })).toEqual({ team: "web" });
  });

  it("the database refuses a sixth label too", async () => {
    await expect(
      t.db.execute(
        sql`update resources set labels = '{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"}' where project_id = ${demo.web.id}`,
      ),
    ).rejects.toThrow();
  });
});
