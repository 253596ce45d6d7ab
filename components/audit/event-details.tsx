"use client";
// Everything an event records, shown when its row is opened: who, from where, what it acted on,
// the request id that finds it in the logs, the hash chain position, and its data.
import { Filter, ListChecks } from "lucide-react";
import Link from "next/link";
import { Button, buttonClasses, KeyValueList } from "@/components/ui";
import type { AuditEvent } from "./use-live-audit";

const OUTCOME = { success: "Succeeded", failure: "Failed", denied: "Denied" } as const;

export function EventDetails({
  event: e,
  actorEmail,
  onFilter,
}: {
  event: AuditEvent;
  /** The actor's email when the event only names them by id (work a job did for them). */
  actorEmail?: string | null;
  onFilter: (patch: { action?: string; actor?: string; kind?: string }) => void;
}) {
  const data = JSON.stringify(e.data, null, 2);
  return (
    <div className="flex flex-col gap-5 py-4 pr-4 pl-12" data-testid="event-details">
      <KeyValueList
        columns={3}
        items={[
          { label: "Time", value: e.createdAt.toISOString(), mono: true },
          { label: "Action", value: e.action, mono: true },
          {
            label: "Actor",
            value:
              e.actor.email ?? actorEmail ?? (e.actor.type === "system" ? "Cirrus (system)" : e.actor.type),
          },
          {
            label: "Acted through",
            value:
              e.actor.type === "token"
                ? "API token"
                : e.actor.type === "user"
                  ? "Console session"
                  : e.actor.type === "system"
                    ? e.actor.id
                      ? "Cirrus, on the user's behalf (a job they started)"
                      : "Cirrus"
                    : "Not signed in",
          },
          ...(e.actor.id ? [{ label: "Actor id", value: e.actor.id, mono: true, copy: e.actor.id }] : []),
          {
            label: "Outcome",
            value: e.errorCode ? `${OUTCOME[e.outcome]} · ${e.errorCode}` : OUTCOME[e.outcome],
          },
          ...(e.message ? [{ label: "Message", value: e.message }] : []),
          ...(e.target
            ? [
                { label: "Target", value: `${e.target.kind}${e.target.name ? ` · ${e.target.name}` : ""}` },
                ...(e.target.id
                  ? [{ label: "Target id", value: e.target.id, mono: true, copy: e.target.id }]
                  : []),
              ]
            : []),
          ...(e.project
            ? [
                {
                  label: "Project",
                  value: e.project.slug ?? `${e.project.id} (deleted)`,
                  mono: !e.project.slug,
                },
              ]
            : []),
          {
            label: "Request id",
            value: e.requestId ?? "—",
            mono: true,
            ...(e.requestId ? { copy: e.requestId } : {}),
          },
          { label: "Client address", value: e.ip ?? "—", mono: true },
          { label: "User agent", value: e.userAgent ?? "—" },
          { label: "Event", value: `id ${e.id} · chain position #${e.seq}`, mono: true },
          { label: "Hash", value: `${e.hash.slice(0, 16)}…`, mono: true, copy: e.hash },
        ]}
      />
      <div className="min-w-0">
        <p className="mb-1.5 text-xs font-medium text-muted-foreground">Data</p>
        <pre className="max-h-72 overflow-auto rounded-md border border-border bg-surface p-3 font-mono text-xs leading-relaxed">
          {data === "{}" ? "No details recorded." : data}
        </pre>
      </div>
      <div className="flex flex-wrap gap-2">
        {typeof e.data.jobId === "string" ? (
          <Link
            href={`/${e.org.slug}/jobs/${e.data.jobId}`}
            className={buttonClasses({ variant: "outline", size: "sm" })}
          >
            <ListChecks className="size-3.5" aria-hidden="true" />
            Open the job
          </Link>
        ) : null}
        <Button
          size="sm"
          variant="outline"
          icon={<Filter className="size-3.5" />}
          onClick={() => onFilter({ action: e.action })}
        >
          Only this action
        </Button>
        {e.actor.email || e.actor.id ? (
          <Button
            size="sm"
            variant="outline"
            icon={<Filter className="size-3.5" />}
            onClick={() => onFilter({ actor: e.actor.email ?? actorEmail ?? e.actor.id ?? "" })}
          >
            Only this actor
          </Button>
        ) : null}
        {e.target ? (
          <Button
            size="sm"
            variant="outline"
            icon={<Filter className="size-3.5" />}
            onClick={() => onFilter({ kind: e.target!.kind })}
          >
            Only {e.target.kind} events
          </Button>
        ) : null}
      </div>
    </div>
  );
}
