"use client";
// A project's jobs: every job with its state and progress, filterable, updated live.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ResourceTable } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { PageHeader } from "@/components/ui";
import { LiveStatus } from "@/components/audit/live-status";
import { jobKind } from "./job-kind";
import { useLiveJobs } from "./use-live-jobs";

export function ProjectJobsView({ org, project }: { org: string; project: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const kinds = useQuery({ ...trpc.jobs.listJobKinds.queryOptions({ org }), staleTime: 60_000 });
  const kind = useMemo(() => jobKind({ withProject: false, kinds: kinds.data ?? [] }), [kinds.data]);
  const live = useLiveJobs({ org, project });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Jobs"
        description="The work Cirrus does for this project: each create, change and delete runs as a job of steps, retried when the cloud is briefly unavailable."
        breadcrumbs={[{ label: project, href: `/${org}/${project}` }, { label: "Jobs" }]}
        actions={<LiveStatus state={live.status} error={live.error} onRetry={live.retry} />}
      />
      <ResourceTable
        kind={kind}
        scope={{ org, project }}
        queryKey={trpc.jobs.listProjectJobs.pathKey()}
        fetchPage={({ q, filters, cursor, limit }) =>
          client.jobs.listProjectJobs.query({
            org,
            project,
            q,
            state: filters.state?.length ? filters.state.join(",") : undefined,
            kind: filters.kind?.[0],
            cursor,
            limit,
          })
        }
      />
    </div>
  );
}
