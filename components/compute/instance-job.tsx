"use client";
// The job in flight on an instance (create, an action, delete), followed live: its steps as a
// progress bar with the current step, and a link to the job's page. A failed job stays visible
// with its error until the next one.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLiveJobs } from "@/components/jobs/use-live-jobs";
import { useTRPC } from "@/components/trpc";
import { Alert, ProgressBar, StatusPill, buttonClasses } from "@/components/ui";

const ACTIVE = new Set(["PENDING", "RUNNING", "RETRYING"]);

export function InstanceJob({ org, jobId }: { org: string; jobId: string }) {
  const trpc = useTRPC();
  const job = useQuery(trpc.jobs.getJob.queryOptions({ id: jobId }));
  const active = job.data ? ACTIVE.has(job.data.state) : true;
  useLiveJobs({ org, jobId });
  if (!job.data) return null;
  const j = job.data;
  if (!active && j.state !== "FAILED") return null;
  const link = (
    <Link href={`/${org}/jobs/${j.id}`} className={buttonClasses({ variant: "outline", size: "sm" })}>
      View job
    </Link>
  );
  if (j.state === "FAILED")
    return (
      <Alert tone="danger" title={`${j.title} failed`} action={link}>
        {j.lastError ?? "The job stopped with an error."}
      </Alert>
    );
  return (
    <div
      className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-sky-600/20 bg-sky-50 px-4 py-3 text-sm dark:bg-sky-500/10"
      role="status"
      data-testid="instance-job"
    >
      <StatusPill status={j.state} />
      <span className="font-medium">{j.title}</span>
      <div className="flex min-w-48 flex-1 items-center gap-2">
        <ProgressBar
          value={j.progress.done}
          max={Math.max(1, j.progress.total)}
          label={`${j.title} progress`}
          className="h-1.5 max-w-48"
          barClassName={j.state === "RETRYING" ? "bg-amber-500" : "bg-sky-500"}
        />
        <span className="text-xs text-muted-foreground tabular-nums">
          {j.progress.done}/{j.progress.total}
        </span>
        {j.progress.current ? (
          <span className="truncate text-xs text-muted-foreground">{j.progress.current}</span>
        ) : null}
      </div>
      {link}
    </div>
  );
}
