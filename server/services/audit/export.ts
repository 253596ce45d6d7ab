// Exports the activity log as CSV or JSON with the list's filters, in pages, so a large export
// streams with bounded memory. Capped: past the cap the file holds the newest events and says so.
import { and, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { AUDIT_CSV_COLUMNS, auditCsvRow, csvLine } from "./csv";
import { listAuditEvents, type AuditCursor, type AuditEventItem, type OrgRef } from "./list";
import { filterConditions, type AuditFilters, type ResolvedFilters } from "./query";

export const EXPORT_LIMIT = 100_000;
export type ExportFormat = "csv" | "json";

export interface ExportPlan {
  format: ExportFormat;
  filename: string;
  contentType: string;
  /** Events the file will hold. */
  rows: number;
  /** More events matched than the cap allows; the file holds the newest `limit`. */
  truncated: boolean;
  limit: number;
  /** Events written after this instant are not part of the export (the file is a snapshot). */
  asOf: Date;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/** Counts (up to the cap + 1) what the filters match, to announce the size before streaming. */
export async function planExport(
  db: DbOrTx,
  org: OrgRef,
  filters: ResolvedFilters,
  format: ExportFormat,
  limit = EXPORT_LIMIT,
): Promise<{ plan: ExportPlan; filters: ResolvedFilters }> {
  const asOf = new Date();
  // Freeze the upper bound so events arriving during the export neither shift nor join it.
  const bounded: ResolvedFilters = { ...filters, to: filters.to && filters.to < asOf ? filters.to : asOf };
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from (
      select 1 from ${auditEvents} where ${and(...filterConditions(bounded))} limit ${limit + 1}
    ) s`);
  const matched = Number(row?.n ?? 0);
  return {
    filters: bounded,
    plan: {
      format,
      filename: `${org.slug}-activity-${stamp(asOf)}.${format}`,
      contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      rows: Math.min(matched, limit),
      truncated: matched > limit,
      limit,
      asOf,
    },
  };
}

/** The API's JSON shape of an event (dates as RFC 3339 strings). */
export function eventJson(e: AuditEventItem): Record<string, unknown> {
  return { ...e, createdAt: e.createdAt.toISOString() };
}

/**
 * Yields the file in chunks of one page each. The caller writes them out (with backpressure) and
 * stops early by returning from the iteration.
 */
export async function* exportChunks(
  db: DbOrTx,
  org: OrgRef,
  filters: ResolvedFilters,
  plan: ExportPlan,
  request: AuditFilters,
  pageSize = 2000,
): AsyncGenerator<string> {
  if (plan.format === "csv") yield csvLine([...AUDIT_CSV_COLUMNS]);
  else {
    const head = {
      organization: { id: org.id, slug: org.slug },
      exportedAt: plan.asOf.toISOString(),
      filters: {
        ...request,
        from: request.from?.toISOString(),
        to: request.to?.toISOString(),
      },
      rows: plan.rows,
      truncated: plan.truncated,
      limit: plan.limit,
    };
    const open = JSON.stringify(head, null, 2);
    yield `${open.slice(0, -2)},\n  "items": [`;
  }
  let written = 0;
  let cursor: AuditCursor | null = null;
  while (written < plan.rows) {
    const page = await listAuditEvents(db, org, filters, {
      limit: Math.min(pageSize, plan.rows - written),
      cursor,
    });
    if (page.items.length === 0) break;
    let chunk = "";
    for (const e of page.items) {
      chunk +=
        plan.format === "csv"
          ? auditCsvRow(e)
          : `${written > 0 ? "," : ""}\n    ${JSON.stringify(eventJson(e))}`;
      written += 1;
    }
    yield chunk;
    const last = page.items[page.items.length - 1]!;
    cursor = { createdAt: last.createdAt.toISOString(), id: last.id };
    if (!page.nextCursor) break;
  }
  if (plan.format === "json") yield "\n  ]\n}\n";
}
