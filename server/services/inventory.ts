// The inventory: the one place lists read (never upstream per row). Keyset pagination over
// (sort key, id), filters on status/zone/region/labels/attributes, and name search.
import { and, asc, desc, eq, ilike, isNull, sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { resources } from "@/db/schema";
import { AppError } from "@/server/errors";
import { notify } from "@/server/realtime/notify";
import { decodeCursor, encodeCursor } from "@/server/routers/shared";

export type ResourceRow = typeof resources.$inferSelect;

export const MAX_LABELS = 5;
const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/i;

export function validateLabels(labels: Record<string, string>): Record<string, string> {
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) {
    throw new AppError("INVALID_INPUT", `labels: at most ${MAX_LABELS} labels, got ${entries.length}`, {
      field: "labels",
    });
  }
  for (const [k, v] of entries) {
    if (!LABEL_KEY.test(k))
      throw new AppError("INVALID_INPUT", `labels: invalid key "${k}"`, { field: `labels.${k}` });
    if (v.length > 63)
      throw new AppError("INVALID_INPUT", `labels.${k}: at most 63 characters`, { field: `labels.${k}` });
  }
  return Object.fromEntries(entries);
}

export type SortKey = "createdAt" | "name" | "status";

export interface InventoryQuery {
  projectId: string;
  kind: string;
  q?: string;
  status?: string[];
  region?: string;
  availabilityZone?: string;
  /** label key → value ("" matches any value of the key). */
  labels?: Record<string, string>;
  /** Attribute equality filters (flavor, image...). */
  attrs?: Record<string, string>;
  sort?: SortKey;
  order?: "asc" | "desc";
  limit: number;
  cursor?: string;
}

const sortColumns = {
  createdAt: resources.createdAt,
  name: resources.name,
  status: resources.status,
} as const;

export async function listInventory(
  db: DbOrTx,
  query: InventoryQuery,
): Promise<{ items: ResourceRow[]; nextCursor: string | null }> {
  const sort = query.sort ?? "createdAt";
  const order = query.order ?? (sort === "createdAt" ? "desc" : "asc");
  const col = sortColumns[sort];
  const where: (SQL | undefined)[] = [
    eq(resources.projectId, query.projectId),
    eq(resources.kind, query.kind),
    isNull(resources.deletedAt),
  ];
  if (query.q) where.push(ilike(resources.name, `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  if (query.status?.length) where.push(sql`${resources.status} in ${query.status}`);
  if (query.region) where.push(eq(resources.region, query.region));
  if (query.availabilityZone) where.push(eq(resources.availabilityZone, query.availabilityZone));
  for (const [k, v] of Object.entries(query.labels ?? {})) {
    where.push(
      v === ""
        ? sql`${resources.labels} ? ${k}`
        : sql`${resources.labels} @> ${JSON.stringify({ [k]: v })}::jsonb`,
    );
  }
  for (const [k, v] of Object.entries(query.attrs ?? {})) where.push(sql`${resources.attrs} ->> ${k} = ${v}`);
  const cursor = decodeCursor(query.cursor);
  if (query.cursor && !cursor)
    throw new AppError("INVALID_INPUT", "cursor: not a cursor from this list", { field: "cursor" });
  if (cursor) {
    const [key, id] = cursor as [string, string];
    // Timestamps compare at Postgres's microsecond precision: the cursor carries the full value.
    const keyValue = sort === "createdAt" ? sql`${key}::timestamptz` : sql`${key}`;
    const cmp = order === "desc" ? sql`<` : sql`>`;
    where.push(sql`(${col}, ${resources.id}) ${cmp} (${keyValue}, ${id}::uuid)`);
  }
  // The list index is (created_at DESC NULLS LAST, id DESC NULLS LAST): the ORDER BY must say the
  // same NULLS order, or Postgres sorts every matching row instead of reading the index.
  const dir = (c: typeof col | typeof resources.id) =>
    sort === "createdAt"
      ? order === "desc"
        ? sql`${c} desc nulls last`
        : sql`${c} asc nulls first`
      : order === "desc"
        ? desc(c)
        : asc(c);
  const rows = await db
    .select({ row: resources, createdAtText: sql<string>`${resources.createdAt}::text` })
    .from(resources)
    .where(and(...where))
    .orderBy(dir(col), dir(resources.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map((r) => r.row);
  const last = rows[query.limit - 1];
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor([sort === "createdAt" ? last.createdAtText : String(last.row[sort]), last.row.id])
      : null;
  return { items, nextCursor };
}

export async function getInventory(
  db: DbOrTx,
  projectId: string,
  kind: string,
  id: string,
): Promise<ResourceRow> {
  const [row] = await db
    .select()
    .from(resources)
    .where(
      and(
        eq(resources.id, id),
        eq(resources.projectId, projectId),
        eq(resources.kind, kind),
        isNull(resources.deletedAt),
      ),
    );
  if (!row) throw new AppError("NOT_FOUND", `${kind} ${id} not found`);
  return row;
}

/** Resource counts per kind for dashboards. */
export async function countByKind(
  db: DbOrTx,
  scope: { orgId: string; projectId?: string },
): Promise<Record<string, number>> {
  const rows = await db
    .select({ kind: resources.kind, n: sql<number>`count(*)::int` })
    .from(resources)
    .where(
      and(
        eq(resources.orgId, scope.orgId),
        scope.projectId ? eq(resources.projectId, scope.projectId) : undefined,
        isNull(resources.deletedAt),
      ),
    )
    .groupBy(resources.kind);
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

export async function insertInventory(
  tx: Tx,
  row: Pick<ResourceRow, "kind" | "orgId" | "projectId" | "region" | "name" | "status"> &
    Partial<
      Pick<ResourceRow, "availabilityZone" | "labels" | "desired" | "attrs" | "createdBy" | "providerRef">
    >,
): Promise<ResourceRow> {
  const [created] = await tx
    .insert(resources)
    .values({ ...row, labels: validateLabels(row.labels ?? {}) })
    .returning();
  await notify(tx, {
    type: "resource",
    orgId: row.orgId,
    projectId: row.projectId,
    kind: row.kind,
    id: created!.id,
  });
  return created!;
}

/** Tells the live channel that a row changed (on commit, when db is a transaction). */
export async function notifyResource(
  db: DbOrTx,
  row: Pick<ResourceRow, "orgId" | "projectId" | "kind" | "id">,
): Promise<void> {
  await notify(db, {
    type: "resource",
    orgId: row.orgId,
    projectId: row.projectId,
    kind: row.kind,
    id: row.id,
  });
}
