"use client";
// The designed failure block: what went wrong (the problem's own message), the request id to
// quote to support, and a retry. Takes any thrown value (tRPC errors included).
import { AlertTriangle, RotateCw } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";
import { CopyButton } from "./copy-field";
import { errorInfo } from "./error-info";

const TITLES: Record<string, string> = {
  NOT_FOUND: "Not found",
  FORBIDDEN: "You do not have access",
  UNAUTHENTICATED: "Your session has ended",
  UPSTREAM_UNAVAILABLE: "The cloud is not answering",
  UPSTREAM_TIMEOUT: "The cloud took too long to answer",
  RATE_LIMITED: "Too many requests",
};

export function ErrorState({
  error,
  title,
  onRetry,
  retrying = false,
  action,
  className,
  compact = false,
}: {
  error: unknown;
  title?: ReactNode;
  onRetry?: () => void;
  retrying?: boolean;
  action?: ReactNode;
  className?: string;
  compact?: boolean;
}) {
  const info = errorInfo(error);
  const heading = title ?? (info.code ? TITLES[info.code] : undefined) ?? "Something went wrong";
  return (
    <div
      role="alert"
      className={cn(
        "flex flex-col items-center justify-center gap-3 text-center",
        compact ? "px-4 py-6" : "px-6 py-12",
        className,
      )}
    >
      <div className="flex size-11 items-center justify-center rounded-full bg-danger-soft text-danger">
        <AlertTriangle className="size-5" aria-hidden="true" />
      </div>
      <div className="max-w-lg">
        <p className="text-sm font-semibold text-foreground">{heading}</p>
        <p className="mt-1 text-sm break-words text-muted-foreground">{info.message}</p>
        {info.requestId ? (
          <p className="mt-2 inline-flex items-center gap-1 font-mono text-xs text-muted-foreground">
            Request ID {info.requestId}
            <CopyButton value={info.requestId} label="Copy request ID" size="icon-sm" />
          </p>
        ) : null}
      </div>
      {onRetry || action ? (
        <div className="flex gap-2">
          {onRetry ? (
            <Button variant="outline" size="sm" onClick={onRetry} loading={retrying} icon={<RotateCw />}>
              Retry
            </Button>
          ) : null}
          {action}
        </div>
      ) : null}
    </div>
  );
}
