// Badges and status pills. `statusTone` maps the statuses of OpenStack, Kubernetes, jobs and
// requests to one colour language: green settled-good, blue in progress, amber needs attention,
// red failed, grey off.
import { cn } from "./cn";

export type Tone = "neutral" | "info" | "success" | "warning" | "danger" | "accent";

const tones: Record<Tone, string> = {
  neutral:
    "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/15 dark:text-slate-300 dark:ring-slate-400/25",
  info: "bg-sky-50 text-sky-800 ring-sky-600/20 dark:bg-sky-500/15 dark:text-sky-300 dark:ring-sky-400/25",
  success:
    "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/15 dark:text-emerald-300 dark:ring-emerald-400/25",
  warning:
    "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/15 dark:text-amber-300 dark:ring-amber-400/25",
  danger: "bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-500/15 dark:text-red-300 dark:ring-red-400/25",
  accent:
    "bg-indigo-50 text-indigo-800 ring-indigo-600/20 dark:bg-indigo-500/15 dark:text-indigo-300 dark:ring-indigo-400/25",
};

const dots: Record<Tone, string> = {
  neutral: "bg-slate-400",
  info: "bg-sky-500",
  success: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-red-500",
  accent: "bg-indigo-500",
};

export function Badge({
  tone = "neutral",
  className,
  children,
  title,
}: {
  tone?: Tone;
  className?: string;
  children: React.ReactNode;
  title?: string;
}) {
  return (
    <span
      title={title}
      className={cn(
        "inline-flex h-5 max-w-full items-center gap-1 truncate rounded-md px-1.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

const SUCCESS = new Set([
  "ACTIVE",
  "AVAILABLE",
  "SUCCEEDED",
  "SUCCESS",
  "READY",
  "HEALTHY",
  "ONLINE",
  "APPROVED",
  "OK",
  "IN_USE",
  "BOUND",
  "ENABLED",
  "UP",
  "COMPLETED",
]);
const PROGRESS = new Set([
  "BUILD",
  "BUILDING",
  "RUNNING",
  "PROVISIONING",
  "CREATING",
  "DELETING",
  "UPDATING",
  "REBOOT",
  "HARD_REBOOT",
  "RESIZE",
  "REBUILD",
  "MIGRATING",
  "DOWNLOADING",
  "UPLOADING",
  "QUEUED",
  "SAVING",
  "ATTACHING",
  "DETACHING",
  "EXTENDING",
  "RESTORING",
  "BACKING_UP",
  "PENDING_CREATE",
  "PENDING_UPDATE",
  "PENDING_DELETE",
  "SCALING",
  "IN_PROGRESS",
]);
const WARNING = new Set([
  "PENDING",
  "RETRYING",
  "DEGRADED",
  "VERIFY_RESIZE",
  "SUSPENDED",
  "PAUSED",
  "INVITED",
  "WARNING",
  "STALE",
  "RESCUE",
  "SHELVED",
  "SHELVED_OFFLOADED",
  "EXPIRING",
]);
const DANGER = new Set([
  "ERROR",
  "FAILED",
  "FAILURE",
  "REJECTED",
  "DOWN",
  "CRASHLOOPBACKOFF",
  "DENIED",
  "UNHEALTHY",
]);

function norm(status: string): string {
  return status
    .trim()
    .toUpperCase()
    .replaceAll(/[\s-]+/g, "_");
}

export function statusTone(status: string): Tone {
  const s = norm(status);
  if (SUCCESS.has(s)) return "success";
  if (PROGRESS.has(s)) return "info";
  if (WARNING.has(s)) return "warning";
  if (DANGER.has(s) || s.startsWith("ERROR")) return "danger";
  return "neutral";
}

/** Statuses that will change by themselves soon (shown with a pulsing dot). */
export function isTransitional(status: string): boolean {
  const s = norm(status);
  return PROGRESS.has(s) || s === "PENDING" || s === "RETRYING";
}

/** "HARD_REBOOT" → "Hard reboot". */
export function humanizeStatus(status: string): string {
  const words = status.trim().replaceAll(/[_-]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function StatusPill({
  status,
  label,
  className,
}: {
  status: string;
  /** Text to show instead of the humanised status. */
  label?: string;
  className?: string;
}) {
  const tone = statusTone(status);
  const moving = isTransitional(status);
  return (
    <Badge tone={tone} className={cn("gap-1.5 rounded-full px-2", className)} title={status}>
      <span className="relative flex size-1.5 shrink-0" aria-hidden="true">
        {moving ? (
          <span
            className={cn("absolute inline-flex size-full animate-ping rounded-full opacity-75", dots[tone])}
          />
        ) : null}
        <span className={cn("relative inline-flex size-1.5 rounded-full", dots[tone])} />
      </span>
      {label ?? humanizeStatus(status)}
    </Badge>
  );
}
