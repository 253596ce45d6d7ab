"use client";
// Jobs as a resource kind: the columns and filters of the job tables (project and organisation).
import { ListChecks } from "lucide-react";
import { defineKind } from "@/components/resources";
import type { RouterOutputs } from "@/components/trpc";
import { ProgressBar, RelativeTime, StatusPill } from "@/components/ui";
import { elapsed } from "./format";

export type JobRow = RouterOutputs["jobs"]["listOrgJobs"]["items"][number];

export const JOB_STATES = [
  { value: "PENDING", label: "Pending" },
  { value: "RUNNING", label: "Running" },
  { value: "RETRYING", label: "Retrying" },
  { value: "SUCCEEDED", label: "Succeeded" },
  { value: "FAILED", label: "Failed" },
];

function Progress({ j }: { j: JobRow }) {
  const active = j.state === "RUNNING" || j.state === "RETRYING" || j.state === "PENDING";
  return (
    <div className="flex min-w-40 flex-col gap-1">
      <div className="flex items-center gap-2">
        <ProgressBar
          value={j.progress.done}
          max={Math.max(1, j.progress.total)}
          label={`${j.title} progress`}
          className="h-1.5 w-24"
          barClassName={
            j.state === "FAILED"
              ? "bg-red-500"
              : j.state === "RETRYING"
                ? "bg-amber-500"
                : j.state === "SUCCEEDED"
                  ? "bg-emerald-500"
                  : "bg-sky-500"
          }
        />
        <span className="text-xs text-muted-foreground tabular-nums">
          {j.progress.done}/{j.progress.total}
        </span>
      </div>
      {active && j.progress.current ? (
        <span className="max-w-56 truncate text-xs text-muted-foreground">{j.progress.current}</span>
      ) : j.state === "FAILED" && j.lastError ? (
        <span className="max-w-56 truncate text-xs text-red-700 dark:text-red-300" title={j.lastError}>
          {j.lastError}
        </span>
      ) : null}
    </div>
  );
}

export function jobKind(opts: { withProject: boolean; kinds: { kind: string; title: string }[] }) {
  return defineKind<JobRow>({
    id: opts.withProject ? "job.org" : "job.project",
    label: "Job",
    plural: "Jobs",
    icon: <ListChecks />,
    getId: (j) => j.id,
    getName: (j) => (j.target?.name ? `${j.title} · ${j.target.name}` : j.title),
    href: (j, scope) => `/${scope.org ?? j.org.slug}/jobs/${j.id}`,
    getStatus: (j) => j.state,
    searchPlaceholder: "Search by target or kind",
    empty: {
      title: "No jobs yet",
      description:
        "Creating, changing and deleting resources runs jobs; they show up here with their progress.",
    },
    columns: [
      {
        id: "title",
        header: "Job",
        hideable: false,
        value: (j) => (j.target?.name ? `${j.title} · ${j.target.name}` : j.title),
      },
      {
        id: "state",
        header: "State",
        cell: (j) => <StatusPill status={j.state} />,
        value: (j) => j.state,
      },
      {
        id: "progress",
        header: "Progress",
        cell: (j) => <Progress j={j} />,
        value: (j) => `${j.progress.done}/${j.progress.total}`,
      },
      ...(opts.withProject
        ? [
            {
              id: "project",
              header: "Project",
              value: (j: JobRow) => j.project?.slug ?? (j.project ? "(deleted)" : "—"),
            },
          ]
        : []),
      {
        id: "createdBy",
        header: "Started by",
        value: (j) => j.createdBy?.email ?? "Cirrus",
      },
      {
        id: "createdAt",
        header: "Created",
        cell: (j) => <RelativeTime date={j.createdAt} />,
        value: (j) => j.createdAt,
      },
      {
        id: "duration",
        header: "Duration",
        value: (j) => elapsed(j.startedAt, j.finishedAt),
        align: "right",
      },
      {
        id: "attempts",
        header: "Attempts",
        value: (j) => `${j.attempts}/${j.maxAttempts}`,
        align: "right",
        defaultVisible: false,
      },
      { id: "kind", header: "Kind", value: (j) => j.kind, defaultVisible: false },
      { id: "id", header: "ID", value: (j) => j.id, defaultVisible: false },
    ],
    filters: [
      { id: "state", label: "State", options: JOB_STATES },
      {
        id: "kind",
        label: "Kind",
        multiple: false,
        options: opts.kinds.map((k) => ({ value: k.kind, label: k.title })),
      },
    ],
  });
}
