"use client";
// One job: its steps with their states and times, attempts, the last error, what it works on,
// and who asked, following the worker live as it advances.
import { useQuery } from "@tanstack/react-query";
import { Check, Circle, CircleSlash, ListChecks, LoaderCircle, ScrollText, X } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { LiveStatus } from "@/components/audit/live-status";
import { useMounted } from "@/components/audit/use-mounted";
import { useTRPC, type RouterOutputs } from "@/components/trpc";
import {
  Alert,
  buttonClasses,
  Card,
  CardContent,
  CardHeader,
  cn,
  ErrorState,
  formatDateTime,
  KeyValueList,
  PageHeader,
  ProgressBar,
  RelativeTime,
  Skeleton,
  StatusPill,
} from "@/components/ui";
import { elapsed, formatClock, targetHref } from "./format";
import { useLiveJobs } from "./use-live-jobs";

type Job = RouterOutputs["jobs"]["getJob"];
type Step = Job["steps"][number];

const ACTIVE = new Set(["PENDING", "RUNNING", "RETRYING"]);

/** Re-renders every second while something is running, so its duration counts up. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function StepIcon({ state }: { state: Step["state"] }) {
  const base = "flex size-7 shrink-0 items-center justify-center rounded-full ring-1 ring-inset";
  switch (state) {
    case "SUCCEEDED":
      return (
        <span
          className={cn(
            base,
            "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/15 dark:text-emerald-300",
          )}
        >
          <Check className="size-4" aria-hidden="true" />
        </span>
      );
    case "RUNNING":
      return (
        <span
          className={cn(base, "bg-sky-50 text-sky-700 ring-sky-600/20 dark:bg-sky-500/15 dark:text-sky-300")}
        >
          <LoaderCircle className="size-4 animate-spin" aria-hidden="true" />
        </span>
      );
    case "FAILED":
      return (
        <span
          className={cn(base, "bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-500/15 dark:text-red-300")}
        >
          <X className="size-4" aria-hidden="true" />
        </span>
      );
    case "SKIPPED":
      return (
        <span className={cn(base, "bg-surface-muted text-muted-foreground ring-border")}>
          <CircleSlash className="size-4" aria-hidden="true" />
        </span>
      );
    default:
      return (
        <span className={cn(base, "bg-surface text-muted-foreground ring-border-strong")}>
          <Circle className="size-2.5" aria-hidden="true" />
        </span>
      );
  }
}

const STEP_LABEL: Record<Step["state"], string> = {
  PENDING: "Waiting",
  RUNNING: "Running",
  SUCCEEDED: "Done",
  FAILED: "Failed",
  SKIPPED: "Skipped",
};

function Steps({ job, now }: { job: Job; now: number }) {
  if (job.steps.length === 0) return <p className="text-sm text-muted-foreground">This job has no steps.</p>;
  return (
    <ol className="flex flex-col" data-testid="job-steps">
      {job.steps.map((s, i) => (
        <li
          key={`${i}-${s.name}`}
          className="relative flex gap-4 pb-6 last:pb-0"
          data-testid="job-step"
          data-state={s.state}
        >
          {i < job.steps.length - 1 ? (
            <span
              aria-hidden="true"
              className={cn(
                "absolute top-8 bottom-1 left-3.5 w-px",
                s.state === "SUCCEEDED" ? "bg-emerald-500/50" : "bg-border",
              )}
            />
          ) : null}
          <StepIcon state={s.state} />
          <div className="min-w-0 flex-1 pt-0.5">
            <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
              <p className="font-medium">
                <span className="mr-2 text-muted-foreground tabular-nums">{i + 1}.</span>
                {s.name}
              </p>
              <p className="text-xs text-muted-foreground tabular-nums">
                {STEP_LABEL[s.state]}
                {s.startedAt ? (
                  <>
                    {" · "}
                    {s.state === "RUNNING" ? "for " : ""}
                    {elapsed(s.startedAt, s.state === "RUNNING" ? null : s.finishedAt, now)}
                  </>
                ) : null}
              </p>
            </div>
            {s.startedAt ? (
              <p className="mt-0.5 text-xs text-muted-foreground tabular-nums">
                Started {formatClock(s.startedAt)}
                {s.finishedAt && s.state !== "RUNNING" ? ` · finished ${formatClock(s.finishedAt)}` : ""}
              </p>
            ) : null}
            {s.error ? (
              <pre className="mt-2 overflow-x-auto rounded-md border border-red-600/20 bg-red-50 p-2.5 font-mono text-xs whitespace-pre-wrap text-red-900 dark:bg-red-500/10 dark:text-red-200">
                {s.error}
              </pre>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

function Summary({ job, now }: { job: Job; now: number }) {
  const stats = [
    {
      label: "Progress",
      value: (
        <div className="flex items-center gap-3">
          <div className="w-20 shrink-0">
            <ProgressBar
              value={job.progress.done}
              max={Math.max(1, job.progress.total)}
              label="Steps done"
              className="h-1.5"
              barClassName={
                job.state === "FAILED"
                  ? "bg-red-500"
                  : job.state === "SUCCEEDED"
                    ? "bg-emerald-500"
                    : "bg-sky-500"
              }
            />
          </div>
          <span className="whitespace-nowrap tabular-nums">
            {job.progress.done} of {job.progress.total} steps
          </span>
        </div>
      ),
    },
    { label: "Attempts", value: `${job.attempts} of at most ${job.maxAttempts}` },
    {
      label: job.finishedAt ? "Took" : "Running for",
      value: job.startedAt ? elapsed(job.startedAt, job.finishedAt, now) : "Not started",
    },
    { label: "Created", value: <RelativeTime date={job.createdAt} /> },
  ];
  return (
    <dl className="grid grid-cols-2 gap-px overflow-hidden rounded-lg border border-border bg-border lg:grid-cols-4">
      {stats.map((s) => (
        <div key={s.label} className="bg-surface px-5 py-4">
          <dt className="text-xs font-medium text-muted-foreground">{s.label}</dt>
          <dd className="mt-1.5 text-sm font-medium">{s.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Retrying({ job, now }: { job: Job; now: number }) {
  if (job.state !== "RETRYING") return null;
  const wait = job.nextRunAt ? Math.max(0, Math.round((job.nextRunAt.getTime() - now) / 1000)) : null;
  return (
    <Alert
      tone="warning"
      title={`Attempt ${job.attempts} of ${job.maxAttempts} failed; Cirrus will try again`}
    >
      {job.lastError ? <span className="font-mono text-xs">{job.lastError}</span> : null}
      {wait !== null ? (
        <span className="mt-1 block">
          {wait > 0
            ? `Next attempt in ${wait} s (${formatDateTime(job.nextRunAt!)}).`
            : "Next attempt starting…"}
        </span>
      ) : null}
    </Alert>
  );
}

export function JobDetailView({ org, jobId }: { org: string; jobId: string }) {
  const mounted = useMounted();
  if (!mounted)
    return (
      <div className="flex flex-col gap-6" aria-busy="true">
        <Skeleton className="h-16 w-1/2" />
        <Skeleton className="h-20 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  return <JobDetail org={org} jobId={jobId} />;
}

function JobDetail({ org, jobId }: { org: string; jobId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.jobs.getJob.queryOptions({ id: jobId }));
  const live = useLiveJobs({ org, jobId });
  const job = q.data;
  const now = useNow(Boolean(job && ACTIVE.has(job.state)));

  if (q.isPending)
    return (
      <div className="flex flex-col gap-6" aria-busy="true">
        <PageHeader title={<Skeleton className="h-8 w-72" />} />
        <Skeleton className="h-20 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  if (q.isError || !job)
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title="Job" breadcrumbs={[{ label: "Jobs", href: `/${org}/jobs` }, { label: jobId }]} />
        <Card>
          <ErrorState
            error={q.error}
            onRetry={() => void q.refetch()}
            retrying={q.isRefetching}
            action={
              <Link href={`/${org}/jobs`} className={buttonClasses({ variant: "outline", size: "sm" })}>
                All jobs
              </Link>
            }
          />
        </Card>
      </div>
    );

  const project = job.project?.slug ?? null;
  const jobsHref = project ? `/${org}/${project}/jobs` : `/${org}/jobs`;
  const target = targetHref(org, job);
  return (
    <div className="flex flex-col gap-6" data-testid="job-detail" data-state={job.state}>
      <PageHeader
        title={job.target?.name ? `${job.title}: ${job.target.name}` : job.title}
        description={
          <>
            <span className="font-mono text-xs">{job.kind}</span> · started by{" "}
            {job.createdBy?.email ?? job.createdBy?.name ?? "Cirrus"} · <RelativeTime date={job.createdAt} />
          </>
        }
        meta={<StatusPill status={job.state} />}
        breadcrumbs={[
          ...(project ? [{ label: project, href: `/${org}/${project}` }] : []),
          { label: "Jobs", href: jobsHref },
          { label: job.title },
        ]}
        actions={
          <LiveStatus
            state={ACTIVE.has(job.state) ? live.status : live.status === "error" ? "error" : "live"}
            error={live.error}
            onRetry={live.retry}
          />
        }
      />
      {job.state === "FAILED" ? (
        <Alert
          tone="danger"
          title={`The job failed after ${job.attempts} ${job.attempts === 1 ? "attempt" : "attempts"}`}
        >
          <span className="font-mono text-xs" data-testid="job-last-error">
            {job.lastError ?? "No error was recorded."}
          </span>
        </Alert>
      ) : null}
      <Retrying job={job} now={now} />
      {job.state === "SUCCEEDED" ? (
        <Alert tone="success" title="The job finished">
          Every step succeeded{job.finishedAt ? ` (${formatDateTime(job.finishedAt)})` : ""}.
        </Alert>
      ) : null}
      <Summary job={job} now={now} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card>
          <CardHeader
            title={
              <span className="flex items-center gap-2">
                <ListChecks className="size-4 text-muted-foreground" aria-hidden="true" />
                Steps
              </span>
            }
            description="Steps run in order; a retry starts again at the first unfinished one."
          />
          <CardContent>
            <Steps job={job} now={now} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="Details" />
          <CardContent>
            <KeyValueList
              items={[
                {
                  label: "Target",
                  value: job.target ? (
                    target ? (
                      <Link href={target} className="text-primary hover:underline">
                        {job.target.kind} · {job.target.name ?? job.target.id}
                      </Link>
                    ) : (
                      `${job.target.kind} · ${job.target.name ?? job.target.id ?? "—"}`
                    )
                  ) : (
                    "—"
                  ),
                },
                {
                  label: "Project",
                  value: job.project ? (job.project.slug ?? `${job.project.id} (deleted)`) : "—",
                },
                ...(job.region ? [{ label: "Region", value: job.region }] : []),
                { label: "Started by", value: job.createdBy?.email ?? "Cirrus" },
                { label: "Created", value: formatDateTime(job.createdAt) },
                { label: "Started", value: job.startedAt ? formatDateTime(job.startedAt) : "—" },
                { label: "Finished", value: job.finishedAt ? formatDateTime(job.finishedAt) : "—" },
                { label: "Job id", value: job.id, mono: true, copy: job.id },
                ...(job.requestId
                  ? [{ label: "Request id", value: job.requestId, mono: true, copy: job.requestId }]
                  : []),
              ]}
            />
            {job.target?.name ? (
              <Link
                href={`/${org}/activity?q=${encodeURIComponent(job.target.name)}`}
                className={cn(buttonClasses({ variant: "outline", size: "sm" }), "mt-5")}
              >
                <ScrollText className="size-4" aria-hidden="true" />
                Activity for {job.target.name}
              </Link>
            ) : null}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
