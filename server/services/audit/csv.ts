// CSV for spreadsheets: RFC 4180 quoting, and cells that a spreadsheet would run as a formula
// (leading = + - @ tab CR) defused with a leading single quote (OWASP "CSV injection").
import type { AuditEventItem } from "./list";

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  let s: string;
  if (value === null || value === undefined) s = "";
  else if (value instanceof Date) s = value.toISOString();
  else if (typeof value === "object") s = JSON.stringify(value);
  else s = String(value as string | number | boolean);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const AUDIT_CSV_COLUMNS = [
  "time",
  "id",
  "seq",
  "actor_email",
  "actor_id",
  "actor_type",
  "action",
  "outcome",
  "error_code",
  "message",
  "project_id",
  "project_slug",
  "target_kind",
  "target_id",
  "target_name",
  "request_id",
  "ip",
  "user_agent",
  "data",
  "hash",
] as const;

export function auditCsvRow(e: AuditEventItem): string {
  return csvLine([
    e.createdAt,
    e.id,
    e.seq,
    e.actor.email,
    e.actor.id,
    e.actor.type,
    e.action,
    e.outcome,
    e.errorCode,
    e.message,
    e.project?.id,
    e.project?.slug,
    e.target?.kind,
    e.target?.id,
    e.target?.name,
    e.requestId,
    e.ip,
    e.userAgent,
    e.data,
    e.hash,
  ]);
}
