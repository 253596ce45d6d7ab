// Progress bars, and quota bars that colour by health: green under 70 %, amber to 90 %, red above,
// and "Action required" once the limit is reached.
import { cn } from "./cn";

export type QuotaHealth = "ok" | "warning" | "critical" | "full";

/** Health of a usage against its limit. A limit of 0 with no use is fine; with use it is full. */
export function quotaHealth(used: number, limit: number): QuotaHealth {
  if (limit <= 0) return used > 0 ? "full" : "ok";
  const ratio = used / limit;
  if (ratio >= 1) return "full";
  if (ratio > 0.9) return "critical";
  if (ratio >= 0.7) return "warning";
  return "ok";
}

export const healthBar: Record<QuotaHealth, string> = {
  ok: "bg-emerald-500",
  warning: "bg-amber-500",
  critical: "bg-red-500",
  full: "bg-red-600",
};

export const healthText: Record<QuotaHealth, string> = {
  ok: "text-emerald-700 dark:text-emerald-400",
  warning: "text-amber-700 dark:text-amber-400",
  critical: "text-red-700 dark:text-red-400",
  full: "text-red-700 dark:text-red-400",
};

export function ProgressBar({
  value,
  max = 100,
  className,
  barClassName,
  label,
  indeterminate = false,
}: {
  value: number;
  max?: number;
  className?: string;
  barClassName?: string;
  /** Accessible name. */
  label?: string;
  indeterminate?: boolean;
}) {
  const pct = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={indeterminate ? undefined : value}
      className={cn("h-2 w-full overflow-hidden rounded-full bg-surface-muted", className)}
    >
      <div
        className={cn(
          "h-full rounded-full transition-[width] duration-300",
          barClassName ?? "bg-primary",
          indeterminate && "w-2/5 animate-progress",
        )}
        style={indeterminate ? undefined : { width: `${pct}%` }}
      />
    </div>
  );
}

const fmt = (n: number) => n.toLocaleString("en");

export function QuotaBar({
  label,
  used,
  limit,
  unit,
  pending = 0,
  className,
  format = fmt,
}: {
  label: string;
  used: number;
  limit: number;
  /** Unit shown after the numbers ("GiB"). */
  unit?: string;
  /** Reserved by requests in flight: drawn striped after the used part. */
  pending?: number;
  className?: string;
  format?: (n: number) => string;
}) {
  const health = quotaHealth(used + pending, limit);
  const pct = limit > 0 ? Math.min(100, ((used + pending) / limit) * 100) : used + pending > 0 ? 100 : 0;
  const usedPct = limit > 0 ? Math.min(100, (used / limit) * 100) : 0;
  const u = unit ? ` ${unit}` : "";
  return (
    <div className={cn("flex flex-col gap-1.5", className)} data-health={health}>
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="truncate font-medium text-foreground">{label}</span>
        <span className="shrink-0 text-muted-foreground tabular-nums">
          <span className={cn("font-medium", healthText[health])}>{format(used + pending)}</span> /{" "}
          {format(limit)}
          {u}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={used + pending}
        aria-valuetext={`${format(used + pending)} of ${format(limit)}${u} (${Math.round(pct)}%)`}
        className="relative h-2 w-full overflow-hidden rounded-full bg-surface-muted"
      >
        <div
          className={cn("absolute inset-y-0 left-0 rounded-full", healthBar[health])}
          style={{ width: `${usedPct}%` }}
        />
        {pending > 0 ? (
          <div
            className={cn("absolute inset-y-0 rounded-r-full opacity-50", healthBar[health])}
            style={{ left: `${usedPct}%`, width: `${Math.max(0, pct - usedPct)}%` }}
          />
        ) : null}
      </div>
      {health === "full" ? (
        <p className="text-xs font-medium text-red-700 dark:text-red-400">
          Action required: the limit is reached. Free capacity or request an increase.
        </p>
      ) : null}
    </div>
  );
}
