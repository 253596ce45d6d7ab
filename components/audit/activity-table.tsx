"use client";
// The events as a table, newest first; a row opens to show the whole event. Events that just
// arrived over the live feed are highlighted for a moment.
import { ChevronRight } from "lucide-react";
import { Fragment, useState } from "react";
import { Badge, cn, RelativeTime, Skeleton } from "@/components/ui";
import { EventDetails } from "./event-details";
import { describeAction } from "./filters";
import type { AuditEvent } from "./use-live-audit";

const COLUMNS = ["", "Time", "Actor", "Action", "Target", "Project", "Outcome"];

function OutcomeBadge({ e }: { e: AuditEvent }) {
  if (e.outcome === "success") return <Badge tone="success">Success</Badge>;
  return (
    <span className="flex flex-col items-start gap-0.5" title={e.message ?? undefined}>
      <Badge tone={e.outcome === "denied" ? "warning" : "danger"}>
        {e.outcome === "denied" ? "Denied" : "Failed"}
      </Badge>
      {e.errorCode ? (
        <span className="max-w-36 truncate font-mono text-[11px] text-muted-foreground">{e.errorCode}</span>
      ) : null}
    </span>
  );
}

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function Actor({ e, email }: { e: AuditEvent; email: string | null }) {
  if (!e.actor.email && e.actor.type === "system" && e.actor.id)
    return (
      <span className="flex min-w-0 flex-col">
        <span className="truncate">Cirrus (system)</span>
        <span className="truncate text-xs text-muted-foreground">for {email ?? "a user"}</span>
      </span>
    );
  if (e.actor.email)
    return (
      <span className="flex min-w-0 flex-col">
        <span className="truncate">{e.actor.email}</span>
        <span className="truncate text-xs text-muted-foreground">
          {e.actor.type === "token"
            ? "API token"
            : e.actor.type === "system"
              ? "Cirrus, on their behalf"
              : "Console"}
          {e.ip ? ` · ${e.ip}` : ""}
        </span>
      </span>
    );
  return (
    <span className="text-muted-foreground">
      {e.actor.type === "system" ? "Cirrus (system)" : e.actor.type}
    </span>
  );
}

export function ActivityTable({
  events,
  loading,
  flash,
  actors,
  onFilter,
}: {
  events: AuditEvent[];
  loading: boolean;
  flash: Set<number>;
  /** User id → email, for events that name the actor by id only. */
  actors: Map<string, string>;
  onFilter: (patch: { action?: string; actor?: string; kind?: string }) => void;
}) {
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-surface shadow-xs">
      <table className="w-full border-collapse text-sm" data-testid="activity-table">
        <thead className="bg-surface-muted/60">
          <tr className="border-b border-border">
            {COLUMNS.map((c, i) => (
              <th
                key={c || i}
                scope="col"
                className={cn(
                  "h-10 px-3 text-left text-xs font-medium whitespace-nowrap text-muted-foreground",
                  i === 0 && "w-10 pr-0",
                )}
              >
                {c || <span className="sr-only">Details</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loading
            ? Array.from({ length: 8 }, (_, i) => (
                <tr key={i} className="h-12 border-b border-border last:border-0">
                  {COLUMNS.map((c, j) => (
                    <td key={c || j} className="px-3">
                      <Skeleton className={cn("h-4", j === 0 ? "w-4" : i % 2 ? "w-3/5" : "w-4/5")} />
                    </td>
                  ))}
                </tr>
              ))
            : events.map((e) => {
                const expanded = open.has(e.id);
                return (
                  <Fragment key={e.id}>
                    <tr
                      data-testid="activity-row"
                      data-event-id={e.id}
                      data-action={e.action}
                      aria-expanded={expanded}
                      onClick={() => toggle(e.id)}
                      className={cn(
                        "h-14 cursor-pointer border-b border-border transition-colors duration-700 last:border-0 hover:bg-surface-muted/50",
                        expanded && "border-b-0 bg-surface-muted/40",
                        flash.has(e.id) && "bg-primary-soft",
                      )}
                    >
                      <td className="w-10 pr-0 pl-3">
                        <button
                          type="button"
                          aria-label={expanded ? "Hide details" : "Show details"}
                          aria-expanded={expanded}
                          onClick={(ev) => {
                            ev.stopPropagation();
                            toggle(e.id);
                          }}
                          className="rounded p-0.5 text-muted-foreground hover:bg-surface-muted hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
                        >
                          <ChevronRight
                            className={cn("size-4 transition-transform", expanded && "rotate-90")}
                          />
                        </button>
                      </td>
                      <td className="px-3 whitespace-nowrap">
                        <RelativeTime date={e.createdAt} className="block" />
                        <span className="block text-xs text-muted-foreground tabular-nums">
                          {timeFormat.format(e.createdAt)}
                        </span>
                      </td>
                      <td className="max-w-64 px-3">
                        <Actor e={e} email={e.actor.id ? (actors.get(e.actor.id) ?? null) : null} />
                      </td>
                      <td className="max-w-80 px-3">
                        <span className="block truncate font-medium">{describeAction(e.action)}</span>
                        <span className="block truncate font-mono text-xs text-muted-foreground">
                          {e.action}
                        </span>
                      </td>
                      <td className="max-w-64 truncate px-3">
                        {e.target ? (
                          <>
                            <span className="text-muted-foreground">{e.target.kind}</span>
                            {e.target.name ? <span> · {e.target.name}</span> : null}
                          </>
                        ) : (
                          <span className="text-muted-foreground">—</span>
                        )}
                      </td>
                      <td className="max-w-40 truncate px-3">
                        {e.project ? (
                          (e.project.slug ?? <span className="text-muted-foreground italic">deleted</span>)
                        ) : (
                          <span className="text-muted-foreground">—</span>
                        )}
                      </td>
                      <td className="px-3 whitespace-nowrap">
                        <OutcomeBadge e={e} />
                      </td>
                    </tr>
                    {expanded ? (
                      <tr className="border-b border-border bg-surface-muted/40 last:border-0">
                        <td colSpan={COLUMNS.length}>
                          <EventDetails
                            event={e}
                            actorEmail={e.actor.id ? (actors.get(e.actor.id) ?? null) : null}
                            onFilter={onFilter}
                          />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
        </tbody>
      </table>
    </div>
  );
}
