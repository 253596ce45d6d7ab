"use client";
// Export the current view of the activity log as CSV or JSON. The server streams the file (with
// the list's filters, capped at 100,000 events); this shows progress, then saves it, and says so
// when the cap cut it short.
import { Download } from "lucide-react";
import { useState } from "react";
import { DropdownMenu, toast } from "@/components/ui";
import { exportUrl } from "./filters";

interface Problem {
  detail?: string;
  requestId?: string;
  code?: string;
}

function filenameOf(res: Response, fallback: string): string {
  const cd = res.headers.get("content-disposition") ?? "";
  return /filename="([^"]+)"/.exec(cd)?.[1] ?? fallback;
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton({ org, input }: { org: string; input: Record<string, string> }) {
  const [busy, setBusy] = useState<{ format: string; rows: number; received: number } | null>(null);

  async function run(format: "csv" | "json") {
    setBusy({ format, rows: 0, received: 0 });
    try {
      const res = await fetch(exportUrl(org, format, input), { credentials: "same-origin" });
      if (!res.ok) {
        const p = (await res.json().catch(() => ({}))) as Problem;
        toast.error("Export failed", {
          message: p.detail ?? `The server answered ${res.status}`,
          data: { appCode: p.code, requestId: p.requestId },
        });
        return;
      }
      const rows = Number(res.headers.get("x-export-rows") ?? 0);
      const truncated = res.headers.get("x-export-truncated") === "true";
      const limit = Number(res.headers.get("x-export-limit") ?? 0);
      const reader = res.body?.getReader();
      const parts: BlobPart[] = [];
      let received = 0;
      if (reader) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parts.push(value);
          // Newlines approximate rows for the progress label (CSV and JSON both write one per event).
          for (const b of value) if (b === 10) received += 1;
          setBusy({ format, rows, received: Math.min(received, rows) });
        }
      }
      const type = format === "csv" ? "text/csv;charset=utf-8" : "application/json";
      save(new Blob(parts, { type }), filenameOf(res, `${org}-activity.${format}`));
      if (truncated) {
        toast({
          tone: "warning",
          title: `Exported the newest ${limit.toLocaleString("en")} events`,
          description:
            "More events match these filters than one export holds. Narrow the time range and export the rest separately.",
          duration: 0,
        });
      } else {
        toast.success(`Exported ${rows.toLocaleString("en")} ${rows === 1 ? "event" : "events"}`);
      }
    } catch (e) {
      toast.error("Export failed: the download was interrupted", e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <DropdownMenu
      align="end"
      triggerVariant="outline"
      triggerSize="sm"
      aria-label="Export"
      data-testid="export-menu"
      trigger={
        <span className="inline-flex items-center gap-2">
          <Download className="size-4" aria-hidden="true" />
          {busy
            ? `Exporting${busy.rows ? ` ${busy.received.toLocaleString("en")} / ${busy.rows.toLocaleString("en")}` : "…"}`
            : "Export"}
        </span>
      }
      items={[
        { type: "label", label: "Matching events, newest first" },
        {
          label: "CSV (spreadsheets)",
          onSelect: () => void run("csv"),
          disabled: !!busy,
          "data-testid": "export-csv",
        },
        { label: "JSON", onSelect: () => void run("json"), disabled: !!busy, "data-testid": "export-json" },
      ]}
    />
  );
}
