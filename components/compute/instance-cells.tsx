"use client";
// Small renderers shared by the instance list, cards and detail page.
import { Lock } from "lucide-react";
import { ACTION_LABELS, isTransitional, type InstanceAction } from "@/lib/compute/actions";
import { Badge, Spinner, StatusPill, Tooltip } from "@/components/ui";
import { flavorShape } from "./format";
import type { Instance } from "./types";

/** What the instance is busy with, in words ("Rebooting", "resize prep"). */
export function busyWith(i: Pick<Instance, "pendingAction" | "taskState">): string | null {
  if (i.pendingAction)
    return `${ACTION_LABELS[i.pendingAction as InstanceAction] ?? i.pendingAction} in progress`;
  if (i.taskState) return i.taskState.replace(/_/g, " ");
  return null;
}

export function InstanceStatus({
  instance: i,
  detailed = false,
  inline = false,
}: {
  instance: Instance;
  /** Show Nova's fault under an ERROR status. */
  detailed?: boolean;
  /** One line (page headers): the busy text beside the pill, no lock icon (the header has a badge). */
  inline?: boolean;
}) {
  const busy = busyWith(i);
  const moving = isTransitional(i);
  return (
    <span
      className={inline ? "flex items-center gap-2" : "flex flex-col items-start gap-0.5"}
      data-testid="instance-status"
      data-status={i.status}
    >
      <span className="flex items-center gap-1.5">
        <StatusPill status={i.status} />
        {moving ? <Spinner className="size-3.5 text-muted-foreground" label={busy ?? "In progress"} /> : null}
        {i.locked && !inline ? (
          <Tooltip content={i.lockedReason ? `Locked: ${i.lockedReason}` : "Locked"}>
            <Lock className="size-3.5 text-amber-600 dark:text-amber-400" aria-label="Locked" />
          </Tooltip>
        ) : null}
      </span>
      {busy ? <span className="max-w-48 truncate text-xs text-muted-foreground">{busy}</span> : null}
      {detailed && i.status === "ERROR" && i.fault ? (
        <span className="max-w-56 truncate text-xs text-red-700 dark:text-red-300" title={i.fault}>
          {i.fault}
        </span>
      ) : null}
    </span>
  );
}

export function LabelList({ labels, max = 3 }: { labels: Record<string, string>; max?: number }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return <span className="text-muted-foreground">—</span>;
  const shown = entries.slice(0, max);
  const rest = entries.length - shown.length;
  return (
    <span className="flex flex-wrap gap-1">
      {shown.map(([k, v]) => (
        <Badge key={k} title={`${k}=${v}`} className="max-w-40 font-mono">
          {k}={v}
        </Badge>
      ))}
      {rest > 0 ? (
        <Badge
          title={entries
            .slice(max)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ")}
        >
          +{rest}
        </Badge>
      ) : null}
    </span>
  );
}

export function IpList({ instance: i }: { instance: Pick<Instance, "privateIps" | "floatingIps"> }) {
  if (i.privateIps.length === 0 && i.floatingIps.length === 0)
    return <span className="text-muted-foreground">—</span>;
  return (
    <span className="flex flex-col font-mono text-xs">
      {i.floatingIps.map((ip) => (
        <span key={ip} className="flex items-center gap-1">
          {ip}
          <Badge tone="accent" className="h-4 px-1 font-sans text-[10px]" title="Elastic IP">
            EIP
          </Badge>
        </span>
      ))}
      {i.privateIps.map((ip) => (
        <span key={ip} className="text-muted-foreground">
          {ip}
        </span>
      ))}
    </span>
  );
}

export function FlavorCell({ flavor }: { flavor: Instance["flavor"] }) {
  if (!flavor) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="flex flex-col">
      <span>{flavor.name}</span>
      <span className="text-xs text-muted-foreground">{flavorShape(flavor)}</span>
    </span>
  );
}
