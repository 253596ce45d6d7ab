// The quota impact of a request, shown before it is made: per resource what is in use, what this
// request adds, and the result against the limit, coloured by health.
import { AlertTriangle } from "lucide-react";
import { cn, healthBar, healthText, quotaHealth } from "@/components/ui";

export interface QuotaImpactRow {
  /** Quota resource id ("instances", "cores"). */
  resource: string;
  label: string;
  inUse: number;
  /** What this request adds (may be 0). */
  request: number;
  limit: number;
  unit?: string;
}

/** Rows where the request would pass the limit. */
export function exceeded(rows: QuotaImpactRow[]): QuotaImpactRow[] {
  return rows.filter((r) => r.request > 0 && r.inUse + r.request > r.limit);
}

const fmt = (n: number, unit?: string) => `${n.toLocaleString("en")}${unit ? ` ${unit}` : ""}`;

export function QuotaImpactTable({ rows, className }: { rows: QuotaImpactRow[]; className?: string }) {
  return (
    <div className={cn("overflow-x-auto rounded-lg border border-border", className)}>
      <table className="w-full text-sm" data-testid="quota-impact">
        <thead className="bg-surface-muted/60 text-xs text-muted-foreground">
          <tr className="border-b border-border">
            <th scope="col" className="h-9 px-3 text-left font-medium">
              Resource
            </th>
            <th scope="col" className="px-3 text-right font-medium">
              In use
            </th>
            <th scope="col" className="px-3 text-right font-medium">
              This request
            </th>
            <th scope="col" className="px-3 text-right font-medium">
              After / limit
            </th>
            <th scope="col" className="w-40 px-3 text-left font-medium">
              <span className="sr-only">Health</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const after = r.inUse + r.request;
            const health = quotaHealth(after, r.limit);
            const over = r.request > 0 && after > r.limit;
            const pct = r.limit > 0 ? Math.min(100, (after / r.limit) * 100) : after > 0 ? 100 : 0;
            return (
              <tr key={r.resource} className="h-11 border-b border-border last:border-0" data-health={health}>
                <th scope="row" className="px-3 text-left font-medium">
                  {r.label}
                </th>
                <td className="px-3 text-right text-muted-foreground tabular-nums">{fmt(r.inUse, r.unit)}</td>
                <td className="px-3 text-right font-medium tabular-nums">
                  {r.request > 0 ? `+${fmt(r.request, r.unit)}` : "—"}
                </td>
                <td className={cn("px-3 text-right font-medium tabular-nums", healthText[health])}>
                  {fmt(after, r.unit)} / {fmt(r.limit, r.unit)}
                </td>
                <td className="px-3">
                  {over ? (
                    <span className="inline-flex items-center gap-1 text-xs font-medium text-red-700 dark:text-red-400">
                      <AlertTriangle className="size-3.5" aria-hidden="true" />
                      Over by {fmt(after - r.limit, r.unit)}
                    </span>
                  ) : (
                    <div
                      className="h-1.5 w-full overflow-hidden rounded-full bg-surface-muted"
                      role="meter"
                      aria-label={`${r.label} after this request`}
                      aria-valuemin={0}
                      aria-valuemax={r.limit}
                      aria-valuenow={after}
                    >
                      <div
                        className={cn("h-full rounded-full", healthBar[health])}
                        style={{ width: `${pct}%` }}
                      />
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
