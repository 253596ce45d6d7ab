"use client";
// The state of a live channel, shown beside what it feeds: live, connecting, paused, or stopped
// (with the reason and a way to reconnect).
import { RotateCw } from "lucide-react";
import { Button, cn, errorInfo, Tooltip } from "@/components/ui";

export type LiveState = "off" | "connecting" | "live" | "error" | "paused";

const LABELS: Record<LiveState, string> = {
  live: "Live",
  connecting: "Connecting…",
  paused: "Paused",
  off: "Live updates off",
  error: "Live updates stopped",
};

export function LiveStatus({
  state,
  error,
  onRetry,
  offReason,
  className,
}: {
  state: LiveState;
  error?: unknown;
  onRetry?: () => void;
  /** Why live updates do not apply (shown as a tooltip when off). */
  offReason?: string;
  className?: string;
}) {
  const dot = (
    <span className="relative flex size-2" aria-hidden="true">
      {state === "live" ? (
        <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60" />
      ) : null}
      <span
        className={cn(
          "relative inline-flex size-2 rounded-full",
          state === "live" && "bg-emerald-500",
          state === "connecting" && "bg-amber-500",
          state === "error" && "bg-red-500",
          (state === "paused" || state === "off") && "bg-slate-400",
        )}
      />
    </span>
  );
  const label = (
    <span
      className={cn("inline-flex items-center gap-2 text-xs font-medium text-muted-foreground", className)}
      role="status"
      data-testid="live-status"
      data-state={state}
    >
      {dot}
      {LABELS[state]}
    </span>
  );
  if (state === "error") {
    return (
      <span className="inline-flex items-center gap-1">
        <Tooltip content={errorInfo(error).message}>{label}</Tooltip>
        {onRetry ? (
          <Button variant="ghost" size="icon-sm" aria-label="Reconnect live updates" onClick={onRetry}>
            <RotateCw className="size-3.5" />
          </Button>
        ) : null}
      </span>
    );
  }
  if (state === "off" && offReason) return <Tooltip content={offReason}>{label}</Tooltip>;
  return label;
}
