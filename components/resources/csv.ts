// CSV and JSON export of a table view. CSV cells that a spreadsheet would run as a formula
// (leading = + - @ tab or CR) get a leading single quote (OWASP's CSV-injection advice).

export type CellValue = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function escapeCsvCell(value: CellValue): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (value instanceof Date) text = Number.isNaN(value.getTime()) ? "" : value.toISOString();
  else if (typeof value === "number") text = Number.isFinite(value) ? String(value) : "";
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else text = neutraliseFormula(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with CRLF line ends. */
export function toCsv(headers: string[], rows: CellValue[][]): string {
  const lines = [headers.map((h) => escapeCsvCell(h)), ...rows.map((r) => r.map(escapeCsvCell))];
  return lines.map((l) => l.join(",")).join("\r\n") + "\r\n";
}

export function toJson(ids: string[], rows: CellValue[][]): string {
  const objects = rows.map((r) =>
    Object.fromEntries(
      ids.map((id, i) => [id, ((v) => (v instanceof Date ? v.toISOString() : (v ?? null)))(r[i])]),
    ),
  );
  return JSON.stringify(objects, null, 2) + "\n";
}

/** "instances-2025-01-31T10-04.csv" */
export function exportFileName(base: string, ext: "csv" | "json", now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replaceAll(":", "-");
  const safe = base.replaceAll(/[^A-Za-z0-9._-]+/g, "-").replaceAll(/^-|-$/g, "") || "export";
  return `${safe}-${stamp}.${ext}`;
}

/** Starts a browser download of text content. */
export function downloadText(fileName: string, content: string, mime: string): void {
  // The BOM makes Excel read UTF-8 CSV correctly; JSON goes out without one.
  const blob = new Blob([mime === "text/csv" ? "\uFEFF" + content : content], {
    type: `${mime};charset=utf-8`,
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
